"""xargs from GNU findutils 4.9.0: build command lines from standard input.

The command runs through the simulated shell's own dispatch, as ``env`` runs
one, so it is whatever the machine has under PATH; a bash builtin with no
program behind it (cd, export) is not found, as execvp would not find it. The
child's stdin is empty, as xargs gives it /dev/null.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from mailsim.machine import paths
from mailsim.shell.commands.utils_common import curly, help_or_version, usage_error
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import BUILTIN
from mailsim.shell.registry import command as declare
from mailsim.shell.streams import InputStream

ALSO_PROGRAMS = {"echo", "printf", "true", "false", "test", "[", "pwd", "kill"}
"""Bash builtins that Debian also ships as programs, which xargs can run."""

_QUOTES_HINT = "by default quotes are special to xargs unless you use the -0 option"
_LONG = [
    "null",
    "arg-file=",
    "delimiter=",
    "eof=?",
    "replace=?",
    "max-lines=",
    "max-args=",
    "open-tty",
    "max-procs=",
    "interactive",
    "process-slot-var=",
    "no-run-if-empty",
    "max-chars=",
    "show-limits",
    "verbose",
    "exit",
    "help",
    "version",
]
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


class XargsError(Exception):
    """A fatal error: the message, the exit status and whether the --help hint follows."""

    def __init__(self, message: str, status: int = 1, hint: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.hint = hint


@dataclass
class Options:
    delimiter: str | None = None
    """None: blanks and newlines separate items, with quotes and backslashes."""
    eof: str | None = None
    replace: str | None = None
    max_args: int | None = None
    max_lines: int | None = None
    no_run_if_empty: bool = False
    verbose: bool = False
    interactive: bool = False
    """-p: ask on the terminal before each command line."""
    arg_file: str | None = None
    max_chars: int | None = None
    """-s: the longest command line, counting a space or NUL after each word."""
    ignored: list[str] = field(default_factory=list)


def _count(option: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise XargsError(f'invalid number "{value}" for {option} option', hint=True) from None
    if number < 1:
        raise XargsError(f"value {number} for {option} option should be >= 1", hint=True)
    return number


def _delimiter(value: str) -> str:
    if len(value) == 1:
        return value
    if value.startswith("\\"):
        rest = value[1:]
        if rest in _ESCAPES:
            return _ESCAPES[rest]
        try:
            if rest[:1] == "x" and len(rest) > 1:
                return chr(int(rest[1:], 16))
            if rest.isdigit():
                return chr(int(rest, 8))
        except ValueError:
            pass
    raise XargsError(
        f"Invalid input delimiter specification {value}: the delimiter must be either a "
        "single character or an escape sequence starting with \\."
    )


def parse_options(args: list[str]) -> tuple[Options, list[tuple[str, str]], list[str]]:
    opts, operands = getopt(args, "+0a:d:E:e::I:i::L:l::n:oP:prs:tx", _LONG)
    o = Options()
    for opt, value in opts:
        if opt in ("-0", "--null"):
            o.delimiter = "\0"
        elif opt in ("-d", "--delimiter"):
            o.delimiter = _delimiter(value)
        elif opt in ("-a", "--arg-file"):
            o.arg_file = value
        elif opt == "-E":
            o.eof = value
        elif opt in ("-e", "--eof"):
            o.eof = value or None
        elif opt in ("-I", "-i", "--replace"):
            o.replace = value or "{}"
            o.max_lines, o.max_args = 1, None
        elif opt in ("-L", "--max-lines"):
            o.max_lines, o.max_args, o.replace = _count("-L", value), None, None
        elif opt == "-l":
            o.max_lines, o.max_args, o.replace = _count("-l", value or "1"), None, None
        elif opt in ("-n", "--max-args"):
            o.max_args = _count("-n", value)
            if o.replace is None:
                o.max_lines = None
        elif opt in ("-s", "--max-chars"):
            o.max_chars = _count("-s", value)
        elif opt in ("-P", "--max-procs"):
            o.ignored.append(opt)  # one process at a time gives the same output here
        elif opt in ("-r", "--no-run-if-empty"):
            o.no_run_if_empty = True
        elif opt in ("-t", "--verbose"):
            o.verbose = True
        elif opt in ("-p", "--interactive"):
            o.interactive = True
    return o, opts, operands


def split_items(data: str, o: Options) -> Iterator[tuple[str, int]]:
    """(item, line number) pairs from the input, xargs's way."""
    if o.delimiter is not None:
        pieces = data.split(o.delimiter)
        if pieces and pieces[-1] == "":
            pieces.pop()
        for number, piece in enumerate(pieces):
            yield piece, number
        return
    line = 0
    i = 0
    while i < len(data):
        ch = data[i]
        if ch == "\n":
            # A line that ends in a blank goes on on the next one (for -L).
            if not (i and data[i - 1] in " \t"):
                line += 1
            i += 1
            continue
        if ch in " \t" and o.replace is None:
            i += 1
            continue
        if o.replace is not None and ch in " \t":
            i += 1  # -I: blanks at the start of a line are dropped, the rest kept
            continue
        item: list[str] = []
        while i < len(data) and data[i] != "\n":
            ch = data[i]
            if ch in " \t" and o.replace is None:
                break
            if ch in "'\"":
                end = data.find(ch, i + 1)
                newline = data.find("\n", i + 1)
                if end < 0 or (0 <= newline < end):
                    kind = "single" if ch == "'" else "double"
                    raise XargsError(f"unmatched {kind} quote; {_QUOTES_HINT}")
                item.append(data[i + 1 : end])
                i = end + 1
                continue
            if ch == "\\" and i + 1 < len(data):
                item.append(data[i + 1])
                i += 2
                continue
            item.append(ch)
            i += 1
        word = "".join(item)
        if o.eof is not None and word == o.eof:
            return
        yield word, line


