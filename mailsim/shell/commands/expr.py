"""expr from GNU coreutils 9.1: evaluate an expression given as separate words.

A recursive descent over the words in expr.c's precedence order (``|``, ``&``,
comparisons, ``+ -``, ``* / %``, ``:``, the keywords, parentheses). Integers
are unbounded as with GMP; ``:`` is an anchored POSIX basic regex. Exit status:
0 for a value neither null nor 0, 1 otherwise, 2 for a syntax error or a bad
operand, 3 for a failure such as a regex that runs too long.
"""

from __future__ import annotations

import re

from mailsim.shell.commands.utils_common import curly, text
from mailsim.shell.context import Context
from mailsim.shell.registry import command

_INTEGER = re.compile(r"-?[0-9]+")
_RELATIONS = ("<", "<=", "=", "==", "!=", ">=", ">")

Value = int | str


class ExprError(Exception):
    """A fatal error: expr's message and its exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def is_null(v: Value) -> bool:
    """expr.c's null(): 0, the empty string, or a string of zeros with an optional '-'."""
    if isinstance(v, int):
        return v == 0
    if v == "":
        return True
    digits = v[1:] if v.startswith("-") else v
    return digits != "" and set(digits) == {"0"}


def _integer(v: Value) -> int | None:
    if isinstance(v, int):
        return v
    return int(v) if _INTEGER.fullmatch(v) else None


def _string(v: Value) -> str:
    return str(v)


