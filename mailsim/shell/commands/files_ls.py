"""GNU ls (coreutils 9.1): listing, sorting, long format and column layout.

Directory order on a real disk is whatever readdir returns; names are sorted
bytewise here unless ``-U`` is given, in which case they come in that same
sorted order (documented difference).
"""

from __future__ import annotations

import errno
import os
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from mailsim.machine import paths
from mailsim.machine.machine import Stat
from mailsim.shell.commands.files_common import (
    blocks_1k,
    check_access,
    mode_string,
    needs_quotes,
    quote_always,
    quote_if_needed,
    quote_locale,
    strerror,
    try_help,
)
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, apply_setting, getopt, settings_table
from mailsim.shell.registry import command

SIX_MONTHS = 31556952 // 2
"""Half a mean Gregorian year in seconds: ls's boundary between 'recent' and 'old'."""

_LONG_OPTS = [
    "all",
    "almost-all",
    "directory",
    "classify=?",
    "human-readable",
    "recursive",
    "reverse",
    "color=?",
    "inode",
    "format=",
    "sort=",
    "indicator-style=",
    "full-time",
]


_WHEN = "always yes force|never no none|auto tty if-tty"
_WHEN_VALUES = frozenset(["", *_WHEN.replace("|", " ").split()])
"""What --color and --classify accept (empty: the option given without a value)."""
_SETS = settings_table(
    (("-a", "--all"), {"all": True, "almost_all": False}),
    (("-A", "--almost-all"), {"almost_all": True, "all": False}),
    (("-d", "--directory"), {"directory": True}),
    (("-p",), {"slash": True}),
    (("-h", "--human-readable"), {"human": True}),
    (("-R", "--recursive"), {"recursive": True}),
    (("-r", "--reverse"), {"reverse": True}),
    (("-i", "--inode"), {"inode": True}),
    (("-l", "--full-time"), {"fmt": "long"}),
    (("-1",), {"fmt": "one"}),
    (("-C",), {"fmt": "columns"}),
    (("-t",), {"sort": "time"}),
    (("-S",), {"sort": "size"}),
    (("-U",), {"sort": "none"}),
)
"""Options that only set fields of ``Options``."""


@dataclass
class Options:
    all: bool = False
    almost_all: bool = False
    directory: bool = False
    classify: bool = False
    slash: bool = False
    human: bool = False
    recursive: bool = False
    reverse: bool = False
    inode: bool = False
    fmt: str = ""  # "long", "one", "columns"
    sort: str = "name"  # "name", "time", "size", "none"
    tty: bool = False
    width: int = 80


@dataclass
class Entry:
    """One name to print: its lstat, and for a link what the link leads to."""

    name: str
    path: str
    st: Stat
    target_st: Stat | None = None
    inode: int = 0
    extra: dict[str, str] = field(default_factory=dict)


def _parse(ctx: Context) -> tuple[Options, list[str]] | int:
    try:
        opts, operands = getopt(ctx.args, "1aACdFhilprRStU", _LONG_OPTS)
    except GetoptError as exc:
        try_help(ctx, str(exc))
        return 2
    o = Options(tty=ctx.stdout_is_tty, width=ctx.terminal.width)
    for flag, value in opts:
        if apply_setting(_SETS, flag, o):
            continue
        if flag in ("-F", "--classify"):
            if value not in _WHEN_VALUES:
                return _invalid_arg(ctx, "--classify", value, _WHEN)
            o.classify = value in ("", "always", "yes", "force") or (
                value in ("auto", "tty", "if-tty") and o.tty
            )
        elif flag == "--format":
            choice = {
                "long": "long",
                "verbose": "long",
                "single-column": "one",
                "vertical": "columns",
            }.get(value)
            if choice is None:
                return _invalid_arg(
                    ctx,
                    "--format",
                    value,
                    "verbose long|commas|horizontal across|vertical|single-column",
                )
            o.fmt = choice
        elif flag == "--sort":
            choice = {"none": "none", "time": "time", "size": "size", "name": "name"}.get(value)
            if choice is None:
                return _invalid_arg(
                    ctx,
                    "--sort",
                    value,
                    "none|time|size|extension|version|width",
                )
            o.sort = choice
        elif flag == "--color" and value not in _WHEN_VALUES:
            return _invalid_arg(ctx, "--color", value, _WHEN)
    if not o.fmt:
        o.fmt = "columns" if o.tty else "one"
    return o, operands


def _invalid_arg(ctx: Context, option: str, value: str, valid: str) -> int:
    """argmatch's complaint; ``valid`` lists the groups as "a b|c|d e" (curly-quoted on output)."""
    ctx.error(f"invalid argument {quote_locale(value)} for {quote_locale(option)}")
    groups = [", ".join(quote_locale(w) for w in group.split()) for group in valid.split("|")]
    ctx.err("Valid arguments are:\n" + "".join(f"  - {g}\n" for g in groups))
    ctx.err(f"Try '{ctx.name} --help' for more information.\n")
    return 1


