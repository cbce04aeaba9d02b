"""Text utilities from GNU coreutils 9.1: cat, head, tail, wc, sort, uniq, cut, tee.

sort, uniq and cut live in ``text_columns`` (re-exported here, where the command
table points); this module keeps the shared helpers (reading an operand with
coreutils' messages) and the line tools.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from mailsim.shell.commands.files_common import try_help
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

FOLLOW_INTERVAL = 0.2
"""Seconds between two looks at a followed file (tail -f)."""


def quote(name: str) -> str:
    """coreutils' quote(): 'name', or "name" when it holds a single quote."""
    if "'" in name:
        return f'"{name}"'
    return f"'{name}'"


def read_operand(ctx: Context, operand: str) -> bytes | None:
    """Contents of a file operand (``-`` is stdin); prints GNU's error and returns None."""
    data, error = load(ctx, operand)
    if error is not None:
        ctx.error(f"{operand}: {error}")
    return data


def load(ctx: Context, operand: str) -> tuple[bytes | None, str | None]:
    """(contents, None) or (None, strerror text) for a file operand; ``-`` is stdin."""
    if operand == "-":
        return ctx.stdin.read(), None
    path = ctx.abspath(operand)
    try:
        st = ctx.machine.stat(path)
        if st.is_dir:
            return None, "Is a directory"
        if ctx.user.uid != 0:
            from mailsim.machine.access import may_read

            if not may_read(ctx.machine, path, ctx.user):
                return None, "Permission denied"
        return ctx.machine.read_bytes(path), None
    except OSError as exc:
        return None, exc.strerror or "Input/output error"


