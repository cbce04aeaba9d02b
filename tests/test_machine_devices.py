"""The character devices under /dev that every host has, known without host files."""

from __future__ import annotations

import errno
import os
import stat as statmod
from pathlib import Path

import pytest
from helpers import run

from mailsim.machine.machine import DEVICES, Machine

DATA = Path(__file__).parent / "data" / "machine_devices"


def _recorded() -> dict[str, tuple[str, str, str, int, int]]:
    """``ls -l`` of Debian 12's devices: path -> (mode letters, owner, group, major, minor).

    A container shows /dev/tty as root:root; a Debian host (the recorded line) as root:tty.
    """
    table = {}
    for line in (DATA / "ls-l.txt").read_text().splitlines():
        mode, owner, group, major, minor, path = line.split()
        table[path] = (mode, owner, group, int(major.rstrip(",")), int(minor))
    return table


def _letters(mode: int) -> str:
    return statmod.filemode(statmod.S_IFCHR | mode)


@pytest.mark.parametrize("path", sorted(DEVICES))
def test_device_stat_matches_recorded_ls(machine: Machine, path: str) -> None:
    st = machine.stat(path)
    mode, owner, group, major, minor = _recorded()[path]
    assert st.kind == "char"
    assert (_letters(st.mode), st.owner, st.group, st.rdev) == (mode, owner, group, (major, minor))


@pytest.mark.parametrize("path", sorted(DEVICES))
@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no host /dev")
def test_device_numbers_match_the_host(machine: Machine, path: str) -> None:
    if not os.path.exists(path):
        pytest.skip(f"host has no {path}")
    real = os.stat(path)
    assert machine.stat(path).rdev == (os.major(real.st_rdev), os.minor(real.st_rdev))
    assert machine.stat(path).mode == statmod.S_IMODE(real.st_mode)


def test_no_host_files_are_created(machine: Machine) -> None:
    machine.write_text("/dev/null", "discarded\n")
    machine.write_text("/dev/null", "discarded\n", append=True)
    assert not (machine.root / "dev" / "null").exists()
    assert machine.read_bytes("/dev/null") == b""


def test_zero_reads_zeros_and_full_refuses_writes(machine: Machine) -> None:
    data = machine.read_bytes("/dev/zero")
    assert data and set(data) == {0}
    with pytest.raises(OSError) as info:
        machine.write_text("/dev/full", "x")
    assert info.value.errno == errno.ENOSPC


def test_descriptor_links(machine: Machine) -> None:
    assert machine.readlink("/dev/stdout") == "/proc/self/fd/1"
    assert machine.lstat("/dev/stdin").is_link
    assert machine.stat("/dev/stderr").kind == "char"


def test_listing_dev_shows_devices(machine: Machine) -> None:
    names = machine.listdir("/dev")
    assert {"null", "zero", "tty", "stdin", "stdout", "stderr"} <= set(names)


def test_grep_in_dev_null_finds_nothing(machine: Machine) -> None:
    """Regression: grep x /dev/null said "No such file or directory"."""
    assert run(machine, "grep x /dev/null") == ("", "", 1)


def test_redirects_and_tee_to_dev_null(machine: Machine) -> None:
    assert run(machine, "echo hi | tee /dev/null") == ("hi\n", "", 0)
    assert run(machine, "cat /dev/null; wc -l < /dev/null") == ("0\n", "", 0)
    assert run(machine, "head -c 3 /dev/zero | wc -c") == ("3\n", "", 0)


def test_device_listing_stat_and_find(machine):
    """ls -l shows major, minor; stat names a character special file; find -type c finds it."""
    from helpers import run

    assert run(machine, "ls -l /dev/null")[0].startswith("crw-rw-rw- 1 root root 1, 3 ")
    out = run(machine, "stat /dev/null")[0].splitlines()
    assert out[1].endswith("character special file")
    assert out[2].endswith("Links: 1     Device type: 1,3")
    assert run(machine, "stat -c '%F %t %T' /dev/null")[0] == "character special file 1 3\n"
    assert "/dev/null\n" in run(machine, "find /dev -type c")[0]
