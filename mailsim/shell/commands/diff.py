"""diff from GNU diffutils 3.8: compare files line by line (normal, -u, -c, -q, -r).

Which lines changed comes from ``diff_algo`` (GNU's own algorithm, so the hunks
are the real ones); this module reads the operands with diff's messages, turns
lines into equivalence classes under -i/-b/-w, and prints the formats. Header
timestamps are the machine's mtimes, in diff's ``%Y-%m-%d %H:%M:%S.%N %z``.
Exit status: 0 no differences, 1 some, 2 trouble.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fnmatch import fnmatchcase as fnmatch

from mailsim.machine import paths
from mailsim.machine.files import Stat
from mailsim.shell.commands.diff_algo import Change, changed_lines, changes
from mailsim.shell.commands.utils_common import help_or_version
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

NO_NEWLINE = "\\ No newline at end of file\n"
_LONG = [
    "normal",
    "brief",
    "report-identical-files",
    "context=?",
    "unified=?",
    "recursive",
    "new-file",
    "ignore-case",
    "ignore-all-space",
    "ignore-space-change",
    "ignore-blank-lines",
    "text",
    "label=",
    "exclude=",
    "minimal",
    "help",
    "version",
]


class Trouble(Exception):
    """An operand diff cannot read: its message (exit status 2)."""


@dataclass
class Options:
    style: str = "normal"
    context: int = 3
    brief: bool = False
    report_identical: bool = False
    recursive: bool = False
    new_file: bool = False
    ignore_case: bool = False
    ignore_all_space: bool = False
    ignore_space_change: bool = False
    ignore_blank_lines: bool = False
    text: bool = False
    minimal: bool = False
    labels: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    """-x patterns: names in directories that are left out."""
    switches: str = ""
    """The options as typed, which -r repeats in its ``diff -r a/x b/x`` lines."""


@dataclass
class Side:
    name: str
    data: bytes | None
    """None: an absent file read as empty (-N)."""
    mtime_ns: int


def _context_count(value: str, opt: str) -> int:
    if not value.isdigit():
        raise Trouble(f"invalid context length '{value}'")
    return int(value)


_SWITCHES = {
    flag: attribute
    for flags, attribute in (
        (("-r", "--recursive"), "recursive"),
        (("-N", "--new-file"), "new_file"),
        (("-i", "--ignore-case"), "ignore_case"),
        (("-w", "--ignore-all-space"), "ignore_all_space"),
        (("-b", "--ignore-space-change"), "ignore_space_change"),
        (("-B", "--ignore-blank-lines"), "ignore_blank_lines"),
        (("-a", "--text"), "text"),
        (("-d", "--minimal"), "minimal"),
    )
    for flag in flags
}
"""Options that only switch something on: flag -> the Options attribute."""


def parse(args: list[str]) -> tuple[Options, list[tuple[str, str]], list[str]]:
    opts, operands = getopt(args, "qscC:uU:rNiwbBadlx:", _LONG)
    o = Options()
    typed = [a for a in args if a not in operands or a.startswith("-")]
    o.switches = "".join(" " + a for a in typed if a != "--")
    chosen: set[str] = set()

    def choose(style: str) -> None:
        chosen.add(style)
        if len(chosen) > 1:
            raise Trouble("conflicting output style options")
        o.style = style

    for opt, value in opts:
        if opt == "--normal":
            choose("normal")
        elif opt in ("-q", "--brief"):
            o.brief = True
        elif opt in ("-s", "--report-identical-files"):
            o.report_identical = True
        elif opt in ("-c", "-C", "--context"):
            choose("context")
            if value:
                o.context = _context_count(value, opt)
        elif opt in ("-u", "-U", "--unified"):
            choose("unified")
            if value:
                o.context = _context_count(value, opt)
        elif opt in _SWITCHES:
            setattr(o, _SWITCHES[opt], True)
        elif opt in ("-x", "--exclude"):
            o.exclude.append(value)
        elif opt == "--label":
            o.labels.append(value)
    return o, opts, operands


@command(
    "diff",
    synopsis="diff [OPTION]... FILES",
    summary="compare files line by line",
)
def diff(ctx: Context) -> int:
    try:
        o, opts, operands = parse(ctx.args)
    except (GetoptError, Trouble) as exc:
        ctx.error(str(exc))
        ctx.error("Try 'diff --help' for more information.")
        return 2
    done = help_or_version(ctx, opts)
    if done is not None:
        return done
    if len(operands) < 2:
        after = f" after '{operands[0] if operands else ctx.argv[0]}'"
        ctx.error(f"missing operand{after}")
        ctx.error("Try 'diff --help' for more information.")
        return 2
    if len(operands) > 2:
        ctx.error(f"extra operand '{operands[2]}'")
        ctx.error("Try 'diff --help' for more information.")
        return 2
    return Differ(ctx, o).compare(operands[0], operands[1], top=True)


class Differ:
    """One diff run: the options, and the comparison of two operands."""

    def __init__(self, ctx: Context, o: Options) -> None:
        self.ctx = ctx
        self.o = o

    def _stat(self, name: str) -> tuple[str, int] | None:
        """("dir" | "file", mtime in ns), None when absent; Trouble when unreadable."""
        if name == "-":
            return "file", int(self.ctx.machine.clock.now() * 10**9)
        path = paths.normalize(name, self.ctx.cwd)
        try:
            st = self.ctx.machine.stat(path)
        except OSError as exc:
            if exc.errno == 2:
                return None
            raise Trouble(f"{name}: {exc.strerror}") from None
        return ("dir" if st.is_dir else "file"), self._mtime_ns(st)

    def _mtime_ns(self, st: Stat) -> int:
        """The nanoseconds stat shows: the host file's, unless the machine set another time."""
        try:
            host = os.stat(self.ctx.machine.host_path(st.path)).st_mtime_ns
        except OSError:
            host = 0
        if host // 10**9 == int(st.mtime):
            return host
        return int(round(st.mtime * 10**9))

    def _read(self, name: str) -> bytes:
        if name == "-":
            return self.ctx.stdin.read()
        from mailsim.shell.commands.text import load

        data, error = load(self.ctx, name)
        if data is None:
            raise Trouble(f"{name}: {error}")
        return data

    def compare(self, a: str, b: str, top: bool = False) -> int:
        try:
            sa, sb = self._stat(a), self._stat(b)
        except Trouble as exc:
            self.ctx.error(str(exc))
            return 2
        if top:
            if self.o.new_file and (sa is None) != (sb is None):
                pass  # -N: the absent one reads as empty
            elif sa is None or sb is None:
                for name, st in ((a, sa), (b, sb)):
                    if st is None:
                        self.ctx.error(f"{name}: No such file or directory")
                return 2
            if sa and sb and sa[0] == "dir" and sb[0] == "file" and b != "-":
                return self.compare(_join(a, _base(b)), b, top=True)
            if sa and sb and sb[0] == "dir" and sa[0] == "file" and a != "-":
                return self.compare(a, _join(b, _base(a)), top=True)
        if sa is not None and sb is not None and sa[0] == "dir" and sb[0] == "dir":
            return self.directories(a, b, top)
        try:
            left = Side(a, None if sa is None else self._read(a), sa[1] if sa else 0)
            right = Side(b, None if sb is None else self._read(b), sb[1] if sb else 0)
        except Trouble as exc:
            self.ctx.error(str(exc))
            return 2
        return self.files(left, right, top)

    def directories(self, a: str, b: str, top: bool) -> int:
        machine = self.ctx.machine
        listed: list[set[str]] = []
        for name in (a, b):
            path = paths.normalize(name, self.ctx.cwd)
            if not machine.exists(path):
                listed.append(set())  # -N -r: a directory on one side only
                continue
            try:
                listed.append(set(machine.listdir(path)))
            except OSError as exc:
                self.ctx.error(f"{name}: {exc.strerror}")
                return 2
        names_a, names_b = listed
        status = 0
        names = {n for n in names_a | names_b if not any(fnmatch(n, p) for p in self.o.exclude)}
        for name in sorted(names, key=lambda n: n.encode("utf-8", "surrogateescape")):
            pa, pb = _join(a, name), _join(b, name)
            if name not in names_b or name not in names_a:
                present, where = (pa, a) if name in names_a else (pb, b)
                is_dir = machine.is_dir(paths.normalize(present, self.ctx.cwd))
                if self.o.new_file and not is_dir:
                    status = max(status, self.compare(pa, pb))
                    continue
                if self.o.new_file and self.o.recursive:
                    status = max(status, self.directories(pa, pb, False))
                    continue
                if self.o.new_file:
                    self.ctx.out(f"Common subdirectories: {pa} and {pb}\n")
                    continue
                self.ctx.out(f"Only in {where}: {name}\n")
                status = max(status, 1)
                continue
            da = machine.is_dir(paths.normalize(pa, self.ctx.cwd))
            db = machine.is_dir(paths.normalize(pb, self.ctx.cwd))
            if da and db:
                if self.o.recursive:
                    status = max(status, self.directories(pa, pb, False))
                else:
                    self.ctx.out(f"Common subdirectories: {pa} and {pb}\n")
            elif da != db:
                kinds = ("directory", "regular file") if da else ("regular file", "directory")
                self.ctx.out(f"File {pa} is a {kinds[0]} while file {pb} is a {kinds[1]}\n")
                status = max(status, 1)
            else:
                status = max(status, self.compare(pa, pb))
        return status

    def files(self, left: Side, right: Side, top: bool) -> int:
        da, db = left.data or b"", right.data or b""
        if da == db:
            if self.o.report_identical:
                self.ctx.out(f"Files {left.name} and {right.name} are identical\n")
            return 0
        if not self.o.text and (b"\0" in da[:32768] or b"\0" in db[:32768]):
            self.ctx.out(f"Binary files {left.name} and {right.name} differ\n")
            return 1
        if self.o.brief:
            self.ctx.out(f"Files {left.name} and {right.name} differ\n")
            return 1
        a, b = _lines(da), _lines(db)
        hunks = self.changes(a, b)
        if not hunks:
            return 0
        if not top:
            self.ctx.out(f"diff{self.o.switches} {left.name} {right.name}\n")
        if self.o.style == "normal":
            self.ctx.out(normal(a, b, hunks))
        else:
            self.ctx.out(self.header(left, right))
            show = unified if self.o.style == "unified" else context_format
            self.ctx.out(show(a, b, hunks, self.o.context))
        return 1

    def changes(self, a: list[str], b: list[str]) -> list[list[Change]]:
        """The changes, grouped into the hunks the format prints (ignorable ones dropped)."""
        horizon = self.o.context if self.o.style != "normal" else 0
        prefix = 0
        while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
            prefix += 1
        suffix = 0
        while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
            suffix += 1
        lo = max(0, prefix - horizon)
        hi_a, hi_b = len(a) - max(0, suffix - horizon), len(b) - max(0, suffix - horizon)
        classes: dict[str, int] = {}
        ea = [classes.setdefault(self.key(line), len(classes) + 1) for line in a[lo:hi_a]]
        eb = [classes.setdefault(self.key(line), len(classes) + 1) for line in b[lo:hi_b]]
        xc, yc = changed_lines(ea, eb, self.o.minimal)
        found = [(l0 + lo, l1 + lo, d, i) for l0, l1, d, i in changes(xc, yc)]
        if self.o.style == "normal":
            groups = [[c] for c in found]
        else:
            # context.c's find_hunk: a change joins the hunk when fewer than 2n+1
            # unchanged lines part them, or fewer than n if it is ignorable (-B).
            groups = []
            for c in found:
                if groups:
                    last = groups[-1][-1]
                    ignorable = self.o.ignore_blank_lines and self.blank_only(a, b, c)
                    limit = self.o.context if ignorable else 2 * self.o.context + 1
                    if c[0] - (last[0] + last[2]) < limit:
                        groups[-1].append(c)
                        continue
                groups.append([c])
        if self.o.ignore_blank_lines:
            groups = [g for g in groups if not all(self.blank_only(a, b, c) for c in g)]
        return groups

    def key(self, line: str) -> str:
        text = line
        if self.o.ignore_all_space:
            text = re.sub(r"[ \t\v\f\r]+", "", text)
        elif self.o.ignore_space_change:
            text = re.sub(r"[ \t\v\f\r]+", " ", text)
            text = re.sub(r" (?=\n?$)", "", text)
        if self.o.ignore_case:
            text = text.lower()
        return text

    def blank_only(self, a: list[str], b: list[str], c: Change) -> bool:
        lines = a[c[0] : c[0] + c[2]] + b[c[1] : c[1] + c[3]]
        return all(not self.key(line).strip("\n") for line in lines)

    def header(self, left: Side, right: Side) -> str:
        marks = ("---", "+++") if self.o.style == "unified" else ("***", "---")
        out = []
        for index, (mark, side) in enumerate(zip(marks, (left, right), strict=True)):
            if index < len(self.o.labels):
                out.append(f"{mark} {self.o.labels[index]}\n")
            else:
                out.append(f"{mark} {side.name}\t{timestamp(side)}\n")
        return "".join(out)