def batches(items: list[tuple[str, int]], o: Options) -> Iterator[list[str]]:
    """The items of each command line, as -n, -L and -I group them."""
    if o.max_args is not None and o.replace is None:
        for start in range(0, len(items), o.max_args):
            yield [word for word, _ in items[start : start + o.max_args]]
        return
    if o.max_lines is not None:
        lines: list[list[str]] = []
        last = None
        for word, line in items:
            if line != last:
                lines.append([])
                last = line
            lines[-1].append(word)
        for start in range(0, len(lines), o.max_lines):
            yield [w for group in lines[start : start + o.max_lines] for w in group]
        return
    if items:
        yield [word for word, _ in items]


@declare(
    "xargs",
    synopsis="xargs [OPTION]... COMMAND [INITIAL-ARGS]...",
    summary="build and execute command lines from standard input",
    completes="commands",
)
def xargs(ctx: Context) -> int:
    try:
        try:
            o, opts, operands = parse_options(ctx.args)
        except GetoptError as exc:
            raise XargsError(str(exc), hint=True) from None
        done = help_or_version(ctx, opts)
        if done is not None:
            return done
        return _run(ctx, o, operands or ["echo"])
    except XargsError as exc:
        if exc.hint:
            return usage_error(ctx, str(exc), exc.status)
        ctx.error(str(exc))
        return exc.status


def _read_input(ctx: Context, o: Options) -> str:
    if o.arg_file is None:
        data = ctx.stdin.read()
    else:
        try:
            data = ctx.machine.read_bytes(paths.normalize(o.arg_file, ctx.cwd))
        except OSError as exc:
            reason = exc.strerror or "Input/output error"
            raise XargsError(f"Cannot open input file {curly(o.arg_file)}: {reason}") from None
    return data.decode("utf-8", "surrogateescape")


def _run(ctx: Context, o: Options, command: list[str]) -> int:
    items = list(split_items(_read_input(ctx, o), o))
    if o.replace is not None:
        lines = [[arg.replace(o.replace, word) for arg in command] for word, _ in items]
    else:
        lines = [command + batch for batch in batches(items, o)]
        if not lines and not o.no_run_if_empty:
            lines = [command]
        if o.max_chars is not None:
            lines = _fit(lines, len(command), o.max_chars)
    status = 0
    for argv in lines:
        if ctx.terminal.cancelled:
            return 125
        if o.interactive:
            # xargs asks on /dev/tty: the command line and " ?...", then y runs it.
            ctx.err(" ".join(argv) + " ?...")
            reply = ctx.terminal.read_line()
            if not reply or reply.lstrip()[:1] not in ("y", "Y"):
                continue
        elif o.verbose:
            ctx.err(" ".join(argv) + "\n")
        found = _program(ctx, argv[0])
        if isinstance(found, int):
            return found
        assert ctx.shell is not None
        code = ctx.shell.dispatch([found, *argv[1:]], InputStream(b""), ctx.stdout, ctx.stderr)
        if code == 255:
            ctx.error(f"{argv[0]}: exited with status 255; aborting")
            return 124
        if code == 130:
            ctx.error(f"{argv[0]}: terminated by signal 2")
            return 125
        if code:
            status = 123
    return status


def _fit(lines: list[list[str]], fixed: int, limit: int) -> list[list[str]]:
    """Split command lines longer than -s allows (each word counts its length plus one)."""
    fitted: list[list[str]] = []
    for argv in lines:
        head, rest = argv[:fixed], argv[fixed:]
        size = sum(len(w) + 1 for w in head)
        if size > limit or any(size + len(w) + 1 > limit for w in rest):
            raise XargsError("argument line too long")
        current: list[str] = []
        used = size
        for word in rest:
            if current and used + len(word) + 1 > limit:
                fitted.append(head + current)
                current, used = [], size
            current.append(word)
            used += len(word) + 1
        fitted.append(head + current)
    return fitted


def _program(ctx: Context, name: str) -> str | int:
    """What to dispatch for NAME, found as execvp finds it; or the failure's status."""
    shell = ctx.shell
    if shell is None:
        return _no_program(ctx, name, "No such file or directory", 127)
    registry = shell.registry
    if "/" in name:
        target = paths.normalize(name, ctx.cwd)
        if ctx.machine.lexists(target):
            target = ctx.machine.resolve(target)
        if registry.name_for_path(target) is not None:
            return name
        directory, _, base = target.rpartition("/")
        if base in ALSO_PROGRAMS and directory in ("/bin", "/usr/bin"):
            return base  # /usr/bin/echo: the simulation has it as the builtin only
        if ctx.machine.exists(target):
            return _no_program(ctx, name, "Permission denied", 126)
        return _no_program(ctx, name, "No such file or directory", 127)
    found = registry.find(name, ctx.env.get("PATH", "/bin:/usr/bin"))
    if found is None or (registry.path_of(found) == BUILTIN and found not in ALSO_PROGRAMS):
        return _no_program(ctx, name, "No such file or directory", 127)
    return registry.path_of(found) or found


def _no_program(ctx: Context, name: str, reason: str, status: int) -> int:
    ctx.error(f"{name}: {reason}")
    return status
