"""The awk interpreter: the parse tree compiled to Python closures, then run.

Each expression node becomes a function returning a value (see values.py), each
statement a function returning nothing; next, exit, break, continue and return
travel as exceptions. Loops and records check the terminal's cancel flag so that
Ctrl+C stops a program that never ends.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from mailsim.shell.awk import builtins as bi
from mailsim.shell.awk import statements
from mailsim.shell.awk.control import ReturnValue
from mailsim.shell.awk.io import IO
from mailsim.shell.awk.lexer import unescape
from mailsim.shell.awk.parser import Node, Program
from mailsim.shell.awk.statements import Stmt
from mailsim.shell.awk.values import (
    UNINIT,
    GlibcRandom,
    StrNum,
    Uninit,
    Value,
    compare,
    d_to_int,
    format_double,
    to_num,
    to_str,
    truth,
)

EMPTY_FIELD = ""
"""A field past NF is the empty string, not an unset value: ($1 == 0) is false on an
empty line."""

MAX_DEPTH = 1007
"""Nested user-function calls: mawk's eval stack (1024 cells) runs out near 1000."""

Expr = Callable[[], Value]


def c_pow(x: float, y: float) -> float:
    """C's pow(): infinities and -nan where Python's math.pow raises."""
    odd = math.isfinite(y) and y == int(y) and int(y) % 2 == 1
    try:
        return math.pow(x, y)
    except OverflowError:
        return -math.inf if x < 0 and odd else math.inf
    except ValueError:
        if x == 0 and y < 0:
            return math.copysign(math.inf, x) if odd else math.inf
        return -math.nan


