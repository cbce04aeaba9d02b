"""Postfix's ``$name`` expansion (mac_parse + mac_expand), warnings included.

Covers ``$name``, ``${name}``, ``$(name)``, ``$$``, ``${name?value}``,
``${name:value}``, ``${name?{v1}:{v2}}`` and the relational forms
``${{a} == {b} ? {x} : {y}}`` with ``== != < <= > >=`` (numeric when both
sides are all digits) and the compatibility-level operators (``<level`` …)
that Postfix's own defaults use. Warnings are Postfix's texts, passed to
``warn`` in the order the real code issues them.
"""

from __future__ import annotations

from collections.abc import Callable

PARSE_ERROR = 1
PARSE_UNDEF = 2
WHITESPACE = " \t\r\n\v\f"
OPERATOR_CHARS = "<>!=?+-*/~&|%"
OPERATORS = ("==", "!=", "<", "<=", ">=", ">")
OP_ANY = '"==" or "!="" or "<"" or "<="" or ">="" or ">"'
"""Postfix's own text for this message, doubled quotes included."""
TRUE = "true"

MAX_RELATIONAL_DEPTH = 40


class MacroCrash(Exception):
    """Self-referencing relational operands: the real code recurses until it crashes."""


Lookup = Callable[[str, bool], "str | None"]
"""``lookup(name, test_mode)`` → value or None when undefined."""
Warn = Callable[[str], None]


def _name_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def parse(value: str, action: Callable[[bool, str], int], warn: Warn) -> int:
    """Split ``value`` into literal text and macro expressions (mac_parse)."""
    status = 0
    buf: list[str] = []
    i, n = 0, len(value)
    while i < n:
        ch = value[i]
        if ch != "$":
            buf.append(ch)
            i += 1
            continue
        if i + 1 < n and value[i + 1] == "$":
            buf.append("$")
            i += 2
            continue
        if buf:
            status |= action(False, "".join(buf))
            buf = []
        i += 1
        if i < n and value[i] in "({":
            opening = value[i]
            closing = ")" if opening == "(" else "}"
            level = 1
            i += 1
            j = i
            while level > 0:
                if j >= n:
                    warn(f'truncated macro reference: "{value}"')
                    status |= PARSE_ERROR
                    break
                if value[j] == opening:
                    level += 1
                elif value[j] == closing:
                    level -= 1
                j += 1
            if status & PARSE_ERROR:
                break
            name = value[i : j - 1]
            i = j
        else:
            j = i
            while j < n and _name_char(value[j]):
                j += 1
            name = value[i:j]
            i = j
        if not name:
            status |= PARSE_ERROR
            warn(f'empty macro name: "{value}"')
            break
        status |= action(True, name)
    if buf and not status & PARSE_ERROR:
        status |= action(False, "".join(buf))
    return status


def _strtol(text: str, pos: int) -> tuple[int | None, int]:
    """C strtol() on base 10: leading white space, a sign, digits; (None, pos) if none."""
    i = pos
    while i < len(text) and text[i] in " \t\n\v\f\r":
        i += 1
    start = i
    if i < len(text) and text[i] in "+-":
        i += 1
    digits = i
    while i < len(text) and text[i].isdigit() and text[i].isascii():
        i += 1
    if i == digits:
        return None, pos
    return int(text[start:i]), i


def _compat_level(text: str, warn: Warn) -> int | None:
    """compat_level_from_string(): major[.minor[.patch]] as one comparable number."""
    limits = (None, 1023, 1023)
    parts: list[int] = []
    pos = 0
    for index, limit in enumerate(limits):
        number, end = _strtol(text, pos)
        if number is None or number < 0 or (limit is not None and number > limit):
            break
        parts.append(number)
        if end == len(text):
            parts += [0] * (3 - len(parts))
            return (parts[0] << 20) | (parts[1] << 10) | parts[2]
        if text[end] != "." or index == 2:
            break
        pos = end + 1
    warn(f'malformed compatibility level syntax: "{text}"')
    return None


