"""Built-in functions, getline and print/printf, compiled for the interpreter."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from mailsim.shell.awk import builtins as bi
from mailsim.shell.awk.commands import NoShell
from mailsim.shell.awk.values import (
    UNINIT,
    StrNum,
    Value,
    d_to_int,
    str_to_num,
    to_num,
)

if TYPE_CHECKING:
    from mailsim.shell.awk.interp import Expr, Interpreter, Stmt
    from mailsim.shell.awk.parser import Node


def no_commands(what: str) -> str:
    from mailsim.i18n import t

    return t("awk.no_shell", what=what)


class Refused(Exception):
    """Something mailsim's awk does not do, said plainly."""


def _lvalue_store(interp: Interpreter, target: Node) -> Any:
    """A function storing a value into an lvalue node."""
    if target[0] == "field":
        num = interp.expr(target[1])
        return lambda v: interp.set_field(d_to_int(to_num(num())), v)
    if target[0] == "index":
        arr = interp.array_of(target[1])
        key = interp.subscript([interp.expr(x) for x in target[2]])

        def put(v: Value) -> None:
            arr()[key()] = v

        return put
    if target[0] == "group":
        return _lvalue_store(interp, target[1])
    return interp.setter(target)[1]


def builtin(interp: Interpreter, node: Node) -> Expr:
    name, args = node[1], node[2]
    s = interp.s
    if name == "length":
        if not args:
            return lambda: float(len(interp.record))
        a = args[0]
        if a[0] == "var" and (a[1] in interp.locals or isinstance(interp.g.get(a[1]), dict)):
            get = interp._maybe_array(a[1])
            return lambda: float(len(v) if isinstance(v := get(), dict) else len(s(v)))
        e = interp.expr(a)
        return lambda: float(len(s(e())))
    if name in ("sub", "gsub"):
        rx = interp.regex_of(args[0])
        repl = interp.expr(args[1])
        target = args[2] if len(args) == 3 else ("field", ("num", 0.0))
        if target[0] == "group":
            target = target[1]
        get = interp.expr(target)
        put = _lvalue_store(interp, target)
        glob = name == "gsub"

        def sub() -> Value:
            pattern = rx()
            r = s(repl())
            old = get()
            new, count = bi.substitute(pattern, r, s(old), glob)
            if count:
                put(new)
            return float(count)

        return sub
    ev = [interp.expr(a) for a in args] if name != "split" else []
    if name == "substr":

        def substr() -> Value:
            text = s(ev[0]())
            begin = to_num(ev[1]())
            size = to_num(ev[2]()) if len(ev) == 3 else 0.0
            length = len(text)
            if length == 0:
                return ""
            start = d_to_int(begin) - 1
            n = length if len(ev) == 2 else d_to_int(size)
            if start > length:
                n = 0
            if start < 0:
                # C int arithmetic, wrapping as mawk's does (substr(s, nan) is empty there).
                n = (n - (start + 1) + 2**31) % 2**32 - 2**31
                start = 0
            n = min(n, length - start)
            return text[start : start + n] if n > 0 else ""

        return substr
    if name == "index":

        def index() -> Value:
            return float(s(ev[0]()).find(s(ev[1]())) + 1)

        return index
    if name == "split":
        source = interp.expr(args[0])
        arr = interp.array_of(args[1][1])
        sep = None if len(args) == 2 else args[2]
        sep_rx = interp.regex_of(sep) if sep is not None and sep[0] == "re" else None
        sep_e = interp.expr(sep) if sep is not None and sep[0] != "re" else None

        def split() -> Value:
            text = s(source())
            if sep_rx is not None:
                pieces = bi.split_regex(text, sep_rx())
            else:
                fs = s(sep_e()) if sep_e is not None else s(interp.g["FS"])
                pieces = bi.split_fields(text, fs)
            a = arr()
            a.clear()
            for i, p in enumerate(pieces, 1):
                a[str(i)] = StrNum(p)
            return float(len(pieces))

        return split
    if name == "match":
        rx = interp.regex_of(args[1])
        e = ev[0]

        def match() -> Value:
            m = bi.search(rx(), s(e()))
            g = interp.g
            if m is None:
                g["RSTART"], g["RLENGTH"] = 0.0, -1.0
            else:
                g["RSTART"], g["RLENGTH"] = float(m.start() + 1), float(m.end() - m.start())
            return g["RSTART"]  # type: ignore[no-any-return]

        return match
    if name == "sprintf":
        return lambda: bi.sprintf(s(ev[0]()), [e() for e in ev[1:]], interp.g["CONVFMT"], "sprintf")
    if name == "tolower":
        return lambda: _ascii_case(s(ev[0]()), upper=False)
    if name == "toupper":
        return lambda: _ascii_case(s(ev[0]()), upper=True)
    if name == "int":

        def int_() -> Value:
            d = to_num(ev[0]())
            return float(math.trunc(d)) if math.isfinite(d) else d

        return int_
    if name in ("sqrt", "exp", "log", "sin", "cos"):
        fn = getattr(math, name)

        def math1() -> Value:
            x = to_num(ev[0]())
            try:
                return float(fn(x))
            except OverflowError:
                return math.inf
            except ValueError:
                if name == "log" and x == 0:
                    return -math.inf
                return -math.nan if name in ("log", "sqrt") else math.nan

        return math1
    if name == "atan2":
        return lambda: math.atan2(to_num(ev[0]()), to_num(ev[1]()))
    if name == "rand":
        return lambda: interp.rng.random()
    if name == "srand":

        def srand() -> Value:
            old = interp.seed
            new = ev[0]() if ev else float(int(interp.io.ctx.machine.clock.now()))
            interp.seed = new
            d = str_to_num(new) if isinstance(new, str) else new
            interp.rng.seed(int(math.fmod(d, 4294967295.0)) if math.isfinite(d) else 0)
            return old

        return srand
    if name == "close":
        return lambda: interp.io.close(s(ev[0]()))
    if name == "fflush":

        def fflush() -> Value:
            interp.io.flush()
            return 0.0

        return fflush
    if name == "system":

        def system() -> Value:
            try:
                return interp.io.system(s(ev[0]()))
            except NoShell:
                raise Refused(no_commands("system")) from None

        return system
    raise AssertionError(name)