def _inode(ctx: Context, st: Stat) -> int:
    if st.is_link:
        return zlib.crc32(st.path.encode()) & 0xFFFFFF
    try:
        return os.stat(ctx.machine.host_path(st.path), follow_symlinks=False).st_ino
    except OSError:
        return 0


def _entry(ctx: Context, o: Options, name: str, path: str, follow: bool = False) -> Entry:
    """Stat one name; raises OSError with the name as it should be reported."""
    st = ctx.machine.lstat(path)
    target = None
    if st.is_link:
        try:
            target = ctx.machine.stat(path)
        except OSError as exc:
            if follow and exc.errno == errno.ELOOP:
                raise  # a dangling link is listed, a looping one is an error
            target = None
        if follow and target is not None:
            st, target = target, None
    entry = Entry(name, path, st, target)
    if o.inode:
        entry.inode = _inode(ctx, st)
    return entry


def _sort(entries: list[Entry], o: Options) -> list[Entry]:
    if o.sort == "none":
        return entries[::-1] if o.reverse else entries
    by_name = sorted(entries, key=lambda e: e.name.encode("utf-8", "surrogateescape"))
    if o.sort == "time":
        by_name.sort(key=lambda e: -e.st.mtime)
    elif o.sort == "size":
        by_name.sort(key=lambda e: -e.st.size)
    return by_name[::-1] if o.reverse else by_name


def _indicator(o: Options, st: Stat | None) -> str:
    if st is None or not (o.classify or o.slash):
        return ""
    if st.is_dir:
        return "/"
    if not o.classify:
        return ""
    if st.is_link:
        return "@"
    if st.mode & 0o111:
        return "*"
    return ""


