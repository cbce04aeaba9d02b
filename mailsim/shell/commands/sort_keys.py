"""sort's keys: ``-k`` field specifications, where a key starts and ends in a line,
and the transformations and comparisons of its ordering options (coreutils 9.1)."""

from __future__ import annotations

import re
from dataclasses import dataclass

BLANKS = b" \t"
ORDERING = "bdfghiMnRrV"
"""The ordering options a key may carry (``-k2,2n``)."""

_MONTHS = b"JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
_NUMBER = re.compile(rb"[ \t]*(-?)(\d*)(?:\.(\d*))?")
_HUMAN = b"KMGTPEZYRQ"


@dataclass
class Key:
    sword: int = 0
    schar: int = 0
    eword: int = -1  # -1: to the end of the line
    echar: int = 0
    opts: str = ""
    skip_sblanks: bool = False
    skip_eblanks: bool = False


def parse_key(spec: str, global_opts: str) -> Key | str:
    m = re.fullmatch(r"(\d+)(?:\.(\d+))?([a-zA-Z]*)(?:,(\d+)(?:\.(\d+))?([a-zA-Z]*))?", spec)
    if m is None:
        dot = re.match(r"\d+\.(\D)", spec)
        if dot:
            return f"invalid number after '.': invalid count at start of ‘{spec[dot.start(1) :]}’"
        return f"invalid number at field start: invalid count at start of ‘{spec}’"
    if int(m.group(1)) == 0 or (m.group(4) is not None and int(m.group(4)) == 0):
        return f"field number is zero: invalid field specification ‘{spec}’"
    opts = m.group(3) + (m.group(6) or "")
    bad = [c for c in opts if c not in ORDERING]
    if bad:
        return f"stray character in field spec: invalid field specification ‘{spec}’"
    key = Key(int(m.group(1)) - 1, int(m.group(2) or 1) - 1)
    if m.group(4) is not None:
        key.eword = int(m.group(4)) - 1
        key.echar = int(m.group(5) or 0)
    inherited = not any(c in ORDERING for c in opts)
    key.opts = global_opts if inherited else opts
    key.skip_sblanks = "b" in (m.group(3) if not inherited else global_opts)
    key.skip_eblanks = "b" in ((m.group(6) or "") if not inherited else global_opts)
    return key


def begfield(text: bytes, key: Key, tab: bytes | None) -> int:
    """Where a key starts in a line (coreutils' begfield)."""
    ptr, lim = 0, len(text)
    for _ in range(key.sword):
        if ptr >= lim:
            break
        ptr = _past_field(text, ptr, tab)
        if tab is not None and ptr < lim:
            ptr += 1
    if key.skip_sblanks:
        ptr = _past_blanks(text, ptr)
    return min(lim, ptr + key.schar)


def limfield(text: bytes, key: Key, tab: bytes | None) -> int:
    """Where a key ends in a line (coreutils' limfield)."""
    ptr, lim = 0, len(text)
    if key.eword < 0:
        return lim
    eword = key.eword + (1 if key.echar == 0 else 0)
    while ptr < lim and eword:
        eword -= 1
        ptr = _past_field(text, ptr, tab)
        if tab is not None and ptr < lim and (eword or key.echar):
            ptr += 1
    if key.echar:
        if key.skip_eblanks:
            ptr = _past_blanks(text, ptr)
        ptr = min(lim, ptr + key.echar)
    return ptr


def _past_field(text: bytes, ptr: int, tab: bytes | None) -> int:
    """The end of the field at ``ptr``: the next tab character, or without -t the
    blanks that lead the field and the non-blanks after them."""
    lim = len(text)
    if tab is not None:
        while ptr < lim and text[ptr : ptr + 1] != tab:
            ptr += 1
        return ptr
    ptr = _past_blanks(text, ptr)
    while ptr < lim and text[ptr] not in BLANKS:
        ptr += 1
    return ptr


def _past_blanks(text: bytes, ptr: int) -> int:
    while ptr < len(text) and text[ptr] in BLANKS:
        ptr += 1
    return ptr


def _numeric(text: bytes) -> tuple[int, int, bytes]:
    """A key for -n: (sign, integer, fraction) compared as the number they spell."""
    m = _NUMBER.match(text)
    assert m is not None
    whole = m.group(2).lstrip(b"0")
    frac = (m.group(3) or b"").rstrip(b"0")
    if not whole and not frac:
        return (0, 0, b"")
    value = int(whole or b"0")
    return (-1, -value, bytes(255 - b for b in frac)) if m.group(1) else (1, value, frac)


def _human(text: bytes) -> tuple[int, tuple[int, int, bytes]]:
    m = re.match(rb"[ \t]*-?\d*(?:\.\d*)?([KMGTPEZYRQk]?)", text)
    suffix = m.group(1).upper() if m else b""
    number = _numeric(text)
    rank = _HUMAN.index(suffix) + 1 if suffix else 0
    return ((rank if number[0] >= 0 else -rank) if number[0] else 0), number


def transform(text: bytes, opts: str):  # type: ignore[no-untyped-def]
    if "n" in opts:
        return _numeric(text)
    if "h" in opts:
        return _human(text)
    if "g" in opts:
        try:
            return (1, float(text.strip() or b"x"))
        except ValueError:
            return (0, 0.0)
    if "M" in opts:
        head = text.lstrip(BLANKS)[:3].upper()
        return _MONTHS.index(head) + 1 if head in _MONTHS else 0
    if "V" in opts:
        return [(0, int(p)) if p.isdigit() else (1, p) for p in re.findall(rb"\d+|\D+", text)]
    if "d" in opts:
        text = bytes(b for b in text if chr(b).isalnum() or b in BLANKS or b >= 128)
    if "i" in opts:
        text = bytes(b for b in text if 32 <= b < 127 or b >= 128)
    if "f" in opts:
        text = text.upper()
    return text


def compare_bytes(a, b) -> int:  # type: ignore[no-untyped-def]
    return (a > b) - (a < b)