def split_lines(data: bytes, sep: bytes = b"\n") -> list[bytes]:
    """Lines with their terminators (the last may lack one)."""
    if not data:
        return []
    parts = data.split(sep)
    lines = [p + sep for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


@command(
    "cat",
    synopsis="cat [OPTION]... [FILE]...",
    summary="concatenate files and print on the standard output",
)
def cat(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args, "AbeEnstTuv", ["number", "number-nonblank", "show-all", "squeeze-blank"]
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    flags = {o for o, _ in opts}
    number = "-n" in flags or "--number" in flags
    status = 0
    lineno = 0
    for operand in operands or ["-"]:
        data = read_operand(ctx, operand)
        if data is None:
            status = 1
            continue
        if number:
            out = []
            for line in data.splitlines(keepends=True):
                lineno += 1
                out.append(f"{lineno:6d}\t".encode() + line)
            data = b"".join(out)
        ctx.stdout.write(data)
    return status


_SUFFIXES = {
    "b": 512,
    "K": 1024,
    "k": 1024,
    "KiB": 1024,
    "kB": 1000,
    "M": 1 << 20,
    "MiB": 1 << 20,
    "MB": 10**6,
    "G": 1 << 30,
    "GiB": 1 << 30,
    "GB": 10**9,
}


def parse_count(text: str) -> tuple[int, str] | None:
    """coreutils' NUM with an optional sign and multiplier suffix → (value, sign)."""
    m = re.fullmatch(r"([+-]?)(\d+)([A-Za-z]*)", text)
    if m is None or (m.group(3) and m.group(3) not in _SUFFIXES):
        return None
    return int(m.group(2)) * _SUFFIXES.get(m.group(3), 1), m.group(1)


def _legacy_count(args: list[str], tail: bool) -> list[str]:
    """``head -3``, ``tail -3``, ``tail +3``: the obsolete forms, rewritten to ``-n``."""
    if args and re.fullmatch(r"-\d+[lc]?" + ("|\\+\\d+[lc]?" if tail else ""), args[0]):
        first = args[0]
        unit = "-c" if first.endswith("c") else "-n"
        value = first.rstrip("lc")
        value = value[1:] if value.startswith("-") else value
        return [unit, value, *args[1:]]
    return args


@dataclass
class _Span:
    """What head and tail share: how much (lines or bytes, and the count's sign) and headers."""

    count: int = 10
    sign: str = ""
    """"-" (head: all but the last COUNT), "+" (tail: from the COUNTth on) or ""."""
    by_bytes: bool = False
    quiet: bool = False
    verbose: bool = False


def _span(ctx: Context, opts: list[tuple[str, str]]) -> _Span | None:
    """head's and tail's -n/-c/-q/-v, the last one winning; None after GNU's error."""
    span = _Span()
    for opt, val in opts:
        if opt in ("-n", "--lines", "-c", "--bytes"):
            parsed = parse_count(val)
            if parsed is None:
                what = "bytes" if opt in ("-c", "--bytes") else "lines"
                ctx.error(f"invalid number of {what}: ‘{val}’")
                return None
            span.count, span.sign = parsed
            span.by_bytes = opt in ("-c", "--bytes")
        elif opt in ("-q", "--quiet", "--silent"):
            span.quiet, span.verbose = True, False
        elif opt in ("-v", "--verbose"):
            span.verbose, span.quiet = True, False
    return span


def _headers(ctx: Context, operands: list[str], quiet: bool, verbose: bool):  # type: ignore[no-untyped-def]
    show = verbose or (len(operands) > 1 and not quiet)
    first = True
    for operand in operands:
        name = "standard input" if operand == "-" else operand
        header = ""
        if show:
            header = ("" if first else "\n") + f"==> {name} <==\n"
        data, error = load(ctx, operand)
        if error is not None:
            what = "error reading" if error == "Is a directory" else "cannot open"
            tail = "" if what == "error reading" else " for reading"
            ctx.error(f"{what} {quote(operand)}{tail}: {error}")
            if what == "error reading" and show:
                ctx.out(header)
                first = False
            yield operand, None
            continue
        ctx.out(header)
        first = False
        yield operand, data


@command("head", synopsis="head [OPTION]... [FILE]...", summary="output the first part of files")
def head(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            _legacy_count(ctx.args, False),
            "c:n:qvz",
            ["bytes=", "lines=", "quiet", "silent", "verbose", "zero-terminated"],
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    span = _span(ctx, opts)
    if span is None:
        return 1
    count, by_bytes, negative = span.count, span.by_bytes, span.sign == "-"
    status = 0
    for _, data in _headers(ctx, operands or ["-"], span.quiet, span.verbose):
        if data is None:
            status = 1
            continue
        if by_bytes:
            ctx.stdout.write(data[: -count or len(data)] if negative else data[:count])
            continue
        lines = split_lines(data)
        chosen = lines[: len(lines) - count] if negative else lines[:count]
        ctx.stdout.write(b"".join(chosen))
    return status


def _tail_bytes(data: bytes, count: int, from_start: bool, by_bytes: bool) -> bytes:
    if by_bytes:
        return data[max(count - 1, 0) :] if from_start else (data[-count:] if count else b"")
    lines = split_lines(data)
    if from_start:
        return b"".join(lines[max(count - 1, 0) :])
    return b"".join(lines[-count:]) if count else b""


@command("tail", synopsis="tail [OPTION]... [FILE]...", summary="output the last part of files")
def tail(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            _legacy_count(ctx.args, True),
            "c:n:fFqvs:z",
            [
                "bytes=",
                "lines=",
                "follow=?",
                "retry",
                "quiet",
                "silent",
                "verbose",
                "sleep-interval=",
                "pid=",
                "zero-terminated",
            ],
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    span = _span(ctx, opts)
    if span is None:
        return 1
    count, by_bytes, from_start = span.count, span.by_bytes, span.sign == "+"
    quiet, verbose = span.quiet, span.verbose
    follow = any(opt in ("-f", "-F", "--follow") for opt, _ in opts)
    operands = operands or ["-"]
    status = 0
    followed: list[tuple[str, int]] = []
    for operand, data in _headers(ctx, operands, quiet, verbose):
        if data is None:
            status = 1
            continue
        ctx.stdout.write(_tail_bytes(data, count, from_start, by_bytes))
        if operand != "-":
            followed.append((operand, len(data)))
    if follow:
        if not followed:
            ctx.error("no files remaining")
            return 1
        _follow(ctx, followed, verbose or (len(operands) > 1 and not quiet))
    return status


def _follow(ctx: Context, files: list[tuple[str, int]], headers: bool) -> None:
    """tail -f: print what is appended until Ctrl+C (CommandCancelled ends the command)."""
    sizes = dict(files)
    last = files[-1][0]
    while True:
        ctx.terminal.check_cancelled()
        time.sleep(FOLLOW_INTERVAL)
        ctx.terminal.check_cancelled()
        for name in sizes:
            data, error = load(ctx, name)
            if data is None or error is not None:
                continue
            old = sizes[name]
            if len(data) < old:
                ctx.error(f"{name}: file truncated")
                old = 0
            if len(data) > old:
                if headers and name != last:
                    ctx.out(f"\n==> {name} <==\n")
                    last = name
                ctx.stdout.write(data[old:])
            sizes[name] = len(data)


@command(
    "wc",
    synopsis="wc [OPTION]... [FILE]...",
    summary="print newline, word, and byte counts for each file",
)
def wc(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args, "clLmw", ["bytes", "chars", "lines", "words", "max-line-length", "total="]
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    names = {
        "-c": "c",
        "--bytes": "c",
        "-m": "m",
        "--chars": "m",
        "-l": "l",
        "--lines": "l",
        "-w": "w",
        "--words": "w",
        "-L": "L",
        "--max-line-length": "L",
    }
    wanted = {names[o] for o, _ in opts if o in names}
    columns = [c for c in "lwmcL" if c in wanted] or ["l", "w", "c"]
    named = bool(operands)
    operands = operands or ["-"]
    rows: list[tuple[list[int], str | None]] = []
    status = 0
    width_total = 0
    irregular = False
    for operand in operands:
        data, error = load(ctx, operand)
        if error is not None:
            ctx.error(f"{operand}: {error}")
            status = 1
            if error == "Is a directory":
                rows.append(([0] * len(columns), operand))
                irregular = True
            continue
        assert data is not None
        size = getattr(ctx.stdin, "file_size", None) if operand == "-" else len(data)
        if size is None:
            irregular = True
        else:
            width_total += size
        rows.append((_counts(data, columns), operand if named else None))
    width = (
        1
        if len(columns) == 1 and len(operands) == 1
        else max(len(str(width_total)), 7 if irregular else 1)
    )
    totals = [
        sum(r[0][i] for r in rows) if columns[i] != "L" else max((r[0][i] for r in rows), default=0)
        for i in range(len(columns))
    ]
    if len(operands) > 1:
        rows.append((totals, "total"))
    for counts, name in rows:
        text = " ".join(f"{n:>{width}}" for n in counts)
        ctx.out(text + (f" {name}" if name else "") + "\n")
    return status


def _counts(data: bytes, columns: list[str]) -> list[int]:
    result = []
    # Bytes that are not UTF-8 are no characters (wc -m), and a word needs a printable one.
    text = data.decode("utf-8", "ignore") if ("m" in columns or "L" in columns) else ""
    for c in columns:
        if c == "l":
            result.append(data.count(b"\n"))
        elif c == "w":
            result.append(
                sum(
                    1
                    for word in data.split()
                    if any(ch.isprintable() for ch in word.decode("utf-8", "ignore"))
                )
            )
        elif c == "c":
            result.append(len(data))
        elif c == "m":
            result.append(len(text))
        else:
            result.append(max((len(line.expandtabs(8)) for line in text.split("\n")), default=0))
    return result


@command(
    "tee",
    synopsis="tee [OPTION]... [FILE]...",
    summary="read from standard input and write to standard output and files",
)
def tee(ctx: Context) -> int:
    try:
        opts, operands = getopt(ctx.args, "aip", ["append", "ignore-interrupts", "output-error=?"])
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    append = any(o in ("-a", "--append") for o, _ in opts)
    status = 0
    targets: dict[str, str] = {}
    """Resolved path → the operand as typed (for its error)."""
    for operand in operands:
        path = ctx.abspath(operand)
        error = _writable(ctx, path)
        if error is None and not append and not _is_device(ctx, path):
            # Opening with O_TRUNC empties a file; a device (even /dev/full) opens fine.
            try:
                ctx.machine.write_bytes(path, b"")
            except OSError as exc:
                error = exc.strerror
        if error is not None:
            ctx.error(f"{operand}: {error}")
            status = 1
            continue
        targets[path] = operand
    # Typed lines are copied as they come; piped input is written in one go.
    chunks = iter(ctx.stdin) if ctx.stdin.interactive else iter([ctx.stdin.read()])
    for chunk in chunks:
        ctx.stdout.write(chunk)
        if not chunk:
            continue
        for path, operand in list(targets.items()):
            try:
                ctx.machine.write_bytes(path, chunk, append=True)
            except OSError as exc:
                # As GNU tee: say it once, stop writing there, go on with the others.
                ctx.error(f"{operand}: {exc.strerror}")
                status = 1
                del targets[path]
    return status


def _is_device(ctx: Context, path: str) -> bool:
    from mailsim.machine.devices import device_at

    return device_at(ctx.machine.resolve(path)) is not None


def _writable(ctx: Context, path: str) -> str | None:
    from mailsim.machine.access import write_refusal

    return write_refusal(ctx.machine, path, ctx.user)


from mailsim.shell.commands.text_columns import cut, sort, uniq  # noqa: E402

__all__ = [
    "cat",
    "cut",
    "head",
    "load",
    "quote",
    "read_operand",
    "sort",
    "split_lines",
    "tail",
    "tee",
    "uniq",
    "wc",
]
