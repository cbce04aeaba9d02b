"""Postfix tools through the learner's shell: redirections decide whether postfix-script speaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run

from mailsim.machine.image import init_machine
from mailsim.machine.machine import Machine


@pytest.fixture
def image(tmp_path: Path, clock) -> Machine:
    """The default image (Debian 12 mail.example.com)."""
    return Machine(init_machine(tmp_path / "m").root, clock)


def test_start_status_stop_on_the_default_image(image: Machine) -> None:
    assert run(image, "postfix start") == (
        "",
        "postfix/postfix-script: starting the Postfix mail system\n",
        0,
    )
    out, err, status = run(image, "postfix status; echo $?")
    assert out == "0\n" and "is running: PID: " in err
    assert run(image, "postfix stop") == (
        "",
        "postfix/postfix-script: stopping the Postfix mail system\n",
        0,
    )


def test_stderr_redirected_to_a_pipe_silences_postfix_script(image: Machine) -> None:
    assert run(image, "postfix start 2>&1 | cat") == ("", "", 0)
    assert run(image, "postfix start 2>/dev/null; echo $?") == ("1\n", "", 0)
    assert "already running" in image.read_text("/var/log/mail.log")


def test_postfix_check_on_the_default_image_is_clean(image: Machine) -> None:
    assert run(image, "postfix check") == ("", "", 0)


def test_newaliases_then_query_from_a_heredoc(image: Machine) -> None:
    run(image, "echo 'webmaster: alice' >> /etc/aliases")
    assert run(image, "newaliases") == ("", "", 0)
    assert run(image, "postalias -q - /etc/aliases <<EOF\nwebmaster\nnobody-here\nEOF") == (
        "webmaster:\talice\n",
        "",
        0,
    )


def test_mailq_on_a_stopped_system(image: Machine) -> None:
    out, err, status = run(image, "mailq")
    assert (out, status) == ("Mail queue is empty\n", 0)
    assert err.startswith("postqueue: warning: Mail system is down")