def _ascii_case(text: str, upper: bool) -> str:
    if text.isascii():
        return text.upper() if upper else text.lower()
    return "".join((c.upper() if upper else c.lower()) if c < "\x80" else c for c in text)


def getline(interp: Interpreter, node: Node) -> Expr:
    kind, target, source = node[1], node[2], node[3]
    put = _lvalue_store(interp, target) if target is not None else None
    g = interp.g
    if kind == "pipe":
        command = interp.expr(source)

        def pipe() -> Value:
            try:
                record = interp.io.getline_pipe(interp.s(command()))
            except NoShell:
                raise Refused(no_commands("cmd | getline")) from None
            if record is None:
                return 0.0
            # mawk 1.3.4 leaves NR alone here (POSIX would count the record).
            if put is None:
                interp.set_record(record)
            else:
                put(StrNum(record))
            return 1.0

        return pipe
    if kind == "file":
        src = interp.expr(source)

        def from_file() -> Value:
            record = interp.io.getline_file(interp.s(src()))
            if record is None:
                return 0.0
            if isinstance(record, float):
                return record
            if put is None:
                interp.set_record(record)
                g["NR"] = to_num(g["NR"])
                interp.split()
            else:
                put(StrNum(record))
            return 1.0

        return from_file

    def main() -> Value:
        record = interp.main.next_record()
        if record is None:
            return 0.0
        g["NR"] = to_num(g["NR"]) + 1
        g["FNR"] = to_num(g["FNR"]) + 1
        if put is None:
            interp.set_record(record)
        else:
            put(StrNum(record))
        return 1.0

    return main


def print_statement(interp: Interpreter, node: Node) -> Stmt:
    kind, args, redirect = node[0], node[1], node[2]
    exprs = [interp.expr(a) for a in args]
    g = interp.g
    io = interp.io
    out = interp.out_str
    s = interp.s
    if kind == "print":
        if not exprs:

            def make() -> str:
                return interp.record + s(g["ORS"])
        elif len(exprs) == 1:
            e0 = exprs[0]

            def make() -> str:
                return out(e0()) + s(g["ORS"])
        else:

            def make() -> str:
                return s(g["OFS"]).join([out(e()) for e in exprs]) + s(g["ORS"])
    else:

        def make() -> str:
            values = [e() for e in exprs]
            try:
                return bi.sprintf(s(values[0]), values[1:], g["CONVFMT"], "printf")
            except bi.AwkRuntimeError as exc:
                if redirect is None:
                    io.write(exc.partial)
                raise

    if redirect is None:
        write = io.write

        def run() -> None:
            write(make())

        return run
    op, target = redirect
    dest = interp.expr(target)
    if op == "|":

        def to_pipe() -> None:
            text = make()
            io.write_pipe(s(dest()), text)

        return to_pipe
    append = op == ">>"

    def run_to() -> None:
        text = make()
        io.write_to(s(dest()), text, append)

    return run_to


__all__ = ["UNINIT", "Refused", "builtin", "getline", "print_statement"]