def human(size: int) -> str:
    """``-h`` sizes as GNU's human_readable rounds them: up, one decimal below 10."""
    if size < 1024:
        return str(size)
    scale = 1
    for unit in "KMGTPE":
        scale *= 1024
        tenths = -(-size * 10 // scale)
        if tenths < 100:
            if tenths % 10 == 0 and tenths // 10 >= 10:
                return f"{tenths // 10}{unit}"
            return f"{tenths // 10}.{tenths % 10}{unit}"
        whole = -(-size // scale)
        if whole < 1024 or unit == "E":
            return f"{whole}{unit}"
    return str(size)


def _date(mtime: float, now: float) -> str:
    when = datetime.fromtimestamp(mtime, tz=UTC)
    # A fixed simulated clock makes "now" equal a just-written file's mtime; a real
    # clock would have moved on, so a file from this very second counts as recent.
    if now - SIX_MONTHS < mtime <= now:
        return f"{when:%b} {when.day:2d} {when:%H:%M}"
    return f"{when:%b} {when.day:2d}  {when.year}"


def _display(e: Entry, o: Options, pad_quotes: bool) -> str:
    shown = quote_if_needed(e.name) if o.tty else e.name
    if pad_quotes and o.tty and not needs_quotes(e.name):
        shown = " " + shown
    return shown


def _print_long(ctx: Context, entries: list[Entry], o: Options, pad: bool) -> None:
    now = ctx.machine.clock.now()
    devices = [e.st.rdev for e in entries if e.st.kind == "char" and e.st.rdev]
    w_major = max((len(str(d[0])) for d in devices), default=0)
    w_minor = max((len(str(d[1])) for d in devices), default=0)
    sizes = [
        # A device shows "major, minor" where a file shows its size.
        f"{e.st.rdev[0]:>{w_major}}, {e.st.rdev[1]:>{w_minor}}"
        if e.st.kind == "char" and e.st.rdev
        else (human(e.st.size) if o.human else str(e.st.size))
        for e in entries
    ]
    w_link = max((len(str(e.st.nlink)) for e in entries), default=1)
    w_owner = max((len(e.st.owner) for e in entries), default=1)
    w_group = max((len(e.st.group) for e in entries), default=1)
    w_size = max((len(s) for s in sizes), default=1)
    w_ino = max((len(str(e.inode)) for e in entries), default=1)
    lines = []
    for e, size in zip(entries, sizes, strict=False):
        ino = f"{e.inode:>{w_ino}} " if o.inode else ""
        line = (
            f"{ino}{mode_string(e.st)} {e.st.nlink:>{w_link}} {e.st.owner:<{w_owner}} "
            f"{e.st.group:<{w_group}} {size:>{w_size}} {_date(e.st.mtime, now)} "
            f"{_display(e, o, pad)}"
        )
        if e.st.is_link and e.st.target is not None:
            target = quote_if_needed(e.st.target) if o.tty else e.st.target
            line += f" -> {target}{_indicator(o, e.target_st) if o.classify else ''}"
        else:
            line += _indicator(o, e.st)
        lines.append(line + "\n")
    ctx.out("".join(lines))


def _indent(start: int, end: int) -> str:
    """GNU ls pads columns with tabs (tab stops every 8) and then spaces."""
    out = []
    while start < end:
        if end // 8 > (start + 1) // 8:
            out.append("\t")
            start += 8 - start % 8
        else:
            out.append(" ")
            start += 1
    return "".join(out)


def _print_columns(ctx: Context, cells: list[str], width: int) -> None:
    """ls -C: as many columns as fit, filled top to bottom (calculate_columns in ls.c)."""
    n = len(cells)
    if not n:
        return
    lengths = [len(c) for c in cells]
    max_cols = min(max(width // 3, 1), n)
    best_widths: list[int] = [max(lengths)]
    for cols in range(max_cols, 0, -1):
        rows = -(-n // cols)
        # Columns left empty by the rounding still count 3 each, as in ls.c.
        col_w = [3] * cols
        for i, length in enumerate(lengths):
            idx = i // rows
            real = length + (0 if idx == cols - 1 else 2)
            col_w[idx] = max(col_w[idx], real)
        if sum(col_w) < width or cols == 1:
            best_widths = col_w
            break
    cols = len(best_widths)
    rows = -(-n // cols)
    out = []
    for row in range(rows):
        pos = 0
        i = row
        col = 0
        while True:
            out.append(cells[i])
            span = best_widths[col]
            col += 1
            i += rows
            if i >= n:
                break
            out.append(_indent(pos + lengths[i - rows], pos + span))
            pos += span
        out.append("\n")
    ctx.out("".join(out))


def _print_entries(ctx: Context, entries: list[Entry], o: Options) -> None:
    pad = o.tty and o.fmt != "one" and any(needs_quotes(e.name) for e in entries)
    if o.fmt == "long":
        _print_long(ctx, entries, o, pad)
        return
    w_ino = max((len(str(e.inode)) for e in entries), default=1)
    cells = []
    for e in entries:
        ino = f"{e.inode:>{w_ino if o.fmt == 'columns' else 0}} " if o.inode else ""
        cells.append(ino + _display(e, o, pad) + _indicator(o, e.st))
    if o.fmt == "one":
        ctx.out("".join(c + "\n" for c in cells))
    else:
        _print_columns(ctx, cells, o.width)


def _read_dir(ctx: Context, o: Options, path: str, shown: str) -> tuple[list[Entry], int]:
    """Entries of one directory; (entries, status) where errors were already printed."""
    names = ctx.machine.listdir(path)
    status = 0
    if o.all:
        names = [".", ".."] + names
    elif not o.almost_all:
        names = [n for n in names if not n.startswith(".")]
    entries = []
    base = path.rstrip("/")
    for name in names:
        ctx.terminal.check_cancelled()
        full = paths.normalize(name, path) if name in (".", "..") else f"{base}/{name}"
        try:
            entry = _entry(ctx, o, name, full)
        except OSError as exc:
            where = shown.rstrip("/") + "/" + name if shown != "/" else "/" + name
            ctx.error(f"cannot access {quote_always(where)}: {strerror(exc)}")
            status = 1
            continue
        entry.name = name
        entries.append(entry)
    return entries, status


def _list_dir(
    ctx: Context, o: Options, path: str, shown: str, header: bool, first: bool, top: bool
) -> int:
    if not first:
        ctx.out("\n")
    if header:
        ctx.out(f"{quote_if_needed(shown) if o.tty else shown}:\n")
    try:
        check_access(ctx, path, "r")
        entries, status = _read_dir(ctx, o, path, shown)
    except OSError as exc:
        ctx.error(f"cannot open directory {quote_always(shown)}: {strerror(exc)}")
        return 2 if top else 1
    entries = _sort(entries, o)
    if o.fmt == "long":
        total = sum(blocks_1k(e.st) for e in entries)
        ctx.out(f"total {human(total * 1024) if o.human else total}\n")
    _print_entries(ctx, entries, o)
    if o.recursive:
        for e in entries:
            if e.st.is_dir and e.name not in (".", ".."):
                sub = shown.rstrip("/") + "/" + e.name if shown != "/" else "/" + e.name
                status = max(status, _list_dir(ctx, o, e.path, sub, True, False, False))
    return status


@command("ls", synopsis="ls [OPTION]... [FILE]...", summary="list directory contents")
def ls(ctx: Context) -> int:
    parsed = _parse(ctx)
    if isinstance(parsed, int):
        return parsed
    o, operands = parsed
    follow_cmdline = not (o.directory or o.classify or o.fmt == "long")
    status = 0
    files: list[Entry] = []
    dirs: list[Entry] = []
    for operand in operands or ["."]:
        path = ctx.abspath(operand)
        try:
            follow = follow_cmdline or operand.endswith("/")
            entry = _entry(ctx, o, operand, path, follow=follow)
            if operand.endswith("/") and not entry.st.is_dir:
                raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), operand)
            if entry.st.is_dir and not o.directory:
                check_access(ctx, path, "")
                dirs.append(entry)
            else:
                check_access(ctx, path, "")
                files.append(entry)
        except OSError as exc:
            ctx.error(f"cannot access {quote_always(operand)}: {strerror(exc)}")
            status = 2
    first = True
    if files:
        _print_entries(ctx, _sort(files, o), o)
        first = False
    header = len(operands) > 1 or o.recursive
    for entry in _sort(dirs, o):
        status = max(status, _list_dir(ctx, o, entry.path, entry.name, header, first, True))
        first = False
    return status
