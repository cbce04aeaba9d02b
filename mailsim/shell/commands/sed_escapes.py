"""Escapes in sed scripts, as GNU sed 4.9 reads them: ``\\t``, ``\\dNNN``, ``\\oNNN``,
``\\xHH``, ``\\cX`` in regexes, ``y`` strings and replacements, and the parts of a
replacement (text, group references, case conversions)."""

from __future__ import annotations

ESCAPES = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
"""The one-letter escapes GNU sed turns into control characters."""


def numeric_escape(text: str, i: int) -> tuple[str, int] | None:
    """``\\dNNN``, ``\\oNNN``, ``\\xHH``, ``\\cX`` at text[i] (the letter); (char, next index)."""
    kind = text[i]
    if kind == "c" and i + 1 < len(text):
        return chr(ord(text[i + 1].upper()) ^ 0x40), i + 2
    base, digits, width = {
        "d": (10, "0123456789", 3),
        "o": (8, "01234567", 3),
        "x": (16, "0123456789abcdefABCDEF", 2),
    }.get(kind, (0, "", 0))
    j = i + 1
    while j < len(text) and j - i - 1 < width and text[j] in digits:
        j += 1
    if not base or j == i + 1:
        return None
    value = int(text[i + 1 : j], base) & 0xFF
    return (chr(value) if value < 0x80 else chr(0xDC00 + value)), j


def convert_regex_escapes(text: str) -> str:
    """GNU's normalize_text for a regex: \\t, \\xHH… become the characters."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            e = text[i + 1]
            if e in ESCAPES and e != "n":
                out.append(ESCAPES[e])
                i += 2
                continue
            found = numeric_escape(text, i + 1)
            if found is not None:
                ch, i = found
                out.append("\\" + ch if ch in "\\^$.*[]+?(){}|/" else ch)
                continue
            out.append(text[i : i + 2])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def y_text(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            e = text[i + 1]
            out.append(ESCAPES.get(e, "\\" if e == "\\" else e))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def parse_replacement(text: str) -> list[tuple[str, object]]:
    """The RHS of s: literal text, group references, and GNU's case conversions."""
    parts: list[tuple[str, object]] = []
    lit: list[str] = []

    def flush() -> None:
        if lit:
            parts.append(("lit", "".join(lit)))
            lit.clear()

    i = 0
    while i < len(text):
        c = text[i]
        if c == "&":
            flush()
            parts.append(("grp", 0))
            i += 1
            continue
        if c != "\\" or i + 1 >= len(text):
            lit.append(c)
            i += 1
            continue
        e = text[i + 1]
        i += 2
        if e.isdigit() and e.isascii():
            flush()
            parts.append(("grp", int(e)))
        elif e in "ULulE":
            flush()
            parts.append(("case", e))
        elif e == "\n":
            lit.append("\n")
        elif e in ESCAPES:
            lit.append(ESCAPES[e])
        else:
            found = numeric_escape(text, i - 1) if e in "docx" else None
            if found is not None:
                ch, i = found
                lit.append(ch)
            else:
                lit.append(e)
    flush()
    return parts
