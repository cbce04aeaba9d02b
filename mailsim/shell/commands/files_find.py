"""GNU find (findutils 4.9.0): starting points, the common tests, ! -a -o ( ), -print.

A real disk returns directory entries in an unspecified order; here they come
in bytewise name order, so output is stable (a real run may list siblings in
another order).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass

from mailsim.machine.machine import Stat
from mailsim.shell.commands.files_common import check_access, quote_locale, strerror
from mailsim.shell.commands.files_mode import adjust_mode, compile_mode
from mailsim.shell.context import Context
from mailsim.shell.registry import command


@dataclass
class Item:
    """One path find visits."""

    shown: str
    path: str
    depth: int
    st: Stat


Test = Callable[[Item], bool]
_GLOBAL = {"-maxdepth", "-mindepth", "-depth", "-xdev", "-mount", "-noleaf"}
_WITH_ARG = {
    "-name",
    "-iname",
    "-type",
    "-maxdepth",
    "-mindepth",
    "-newer",
    "-user",
    "-group",
    "-perm",
    "-path",
    "-wholename",
    "-ipath",
    "-mtime",
    "-mmin",
    "-links",
    "-regex",
}


class FindError(Exception):
    """A message for ``find: ...`` that stops find before it walks anything."""


class _Parser:
    def __init__(self, ctx: Context, tokens: list[str]) -> None:
        self.ctx = ctx
        self.tokens = tokens
        self.pos = 0
        self.maxdepth: int | None = None
        self.mindepth = 0
        self.depth_first = False
        self.has_action = False
        self.seen_test: str | None = None
        self.print0 = False
        self.output: list[str] = []

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Test:
        if self.peek() is None:
            return lambda item: True
        expr = self.parse_or()
        if self.peek() is not None:
            token = self.peek()
            if token == ")":
                raise FindError("invalid expression; you have too many ')'")
            raise FindError(f"paths must precede expression: `{token}'")
        return expr

    def parse_or(self) -> Test:
        left = self.parse_and()
        while self.peek() in ("-o", "-or"):
            op = self.take()
            if self.peek() in (None, ")", "-o", "-or", "-a", "-and"):
                raise FindError(f"expected an expression after '{op}'")
            right = self.parse_and()
            left = (lambda a, b: lambda item: a(item) or b(item))(left, right)
        return left

    def parse_and(self) -> Test:
        left = self.parse_unary()
        while self.peek() not in (None, ")", "-o", "-or"):
            if self.peek() in ("-a", "-and"):
                op = self.take()
                if self.peek() in (None, ")", "-o", "-or", "-a", "-and"):
                    raise FindError(f"expected an expression after '{op}'")
            right = self.parse_unary()
            left = (lambda a, b: lambda item: a(item) and b(item))(left, right)
        return left

    def parse_unary(self) -> Test:
        token = self.peek()
        if token in ("!", "-not"):
            self.take()
            if self.peek() in (None, ")", "-o", "-or", "-a", "-and"):
                raise FindError(f"expected an expression after '{token}'")
            inner = self.parse_unary()
            return lambda item: not inner(item)
        if token == "(":
            self.take()
            if self.peek() == ")":
                raise FindError("empty parentheses are not allowed")
            inner = self.parse_or()
            if self.peek() != ")":
                raise FindError(
                    "invalid expression; I was expecting to find a ')' somewhere "
                    "but did not see one."
                )
            self.take()
            return inner
        return self.primary(self.take())

    def arg(self, name: str) -> str:
        if self.peek() is None:
            raise FindError(f"missing argument to `{name}'")
        return self.take()

    def primary(self, name: str) -> Test:
        if (
            name not in _WITH_ARG
            and name not in _GLOBAL
            and name not in ("-print", "-print0", "-true", "-false", "-empty", "-delete", "-prune")
        ):
            if name.startswith("-") and len(name) > 1:
                raise FindError(f"unknown predicate `{name}'")
            raise FindError(f"paths must precede expression: `{name}'")
        value = self.arg(name) if name in _WITH_ARG else ""
        if name in _GLOBAL:
            # findutils warns only when its input is a terminal.
            if self.seen_test is not None and self.ctx.stdin.interactive:
                self.ctx.error(
                    f"warning: you have specified the global option {name} after the argument "
                    f"{self.seen_test}, but global options are not positional, i.e., {name} "
                    "affects tests specified before it as well as those specified after it.  "
                    "Please specify global options before other arguments."
                )
            if name in ("-maxdepth", "-mindepth"):
                if not value.isdigit():
                    raise FindError(
                        f"Expected a positive decimal integer argument to {name}, "
                        f"but got {quote_locale(value)}"
                    )
                if name == "-maxdepth":
                    self.maxdepth = int(value)
                else:
                    self.mindepth = int(value)
            elif name == "-depth":
                self.depth_first = True
            return lambda item: True
        self.seen_test = self.seen_test or name
        return self.build(name, value)

    def build(self, name: str, value: str) -> Test:
        ctx = self.ctx
        if name in ("-print", "-print0"):
            self.has_action = True
            end = "\0" if name == "-print0" else "\n"

            def emit(item: Item) -> bool:
                self.output.append(item.shown + end)
                return True

            return emit
        if name == "-delete":
            self.has_action = True
            self.depth_first = True
            return self._delete
        if name in ("-true", "-prune"):
            return lambda item: True
        if name == "-false":
            return lambda item: False
        if name in ("-name", "-iname"):
            flags = re.IGNORECASE if name == "-iname" else 0
            rx = re.compile(fnmatch.translate(value), flags | re.DOTALL)
            return lambda item: rx.match(_base(item.shown)) is not None
        if name in ("-path", "-wholename", "-ipath"):
            rx = re.compile(
                fnmatch.translate(value), re.DOTALL | (re.IGNORECASE if name == "-ipath" else 0)
            )
            return lambda item: rx.match(item.shown) is not None
        if name == "-regex":
            rx = re.compile(value, re.DOTALL)
            return lambda item: rx.fullmatch(item.shown) is not None
        if name == "-type":
            kinds = value.split(",")
            table = {"f": "file", "d": "dir", "l": "link", "c": "char"}
            for kind in kinds:
                if kind not in table and kind not in "bcpsD":
                    raise FindError(f"Unknown argument to -type: {kind}")
            wanted = {table.get(k, k) for k in kinds}
            return lambda item: item.st.kind in wanted
        if name == "-empty":
            return self._empty
        if name == "-newer":
            try:
                ref = ctx.machine.stat(ctx.abspath(value)).mtime
            except OSError as exc:
                raise FindError(f"{quote_locale(value)}: {strerror(exc)}") from None
            return lambda item: item.st.mtime > ref
        if name == "-user":
            if value not in ctx.machine.users() and not value.isdigit():
                raise FindError(f"{quote_locale(value)} is not the name of a known user")
            return lambda item: item.st.owner == value
        if name == "-group":
            if value not in ctx.machine.groups() and not value.isdigit():
                raise FindError(f"{quote_locale(value)} is not the name of an existing group")
            return lambda item: item.st.group == value
        if name == "-perm":
            return self._perm(value)
        if name in ("-mtime", "-mmin", "-links"):
            return self._numeric(name, value)
        raise FindError(f"unknown predicate `{name}'")

    def _perm(self, value: str) -> Test:
        how = value[0] if value[:1] in ("-", "/") else ""
        changes = compile_mode(value[len(how) :])
        if changes is None:
            raise FindError(f"invalid mode {quote_locale(value)}")
        mode = adjust_mode(0, False, changes, umask=0)
        if how == "-":
            return lambda item: item.st.mode & mode == mode
        if how == "/":
            return lambda item: mode == 0 or bool(item.st.mode & mode)
        return lambda item: item.st.mode & 0o7777 == mode

    def _numeric(self, name: str, value: str) -> Test:
        sign = value[0] if value[:1] in ("+", "-") else ""
        if not value[len(sign) :].isdigit():
            raise FindError(f"invalid argument `{value}' to `{name}'")
        number = int(value[len(sign) :])
        now = self.ctx.machine.clock.now()

        def measure(item: Item) -> int:
            if name == "-links":
                return item.st.nlink
            unit = 86400 if name == "-mtime" else 60
            return int((now - item.st.mtime) // unit)

        if sign == "+":
            return lambda item: measure(item) > number
        if sign == "-":
            return lambda item: measure(item) < number
        return lambda item: measure(item) == number

    def _empty(self, item: Item) -> bool:
        if item.st.is_dir:
            try:
                return not self.ctx.machine.listdir(item.path)
            except OSError:
                return False
        return item.st.is_file and item.st.size == 0

    def _delete(self, item: Item) -> bool:
        try:
            if item.st.is_dir:
                self.ctx.machine.rmdir(item.path)
            else:
                self.ctx.machine.remove(item.path)
        except OSError as exc:
            self.ctx.error(f"cannot delete {quote_locale(item.shown)}: {strerror(exc)}")
            return False
        return True


def _base(shown: str) -> str:
    stripped = shown.rstrip("/")
    return stripped.rsplit("/", 1)[-1] if stripped else "/"


def _child(shown: str, name: str) -> str:
    return shown + name if shown.endswith("/") else shown + "/" + name


class _Walker:
    def __init__(self, ctx: Context, parser: _Parser, test: Test) -> None:
        self.ctx = ctx
        self.p = parser
        self.test = test
        self.status = 0

    def visit(self, item: Item) -> None:
        p = self.p
        self.ctx.terminal.check_cancelled()
        here = item.depth >= p.mindepth
        if here and not p.depth_first:
            self.emit(item)
        if item.st.is_dir and (p.maxdepth is None or item.depth < p.maxdepth):
            try:
                check_access(self.ctx, item.path, "r")
                names = self.ctx.machine.listdir(item.path)
            except OSError as exc:
                self.flush()
                self.ctx.error(f"{quote_locale(item.shown)}: {strerror(exc)}")
                self.status = 1
                names = []
            for name in names:
                path = item.path.rstrip("/") + "/" + name
                try:
                    st = self.ctx.machine.lstat(path)
                except OSError as exc:
                    self.flush()
                    self.ctx.error(f"{quote_locale(_child(item.shown, name))}: {strerror(exc)}")
                    self.status = 1
                    continue
                self.visit(Item(_child(item.shown, name), path, item.depth + 1, st))
        if here and p.depth_first:
            self.emit(item)

    def emit(self, item: Item) -> None:
        matched = self.test(item)
        if matched and not self.p.has_action:
            self.p.output.append(item.shown + "\n")
        if len(self.p.output) > 256:
            self.flush()

    def flush(self) -> None:
        if self.p.output:
            self.ctx.out("".join(self.p.output))
            self.p.output.clear()


@command(
    "find",
    synopsis="find [-H] [-L] [-P] [starting-point...] [expression]",
    summary="search for files in a directory hierarchy",
)
def find(ctx: Context) -> int:
    args = list(ctx.args)
    while args and args[0] in ("-P", "-H", "-L"):
        args.pop(0)
    starts = []
    while (
        args
        and not (args[0].startswith("-") and len(args[0]) > 1)
        and args[0] not in ("(", "!", ")")
    ):
        starts.append(args.pop(0))
    parser = _Parser(ctx, args)
    try:
        test = parser.parse()
    except FindError as exc:
        ctx.error(str(exc))
        return 1
    walker = _Walker(ctx, parser, test)
    for start in starts or ["."]:
        full = ctx.abspath(start)
        try:
            check_access(ctx, full, "")
            st = ctx.machine.stat(full) if start.endswith("/") else ctx.machine.lstat(full)
        except OSError as exc:
            walker.flush()
            ctx.error(f"{quote_locale(start)}: {strerror(exc)}")
            walker.status = 1
            continue
        walker.visit(Item(start, st.path if start.endswith("/") else full, 0, st))
    walker.flush()
    return walker.status
