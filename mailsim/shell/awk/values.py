"""awk values as mawk holds them: doubles, strings, and input text ("strnums").

Text is kept as latin-1 ``str`` so that one character is one byte, as in mawk
(``length("café")`` is 5 there). A number is a Python float; a string constant
is a ``str``; text that came from input (fields, getline, ARGV, -v) is a
``StrNum``, compared as a number when it looks like one; an unset variable is
``UNINIT``, which is both "" and 0.
"""

from __future__ import annotations

import math
import re

MAX_INT = 2147483647
"""mawk prints a double as an integer when it is whole and within an int."""


class StrNum(str):
    """Text from input: numeric for comparisons when it looks like a number."""

    __slots__ = ()


class Uninit(StrNum):
    __slots__ = ()


UNINIT = Uninit("")

Value = float | str

_NUMBER = re.compile(
    r"[ \t\n\r\f\v]*[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?"
    r"|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)",
    re.IGNORECASE,
)
_BLANKS = " \t\n\r\f\v"


def _parse(text: str) -> float:
    body = text.strip(_BLANKS)
    sign = -1.0 if body.startswith("-") else 1.0
    digits = body.lstrip("+-")
    low = digits.lower()
    if low.startswith("0x"):
        mantissa, _, exponent = low[2:].partition("p")
        whole, _, frac = mantissa.partition(".")
        value = int(whole or "0", 16) + (int(frac, 16) / 16 ** len(frac) if frac else 0.0)
        if exponent:
            value = math.ldexp(value, int(exponent))
        return sign * value
    if low.startswith("inf"):
        return sign * math.inf
    if low.startswith("nan"):
        return math.copysign(math.nan, sign)
    try:
        return sign * float(digits)
    except OverflowError:
        return sign * math.inf


def str_to_num(text: str) -> float:
    """C's strtod on the longest numeric prefix; 0 when there is none."""
    m = _NUMBER.match(text)
    if m is None:
        return 0.0
    return _parse(m.group(0))


def looks_numeric(text: str) -> bool:
    """Whether input text is a number, blanks around allowed (POSIX's numeric string)."""
    m = _NUMBER.match(text)
    return m is not None and not text[m.end() :].strip(_BLANKS)


def to_num(v: Value) -> float:
    if type(v) is float:
        return v
    return str_to_num(v)  # type: ignore[arg-type]


def format_double(d: float, fmt: str) -> str:
    """A number as text: whole numbers within an int as integers, others through ``fmt``."""
    if d == int(d) if math.isfinite(d) else False:
        if -MAX_INT <= d <= MAX_INT:
            return str(int(d))
    return c_format(fmt, d)


def c_format(fmt: str, d: float) -> str:
    """printf of one double with a %e/%f/%g-style format, with C's inf/nan spelling."""
    if not math.isfinite(d):
        text = "nan" if math.isnan(d) else "inf"
        if math.copysign(1.0, d) < 0:
            text = "-" + text
        upper = fmt.rstrip()[-1:] in ("E", "F", "G")
        m = re.match(r"%([-+ #0]*)(\d*)", fmt)
        flags, width = (m.group(1), m.group(2)) if m else ("", "")
        if not text.startswith("-") and "+" in flags:
            text = "+" + text
        elif not text.startswith("-") and " " in flags:
            text = " " + text
        text = text.upper() if upper else text
        if width:
            text = text.ljust(int(width)) if "-" in flags else text.rjust(int(width))
        return text
    try:
        return fmt % d
    except (TypeError, ValueError):
        return fmt


def to_str(v: Value, convfmt: str) -> str:
    if type(v) is float:
        return format_double(v, convfmt)
    return v  # type: ignore[return-value]


def is_numeric(v: Value) -> bool:
    t = type(v)
    if t is float or t is Uninit:
        return True
    if t is StrNum:
        return looks_numeric(v)  # type: ignore[arg-type]
    return False


def truth(v: Value) -> bool:
    t = type(v)
    if t is float:
        return v != 0.0
    if t is StrNum:
        if looks_numeric(v):  # type: ignore[arg-type]
            return str_to_num(v) != 0.0  # type: ignore[arg-type]
        return v != ""
    return v != ""


def compare(a: Value, b: Value, convfmt: str) -> int:
    """-1, 0 or 1: numerically when both are numbers, otherwise as strings."""
    if is_numeric(a) and is_numeric(b):
        x, y = to_num(a), to_num(b)
        return (x > y) - (x < y)
    s, t = to_str(a, convfmt), to_str(b, convfmt)
    return (s > t) - (s < t)


def d_to_int(d: float) -> int:
    """mawk's d_to_I: truncate toward zero, clamped to an int."""
    if math.isnan(d):
        return -MAX_INT  # every comparison with NaN fails in mawk's version
    if d >= MAX_INT:
        return MAX_INT
    if d > -MAX_INT:
        return int(d)
    return -MAX_INT


def byte_char(n: int) -> str:
    return chr(n & 0xFF)


class GlibcRandom:
    """glibc's random()/srandom() (TYPE_3), which mawk 1.3.4 on Debian uses for rand()."""

    def __init__(self, seed: int = 1) -> None:
        self.seed(seed)

    def seed(self, seed: int) -> None:
        seed &= 0xFFFFFFFF
        if seed == 0:
            seed = 1
        word = seed - (1 << 32) if seed >= 1 << 31 else seed
        r = [word]
        for _ in range(30):
            hi = int(word / 127773)
            lo = word - hi * 127773
            word = 16807 * lo - 2836 * hi
            if word < 0:
                word += 2147483647
            r.append(word)
        self.state = [x & 0xFFFFFFFF for x in r]
        self.f = 3
        self.r = 0
        for _ in range(310):
            self.next()

    def next(self) -> int:
        state = self.state
        value = (state[self.f] + state[self.r]) & 0xFFFFFFFF
        state[self.f] = value
        self.f = (self.f + 1) % 31
        self.r = (self.r + 1) % 31
        return value >> 1

    def random(self) -> float:
        return self.next() / 2147483647.0
