"""Bash's arithmetic: ``$(( ))`` and ``(( ))`` over 64-bit signed integers.

The grammar and the error texts are bash 5.2's (``expr.c``): C operators with
C precedence, ``**``, assignments, ``++``/``--``, ``?:`` and the comma; variables
with or without ``$``, whose values are evaluated as expressions in turn. An
error message names the expression and the text from the last token read
(``1/0: division by 0 (error token is "0")``), as bash's does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

MAX_RECURSION = 32
"""How deep variables may refer to variables (bash allows 1024; Python's stack
allows fewer, and a loop of references fails either way)."""

_TOKEN = re.compile(
    r"\s*(?:(?P<num>[0-9][0-9A-Za-z_@#]*)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op><<=|>>=|\*\*|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|[-+*/%<>=!~&|^?:,()]))"
)
_ASSIGN_OPS = {"=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|="}
_BINARY_LEVELS: list[set[str]] = [
    {"|"},
    {"^"},
    {"&"},
    {"==", "!="},
    {"<", "<=", ">", ">="},
    {"<<", ">>"},
    {"+", "-"},
    {"*", "/", "%"},
]


class ArithError(Exception):
    """``str(exc)`` is bash's message after ``bash: ``."""


def _wrap(value: int) -> int:
    value &= 0xFFFFFFFFFFFFFFFF
    return value - (1 << 64) if value >= 1 << 63 else value


