"""tr's strings: escapes, ``[:class:]``, ``[=c=]``, ``[c*n]`` and ranges, parsed as tr.c does.

Escapes are resolved first and an escaped character never starts a construct; each
misuse raises ``TrError`` with tr's own message. Classes are ASCII (C.UTF-8, bytes).
"""

from __future__ import annotations

from dataclasses import dataclass

_CLASSES = {
    "alnum": lambda c: chr(c).isalnum(),
    "alpha": lambda c: chr(c).isalpha(),
    "blank": lambda c: c in (9, 32),
    "cntrl": lambda c: c < 32 or c == 127,
    "digit": lambda c: 48 <= c <= 57,
    "graph": lambda c: 33 <= c <= 126,
    "lower": lambda c: 97 <= c <= 122,
    "print": lambda c: 32 <= c <= 126,
    "punct": lambda c: 33 <= c <= 126 and not chr(c).isalnum(),
    "space": lambda c: c in (9, 10, 11, 12, 13, 32),
    "upper": lambda c: 65 <= c <= 90,
    "xdigit": lambda c: chr(c) in "0123456789abcdefABCDEF",
}
MEMBERS = {name: bytes(c for c in range(128) if test(c)) for name, test in _CLASSES.items()}
_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}


class TrError(Exception):
    """A fatal problem with the strings; the message is tr's, without ``tr: ``."""


@dataclass
class Element:
    """One construct of a string: a run of bytes, a class, or a ``[c*n]`` repeat."""

    chars: bytes
    cls: str = ""
    """The class name for ``[:name:]``; case conversion needs to know it."""
    equiv: bool = False
    repeat: bool = False
    fill: bool = False
    """``[c*]`` (or ``[c*0]``): as many copies as string1 needs."""


def _printable(byte: int) -> str:
    """tr's make_printable_char: the character, or a backslash and three octal digits."""
    return chr(byte) if 32 <= byte <= 126 else f"\\{byte:03o}"


_C_ESCAPES = {7: "a", 8: "b", 12: "f", 10: "n", 13: "r", 9: "t", 11: "v", 92: "\\"}


def _printable_str(data: bytes) -> str:
    """tr's make_printable_str: C escapes for control bytes (a backslash stays one)."""
    out = []
    for byte in data:
        if byte in _C_ESCAPES and byte != 92:
            out.append("\\" + _C_ESCAPES[byte])
        else:
            out.append(_printable(byte))
    return "".join(out)


def quote(text: str) -> str:
    """coreutils' quote() in a UTF-8 locale: curly quotes, C escapes for what cannot print."""
    data = text.encode("utf-8", errors="surrogateescape")
    out = []
    for ch in data.decode("utf-8", errors="surrogateescape"):
        code = ord(ch)
        if code in _C_ESCAPES:
            out.append("\\" + _C_ESCAPES[code])
        elif code < 32 or code == 127:
            out.append(f"\\{code:03o}")
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\{code - 0xDC00:03o}")
        else:
            out.append(ch)
    return "\u2018" + "".join(out) + "\u2019"


def unescape(text: bytes, warn: list[str]) -> tuple[bytes, list[bool]]:
    """Backslash escapes resolved; also which bytes came from an escape."""
    out = bytearray()
    escaped: list[bool] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != 92:
            out.append(c)
            escaped.append(False)
            i += 1
            continue
        if i + 1 == len(text):
            warn.append("warning: an unescaped backslash at end of string is not portable")
            out.append(92)
            escaped.append(True)
            break
        nxt = chr(text[i + 1])
        if nxt in "01234567":
            digits = nxt
            j = i + 2
            while j < len(text) and len(digits) < 3 and chr(text[j]) in "01234567":
                digits += chr(text[j])
                j += 1
            if int(digits, 8) > 0o377:
                a, b, last = digits[0], digits[1], digits[2]
                warn.append(
                    f"warning: the ambiguous octal escape \\{a}{b}{last} is being\n"
                    f"\tinterpreted as the 2-byte sequence \\0{a}{b}, {last}"
                )
                digits, j = digits[:2], j - 1
            out.append(int(digits, 8))
            i = j
        else:
            out.append(_ESCAPES.get(nxt, text[i + 1]))
            i += 2
        escaped.append(True)
    return bytes(out), escaped


