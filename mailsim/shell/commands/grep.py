"""GNU grep 3.8: grep and egrep over the machine's files.

Patterns are POSIX BRE/ERE (``mailsim.shell.posix_regex``), fixed strings or,
with -P, the ``regex`` package's Perl-like syntax. Output follows grep 3.8 on a
terminal: file names when several files (or a recursion) are searched, ``--``
between context groups, ``grep: FILE: binary file matches`` for files holding
NUL bytes or bytes that are not UTF-8, colours only when asked for. The command
line and the patterns' compilation are in ``grep_options``.
"""

from __future__ import annotations

import fnmatch

from mailsim.shell import posix_regex as pr
from mailsim.shell.commands.grep_options import Options, compile_patterns, parse
from mailsim.shell.context import Context
from mailsim.shell.registry import command

# GREP_COLORS defaults: ms=01;31 fn=35 ln=32 bn=32 se=36
_MATCH, _FILE, _LINE, _SEP = "01;31", "35", "32", "36"


class _Stop(Exception):
    """-q found a line: stop searching at once."""


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


class Grep:
    """One run of grep: options, compiled patterns, and the output state."""

    def __init__(self, ctx: Context, mode: str) -> None:
        self.ctx = ctx
        self.o = Options(mode=mode)
        self.matchers: list[pr.Regex] = []
        self.error = False
        self.selected_any = False
        self.printed_group = False  # for the "--" between context groups

    # -- the search ----------------------------------------------------------------

    def run(self) -> int:
        parsed = parse(self.ctx, self.o)
        if isinstance(parsed, int):
            return parsed
        matchers = compile_patterns(self.ctx, self.o)
        if isinstance(matchers, int):
            return matchers
        self.matchers = matchers
        o = self.o
        operands = parsed
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