def _c_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _binary(op: str, a: int, b: int) -> int | str:
    """The value, or an error message (division by zero, a negative exponent)."""
    if op in ("/", "%") and b == 0:
        return "division by 0"
    if op == "**" and b < 0:
        return "exponent less than 0"
    if op == "+":
        return _wrap(a + b)
    if op == "-":
        return _wrap(a - b)
    if op == "*":
        return _wrap(a * b)
    if op == "/":
        return _wrap(_c_div(a, b))
    if op == "%":
        return _wrap(a - _c_div(a, b) * b)
    if op == "**":
        return _wrap(pow(a, b, 1 << 64))
    if op == "<<":
        return _wrap(a << (b & 63))
    if op == ">>":
        return a >> (b & 63)
    if op == "&":
        return a & b
    if op == "|":
        return a | b
    if op == "^":
        return a ^ b
    return int({"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[op])


def _number(text: str) -> int | None:
    """A literal in bash's bases (0x1F, 017, 2#101, 64#z); None when invalid."""
    base, digits = 10, text
    if "#" in text:
        base_text, _, digits = text.partition("#")
        if not base_text.isdigit() or not 2 <= int(base_text) <= 64:
            return None
        base = int(base_text)
    elif text[:2] in ("0x", "0X"):
        base, digits = 16, text[2:]
    elif text.startswith("0") and len(text) > 1:
        base, digits = 8, text[1:]
    value = 0
    for ch in digits:
        if ch.isdigit():
            d = int(ch)
        elif ch.islower():
            d = ord(ch) - ord("a") + 10
        elif ch.isupper():
            d = ord(ch) - ord("A") + (36 if base > 36 else 10)
        elif ch == "@":
            d = 62
        elif ch == "_":
            d = 63
        else:
            return None
        if d >= base:
            return None
        value = value * base + d
    return _wrap(value)


class _Parser:
    def __init__(
        self,
        text: str,
        lookup: Callable[[str], str | None],
        assign: Callable[[str, str], None],
        depth: int,
    ) -> None:
        self.text = text
        self.lookup = lookup
        self.assign = assign
        self.depth = depth
        self.pos = 0
        self.last = 0
        """Where the last token read starts: bash's error token runs from there."""
        self.kind = ""
        self.value = ""
        self.noeval = 0
        self._advance()

    def error(self, message: str) -> ArithError:
        return ArithError(
            f'{self.text.lstrip()}: {message} (error token is "{self.text[self.last :]}")'
        )

    def _advance(self) -> None:
        m = _TOKEN.match(self.text, self.pos)
        if m is None or m.lastgroup is None:
            rest = self.text[self.pos :]
            if rest.strip() == "":
                self.kind, self.value, self.pos = "eof", "", len(self.text)
                return
            self.last = self.pos + len(rest) - len(rest.lstrip())
            raise self.error("syntax error: invalid arithmetic operator")
        self.last = m.start(m.lastgroup)
        self.kind, self.value, self.pos = m.lastgroup, m.group(m.lastgroup), m.end()

    def _is(self, *ops: str) -> bool:
        return self.kind == "op" and self.value in ops

    def parse(self) -> int:
        if self.kind == "eof":
            return 0
        value = self.comma()
        if self.kind != "eof":
            raise self.error("syntax error in expression")
        return value

    def comma(self) -> int:
        value = self.assignment()
        while self._is(","):
            self._advance()
            value = self.assignment()
        return value

    def assignment(self) -> int:
        if self.kind == "name":
            save = (self.pos, self.last, self.kind, self.value)
            name = self.value
            self._advance()
            if self.kind == "op" and self.value in _ASSIGN_OPS:
                op = self.value
                self._advance()
                rhs = self.assignment()
                if op != "=":
                    result = _binary(op[:-1], self.variable(name), rhs)
                    if isinstance(result, str):
                        raise self.error(result)
                    rhs = result
                if not self.noeval:
                    self.assign(name, str(rhs))
                return rhs
            self.pos, self.last, self.kind, self.value = save
        value = self.conditional()
        if self.kind == "op" and self.value in _ASSIGN_OPS:
            raise self.error("attempted assignment to non-variable")
        return value

    def conditional(self) -> int:
        cond = self.logical_or()
        if not self._is("?"):
            return cond
        self._advance()
        self.noeval += not cond
        yes = self.comma()
        self.noeval -= not cond
        if not self._is(":"):
            raise self.error("`:' expected for conditional expression")
        self._advance()
        self.noeval += bool(cond)
        no = self.conditional()
        self.noeval -= bool(cond)
        return yes if cond else no

    def logical_or(self) -> int:
        value = self.logical_and()
        while self._is("||"):
            self._advance()
            self.noeval += bool(value)
            right = self.logical_and()
            self.noeval -= bool(value)
            value = int(bool(value) or bool(right))
        return value

    def logical_and(self) -> int:
        value = self.binary(0)
        while self._is("&&"):
            self._advance()
            self.noeval += not value
            right = self.binary(0)
            self.noeval -= not value
            value = int(bool(value) and bool(right))
        return value

    def binary(self, level: int) -> int:
        if level == len(_BINARY_LEVELS):
            return self.power()
        value = self.binary(level + 1)
        while self.kind == "op" and self.value in _BINARY_LEVELS[level]:
            op = self.value
            self._advance()
            right = self.binary(level + 1)
            value = self._apply(op, value, right)
        return value

    def _apply(self, op: str, a: int, b: int) -> int:
        if self.noeval:
            return 0
        result = _binary(op, a, b)
        if isinstance(result, str):
            raise self.error(result)
        return result

    def power(self) -> int:
        base = self.unary()
        if self._is("**"):
            self._advance()
            exponent = self.power()
            return self._apply("**", base, exponent)
        return base

    def unary(self) -> int:
        if self._is("-", "+", "!", "~"):
            op = self.value
            self._advance()
            value = self.unary()
            return {"-": _wrap(-value), "+": value, "!": int(not value), "~": ~value}[op]
        if self._is("++", "--"):
            op = self.value
            self._advance()
            if self.kind != "name":
                # bash reads "--5" as two minus signs
                value = self.unary()
                return value
            name = self.value
            self._advance()
            value = _wrap(self.variable(name) + (1 if op == "++" else -1))
            if not self.noeval:
                self.assign(name, str(value))
            return value
        return self.postfix()

    def postfix(self) -> int:
        if self.kind == "name":
            name = self.value
            self._advance()
            value = self.variable(name)
            if self._is("++", "--"):
                if not self.noeval:
                    self.assign(name, str(_wrap(value + (1 if self.value == "++" else -1))))
                self._advance()
            return value
        return self.primary()

    def primary(self) -> int:
        if self.kind == "num":
            value = _number(self.value)
            if value is None:
                raise self.error("value too great for base")
            self._advance()
            return value
        if self._is("("):
            self._advance()
            value = self.comma()
            if not self._is(")"):
                raise self.error("missing `)'")
            self._advance()
            return value
        if self.kind == "eof" or self.kind == "op":
            raise self.error("syntax error: operand expected")
        raise self.error("syntax error in expression")  # pragma: no cover

    def variable(self, name: str) -> int:
        if self.noeval:
            return 0
        text = self.lookup(name) or ""
        if text.strip() == "":
            return 0
        if self.depth >= MAX_RECURSION:
            self.last = self.pos - len(name)
            raise ArithError(
                f'{name}: expression recursion level exceeded (error token is "{name}")'
            )
        return _Parser(text, self.lookup, self.assign, self.depth + 1).parse()


def evaluate(
    text: str, lookup: Callable[[str], str | None], assign: Callable[[str, str], None]
) -> int:
    """The value of an (already parameter-expanded) expression; raises ArithError."""
    return _Parser(text, lookup, assign, 0).parse()
