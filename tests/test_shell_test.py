"""``test`` and ``[``: every operator and bash's error texts, against bash 5.2."""

from __future__ import annotations

import pytest
from bash_diff import assert_same_as_bash, needs_bash
from helpers import run

LINES = [line for line in open(__file__.replace(".py", "_lines.txt")).read().splitlines() if line]


@needs_bash
@pytest.mark.parametrize("line", LINES)
def test_matches_bash(machine, tmp_path, line):
    assert_same_as_bash(machine, tmp_path, line)


def test_files_are_the_machines(machine):
    """The tests look at the simulated disk, not the host's."""
    machine.write_text("/etc/postfix/only-here", "x\n")
    assert run(machine, "[ -f /etc/postfix/only-here ] && echo yes")[0] == "yes\n"
    assert run(machine, "[ -s /etc/postfix/only-here ] && echo nonempty")[0] == "nonempty\n"
    assert run(machine, "test -d /etc/postfix/only-here || echo notdir")[0] == "notdir\n"


def test_permissions_follow_the_manifest(machine):
    """alice may not read /etc/shadow (root:shadow 0640); root may."""
    shell_out = run(machine, "su alice -c '[ -r /etc/shadow ]; echo $?'")
    assert shell_out[0] == "1\n"
    assert run(machine, "[ -r /etc/shadow ]; echo $?")[0] == "0\n"
    assert run(machine, "chmod 000 /tmp; [ -x /tmp ]; echo $?")[0] == "0\n"


def test_symlinks_are_metadata(machine):
    run(machine, "ln -s /etc/hostname /root/link")
    assert (
        run(machine, "[ -L /root/link ] && [ -h /root/link ] && [ -f /root/link ]; echo $?")[0]
        == "0\n"
    )
    assert run(machine, "[ /root/link -ef /etc/hostname ]; echo $?")[0] == "0\n"