class Interpreter:
    def __init__(self, program: Program, io: IO, check_cancelled: Callable[[], None]) -> None:
        self.program = program
        self.io = io
        self.check = check_cancelled
        self.ticks = 0
        self.g: dict[str, Any] = {
            "FS": " ", "OFS": " ", "ORS": "\n", "RS": "\n", "NR": 0.0, "FNR": 0.0,
            "NF": 0.0, "FILENAME": "", "SUBSEP": "\x1c", "CONVFMT": "%.6g", "OFMT": "%.6g",
            "RSTART": 0.0, "RLENGTH": -1.0, "ENVIRON": {}, "ARGV": {}, "ARGC": 0.0,
        }  # fmt: skip
        self.record = ""
        self.fields: list[str] | None = []
        self.record_fs = " "
        self.paragraph = False
        self.frame: list[Any] = []
        self.locals: dict[str, int] = {}
        self.array_params: dict[str, set[int]] = {}
        self.funcs: dict[str, Callable[[list[Any]], Value]] = {}
        self.rng = GlibcRandom(0)
        self.seed: Value = 0.0
        self.range_active: list[bool] = []
        self.main: Any = None
        self.depth = 0
        """The main input (runner.MainInput), for plain getline."""
        self._compile_all()

    # -- records and fields ----------------------------------------------------

    def set_record(self, text: str) -> None:
        self.record = text
        self.fields = None
        self.record_fs = self.g["FS"]

    def split(self) -> list[str]:
        if self.fields is None:
            fs = to_str(self.record_fs, "%.6g")
            self.fields = bi.split_fields(self.record, fs)
            self.g["NF"] = float(len(self.fields))
        return self.fields

    def get_field(self, i: int) -> Value:
        if i == 0:
            return StrNum(self.record)
        fields = self.split()
        if i < 0:
            raise bi.AwkRuntimeError(f"negative field index ${i}")
        if i <= len(fields):
            return StrNum(fields[i - 1])
        return EMPTY_FIELD

    def set_field(self, i: int, v: Value) -> None:
        text = to_str(v, self.g["CONVFMT"])
        if i == 0:
            self.set_record(text)
            return
        if i < 0:
            raise bi.AwkRuntimeError(f"negative field index ${i}")
        fields = self.split()
        while len(fields) < i:
            fields.append("")
        fields[i - 1] = text
        self.g["NF"] = float(len(fields))
        self.rebuild()

    def rebuild(self) -> None:
        fields = self.fields or []
        self.record = to_str(self.g["OFS"], self.g["CONVFMT"]).join(fields)

    def set_nf(self, v: Value) -> None:
        fields = self.split()
        n = d_to_int(to_num(v))
        if n < 0:
            raise bi.AwkRuntimeError("negative value assigned to NF")
        del fields[n:]
        while len(fields) < n:
            fields.append("")
        self.g["NF"] = float(n)
        self.rebuild()

    # -- helpers -----------------------------------------------------------------

    def tick(self) -> None:
        self.ticks += 1
        if self.ticks & 1023 == 0:
            self.check()

    def s(self, v: Value) -> str:
        return to_str(v, self.g["CONVFMT"])

    def out_str(self, v: Value) -> str:
        if type(v) is float:
            return format_double(v, to_str(self.g["OFMT"], "%.6g"))
        return v  # type: ignore[return-value]

    def subscript(self, exprs: list[Expr]) -> Callable[[], str]:
        if len(exprs) == 1:
            e = exprs[0]
            return lambda: self.s(e())
        return lambda: self.s(self.g["SUBSEP"]).join(self.s(e()) for e in exprs)

    def array_of(self, name: str) -> Callable[[], dict[str, Value]]:
        if name in self.locals:
            idx = self.locals[name]

            def local() -> dict[str, Value]:
                a = self.frame[idx]
                if not isinstance(a, dict):
                    a = self.frame[idx] = {}
                return a

            return local
        g = self.g

        def glob() -> dict[str, Value]:
            a = g.get(name)
            if not isinstance(a, dict):
                a = g[name] = {}
            return a

        return glob

    def regex_of(self, node: Node) -> Callable[[], Any]:
        if node[0] == "re":
            rx = bi.regex(unescape(node[1], in_regex=True))
            return lambda: rx
        e = self.expr(node)
        return lambda: bi.regex(self.s(e()))

    # -- compilation -------------------------------------------------------------

    def _compile_all(self) -> None:
        prog = self.program
        self._find_array_params()
        for name, fn in prog.functions.items():
            self.funcs[name] = self._function(fn.params, fn.body)
        self.begin = [self.stmt(b) for b in prog.begin]
        self.end = [self.stmt(b) for b in prog.end]
        self.items: list[tuple[Expr | None, Expr | None, Stmt | None]] = []
        for pattern, second, action in prog.items:
            self.items.append(
                (
                    self.expr(pattern) if pattern is not None else None,
                    self.expr(second) if second is not None else None,
                    self.stmt(action) if action is not None else None,
                )
            )
            self.range_active.append(False)

    def _find_array_params(self) -> None:
        funcs = self.program.functions
        found: dict[str, set[int]] = {name: set() for name in funcs}

        def walk(node: Any, params: list[str], name: str) -> bool:
            changed = False
            if isinstance(node, tuple):
                kind = node[0] if node else None
                arr = None
                if kind in ("index", "delete"):
                    arr = node[1]
                elif kind == "in":
                    arr = node[2]
                elif kind == "forin":
                    arr = node[2]
                elif kind == "builtin" and node[1] == "split" and node[2][1][0] == "var":
                    arr = node[2][1][1]
                elif kind == "call" and node[1] in found:
                    for pos, a in enumerate(node[2]):
                        if pos in found[node[1]] and a[0] == "var":
                            arr = a[1]
                            if arr in params and params.index(arr) not in found[name]:
                                found[name].add(params.index(arr))
                                changed = True
                    arr = None
                if arr is not None and arr in params and params.index(arr) not in found[name]:
                    found[name].add(params.index(arr))
                    changed = True
                for child in node:
                    changed |= walk(child, params, name)
            elif isinstance(node, list):
                for child in node:
                    changed |= walk(child, params, name)
            return changed

        while any([walk(f.body, f.params, n) for n, f in funcs.items()]):
            pass
        self.array_params = found

    def _function(self, params: list[str], body: Node) -> Callable[[list[Any]], Value]:
        saved = self.locals
        self.locals = {p: i for i, p in enumerate(params)}
        code = self.stmt(body)
        self.locals = saved
        count = len(params)

        def call(args: list[Any]) -> Value:
            frame = args + [UNINIT] * (count - len(args))
            outer = self.frame
            self.frame = frame
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise bi.AwkLimit("program limit exceeded: eval stack size=1024")
            try:
                code()
            except ReturnValue as r:
                return r.value
            finally:
                self.frame = outer
                self.depth -= 1
            return UNINIT

        return call

    def stmt(self, node: Node) -> Stmt:
        return statements.stmt(self, node)

    # expressions

    def expr(self, node: Node) -> Expr:
        return getattr(self, "e_" + node[0])(node)

    def e_num(self, node: Node) -> Expr:
        v = float(node[1])
        return lambda: v

    def e_str(self, node: Node) -> Expr:
        v = node[1]
        return lambda: v

    def e_re(self, node: Node) -> Expr:
        rx = bi.regex(unescape(node[1], in_regex=True))
        return lambda: 1.0 if bi.search(rx, self.record) else 0.0

    def e_group(self, node: Node) -> Expr:
        return self.expr(node[1])

    def e_grouplist(self, node: Node) -> Expr:
        from mailsim.shell.awk.lexer import AwkSyntaxError

        raise AwkSyntaxError("line 1: syntax error at or near )")

    def e_var(self, node: Node) -> Expr:
        name = node[1]
        if name in self.locals:
            idx = self.locals[name]
            return lambda: self.frame[idx]
        g = self.g
        if name == "NF":

            def nf() -> Value:
                if self.fields is None:
                    self.split()
                return g["NF"]  # type: ignore[no-any-return]

            return nf
        return lambda: g.get(name, UNINIT)  # type: ignore[no-any-return]

    def e_field(self, node: Node) -> Expr:
        inner = node[1]
        if inner[0] == "num":
            i = d_to_int(float(inner[1]))
            return lambda: self.get_field(i)
        e = self.expr(inner)
        return lambda: self.get_field(d_to_int(to_num(e())))

    def e_index(self, node: Node) -> Expr:
        arr = self.array_of(node[1])
        key = self.subscript([self.expr(x) for x in node[2]])

        def get() -> Value:
            a = arr()
            k = key()
            v = a.get(k)
            if v is None:
                v = a[k] = UNINIT
            return v

        return get

    def setter(self, target: Node) -> tuple[Expr, Callable[[Value], None]]:
        """(get, set) for an lvalue; the subscript or field number is evaluated once
        per assignment by the caller through the closures made here."""
        kind = target[0]
        if kind == "var":
            name = target[1]
            if name in self.locals:
                idx = self.locals[name]

                def set_local(v: Value) -> None:
                    self.frame[idx] = v

                return self.e_var(target), set_local
            g = self.g
            if name == "NF":
                return self.e_var(target), self.set_nf
            special = name in ("FS", "RS", "OFS", "ORS", "SUBSEP", "CONVFMT", "OFMT")

            def set_global(v: Value) -> None:
                if special:
                    v = to_str(v, to_str(g["CONVFMT"], "%.6g"))
                    if name == "RS":
                        self.io.set_rs(v)
                g[name] = v

            return self.e_var(target), set_global
        raise AssertionError(kind)

    def e_assign(self, node: Node) -> Expr:
        op, target, value = node[1], node[2], node[3]
        rhs = self.expr(value)
        arith = op[:-1]
        if target[0] == "field":
            num = self.expr(target[1])

            def assign_field() -> Value:
                i = d_to_int(to_num(num()))
                v = rhs()
                if arith:
                    v = self.arith(arith, self.get_field(i), v)
                elif type(v) is Uninit:
                    v = ""
                self.set_field(i, v)
                return v

            return assign_field
        if target[0] == "index":
            arr = self.array_of(target[1])
            key = self.subscript([self.expr(x) for x in target[2]])

            def assign_index() -> Value:
                a = arr()
                k = key()
                v = rhs()
                if arith:
                    v = self.arith(arith, a.get(k, UNINIT), v)
                a[k] = v
                return v

            return assign_index
        get, put = self.setter(target)
        if not arith:

            def assign() -> Value:
                v = rhs()
                put(v)
                return v

            return assign

        def compound() -> Value:
            v = self.arith(arith, get(), rhs())
            put(v)
            return v

        return compound

    def arith(self, op: str, a: Value, b: Value) -> float:
        x, y = to_num(a), to_num(b)
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "/":
            if y == 0:
                # IEEE, as mawk computes it: ±inf, or -nan for 0/0.
                if x == 0 or x != x:
                    return -math.nan
                return math.copysign(math.inf, x) * math.copysign(1.0, y)
            return x / y
        if op == "%":
            if y == 0 or not math.isfinite(x):
                return -math.nan
            return math.fmod(x, y)
        return c_pow(x, y)

    def e_binop(self, node: Node) -> Expr:
        op = node[1]
        a, b = self.expr(node[2]), self.expr(node[3])
        if op == "+":
            return lambda: to_num(a()) + to_num(b())
        if op == "-":
            return lambda: to_num(a()) - to_num(b())
        if op == "*":
            return lambda: to_num(a()) * to_num(b())
        arith = self.arith
        return lambda: arith(op, a(), b())

    # Division by zero is not an error in mawk: it prints inf or -nan.

    def e_unary(self, node: Node) -> Expr:
        e = self.expr(node[2])
        if node[1] == "-":
            return lambda: -to_num(e())
        return lambda: to_num(e())

    def e_not(self, node: Node) -> Expr:
        e = self.expr(node[1])
        return lambda: 0.0 if truth(e()) else 1.0

    def e_and(self, node: Node) -> Expr:
        a, b = self.expr(node[1]), self.expr(node[2])
        return lambda: 1.0 if truth(a()) and truth(b()) else 0.0

    def e_or(self, node: Node) -> Expr:
        a, b = self.expr(node[1]), self.expr(node[2])
        return lambda: 1.0 if truth(a()) or truth(b()) else 0.0

    def e_cond(self, node: Node) -> Expr:
        c, a, b = self.expr(node[1]), self.expr(node[2]), self.expr(node[3])
        return lambda: a() if truth(c()) else b()

    def e_concat(self, node: Node) -> Expr:
        a, b = self.expr(node[1]), self.expr(node[2])
        return lambda: self.s(a()) + self.s(b())

    def e_cmp(self, node: Node) -> Expr:
        op = node[1]
        a, b = self.expr(node[2]), self.expr(node[3])
        test = {
            "<": lambda c: c < 0, "<=": lambda c: c <= 0, ">": lambda c: c > 0,
            ">=": lambda c: c >= 0, "==": lambda c: c == 0, "!=": lambda c: c != 0,
        }[op]  # fmt: skip
        return lambda: 1.0 if test(compare(a(), b(), self.g["CONVFMT"])) else 0.0

    def e_match(self, node: Node) -> Expr:
        neg = node[1]
        e = self.expr(node[2])
        rx = self.regex_of(node[3])
        return lambda: 1.0 if (bi.search(rx(), self.s(e())) is None) == neg else 0.0

    def e_in(self, node: Node) -> Expr:
        key = self.subscript([self.expr(x) for x in node[1]])
        arr = self.array_of(node[2])
        return lambda: 1.0 if key() in arr() else 0.0

    def _incdec(self, node: Node, post: bool) -> Expr:
        delta = 1.0 if node[1] == "++" else -1.0
        target = node[2]
        if target[0] == "field":
            num = self.expr(target[1])

            def field() -> Value:
                i = d_to_int(to_num(num()))
                old = to_num(self.get_field(i))
                self.set_field(i, old + delta)
                return old if post else old + delta

            return field
        if target[0] == "index":
            arr = self.array_of(target[1])
            key = self.subscript([self.expr(x) for x in target[2]])

            def index() -> Value:
                a = arr()
                k = key()
                old = to_num(a.get(k, UNINIT))
                a[k] = old + delta
                return old if post else old + delta

            return index
        get, put = self.setter(target)

        def var() -> Value:
            old = to_num(get())
            put(old + delta)
            return old if post else old + delta

        return var

    def e_preinc(self, node: Node) -> Expr:
        return self._incdec(node, False)

    def e_postinc(self, node: Node) -> Expr:
        return self._incdec(node, True)

    def e_call(self, node: Node) -> Expr:
        name, args = node[1], node[2]
        arrays = self.array_params.get(name, set())
        getters: list[Callable[[], Any]] = []
        for pos, a in enumerate(args):
            if (
                pos in arrays
                and a[0] in ("var", "group")
                and (a if a[0] == "var" else a[1])[0] == "var"
            ):
                getters.append(self.array_of((a if a[0] == "var" else a[1])[1]))
            elif a[0] == "var" and (a[1] in self.locals or isinstance(self.g.get(a[1]), dict)):
                getters.append(self._maybe_array(a[1]))
            else:
                getters.append(self.expr(a))
        funcs = self.funcs

        def call() -> Value:
            values = [g() for g in getters]
            return funcs[name](values)

        return call

    def _maybe_array(self, name: str) -> Callable[[], Any]:
        """A bare variable passed on: its array if it is one, else its value."""
        if name in self.locals:
            idx = self.locals[name]
            return lambda: self.frame[idx]
        return lambda: self.g.get(name, UNINIT)

    def e_getline(self, node: Node) -> Expr:
        from mailsim.shell.awk.calls import getline

        return getline(self, node)

    def e_builtin(self, node: Node) -> Expr:
        from mailsim.shell.awk.calls import builtin

        return builtin(self, node)