def _closing(s: bytes, esc: list[bool], start: int, delim: int) -> int:
    """Index of an unescaped ``delim`` followed by an unescaped ``]``, or -1."""
    for i in range(start, len(s) - 1):
        if s[i] == delim and s[i + 1] == 93 and not esc[i] and not esc[i + 1]:
            return i
    return -1


def _repeat(s: bytes, esc: list[bool], start: int) -> tuple[int, int] | None:
    """``[c*n]`` at ``start`` (the ``[``): (count, index of ``]``); count -1 means fill."""
    if start + 2 >= len(s) or s[start + 2] != 42 or esc[start + 2]:
        return None
    for i in range(start + 3, len(s)):
        if esc[i]:
            return None
        if s[i] == 93:
            digits = s[start + 3 : i].decode("latin-1")
            if not digits:
                return -1, i
            try:
                count = int(digits, 8 if digits.startswith("0") else 10)
            except ValueError:
                count = -2
            if count < 0 or not digits.isdigit():
                shown = _printable_str(s[start + 3 : i])
                raise TrError(f"invalid repeat count {quote(shown)} in [c*n] construct")
            return (count or -1), i
    return None


def _star_digits_bracket(s: bytes, esc: list[bool], at: int) -> bool:
    """Whether ``*DIGITS]`` starts at ``at``: then a bad class or equivalence is a repeat."""
    if at >= len(s) or s[at] != 42 or esc[at]:
        return False
    for i in range(at + 1, len(s)):
        if esc[i]:
            return False
        if s[i] == 93:
            return True
        if not 48 <= s[i] <= 57:
            return False
    return False


def _bracketed(s: bytes, esc: list[bool], i: int, close: int) -> Element | None:
    """``[:name:]`` or ``[=c=]`` between ``i`` and ``close``; None when tr tries a repeat."""
    raw = s[i + 2 : close]
    if not raw:
        if s[i + 1] == 58:
            raise TrError("missing character class name '[::]'")
        raise TrError("missing equivalence class character '[==]'")
    if s[i + 1] == 58:
        name = raw.decode("latin-1")
        if name in MEMBERS:
            return Element(MEMBERS[name], cls=name)
        if _star_digits_bracket(s, esc, i + 2):
            return None
        raise TrError(f"invalid character class {quote(_printable_str(raw))}")
    if len(raw) == 1:
        return Element(raw, equiv=True)
    if _star_digits_bracket(s, esc, i + 2):
        return None
    raise TrError(f"{_printable_str(raw)}: equivalence class operand must be a single character")


def parse(text: bytes, warn: list[str]) -> list[Element]:
    """A string's constructs in order (tr.c's build_spec_list)."""
    s, esc = unescape(text, warn)
    elements: list[Element] = []
    i = 0
    while i < len(s):
        if s[i] == 91 and not esc[i] and i + 1 < len(s):
            kind = s[i + 1]
            if kind in (58, 61) and not esc[i + 1]:
                close = _closing(s, esc, i + 2, kind)
                element = _bracketed(s, esc, i, close) if close >= 0 else None
                if element is not None:
                    elements.append(element)
                    i = close + 2
                    continue
            found = _repeat(s, esc, i)
            if found is not None:
                count, end = found
                char = s[i + 1 : i + 2]
                elements.append(
                    Element(char * count if count > 0 else char, repeat=True, fill=count == -1)
                )
                i = end + 1
                continue
        if i + 2 < len(s) and s[i + 1] == 45 and not esc[i + 1]:
            low, high = s[i], s[i + 2]
            if low > high:
                raise TrError(
                    f"range-endpoints of '{_printable(low)}-{_printable(high)}' "
                    "are in reverse collating sequence order"
                )
            elements.append(Element(bytes(range(low, high + 1))))
            i += 3
            continue
        elements.append(Element(s[i : i + 1]))
        i += 1
    return elements