def _join(directory: str, name: str) -> str:
    return directory.rstrip("/") + "/" + name if directory.rstrip("/") else "/" + name


def _base(name: str) -> str:
    return name.rstrip("/").rsplit("/", 1)[-1]


def timestamp(side: Side) -> str:
    """diff's header time: ``2026-11-25 08:29:01.000000000 +0000`` (the epoch for -N)."""
    ns = 0 if side.data is None else side.mtime_ns
    secs, frac = divmod(ns, 10**9)
    stamp = datetime.fromtimestamp(secs, tz=UTC)
    return f"{stamp:%Y-%m-%d %H:%M:%S}.{frac:09d} +0000"


def _lines(data: bytes) -> list[str]:
    text = data.decode("utf-8", "surrogateescape")
    return text.splitlines(keepends=True) if "\r" not in text else _split_nl(text)


def _split_nl(text: str) -> list[str]:
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _show(prefix: str, line: str) -> str:
    return prefix + line if line.endswith("\n") else prefix + line + "\n" + NO_NEWLINE


def _range(start: int, count: int) -> str:
    """1-based "a" or "a,b" for ``count`` lines after ``start`` lines (normal, context)."""
    if count <= 1:
        return str(start + count if count else start)
    return f"{start + 1},{start + count}"


def normal(a: list[str], b: list[str], hunks: list[list[Change]]) -> str:
    out = []
    for group in hunks:
        l0, l1, d, i = group[0]
        kind = "c" if d and i else ("d" if d else "a")
        left = _range(l0, d) if d else str(l0)
        right = _range(l1, i) if i else str(l1)
        out.append(f"{left}{kind}{right}\n")
        out.extend(_show("< ", line) for line in a[l0 : l0 + d])
        if d and i:
            out.append("---\n")
        out.extend(_show("> ", line) for line in b[l1 : l1 + i])
    return "".join(out)


