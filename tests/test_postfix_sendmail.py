"""mailq, sendmail -bp, postqueue and postsuper on an empty queue, stopped and running.

Expected lines were recorded from the real Postfix 3.7.11; where Postfix is
installed and stopped, the stopped-system answers are also compared live.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_postfix_control_support import build_machine, run, run_real

from mailsim.machine.machine import Machine

DOWN = (
    "postqueue: warning: Mail system is down -- accessing queue directly (Connect to the "
    "Postfix showq service: Connection refused)\n"
)
EMPTY = "Mail queue is empty\n"
POSTQUEUE_USAGE = (
    "postqueue: fatal: usage: postqueue -f | postqueue -i queueid | postqueue -j "
    "| postqueue -p | postqueue -s site\n"
)


@pytest.fixture
def pf(tmp_path: Path) -> Machine:
    return build_machine(tmp_path / "m")


STOPPED = [
    (["mailq"], (EMPTY, DOWN, 0)),
    (["postqueue", "-p"], (EMPTY, DOWN, 0)),
    (["sendmail", "-bp"], (EMPTY, DOWN, 0)),
    (["postqueue", "-j"], ("", DOWN, 0)),
    (
        ["postqueue", "-f"],
        ("", "postqueue: fatal: Cannot flush mail queue - mail system is down\n", 69),
    ),
    (
        ["postqueue", "-i", "ABC"],
        (
            "",
            "postqueue: warning: connect to public/flush: Connection "
            "refused\npostqueue: fatal: Cannot flush mail queue - mail "
            "system is down\n",
            69,
        ),
    ),
]
RUNNING = [
    (["mailq"], (EMPTY, "", 0)),
    (["postqueue", "-p"], (EMPTY, "", 0)),
    (["sendmail", "-bp"], (EMPTY, "", 0)),
    (["postqueue", "-j"], ("", "", 0)),
    (["postqueue", "-f"], ("", "", 0)),
    (["postqueue", "-i", "ABC"], ("", "", 0)),
    (
        ["postqueue", "-s", "example.com"],
        (
            "",
            'postqueue: fatal: Flush service is not configured for destination "example.com"\n',
            69,
        ),
    ),
    (["postqueue"], ("", POSTQUEUE_USAGE, 69)),
    (["postqueue", "-x"], ("", "postqueue: invalid option -- 'x'\n" + POSTQUEUE_USAGE, 69)),
]
POSTSUPER = [
    (["postsuper", "-d", "ALL"], ("", "postsuper: Deleted: 0 messages\n", 0)),
    (["postsuper", "-d", "ABCDEF"], ("", "postsuper: Deleted: 0 messages\n", 0)),
    (["postsuper", "-h", "ALL"], ("", "postsuper: Placed on hold: 0 messages\n", 0)),
    (["postsuper", "-H", "ALL"], ("", "postsuper: Released from hold: 0 messages\n", 0)),
    (["postsuper", "-r", "ALL"], ("", "postsuper: Requeued: 0 messages\n", 0)),
    (["postsuper", "-e", "ALL"], ("", "postsuper: Force-expired: 0 messages\n", 0)),
    (
        ["postsuper", "-f", "ALL"],
        (
            "",
            "postsuper: Force-expired: 0 messages\npostsuper: Released from hold: 0 messages\n",
            0,
        ),
    ),
    (
        ["postsuper", "-d", "ALL", "-h", "ALL"],
        ("", "postsuper: Deleted: 0 messages\npostsuper: Placed on hold: 0 messages\n", 0),
    ),
    (
        ["postsuper", "-d", "bad/id"],
        (
            "",
            "postsuper: warning: invalid mail queue id: bad/id\npostsuper: Deleted: 0 messages\n",
            0,
        ),
    ),
    (["postsuper", "-d", "ALL", "deferred"], ("", "postsuper: Deleted: 0 messages\n", 0)),
    (["postsuper", "-d", "ALL", "foo"], ("", "postsuper: fatal: invalid directory name: foo\n", 1)),
    (["postsuper", "-s"], ("", "", 0)),
    (["postsuper"], ("", "", 0)),
    (["postsuper", "-p"], ("", "", 0)),
]


@pytest.mark.parametrize(("argv", "expected"), STOPPED)
def test_stopped(pf: Machine, argv: list[str], expected: tuple[str, str, int]) -> None:
    assert run(pf, argv) == expected


@pytest.mark.parametrize(("argv", "expected"), RUNNING)
def test_running(pf: Machine, argv: list[str], expected: tuple[str, str, int]) -> None:
    run(pf, ["postfix", "start"])
    assert run(pf, argv) == expected


@pytest.mark.parametrize(("argv", "expected"), POSTSUPER)
def test_postsuper(pf: Machine, argv: list[str], expected: tuple[str, str, int]) -> None:
    assert run(pf, argv) == expected


def test_mailq_logs_the_down_warning(pf: Machine) -> None:
    run(pf, ["mailq"])
    assert "postfix/postqueue[" in pf.read_text("/var/log/mail.log")
    assert "Mail system is down" in pf.read_text("/var/log/mail.log")


def test_sendmail_unsupported_mode(pf: Machine) -> None:
    assert run(pf, ["sendmail", "-bz"]) == ("", "sendmail: fatal: unsupported: -bz\n", 75)


def _host_postfix_stopped() -> bool:
    return subprocess.run(["postfix", "status"], capture_output=True).returncode != 0


@pytest.mark.skipif(shutil.which("postqueue") is None, reason="Postfix is not installed")
@pytest.mark.parametrize(
    "argv",
    [
        ["mailq"],
        ["postqueue", "-p"],
        ["sendmail", "-bp"],
        ["postqueue"],
        ["postqueue", "-x"],
        ["postqueue", "-s", "example.com"],
    ],
)
def test_against_real_postfix_when_stopped(pf: Machine, argv: list[str]) -> None:
    if not _host_postfix_stopped():
        pytest.skip("the host's own Postfix is running")
    if "-p" in argv or argv in (["mailq"], ["sendmail", "-bp"]):
        # A Postfix that never ran has no showq socket and answers differently.
        if not Path("/var/spool/postfix/public/showq").exists():
            pytest.skip("the host's Postfix has never run (no showq socket)")
    assert run(pf, argv) == run_real(argv)
