"""What the file utilities share: GNU quoting, mode strings, errors and access checks."""

from __future__ import annotations

import errno
import os

from mailsim.machine import paths
from mailsim.machine.machine import Stat
from mailsim.shell.commands.files_mode import rwx
from mailsim.shell.context import Context

# quotearg's shell styles: these force quoting anywhere in a name, '#' and '~'
# only at its start. Space, the apostrophe and those two are "compatible" with
# double quotes, which GNU prefers when the name holds an apostrophe.
_SPECIAL = set(" !\"$&'()*;<=>?[\\]^`|") - {"]"}
_DOUBLE_OK = {" ", "'", "#", "~"}
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}


def _needs_quotes(name: str) -> bool:
    if not name:
        return True
    if name[0] in "#~":
        return True
    return any(ch in _SPECIAL or _control(ch) for ch in name)


def _control(ch: str) -> bool:
    return ord(ch) < 32 or ord(ch) == 127


def _single_quoted(name: str) -> str:
    out = ["'"]
    for ch in name:
        if ch == "'":
            out.append("'\\''")
        elif _control(ch):
            esc = _ESCAPES.get(ch) or f"{ord(ch):03o}"
            out.append(f"'$'\\{esc}''")
        else:
            out.append(ch)
    out.append("'")
    return "".join(out)


def quote_always(name: str) -> str:
    """GNU ``quoteaf``: a file name in a message, always quoted ('x', "it's")."""
    if "'" in name and all(ch in _DOUBLE_OK or not (ch in _SPECIAL or _control(ch)) for ch in name):
        return f'"{name}"'
    return _single_quoted(name)


def quote_locale(name: str) -> str:
    """GNU ``quote`` in a UTF-8 locale: curly quotes (mkdir, chmod and chown use it)."""
    out = []
    for ch in name:
        if _control(ch):
            out.append("\\" + (_ESCAPES.get(ch) or f"{ord(ch):03o}"))
        else:
            out.append(ch)
    return "\u2018" + "".join(out) + "\u2019"


def quote_if_needed(name: str) -> str:
    """ls's shell-escape style: a name is quoted only when a shell would need it."""
    if not _needs_quotes(name):
        return name
    return quote_always(name)


def needs_quotes(name: str) -> bool:
    return _needs_quotes(name)


def strerror(exc: OSError) -> str:
    return os.strerror(exc.errno) if exc.errno else str(exc)


def try_help(ctx: Context, message: str) -> int:
    """A usage error the coreutils way: the message, then the --help hint, status 1."""
    ctx.error(message)
    ctx.err(f"Try '{ctx.name} --help' for more information.\n")
    return 1


def missing_operand(ctx: Context, after: str | None = None) -> int:
    if after is None:
        return try_help(ctx, "missing operand")
    return try_help(ctx, f"missing destination file operand after {quote_always(after)}")


_TYPE_LETTER = {"file": "-", "dir": "d", "link": "l", "char": "c"}


def mode_string(st: Stat) -> str:
    """``drwxr-sr-t`` from a kind and permission bits, with s/S/t/T as ls shows them."""
    return _TYPE_LETTER.get(st.kind, "?") + rwx(st.mode)


def primary_group(ctx: Context) -> str:
    """The name of the user's login group (what a new file's group becomes)."""
    for group in ctx.machine.groups().values():
        if group.gid == ctx.user.gid:
            return group.name
    return str(ctx.user.gid)


def claim(ctx: Context, path: str, mode: int) -> None:
    """Give a file this command just created to the user running it, with ``mode``."""
    ctx.machine.set_meta(path, owner=ctx.user.name, group=primary_group(ctx), mode=mode)


def blocks_1k(st: Stat) -> int:
    """Disk usage in 1K blocks as ext4 would allocate it (4K blocks; fast symlinks use none)."""
    if st.is_link:
        return 0
    return -(-st.size // 4096) * 4


def denied(path: str) -> OSError:
    return OSError(errno.EACCES, os.strerror(errno.EACCES), path)


def check_access(ctx: Context, path: str, want: str) -> None:
    """Raise EACCES unless the user may ``want`` ("r", "w", "x") an existing path.

    Search permission is checked on every directory on the way, as the kernel does.
    """
    if ctx.user.uid == 0:
        return
    from mailsim.machine.access import may

    full = paths.normalize(path, ctx.cwd)
    current = "/"
    for part in [p for p in full.split("/") if p][:-1]:
        current = current.rstrip("/") + "/" + part
        if ctx.machine.is_dir(current) and not may(ctx.machine, current, ctx.user, "x"):
            raise denied(path)
    if want and not may(ctx.machine, full, ctx.user, want):
        raise denied(path)


def check_parent_writable(ctx: Context, path: str) -> None:
    """Creating or removing an entry needs write and search on its directory."""
    if ctx.user.uid == 0:
        return
    parent = paths.parent(paths.normalize(path, ctx.cwd))
    check_access(ctx, parent, "x")
    check_access(ctx, parent, "w")


def owns(ctx: Context, st: Stat) -> bool:
    """Whether the user may change a file's mode or times (root, or its owner)."""
    return ctx.user.uid == 0 or st.owner == ctx.user.name
