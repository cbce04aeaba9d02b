"""seq from GNU coreutils 9.1: print a sequence of numbers.

The numbers are computed as seq.c computes them, ``FIRST + i * INCREMENT`` (never
by repeated addition), and printed with ``%.PRECf`` where PREC is the largest
number of decimals FIRST and INCREMENT were written with, or ``%g`` otherwise;
-w pads to the widest of FIRST and LAST as written. Python's float stands in
for C's long double, which gives the same text for the numbers people type.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mailsim.shell.commands.utils_common import curly, help_or_version, usage_error
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

INT_MAX = 2**31 - 1

_NUMBER = re.compile(
    r"\s*[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?"
    r"|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)",
    re.IGNORECASE,
)


_INTEGER = re.compile(r"\s*[+-]?\d+")


class SeqError(Exception):
    """A fatal error: the message and whether the --help hint follows."""

    def __init__(self, message: str, hint: bool = True) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass
class Operand:
    value: float
    width: int
    precision: int


def _strtold(arg: str) -> float | None:
    """C's strtold over the whole argument (trailing blanks allowed, as xstrtold does)."""
    m = _NUMBER.match(arg)
    if m is None or arg[m.end() :].strip(" \t\n\v\f\r"):
        return None
    body = m.group(0).strip()
    sign = -1.0 if body.startswith("-") else 1.0
    digits = body.lstrip("+-")
    if digits[:2].lower() == "0x":
        mantissa, _, exponent = digits[2:].lower().partition("p")
        whole, _, frac = mantissa.partition(".")
        value = int(whole or "0", 16) + (int(frac, 16) / 16 ** len(frac) if frac else 0.0)
        return sign * value * 2.0 ** int(exponent or "0")
    try:
        return sign * float(digits.split("(")[0])
    except OverflowError:
        return sign * math.inf


def scan_arg(arg: str) -> Operand:
    """The value, printed width and decimal precision of an operand (seq.c's scan_arg)."""
    value = _strtold(arg)
    if value is None:
        raise SeqError(f"invalid floating point argument: {curly(arg)}")
    if math.isnan(value):
        raise SeqError(f"invalid {curly('not-a-number')} argument: {curly(arg)}")
    text = arg.lstrip(" \t\n\v\f\r+")
    while text[:1] in ("+",) or text[:1].isspace():
        text = text[1:]
    width = 0
    precision = INT_MAX
    point = text.find(".")
    if point < 0 and "p" not in text:
        precision = 0
    if not re.search("[xX]", text) and math.isfinite(value):
        fraction_len = 0
        width = len(text)
        if point >= 0:
            fraction_len = len(re.split("[eE]", text[point + 1 :], maxsplit=1)[0])
            precision = fraction_len
            if fraction_len == 0:
                width -= 1
            elif point == 0 or not text[point - 1].isdigit():
                width += 1
        e = text.find("e")
        if e < 0:
            e = text.find("E")
        if e >= 0:
            exponent = _strtol(text[e + 1 :])
            precision += -exponent if exponent < 0 else -min(precision, exponent)
            width -= len(text) - e
            if exponent < 0:
                if point < 0 or e == point + 1:
                    width += 1
                exponent = -exponent
            else:
                if point >= 0 and precision == 0 and fraction_len:
                    width -= 1
                exponent -= min(fraction_len, exponent)
            width += exponent
    return Operand(value, width, precision)


def _strtol(text: str) -> int:
    m = re.match(r"\s*[+-]?\d+", text)
    return int(m.group(0)) if m else 0


def check_format(fmt: str) -> tuple[str, int, int]:
    """(Python format, prefix length, suffix length) for a -f FORMAT, or SeqError."""
    i = 0
    prefix = 0
    while not (i < len(fmt) and fmt[i] == "%" and fmt[i + 1 : i + 2] != "%"):
        if i >= len(fmt):
            raise SeqError(f"format {curly(fmt)} has no % directive", hint=False)
        prefix += 1
        i += 2 if fmt[i] == "%" else 1
    spec = re.compile(r"[-+#0 ']*\d*(?:\.\d*)?").match(fmt, i + 1)
    assert spec is not None
    j = spec.end()
    if fmt[j : j + 1] == "L":
        j += 1
    if j >= len(fmt):
        raise SeqError(f"format {curly(fmt)} ends in %", hint=False)
    if fmt[j] not in "efgaEFGA":
        raise SeqError(f"format {curly(fmt)} has unknown %{fmt[j]} directive", hint=False)
    suffix = 0
    k = j + 1
    while k < len(fmt):
        if fmt[k] == "%" and fmt[k + 1 : k + 2] != "%":
            raise SeqError(f"format {curly(fmt)} has too many % directives", hint=False)
        suffix += 1
        k += 2 if fmt[k] == "%" else 1
    # Python's % knows C's conversions but not the ' flag, the L modifier or %a.
    flags = fmt[i + 1 : spec.end()].replace("'", "")
    conversion = {"a": "e", "A": "E"}.get(fmt[j], fmt[j])
    return fmt[: i + 1] + flags + conversion + fmt[j + 1 :], prefix, suffix


