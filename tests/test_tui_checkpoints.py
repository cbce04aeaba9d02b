"""What the lab's "changes" view (F6) shows: owners, modes and links as well as
contents, and database files as binary."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import tui_env  # noqa: F401

from mailsim.machine.image import init_machine
from mailsim.machine.machine import Machine
from mailsim.packs.runner import run_lines
from mailsim.tui.data.checkpoints import Checkpoints


@pytest.fixture
def points(tmp_path: Path) -> Checkpoints:
    machine = Machine(init_machine(tmp_path / "m").root)
    points = Checkpoints(machine, tmp_path / "checkpoints")
    points.mark_start()
    return points


def test_owner_mode_and_link_changes_are_listed(points: Checkpoints, tui_env: Path) -> None:  # noqa: F811
    """Regression: chmod and chown changed nothing the diff could see, so in a lab on
    the mail spool's permissions "changes" said nothing had changed."""
    run_lines(
        points.machine,
        [
            "chmod 777 /var/mail",
            "chown bob /home/alice",
            "chmod 600 /etc/postfix/main.cf",
            "ln -s /etc/postfix/main.cf /root/main.cf",
        ],
    )
    diff = points.diff()
    assert "--- owners, modes and links at the start\n+++ owners, modes and links now\n" in diff
    assert "-drwxrwsr-x root mail /var/mail\n+drwxrwsrwx root mail /var/mail\n" in diff
    assert "-drwx------ alice alice /home/alice\n+drwx------ bob alice /home/alice\n" in diff
    assert "+-rw------- root root /etc/postfix/main.cf\n" in diff
    assert "-rw-r--r-- root root /etc/postfix/main.cf\n" in diff
    assert "+lrwxrwxrwx root root /root/main.cf -> /etc/postfix/main.cf\n" in diff
    points.reset()
    assert points.diff() == ""


def test_database_files_are_binary(points: Checkpoints, tui_env: Path) -> None:  # noqa: F811
    """Regression: newaliases' aliases.db was shown as mailsim's internal JSON."""
    run_lines(points.machine, ["echo 'abuse: root' >> /etc/aliases", "newaliases"])
    diff = points.diff()
    assert "+abuse: root\n" in diff
    assert "mailsim-db" not in diff and "entries" not in diff
    assert (
        "Binary files a/etc/aliases.db and b/etc/aliases.db differ\n" in diff
        or "Binary files /dev/null and b/etc/aliases.db differ\n" in diff
    )
