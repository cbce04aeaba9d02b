"""readlink on the machine's links, compared with coreutils 9.1 on a Debian 12 host whose
links are the image's (awk's alternatives chain, the sendmail emulation links)."""

from __future__ import annotations

import os
import subprocess

import pytest
from helpers import run

# (line, stdout, stderr, status) as recorded from coreutils 9.1 on Debian 12 with Postfix.
RECORDED = [
    ("readlink /usr/bin/awk", "/etc/alternatives/awk\n", "", 0),
    ("readlink /etc/hostname", "", "", 1),
    ("readlink -v /etc/hostname", "", "readlink: /etc/hostname: Invalid argument\n", 1),
    ("readlink -f /usr/bin/awk", "/usr/bin/mawk\n", "", 0),
    ("readlink -f /nonexist/x", "", "", 1),
    ("readlink -fv /nonexist/x", "", "readlink: /nonexist/x: No such file or directory\n", 1),
    ("readlink -f /etc/nonexist", "/etc/nonexist\n", "", 0),
    ("readlink -e /etc/nonexist", "", "", 1),
    ("readlink -m /a/b/../c", "/a/c\n", "", 0),
    ("readlink /usr/bin/awk /usr/bin/mailq", "/etc/alternatives/awk\n../sbin/sendmail\n", "", 0),
    ("readlink -n /usr/bin/newaliases", "../sbin/sendmail", "", 0),
    (
        "readlink -n /usr/bin/awk /usr/bin/mailq",
        "/etc/alternatives/awk\n../sbin/sendmail\n",
        "readlink: ignoring --no-newline with multiple arguments\n",
        0,
    ),
    ("readlink -f /usr/lib/sendmail", "/usr/sbin/sendmail\n", "", 0),
    ("readlink", "", "readlink: missing operand\nTry 'readlink --help' for more information.\n", 1),
    (
        "readlink -x",
        "",
        "readlink: invalid option -- 'x'\nTry 'readlink --help' for more information.\n",
        1,
    ),
]


@pytest.mark.parametrize(("line", "out", "err", "status"), RECORDED)
def test_readlink_as_recorded(machine, line: str, out: str, err: str, status: int) -> None:
    assert run(machine, line) == (out, err, status)


def _host_is_like_the_image() -> bool:
    try:
        return (
            os.readlink("/usr/bin/awk") == "/etc/alternatives/awk"
            and os.readlink("/usr/bin/mailq") == "../sbin/sendmail"
            and os.path.realpath("/usr/bin/awk") == "/usr/bin/mawk"
        )
    except OSError:
        return False


@pytest.mark.skipif(
    not _host_is_like_the_image(), reason="the host's links differ from the image's"
)
@pytest.mark.parametrize("line", [case[0] for case in RECORDED])
def test_readlink_as_the_real_one(machine, line: str) -> None:
    real = subprocess.run(
        ["bash", "-c", line],
        capture_output=True,
        text=True,
        env={"LANG": "C.UTF-8", "PATH": os.defpath},
    )
    assert run(machine, line) == (
        real.stdout,
        real.stderr.replace("bash: line 1: ", ""),
        real.returncode,
    )