def _compare(delta: int, op: str) -> bool:
    return {
        "==": delta == 0,
        "!=": delta != 0,
        "<": delta < 0,
        "<=": delta <= 0,
        ">=": delta >= 0,
        ">": delta > 0,
    }[op]


class Expander:
    """One mac_expand() call: ``expand(text)`` → (result, status)."""

    def __init__(
        self, lookup: Lookup, warn: Warn, recurse: bool = True, scan: bool = False, depth: int = 0
    ):
        if depth > MAX_RELATIONAL_DEPTH:
            raise MacroCrash()
        self.depth = depth
        self.lookup = lookup
        self.warn = warn
        self.recurse = recurse
        self.scan = scan
        self.out: list[str] = []
        self.status = 0
        self.level = 0

    def run(self, text: str) -> tuple[str, int]:
        self.status = 0
        self.level = 0
        self.status |= parse(text, self._callback, self.warn)
        return "".join(self.out), self.status

    def _error(self, message: str) -> int:
        self.warn(message)
        self.status |= PARSE_ERROR
        return self.status

    def _sub(self, text: str) -> int:
        return parse(text, self._callback, self.warn)

    def _curly(self, text: str, pos: int) -> tuple[str | None, int]:
        """Payload of the ``{…}`` at ``pos`` and the position after trailing blanks."""
        level = 1
        j = pos + 1
        while True:
            if j >= len(text):
                self._error(f'unbalanced {{}} in attribute expression: "{text[pos:]}"')
                return None, pos
            if text[j] == "{":
                level += 1
            elif text[j] == "}":
                level -= 1
                if level <= 0:
                    break
            j += 1
        payload = text[pos + 1 : j]
        j += 1
        while j < len(text) and text[j] in WHITESPACE:
            j += 1
        return payload, j

    @staticmethod
    def _find_curly(text: str, pos: int) -> int | None:
        j = pos
        while j < len(text) and text[j] in WHITESPACE:
            j += 1
        return j if j < len(text) and text[j] == "{" else None

    def _relational(self, text: str, pos: int) -> tuple[str | None, int, bool]:
        """Evaluate ``{a} op {b}`` at ``pos``; returns (lookup, new pos, ok)."""
        left, pos = self._curly(text, pos)
        if left is None:
            return None, pos, False
        op_start = pos
        while pos < len(text) and text[pos] in OPERATOR_CHARS:
            pos += 1
        op = text[op_start:pos]
        if op not in OPERATORS:
            self._error(f'{OP_ANY} expected at: "...{left}}}>>>{text[op_start : op_start + 20]}"')
            return None, pos, False
        suffix = ""
        if pos < len(text) and text[pos].isascii() and text[pos].isalnum():
            start = pos
            while pos < len(text) and text[pos].isascii() and text[pos].isalnum():
                pos += 1
            suffix = text[start:pos]
            if suffix != "level":
                self._error(f'bad operator suffix at: "...{op}>>>{suffix}"')
                return None, pos, False
        right_at = self._find_curly(text, pos)
        if right_at is None:
            self._error(
                f'"{{expression}}" expected at: "...{{{left}}} {op}>>>{text[pos : pos + 20]}"'
            )
            return None, pos, False
        right, pos = self._curly(text, right_at)
        if right is None:
            return None, pos, False
        nested = (self.lookup, self.warn, self.recurse, self.scan, self.depth + 1)
        left_val, st1 = Expander(*nested).run(left)
        right_val, st2 = Expander(*nested).run(right)
        self.status |= st1 | st2
        if not self.scan:
            if suffix == "level":
                a = _compat_level(left_val, self.warn)
                b = _compat_level(right_val, self.warn) if a is not None else None
                if a is None or b is None:
                    self.status |= PARSE_ERROR
                    return None, pos, False
                result = _compare(a - b, op)
            elif left_val.isdigit() and right_val.isdigit():
                result = _compare(int(left_val) - int(right_val), op)
            else:
                result = _compare((left_val > right_val) - (left_val < right_val), op)
        if self.status & PARSE_ERROR:
            return None, pos, False
        if self.scan:
            return None, pos, True
        return (TRUE if result else ""), pos, True

    def _callback(self, is_expr: bool, text: str) -> int:
        self.level += 1
        if self.level > 101:
            self._error(f'unreasonable macro call nesting: "{text}"')
        if self.status & PARSE_ERROR:
            return self.status
        if not is_expr:
            if not self.scan:
                self.out.append(text)
            self.level -= 1
            return self.status
        pos = self._find_curly(text, 0)
        ch = ""
        lookup: str | None
        if pos is not None:
            lookup, pos, ok = self._relational(text, pos)
            if not ok:
                return self.status
            if pos < len(text):
                ch = text[pos]
                if ch not in "?:":
                    return self._error(f'"?" or ":" expected at: "...}}>>>{text[pos : pos + 20]}"')
                pos += 1
        else:
            pos = 0
            while pos < len(text) and text[pos] in WHITESPACE:
                pos += 1
            start = pos
            while True:
                rest = pos
                while rest < len(text) and text[rest] in WHITESPACE:
                    rest += 1
                if rest >= len(text):
                    name, test = text[start:pos], False
                    break
                if text[rest] in "?:":
                    name, test = text[start:pos], True
                    ch = text[rest]
                    pos = rest + 1
                    while pos < len(text) and text[pos] in WHITESPACE:
                        pos += 1
                    break
                if not _name_char(text[pos]):
                    return self._error(
                        f'attribute name syntax error at: "...{text[:pos]}>>>{text[pos : pos + 20]}"'
                    )
                pos += 1
            lookup = self.lookup(name, test)
        if ch == "?":
            at = self._find_curly(text, pos)
            if at is not None:
                iftrue, pos = self._curly(text, at)
                if iftrue is None:
                    return self.status
            else:
                iftrue, pos = text[pos:], len(text)
            if lookup or self.scan:
                self.status |= self._sub(iftrue)
            if pos >= len(text):
                self.level -= 1
                return self.status
            if text[pos] != ":":
                return self._error(f'":" expected at: "...{iftrue}}}>>>{text[pos : pos + 20]}"')
            pos += 1
            ch = ":"
        if ch == ":":
            at = self._find_curly(text, pos)
            if at is not None:
                iffalse, pos = self._curly(text, at)
                if iffalse is None:
                    return self.status
            else:
                iffalse, pos = text[pos:], len(text)
            if not lookup or self.scan:
                self.status |= self._sub(iffalse)
            if pos < len(text):
                return self._error(
                    f'unexpected input at: "...{iffalse}}}>>>{text[pos : pos + 20]}"'
                )
        elif ch == "":
            if lookup is None:
                self.status |= PARSE_UNDEF
            elif lookup == "" or self.scan:
                pass
            elif self.recurse:
                self.status |= self._sub(lookup)
            else:
                self.out.append(lookup)
        self.level -= 1
        return self.status


def expand(text: str, lookup: Lookup, warn: Warn, recurse: bool = True) -> tuple[str, int]:
    """Expand ``text`` (MAC_EXP_FLAG_RECURSE by default); returns (result, status bits).

    Raises MacroCrash where the real Postfix recurses without end and dies.
    """
    try:
        return Expander(lookup, warn, recurse).run(text)
    except RecursionError:
        raise MacroCrash() from None


def references(text: str, warn: Warn | None = None) -> list[str]:
    """Every ``$name`` a value mentions, in both branches of conditionals (scan mode).

    Syntax problems go to ``warn`` as the real scan reports them.
    """
    found: list[str] = []

    def record(name: str, _test: bool) -> str | None:
        found.append(name)
        return None

    Expander(record, warn or (lambda _m: None), recurse=False, scan=True).run(text)
    return found
