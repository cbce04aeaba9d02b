"""The character devices every Debian host has, known without any host file.

Reads of /dev/null and the terminal give nothing, /dev/zero and /dev/full give
zeros, /dev/random and /dev/urandom random bytes; writes go nowhere, except that
/dev/full answers "No space left on device".
"""

from __future__ import annotations

import errno
import os

Device = tuple[int, int, int, str]
"""(major, minor, mode, group) of a character device."""

DEVICES: dict[str, Device] = {
    "/dev/null": (1, 3, 0o666, "root"),
    "/dev/zero": (1, 5, 0o666, "root"),
    "/dev/full": (1, 7, 0o666, "root"),
    "/dev/random": (1, 8, 0o666, "root"),
    "/dev/urandom": (1, 9, 0o666, "root"),
    "/dev/tty": (5, 0, 0o666, "tty"),
}
# udev's links to the process's own descriptors; on a terminal they lead to its pty.
DEVICE_LINKS = {
    "/dev/stdin": "/proc/self/fd/0",
    "/dev/stdout": "/proc/self/fd/1",
    "/dev/stderr": "/proc/self/fd/2",
}
_PTY: Device = (136, 0, 0o620, "tty")
# What a read of an endless device returns: enough for head -c and od, bounded.
_ENDLESS = 65536


def device_at(resolved: str) -> Device | None:
    """The device at a resolved path (a descriptor link leads to the terminal)."""
    if not resolved.startswith("/dev/"):
        return None
    return DEVICES.get(resolved) or (_PTY if resolved in DEVICE_LINKS else None)


def read_device(device: Device) -> bytes:
    """What reading the device as a file gives."""
    major, minor = device[0], device[1]
    if major != 1 or minor == 3:
        return b""  # /dev/null; the terminal has no input for a file read
    if minor in (8, 9):
        return os.urandom(_ENDLESS)
    return bytes(_ENDLESS)


def write_error(device: Device) -> int | None:
    """The errno a write to the device fails with, or None when it is discarded."""
    return errno.ENOSPC if device[:2] == (1, 7) else None