def _bounds(a: list[str], b: list[str], group: list[Change], n: int) -> tuple[int, int, int, int]:
    """First and end line (0-based, exclusive) of a hunk in each file, with its context.

    Each file is widened on its own, as context.c does: with -B two hunks can overlap."""
    first, last = group[0], group[-1]
    return (
        max(first[0] - n, 0),
        min(last[0] + last[2] + n, len(a)),
        max(first[1] - n, 0),
        min(last[1] + last[3] + n, len(b)),
    )


def _unified_range(start: int, end: int) -> str:
    count = end - start
    if count == 0:
        return f"{start},0"
    if count == 1:
        return str(start + 1)
    return f"{start + 1},{count}"


def unified(a: list[str], b: list[str], hunks: list[list[Change]], n: int) -> str:
    out = []
    for group in hunks:
        s0, e0, s1, e1 = _bounds(a, b, group, n)
        out.append(f"@@ -{_unified_range(s0, e0)} +{_unified_range(s1, e1)} @@\n")
        i, j = s0, s1
        pending = list(group)
        while i < e0 or j < e1:
            if not pending or i < pending[0][0]:
                if i >= len(a):
                    break
                out.append(_show(" ", a[i]))
                i += 1
                j += 1
            else:
                _, _, d, k = pending.pop(0)
                out.extend(_show("-", line) for line in a[i : i + d])
                out.extend(_show("+", line) for line in b[j : j + k])
                i, j = i + d, j + k
    return "".join(out)


def context_format(a: list[str], b: list[str], hunks: list[list[Change]], n: int) -> str:
    out = []
    for group in hunks:
        s0, e0, s1, e1 = _bounds(a, b, group, n)
        out.append("***************\n")
        out.append(f"*** {_range(s0, e0 - s0)} ****\n")
        if any(d for _, _, d, _ in group):
            x = s0
            for l0, _, d, i in group:
                out.extend(_show("  ", line) for line in a[x:l0])
                out.extend(_show("! " if i else "- ", line) for line in a[l0 : l0 + d])
                x = l0 + d
            out.extend(_show("  ", line) for line in a[x:e0])
        out.append(f"--- {_range(s1, e1 - s1)} ----\n")
        if any(i for _, _, _, i in group):
            y = s1
            for _, l1, d, i in group:
                out.extend(_show("  ", line) for line in b[y:l1])
                out.extend(_show("! " if d else "+ ", line) for line in b[l1 : l1 + i])
                y = l1 + i
            out.extend(_show("  ", line) for line in b[y:e1])
    return "".join(out)
