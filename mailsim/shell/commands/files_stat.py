"""GNU stat (coreutils 9.1): the default report, ``-c``/``--printf`` formats and ``-t``.

Access, change and birth times are the modification time: the machine keeps
only that one. Device and inode numbers are the host file's (links get a
stable made-up inode), so they look real without meaning anything.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable
from datetime import UTC, datetime

from mailsim.machine.machine import Stat
from mailsim.shell.commands.files_common import (
    blocks_1k,
    mode_string,
    quote_always,
    quote_if_needed,
    try_help,
)
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

DEFAULT = (
    "  File: %\0N\n"
    "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"
    "Device: %Hd,%Ld\tInode: %-11i Links: %h\n"
    "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"
    "Access: %x\nModify: %y\nChange: %z\n Birth: %w\n"
)
DEVICE_DEFAULT = DEFAULT.replace("Links: %h\n", "Links: %-5h Device type: %Hr,%Lr\n")
"""stat's report on a device names its major and minor numbers."""
TERSE = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n"
_TYPE_BITS = {"file": 0o100000, "dir": 0o040000, "link": 0o120000, "char": 0o020000}


class _Info:
    """What the directives read, gathered once per file."""

    def __init__(self, ctx: Context, operand: str, st: Stat) -> None:
        self.ctx = ctx
        self.operand = operand
        self.st = st
        users, groups = ctx.machine.users(), ctx.machine.groups()
        self.uid = users[st.owner].uid if st.owner in users else _number(st.owner)
        self.gid = groups[st.group].gid if st.group in groups else _number(st.group)
        self.user = st.owner if st.owner in users else "UNKNOWN"
        self.group = st.group if st.group in groups else "UNKNOWN"
        self.dev, self.ino, self.mtime_ns = 0xFE01, zlib.crc32(st.path.encode()) & 0xFFFFFF, 0
        if st.is_link:
            try:
                self.dev = os.stat(ctx.machine.host_path("/")).st_dev
            except OSError:
                pass
        else:
            try:
                host = os.stat(ctx.machine.host_path(st.path), follow_symlinks=False)
                self.dev, self.ino, self.mtime_ns = host.st_dev, host.st_ino, host.st_mtime_ns
            except OSError:
                pass
        if not self.mtime_ns or int(self.mtime_ns // 10**9) != int(st.mtime):
            self.mtime_ns = int(round(st.mtime * 10**9))

    @property
    def rdev(self) -> tuple[int, int]:
        return self.st.rdev or (0, 0)

    def kind(self) -> str:
        if self.st.is_dir:
            return "directory"
        if self.st.is_link:
            return "symbolic link"
        if self.st.kind == "char":
            return "character special file"
        return "regular empty file" if self.st.size == 0 else "regular file"

    def when(self) -> str:
        secs, ns = divmod(self.mtime_ns, 10**9)
        stamp = datetime.fromtimestamp(secs, tz=UTC)
        return f"{stamp:%Y-%m-%d %H:%M:%S}.{ns:09d} +0000"

    def quoted_name(self, quote: Callable[[str], str] = quote_always) -> str:
        name = quote(self.operand)
        if self.st.is_link and self.st.target is not None:
            return f"{name} -> {quote(self.st.target)}"
        return name

    def value(self, letter: str, prefix: str) -> tuple[str, bool] | None:
        """(text, is_number) of one directive, or None when the letter is unknown."""
        st = self.st
        secs = str(self.mtime_ns // 10**9)
        table: dict[str, tuple[str, bool]] = {
            "a": (f"{st.mode:o}", True),
            "A": (mode_string(st), False),
            "b": (str(blocks_1k(st) * 2), True),
            "B": ("512", True),
            "d": (str(self.dev), True),
            "D": (f"{self.dev:x}", False),
            "f": (f"{_TYPE_BITS[st.kind] | st.mode:x}", False),
            "F": (self.kind(), False),
            "g": (str(self.gid), True),
            "G": (self.group, False),
            "h": (str(st.nlink), True),
            "i": (str(self.ino), True),
            "n": (self.operand, False),
            "N": (self.quoted_name(), False),
            "o": ("4096", True),
            "s": (str(st.size), True),
            "t": (f"{self.rdev[0]:x}", False),
            "T": (f"{self.rdev[1]:x}", False),
            "u": (str(self.uid), True),
            "U": (self.user, False),
            "w": (self.when(), False),
            "W": (secs, True),
            "x": (self.when(), False),
            "X": (secs, True),
            "y": (self.when(), False),
            "Y": (secs, True),
            "z": (self.when(), False),
            "Z": (secs, True),
        }
        if letter == "r" and prefix in ("H", "L"):
            return (str(self.rdev[0] if prefix == "H" else self.rdev[1]), True)
        if letter == "d" and prefix in ("H", "L"):
            major, minor = os.major(self.dev), os.minor(self.dev)
            return (str(major if prefix == "H" else minor), True)
        return table.get(letter)


def _number(name: str) -> int:
    return int(name) if name.isdigit() else 0


def render(fmt: str, info: _Info) -> str:
    """Expand ``%``-directives with printf-style flags, width and precision."""
    out = []
    i, n = 0, len(fmt)
    while i < n:
        ch = fmt[i]
        if ch != "%":
            out.append(ch)
            i += 1
            continue
        j = i + 1
        while j < n and fmt[j] in "-+ #0'\0":
            j += 1
        while j < n and fmt[j].isdigit():
            j += 1
        if j < n and fmt[j] == ".":
            j += 1
            while j < n and fmt[j].isdigit():
                j += 1
        spec = fmt[i + 1 : j]
        prefix = ""
        if j < n and fmt[j] in "HL" and j + 1 < n and fmt[j + 1] in "dr":
            prefix = fmt[j]
            j += 1
        if j >= n:
            out.append("%" + spec)
            break
        letter = fmt[j]
        i = j + 1
        if letter == "%":
            out.append("%")
            continue
        found = info.value(letter, prefix)
        if letter == "N" and spec == "\0":
            # The default report quotes names only where a shell would need it.
            out.append(info.quoted_name(quote_if_needed))
            continue
        if found is None:
            out.append("?")
            continue
        text, numeric = found
        if numeric and spec and text.lstrip("-").isdigit():
            out.append(("%" + spec.replace("#", "") + "d") % int(text))
        else:
            out.append(("%" + spec + "s") % text if spec else text)
    return "".join(out)


def _unescape(fmt: str) -> str:
    """--printf's backslash escapes."""
    table = {
        "n": "\n",
        "t": "\t",
        "\\": "\\",
        "a": "\a",
        "b": "\b",
        "f": "\f",
        "r": "\r",
        "v": "\v",
        '"': '"',
    }
    out, i = [], 0
    while i < len(fmt):
        if fmt[i] == "\\" and i + 1 < len(fmt) and fmt[i + 1] in table:
            out.append(table[fmt[i + 1]])
            i += 2
        else:
            out.append(fmt[i])
            i += 1
    return "".join(out)


@command("stat", synopsis="stat [OPTION]... FILE...", summary="display file or file system status")
def stat(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "c:fLt",
            ["dereference", "format=", "printf=", "terse", "file-system", "cached="],
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    fmt = DEFAULT
    follow = False
    for flag, value in opts:
        if flag in ("-L", "--dereference"):
            follow = True
        elif flag in ("-c", "--format"):
            fmt = value + "\n"
        elif flag == "--printf":
            fmt = _unescape(value)
        elif flag in ("-t", "--terse"):
            fmt = TERSE
    if not operands:
        return try_help(ctx, "missing operand")
    status = 0
    for operand in operands:
        try:
            full = ctx.abspath(operand)
            st = ctx.machine.stat(full) if follow else ctx.machine.lstat(full)
            if operand.endswith("/") and not ctx.machine.is_dir(full):
                raise OSError(20, os.strerror(20), operand)
        except OSError as exc:
            ctx.error(f"cannot statx {quote_always(operand)}: {os.strerror(exc.errno or 2)}")
            status = 1
            continue
        if fmt is DEFAULT and st.kind == "char":
            ctx.out(render(DEVICE_DEFAULT, _Info(ctx, operand, st)))
        else:
            ctx.out(render(fmt, _Info(ctx, operand, st)))
    return status