def default_format(first: Operand, step: Operand, last: Operand, equal_width: bool) -> str:
    prec = max(first.precision, step.precision)
    if prec != INT_MAX and last.precision != INT_MAX:
        if not equal_width:
            return f"%.{prec}f"
        first_width = first.width + (prec - first.precision)
        last_width = last.width + (prec - last.precision)
        if last.precision and prec == 0:
            last_width -= 1
        if last.precision == 0 and prec:
            last_width += 1
        if first.precision == 0 and prec:
            first_width += 1
        return f"%0{max(first_width, last_width)}.{prec}f"
    return "%g"


def numbers(
    fmt: str, prefix: int, suffix: int, first: float, step: float, last: float
) -> Iterator[str]:
    """The printed numbers, with seq.c's rule for a last number that rounding pushed past."""
    out_of_range = last < first if step > 0 else first < last
    if out_of_range:
        return
    x = first
    i = 1
    while True:
        x0 = x
        yield fmt % x
        x = first + i * step
        i += 1
        if (x < last) if step < 0 else (last < x):
            shown = fmt % x
            body = shown[prefix : len(shown) - suffix]
            value = _strtold(body)
            if value is None or value != last or shown == fmt % x0:
                return
            yield shown
            return


_LONG = ["format=", "separator=", "equal-width", "help", "version"]


def _is_negative_number(arg: str) -> bool:
    return arg[:1] == "-" and (arg[1:2] == "." or arg[1:2].isdigit())


def _options(args: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """seq.c's loop: options one word at a time, stopping at a word like -1 or -.5."""
    opts: list[tuple[str, str]] = []
    while args and args[0].startswith("-") and args[0] != "-":
        if args[0] == "--":
            return opts, args[1:]
        if _is_negative_number(args[0]):
            break
        try:
            more, _ = getopt(args[:1], "+f:s:w", _LONG)
            args = args[1:]
        except GetoptError:
            if len(args) < 2:
                raise
            more, _ = getopt(args[:2], "+f:s:w", _LONG)
            args = args[2:]
        opts.extend(more)
    return opts, args


@command(
    "seq",
    synopsis="seq [OPTION]... [FIRST [INCREMENT]] LAST",
    summary="print a sequence of numbers",
)
def seq(ctx: Context) -> int:
    try:
        opts, args = _options(list(ctx.args))
    except GetoptError as exc:
        return usage_error(ctx, str(exc))
    done = help_or_version(ctx, opts)
    if done is not None:
        return done
    fmt: str | None = None
    separator = "\n"
    equal_width = False
    for opt, value in opts:
        if opt in ("-f", "--format"):
            fmt = value
        elif opt in ("-s", "--separator"):
            separator = value
        elif opt in ("-w", "--equal-width"):
            equal_width = True
    try:
        return _run(ctx, args, fmt, separator, equal_width)
    except SeqError as exc:
        if exc.hint:
            return usage_error(ctx, str(exc))
        ctx.error(str(exc))
        return 1


def _run(ctx: Context, args: list[str], fmt: str | None, separator: str, equal_width: bool) -> int:
    if not args:
        raise SeqError("missing operand")
    if len(args) > 3:
        raise SeqError(f"extra operand {curly(args[3])}")
    prefix = suffix = 0
    if fmt is not None:
        fmt, prefix, suffix = check_format(fmt)
        if equal_width:
            raise SeqError("format string may not be specified when printing equal width strings")
    first = Operand(1.0, 1, 0)
    step = Operand(1.0, 1, 0)
    last = scan_arg(args[0])
    if len(args) >= 2:
        first, last = last, scan_arg(args[1])
        if len(args) == 3:
            step = last
            if step.value == 0:
                raise SeqError(f"invalid Zero increment value: {curly(args[1])}")
            last = scan_arg(args[2])
    if fmt is None:
        fmt = default_format(first, step, last, equal_width)
        if all(_INTEGER.fullmatch(a) for a in args) and fmt.endswith(("%.0f", ".0f")):
            # Whole numbers stay exact however long they are (seq.c's seq_fast).
            return _integers(ctx, args, fmt.replace(".0f", "d"), separator)
    return _write(ctx, numbers(fmt, prefix, suffix, first.value, step.value, last.value), separator)


def _integers(ctx: Context, args: list[str], fmt: str, separator: str) -> int:
    values = [int(a) for a in args]
    first, step, last = (values[0], 1, values[-1]) if len(values) == 2 else (1, 1, values[0])
    if len(values) == 3:
        first, step, last = values
    stop = last + (1 if step > 0 else -1)
    return _write(ctx, (fmt % n for n in range(first, stop, step)), separator)


CHUNK = 4096
"""Numbers written at a time: output appears as it comes, and Ctrl+C is seen (seq 1 inf)."""


def _write(ctx: Context, texts: Iterator[str], separator: str) -> int:
    chunk: list[str] = []
    started = False
    for text in texts:
        chunk.append(text)
        if len(chunk) == CHUNK:
            ctx.out((separator if started else "") + separator.join(chunk))
            started, chunk = True, []
            if ctx.terminal.cancelled:
                return 130
    if chunk:
        ctx.out((separator if started else "") + separator.join(chunk))
        started = True
    if started:
        ctx.out("\n")
    return 0
