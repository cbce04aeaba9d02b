"""grep's command line: the option table, the options' record and the compiled patterns.

``parse`` turns GNU grep 3.8's options into ``Options`` with its messages (usage,
invalid context length, invalid argument lists); ``compile_patterns`` builds the
matchers for -G/-E/-F/-P. The search and its output are in ``grep``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mailsim.shell import posix_regex as pr
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, apply_setting, getopt, settings_table

SHORT = "0123456789A:B:C:D:EFGHIPTUVX:abcd:e:f:hiLlm:noqRrsuvwxyZz"
LONG = [
    "after-context=",
    "before-context=",
    "context=",
    "basic-regexp",
    "extended-regexp",
    "fixed-strings",
    "perl-regexp",
    "regexp=",
    "file=",
    "ignore-case",
    "no-ignore-case",
    "word-regexp",
    "line-regexp",
    "null-data",
    "no-messages",
    "invert-match",
    "version",
    "help",
    "max-count=",
    "byte-offset",
    "line-number",
    "no-line-number",
    "line-buffered",
    "with-filename",
    "no-filename",
    "label=",
    "only-matching",
    "quiet",
    "silent",
    "binary-files=",
    "text",
    "directories=",
    "devices=",
    "recursive",
    "dereference-recursive",
    "include=",
    "exclude=",
    "exclude-from=",
    "exclude-dir=",
    "files-without-match",
    "files-with-matches",
    "count",
    "initial-tab",
    "null",
    "color=?",
    "colour=?",
]
USAGE = "Usage: grep [OPTION]... PATTERNS [FILE]...\n"
VERSION = "grep (GNU grep) 3.8\n"


@dataclass
class Options:
    """What one run of grep was asked for."""

    mode: str = "G"
    patterns: list[str] = field(default_factory=list)
    icase: bool = False
    word: bool = False
    line: bool = False
    invert: bool = False
    count: bool = False
    files_with: bool = False
    files_without: bool = False
    only: bool = False
    quiet: bool = False
    no_messages: bool = False
    number: bool = False
    byte_offset: bool = False
    with_name: bool | None = None
    max_count: int | None = None
    after: int = -1
    """-1: no context asked for (even -C0 prints ``--`` between groups)."""
    before: int = -1
    recursive: str = ""  # "", "r" or "R"
    text: bool = False
    binary_without_match: bool = False
    color: bool = False
    null: bool = False
    label: str = "(standard input)"
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    exclude_dir: list[str] = field(default_factory=list)
    directories: str = "read"


def _usage_error(ctx: Context, message: str | None) -> int:
    if message:
        ctx.err(f"grep: {message}\n")
    ctx.err(USAGE + "Try 'grep --help' for more information.\n")
    return 2


def _context_number(ctx: Context, value: str) -> int | None:
    if value.isdigit():
        return int(value)
    ctx.err(f"grep: {value}: invalid context length argument\n")
    return None


_SETS = settings_table(
    (("-E", "--extended-regexp"), {"mode": "E"}),
    (("-F", "--fixed-strings"), {"mode": "F"}),
    (("-G", "--basic-regexp"), {"mode": "G"}),
    (("-P", "--perl-regexp"), {"mode": "P"}),
    (("-i", "-y", "--ignore-case"), {"icase": True}),
    (("--no-ignore-case",), {"icase": False}),
    (("-w", "--word-regexp"), {"word": True}),
    (("-x", "--line-regexp"), {"line": True}),
    (("-v", "--invert-match"), {"invert": True}),
    (("-c", "--count"), {"count": True}),
    (("-l", "--files-with-matches"), {"files_with": True, "files_without": False}),
    (("-L", "--files-without-match"), {"files_without": True, "files_with": False}),
    (("-o", "--only-matching"), {"only": True}),
    (("-q", "--quiet", "--silent"), {"quiet": True}),
    (("-s", "--no-messages"), {"no_messages": True}),
    (("-n", "--line-number"), {"number": True}),
    (("--no-line-number",), {"number": False}),
    (("-b", "--byte-offset"), {"byte_offset": True}),
    (("-H", "--with-filename"), {"with_name": True}),
    (("-h", "--no-filename"), {"with_name": False}),
    (("-r", "--recursive"), {"recursive": "r"}),
    (("-R", "--dereference-recursive"), {"recursive": "R"}),
    (("-a", "--text"), {"text": True}),
    (("-I",), {"binary_without_match": True}),
    (("-Z", "--null"), {"null": True}),
)
"""Options that only set fields of ``Options``: option → (field, value) pairs."""


def parse(ctx: Context, o: Options) -> list[str] | int:
    """Fill ``o`` from the command line: the operands left, or the status to exit with."""
    try:
        opts, operands = getopt(ctx.args, SHORT, LONG)
    except GetoptError as exc:
        return _usage_error(ctx, str(exc))
    pattern_given = False
    digits = ""
    for opt, val in opts:
        if len(opt) == 2 and opt[1].isdigit():
            digits += opt[1]
            o.after = o.before = int(digits)
            continue
        digits = ""
        if apply_setting(_SETS, opt, o):
            continue
        if opt in ("-e", "--regexp"):
            o.patterns.extend(val.split("\n"))
            pattern_given = True
        elif opt in ("-f", "--file"):
            data = _read_pattern_file(ctx, val)
            if data is None:
                return 2
            text = data.decode("utf-8", "surrogateescape")
            o.patterns.extend(
                text[:-1].split("\n") if text.endswith("\n") else text.split("\n") if text else []
            )
            pattern_given = True
        elif opt in ("-m", "--max-count"):
            try:
                o.max_count = int(val)
            except ValueError:
                ctx.err("grep: invalid max count\n")
                return 2
        elif opt in ("-A", "--after-context", "-B", "--before-context", "-C", "--context"):
            n = _context_number(ctx, val)
            if n is None:
                return 2
            if opt in ("-A", "--after-context", "-C", "--context"):
                o.after = n
            if opt in ("-B", "--before-context", "-C", "--context"):
                o.before = n
        elif opt in ("-d", "--directories"):
            if val not in ("read", "skip", "recurse"):
                ctx.err(
                    f"grep: invalid argument ‘{val}’ for ‘--directories’\n"
                    "Valid arguments are:\n  - ‘read’\n  - ‘recurse’\n  - ‘skip’\n"
                    "Usage: grep [OPTION]... PATTERNS [FILE]...\n"
                    "Try 'grep --help' for more information.\n"
                )
                return 2
            o.directories = val
            if val == "recurse":
                o.recursive = o.recursive or "r"
        elif opt == "--binary-files":
            o.text = val == "text"
            o.binary_without_match = val == "without-match"
        elif opt in ("--color", "--colour"):
            o.color = val == "always" or (
                val in ("", "auto", "tty", "if-tty") and ctx.stdout_is_tty
            )
        elif opt == "--label":
            o.label = val
        elif opt == "--include":
            o.include.append(val)
        elif opt == "--exclude":
            o.exclude.append(val)
        elif opt == "--exclude-dir":
            o.exclude_dir.append(val)
        elif opt == "--help":
            ctx.out(
                USAGE + "Search for PATTERNS in each FILE.\n"
                "Example: grep -i 'hello world' menu.h main.c\n"
                "PATTERNS can contain multiple patterns separated by newlines.\n\n"
                "Report bugs to: bug-grep@gnu.org\n"
            )
            return 0
        elif opt in ("-V", "--version"):
            ctx.out(VERSION)
            return 0
    if not pattern_given:
        if not operands:
            return _usage_error(ctx, None)
        o.patterns = operands.pop(0).split("\n")
    return operands


def _read_pattern_file(ctx: Context, name: str) -> bytes | None:
    if name == "-":
        return ctx.stdin.read()
    try:
        return ctx.machine.read_bytes(ctx.abspath(name))
    except OSError as exc:
        ctx.err(f"grep: {name}: {exc.strerror}\n")
        return None


def compile_patterns(ctx: Context, o: Options) -> list[pr.Regex] | int:
    """The patterns compiled in the chosen syntax, or 2 after grep's message."""
    matchers: list[pr.Regex] = []
    flags = (
        (pr.ICASE if o.icase else 0)
        | (pr.LINE if o.line else 0)
        | (pr.WORD if o.word and not o.line else 0)
    )
    warnings: list[str] = []
    for pattern in o.patterns:
        try:
            if o.mode == "F":
                rx = pr.compile_fixed(pattern, flags)
            elif o.mode == "P":
                rx = _compile_perl(pattern, flags)
            elif o.mode == "E":
                rx = pr.compile_ere(pattern, flags)
            else:
                rx = pr.compile_bre(pattern, flags)
        except pr.RegexError as exc:
            ctx.err(f"grep: {exc}\n")
            return 2
        warnings.extend(w for w in rx.warnings if w not in warnings)
        matchers.append(rx)
    for warning in warnings:
        ctx.err(f"grep: warning: {warning}\n")
    return matchers


def _compile_perl(pattern: str, flags: int) -> pr.Regex:
    import regex

    if flags & pr.LINE:
        pattern = f"^(?:{pattern})$"
    elif flags & pr.WORD:
        pattern = f"(?<!\\w)(?:{pattern})(?!\\w)"
    try:
        compiled = regex.compile(pattern, regex.IGNORECASE if flags & pr.ICASE else 0)
    except regex.error as exc:
        raise pr.RegexError(str(exc)) from None
    return pr.Regex(pattern, pattern, compiled.groups, compiled)