class Parser:
    """One evaluation: the words, a cursor, and expr.c's eval..eval7 as methods."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.pos = 0

    def more(self) -> bool:
        return self.pos < len(self.words)

    def next_is(self, word: str) -> bool:
        if self.more() and self.words[self.pos] == word:
            self.pos += 1
            return True
        return False

    def parse(self) -> Value:
        value = self.eval_or(True)
        if self.more():
            raise ExprError(f"syntax error: unexpected argument {curly(self.words[self.pos])}")
        return value

    def eval_or(self, evaluate: bool) -> Value:
        left = self.eval_and(evaluate)
        while self.next_is("|"):
            right = self.eval_and(evaluate and is_null(left))
            if is_null(left):
                left = 0 if is_null(right) else right
        return left

    def eval_and(self, evaluate: bool) -> Value:
        left = self.eval_compare(evaluate)
        while self.next_is("&"):
            right = self.eval_compare(evaluate and not is_null(left))
            if is_null(left) or is_null(right):
                left = 0
        return left

    def eval_compare(self, evaluate: bool) -> Value:
        left = self.eval_add(evaluate)
        while self.more() and self.words[self.pos] in _RELATIONS:
            op = self.words[self.pos]
            self.pos += 1
            right = self.eval_add(evaluate)
            if not evaluate:
                continue
            a, b = _integer(left), _integer(right)
            if a is not None and b is not None:
                cmp = (a > b) - (a < b)
            else:
                # strcoll in C.UTF-8 orders by code point, as Python compares str.
                sa, sb = _string(left), _string(right)
                cmp = (sa > sb) - (sa < sb)
            left = int(
                {
                    "<": cmp < 0,
                    "<=": cmp <= 0,
                    "=": cmp == 0,
                    "==": cmp == 0,
                    "!=": cmp != 0,
                    ">=": cmp >= 0,
                    ">": cmp > 0,
                }[op]
            )
        return left

    def eval_add(self, evaluate: bool) -> Value:
        left = self.eval_mul(evaluate)
        while self.more() and self.words[self.pos] in ("+", "-"):
            op = self.words[self.pos]
            self.pos += 1
            right = self.eval_mul(evaluate)
            if evaluate:
                a, b = _arith(left, right)
                left = a + b if op == "+" else a - b
        return left

    def eval_mul(self, evaluate: bool) -> Value:
        left = self.eval_match(evaluate)
        while self.more() and self.words[self.pos] in ("*", "/", "%"):
            op = self.words[self.pos]
            self.pos += 1
            right = self.eval_match(evaluate)
            if evaluate:
                a, b = _arith(left, right)
                if op == "*":
                    left = a * b
                    continue
                if b == 0:
                    raise ExprError("division by zero")
                # C truncates toward zero; the remainder takes the dividend's sign.
                quotient = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
                left = quotient if op == "/" else a - b * quotient
        return left

    def eval_match(self, evaluate: bool) -> Value:
        left = self.eval_keyword(evaluate)
        while self.next_is(":"):
            right = self.eval_keyword(evaluate)
            if evaluate:
                left = colon(left, right)
        return left

    def eval_keyword(self, evaluate: bool) -> Value:
        if self.next_is("+"):
            if not self.more():
                raise ExprError(f"syntax error: missing argument after {curly('+')}")
            self.pos += 1
            return self.words[self.pos - 1]
        if self.next_is("length"):
            return len(_string(self.eval_keyword(evaluate)))
        if self.next_is("match"):
            subject = self.eval_keyword(evaluate)
            pattern = self.eval_keyword(evaluate)
            return colon(subject, pattern) if evaluate else 0
        if self.next_is("index"):
            subject = _string(self.eval_keyword(evaluate))
            chars = set(_string(self.eval_keyword(evaluate)))
            return next((i + 1 for i, ch in enumerate(subject) if ch in chars), 0)
        if self.next_is("substr"):
            subject = _string(self.eval_keyword(evaluate))
            start = _integer(self.eval_keyword(evaluate))
            length = _integer(self.eval_keyword(evaluate))
            if start is None or length is None or start < 1 or length < 1:
                return ""
            return subject[start - 1 : start - 1 + length]
        return self.eval_primary(evaluate)

    def eval_primary(self, evaluate: bool) -> Value:
        if not self.more():
            raise ExprError(f"syntax error: missing argument after {curly(self.words[-1])}")
        if self.next_is("("):
            value = self.eval_or(evaluate)
            if not self.more():
                after = curly(self.words[-1])
                raise ExprError(f"syntax error: expecting ')' after {after}")
            if not self.next_is(")"):
                instead = curly(self.words[self.pos])
                raise ExprError(f"syntax error: expecting ')' instead of {instead}")
            return value
        if self.next_is(")"):
            raise ExprError("syntax error: unexpected ')'")
        self.pos += 1
        return self.words[self.pos - 1]


def _arith(left: Value, right: Value) -> tuple[int, int]:
    a, b = _integer(left), _integer(right)
    if a is None or b is None:
        raise ExprError("non-integer argument")
    return a, b


def colon(subject: Value, pattern: Value) -> Value:
    """STRING : REGEXP — the first group's text, or the length matched."""
    from mailsim.shell.posix_regex import GLIBC, RegexError, compile_bre

    try:
        regex = compile_bre(_string(pattern), GLIBC)
    except RegexError as exc:
        raise ExprError(str(exc)) from None
    try:
        found = regex.compiled.match(_string(subject), timeout=0.25)
    except TimeoutError:
        raise ExprError("regular expression too slow to match", 3) from None
    if regex.groups:
        return (found.group(1) or "") if found else ""
    return found.end() if found else 0


@command(
    "expr",
    synopsis="expr EXPRESSION",
    summary="evaluate expressions",
)
def expr(ctx: Context) -> int:
    words = list(ctx.args)
    if len(words) == 1 and len(words[0]) > 2 and words[0].startswith("--"):
        # Only a lone word is read as an option (--help, --version, or a prefix of one).
        name = words[0][2:]
        matches = [n for n in ("help", "version") if n.startswith(name)]
        if len(matches) == 1:
            ctx.out(text(f"expr.{matches[0]}"))
            return 0
    if words and words[0] == "--":
        words = words[1:]
    if not words:
        ctx.error("missing operand")
        ctx.err("Try 'expr --help' for more information.\n")
        return 2
    try:
        value = Parser(words).parse()
    except ExprError as exc:
        ctx.error(str(exc))
        return exc.status
    ctx.out(f"{value}\n")
    return 1 if is_null(value) else 0
