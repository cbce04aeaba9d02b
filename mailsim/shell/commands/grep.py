"""GNU grep 3.8: grep and egrep over the machine's files.

Patterns are POSIX BRE/ERE (``mailsim.shell.posix_regex``), fixed strings or,
with -P, the ``regex`` package's Perl-like syntax. Output follows grep 3.8 on a
terminal: file names when several files (or a recursion) are searched, ``--``
between context groups, ``grep: FILE: binary file matches`` for files holding
NUL bytes or bytes that are not UTF-8, colours only when asked for.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from mailsim.shell import posix_regex as pr
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, apply_setting, getopt, settings_table
from mailsim.shell.registry import command

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

# GREP_COLORS defaults: ms=01;31 fn=35 ln=32 bn=32 se=36
_MATCH, _FILE, _LINE, _SEP = "01;31", "35", "32", "36"


class _Stop(Exception):
    """-q found a line: stop searching at once."""


@dataclass
class Options:
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


@command(
    "grep",
    synopsis="grep [OPTION]... PATTERNS [FILE]...",
    summary="print lines that match patterns",
)
def grep(ctx: Context) -> int:
    return Grep(ctx, "G").run()


@command(
    "egrep",
    synopsis="egrep [OPTION]... PATTERNS [FILE]...",
    summary="print lines that match extended regular expressions (grep -E)",
)
def egrep(ctx: Context) -> int:
    return Grep(ctx, "E").run()


@command(
    "fgrep",
    synopsis="fgrep [OPTION]... PATTERNS [FILE]...",
    summary="print lines that contain fixed strings (grep -F)",
)
def fgrep(ctx: Context) -> int:
    return Grep(ctx, "F").run()


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


class Grep:
    """One run of grep: options, compiled patterns, and the output state."""

    def __init__(self, ctx: Context, mode: str) -> None:
        self.ctx = ctx
        self.o = Options(mode=mode)
        self.matchers: list[pr.Regex] = []
        self.error = False
        self.selected_any = False
        self.printed_group = False  # for the "--" between context groups

    # -- options ---------------------------------------------------------------

    def parse(self) -> int | None:
        ctx, o = self.ctx, self.o
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
                data = self.read_pattern_file(val)
                if data is None:
                    return 2
                text = data.decode("utf-8", "surrogateescape")
                o.patterns.extend(
                    text[:-1].split("\n")
                    if text.endswith("\n")
                    else text.split("\n")
                    if text
                    else []
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
        self.operands = operands
        return None

    def read_pattern_file(self, name: str) -> bytes | None:
        if name == "-":
            return self.ctx.stdin.read()
        try:
            return self.ctx.machine.read_bytes(self.ctx.abspath(name))
        except OSError as exc:
            self.ctx.err(f"grep: {name}: {exc.strerror}\n")
            return None

    def compile(self) -> int | None:
        o = self.o
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
                self.ctx.err(f"grep: {exc}\n")
                return 2
            warnings.extend(w for w in rx.warnings if w not in warnings)
            self.matchers.append(rx)
        for warning in warnings:
            self.ctx.err(f"grep: warning: {warning}\n")
        return None

    # -- the search ----------------------------------------------------------------

    def run(self) -> int:
        status = self.parse()
        if status is None:
            status = self.compile()
        if status is not None:
            return status
        o = self.o
        operands = self.operands
        implicit_dot = False
        if not operands:
            if o.recursive:
                operands, implicit_dot = ["."], True
            else:
                operands = ["-"]
        if o.with_name is None:
            o.with_name = len(operands) > 1 or (
                bool(o.recursive)
                and any(
                    op != "-" and self.ctx.machine.is_dir(self.ctx.abspath(op)) for op in operands
                )
            )
        try:
            for operand in operands:
                self.ctx.terminal.check_cancelled()
                if operand == "-":
                    self.search(o.label, self.ctx.stdin.read())
                else:
                    self.operand(operand, implicit_dot)
        except _Stop:
            return 0
        except pr.RegexTimeout:
            self.ctx.err("grep: pattern too costly to match (mailsim's time limit)\n")
            return 2
        if self.error and not (o.quiet and self.selected_any):
            return 2
        return 0 if self.selected_any else 1

    def complain(self, name: str, message: str) -> None:
        self.error = True
        if not self.o.no_messages:
            self.ctx.err(f"grep: {name}: {message}\n")

    def operand(self, name: str, implicit_dot: bool = False, top: bool = True) -> None:
        ctx, o = self.ctx, self.o
        path = ctx.abspath(name)
        try:
            st = ctx.machine.stat(path) if (top or o.recursive == "R") else ctx.machine.lstat(path)
        except OSError as exc:
            if top or not ctx.machine.lexists(path):
                self.complain(name, exc.strerror or "No such file or directory")
            return
        if st.is_link:
            return  # -r skips symlinks met while recursing
        base = name.rstrip("/").rsplit("/", 1)[-1]
        if st.is_dir:
            if not o.recursive:
                if o.directories != "skip":
                    self.complain(name, "Is a directory")
                return
            if not top and any(fnmatch.fnmatchcase(base, g) for g in o.exclude_dir):
                return
            if ctx.user.uid != 0 and not _may(ctx, path, "r"):
                self.complain(name, "Permission denied")
                return
            for entry in ctx.machine.listdir(path):
                child = entry if implicit_dot else f"{name.rstrip('/')}/{entry}"
                self.operand(child, top=False)
            return
        if o.include and not any(fnmatch.fnmatchcase(base, g) for g in o.include):
            return
        if any(fnmatch.fnmatchcase(base, g) for g in o.exclude):
            return
        if ctx.user.uid != 0 and not _may(ctx, path, "r"):
            self.complain(name, "Permission denied")
            return
        try:
            data = ctx.machine.read_bytes(path)
        except OSError as exc:
            self.complain(name, exc.strerror or "Input/output error")
            return
        self.search(name, data)

    def selects(self, line: str) -> bool:
        hit = any(rx.search(line) is not None for rx in self.matchers)
        return hit != self.o.invert

    def matches_in(self, line: str) -> list[tuple[int, int]]:
        """Non-empty leftmost-longest matches over all patterns, left to right."""
        spans = []
        pos = 0
        while pos <= len(line):
            best: tuple[int, int] | None = None
            for rx in self.matchers:
                m = rx.search(line, pos)
                if m is not None and (
                    best is None
                    or m.start() < best[0]
                    or (m.start() == best[0] and m.end() > best[1])
                ):
                    best = (m.start(), m.end())
            if best is None:
                break
            if best[1] == best[0]:
                pos = best[0] + 1
                continue
            spans.append(best)
            pos = best[1]
        return spans

    def search(self, name: str, data: bytes) -> None:
        o = self.o
        binary = not o.text and b"\0" in data
        if binary and o.binary_without_match:
            return
        text = data.decode("utf-8", "surrogateescape")
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        count = 0
        listing = o.files_with or o.files_without or o.count or o.quiet
        offsets: list[int] = []
        if o.byte_offset:
            at = 0
            for ln in lines:
                offsets.append(at)
                at += len(ln.encode("utf-8", "surrogateescape")) + 1
        last_printed = -2  # a group in a new file is never adjacent to the last one
        after_left = 0
        suppressed = False
        for index, line in enumerate(lines):
            if index % 256 == 0:
                self.ctx.terminal.check_cancelled()
            if o.max_count is not None and count >= o.max_count:
                if after_left and not listing:  # trailing context, matching or not
                    self.emit(name, index, line, "-", offsets)
                    last_printed = index
                    after_left -= 1
                    continue
                break
            if not self.selects(line):
                if after_left and not listing:
                    self.emit(name, index, line, "-", offsets)
                    last_printed = index
                    after_left -= 1
                continue
            count += 1
            self.selected_any = True
            if o.quiet:
                raise _Stop()
            if listing:
                if o.files_with or o.files_without:
                    break
                continue
            if binary:
                self.ctx.err(f"grep: {name}: binary file matches\n")
                return
            if not o.text and _has_encoding_error(line):
                suppressed = True
                continue
            start = max(index - max(o.before, 0), last_printed + 1, 0)
            if o.before >= 0 or o.after >= 0:
                separate = self.printed_group and start > last_printed + 1
            else:
                separate = False
            if separate:
                self.ctx.out(self.paint("--", _SEP) + "\n")
            for ctx_index in range(start, index):
                self.emit(name, ctx_index, lines[ctx_index], "-", offsets)
            self.emit(name, index, line, ":", offsets, selected=True)
            self.printed_group = True
            last_printed = index
            after_left = max(o.after, 0)
        if o.count:
            prefix = self.name_prefix(name) if o.with_name else ""
            self.ctx.out(f"{prefix}{count}\n")
        if (o.files_with and count) or (o.files_without and not count):
            self.ctx.out(self.paint(name, _FILE) + ("\0" if o.null else "\n"))
        if suppressed:
            self.ctx.err(f"grep: {name}: binary file matches\n")

    # -- output ----------------------------------------------------------------------

    def paint(self, text: str, sgr: str) -> str:
        return f"\33[{sgr}m\33[K{text}\33[m\33[K" if self.o.color and text else text

    def name_prefix(self, name: str, sep: str = ":") -> str:
        if self.o.null:
            return self.paint(name, _FILE) + "\0"
        return self.paint(name, _FILE) + self.paint(sep, _SEP)

    def emit(
        self, name: str, index: int, line: str, sep: str, offsets: list[int], selected: bool = False
    ) -> None:
        o = self.o
        prefix = self.name_prefix(name, sep) if o.with_name else ""
        if o.number:
            prefix += self.paint(str(index + 1), _LINE) + self.paint(sep, _SEP)
        if o.only:
            if not selected or o.invert:
                return
            out = []
            for start, end in self.matches_in(line):
                where = ""
                if o.byte_offset:
                    at = offsets[index] + len(line[:start].encode("utf-8", "surrogateescape"))
                    where = self.paint(str(at), _LINE) + self.paint(sep, _SEP)
                out.append(prefix + where + self.paint(line[start:end], _MATCH) + "\n")
            self.ctx.out("".join(out))
            return
        if o.byte_offset:
            prefix += self.paint(str(offsets[index]), _LINE) + self.paint(sep, _SEP)
        if o.color and selected and not o.invert:
            parts, pos = [], 0
            for start, end in self.matches_in(line):
                parts.append(line[pos:start] + self.paint(line[start:end], _MATCH))
                pos = end
            line = "".join(parts) + line[pos:]
        self.ctx.out(prefix + line + "\n")


def _has_encoding_error(line: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in line)


def _may(ctx: Context, path: str, want: str) -> bool:
    from mailsim.machine.access import may

    return may(ctx.machine, path, ctx.user, want)


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
