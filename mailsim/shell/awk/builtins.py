"""printf formatting, regular expressions and sub/gsub/split as mawk 1.3.4 does them."""

from __future__ import annotations

import re
from typing import Any

from mailsim.shell import posix_regex
from mailsim.shell.awk.values import (
    Value,
    byte_char,
    c_format,
    d_to_int,
    to_num,
    to_str,
)


class AwkRuntimeError(Exception):
    """A run-time error: ``str(exc)`` is mawk's text after ``run time error: ``."""

    def __init__(self, message: str, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial
        """What printf had already written when it failed (mawk writes as it goes)."""


class AwkLimit(Exception):
    """One of mawk's fixed limits was exceeded (a fatal error, not a run time error)."""


class AwkRegexError(Exception):
    """A regular expression mawk cannot compile: (reason, pattern)."""

    def __init__(self, reason: str, pattern: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.pattern = pattern


_CACHE: dict[str, posix_regex.Regex] = {}


_CONTROL = {"n": "\n", "t": "\t", "f": "\f", "b": "\b", "r": "\r", "v": "\v", "a": "\a"}


def _mawk_dialect(pattern: str) -> str:
    """mawk 1.3.4-20200120's regular expressions as a POSIX ERE.

    That mawk has no intervals (braces are literal), no GNU word operators (\\< is
    a plain <), reads \\t and friends as the characters, and refuses a repetition
    or an alternative with nothing before it ("missing operand").
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    operand = False
    depth = 0
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            e = pattern[i + 1]
            i += 2
            operand = True
            if e in _CONTROL:
                out.append(_CONTROL[e])
            elif e.isalnum() and e not in "01234567":
                out.append(e)
            elif e in "<>":
                out.append(e)
            else:
                out.append("\\" + e)
            continue
        if c == "[":
            j = i + 1
            members = ["["]
            if pattern.startswith("^", j):
                members.append("^")
                j += 1
            if pattern.startswith("]", j):
                members.append("]")
                j += 1
            while j < n and pattern[j] != "]":
                if pattern.startswith("[:", j):
                    close = pattern.find(":]", j + 2)
                    if close >= 0:
                        members.append(pattern[j : close + 2])
                        j = close + 2
                        continue
                if pattern[j] == "\\" and j + 1 < n and pattern[j + 1] != "]":
                    e = pattern[j + 1]
                    members.append(_CONTROL.get(e, e))
                    j += 2
                    continue
                members.append(pattern[j])
                j += 1
            members.append(pattern[j : j + 1])
            out.append("".join(members))
            i = j + 1
            operand = True
            continue
        if c in "*+?":
            if not operand:
                raise AwkRegexError("missing operand", pattern)
        elif c == ")" and depth == 0:
            out.append("\\)")  # an unmatched ) is an ordinary character
            operand = True
            i += 1
            continue
        elif c in "|)":
            depth -= c == ")"
            if not operand:
                raise AwkRegexError("missing operand", pattern)
            operand = c == ")"
        elif c == "(":
            operand = False
            depth += 1
        elif c in "{}":
            out.append("\\" + c)
            operand = True
            i += 1
            continue
        elif c in "^$":
            pass
        else:
            operand = True
        out.append(c)
        i += 1
    if not operand and "|" in pattern and pattern.rstrip().endswith("|"):
        raise AwkRegexError("missing operand", pattern)
    return "".join(out)


def regex(pattern: str) -> posix_regex.Regex:
    found = _CACHE.get(pattern)
    if found is not None:
        return found
    try:
        compiled = posix_regex.compile_ere(_mawk_dialect(pattern))
    except posix_regex.RegexError as exc:
        text = str(exc)
        if "(" in text or ")" in text or "paren" in text.lower():
            reason = "missing ')'" if pattern.count("(") > pattern.count(")") else "missing '('"
        elif "[" in text or "bracket" in text.lower() or "class" in text.lower():
            reason = "bad class -- [], [^] or ["
        else:
            reason = "missing operand"
        raise AwkRegexError(reason, pattern) from None
    if len(_CACHE) > 500:
        _CACHE.clear()
    _CACHE[pattern] = compiled
    return compiled


def search(rx: posix_regex.Regex, text: str, pos: int = 0) -> Any:
    try:
        return rx.search(text, pos)
    except posix_regex.RegexTimeout:
        from mailsim.i18n import t

        raise AwkRuntimeError(t("awk.too_costly")) from None


# -- printf ---------------------------------------------------------------------

_SPEC = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([a-zA-Z%]?)")


def sprintf(fmt: str, args: list[Value], convfmt: str, who: str = "sprintf") -> str:
    """sprintf(fmt, args...) with mawk's conversions and errors."""
    out: list[str] = []
    pos = 0
    argi = 0
    n = len(fmt)

    def take() -> Value:
        nonlocal argi
        if argi >= len(args):
            raise AwkRuntimeError(f'not enough arguments passed to {who}("{fmt}")', "".join(out))
        v = args[argi]
        argi += 1
        return v

    while pos < n:
        pct = fmt.find("%", pos)
        if pct < 0:
            out.append(fmt[pos:])
            break
        out.append(fmt[pos:pct])
        m = _SPEC.match(fmt, pct)
        assert m is not None
        flags, width, prec, conv = m.groups()
        pos = m.end()
        if conv == "%" and not flags and width is None and prec is None:
            out.append("%")
            continue
        if width == "*":
            width = str(int(to_num(take())))
            if width.startswith("-"):
                flags += "-"
                width = width[1:]
        if prec == "*":
            prec = str(max(0, int(to_num(take()))))
        spec = "%" + flags + (width or "") + ("." + prec if prec is not None else "")
        if conv == "%":
            take()  # mawk treats %5% as a conversion that needs an argument
            out.append((spec + "s") % "%")
            continue
        if conv == "":
            take()
            out.append(fmt[pct:])
            continue
        if conv in "cdiouxXeEfFgGs":
            v = take()
        else:
            v = take()
            kind = "number" if isinstance(v, float) else "string"
            raise AwkRuntimeError(f'improper conversion({kind} {argi}) in {who}("{fmt}")')
        if conv == "s":
            text = to_str(v, convfmt)
            if not text and " " in flags:
                # What mawk prints for "% Ns" of an empty string: one blank more than N.
                out.append(" " + " " * int(width or "0"))
            else:
                out.append((spec + "s") % text)
        elif conv == "c":
            if isinstance(v, float):
                ch = byte_char(d_to_int(v))
            else:
                ch = v[:1] if v else "\0"  # the string's terminating NUL
            # mawk prints %c as %s of that one character (precision and width apply).
            out.append(
                (
                    "%"
                    + flags.replace("0", "")
                    + (width or "")
                    + ("." + prec if prec is not None else "")
                    + "s"
                )
                % ch
            )
        elif conv in "di":
            d = to_num(v)
            i = d_to_int(d)
            out.append(c_integer(flags, width, prec, i, "d"))
        elif conv in "ouxX":
            d = to_num(v)
            u = 0 if d != d or d < 0 else int(min(4294967295.0, d))
            out.append(c_integer(flags, width, prec, u, conv))
        else:
            out.append(c_format(spec + conv, to_num(v)))
    return "".join(out)


def c_integer(flags: str, width: str | None, prec: str | None, value: int, conv: str) -> str:
    """C's printf of an integer: precision is a minimum digit count (.0 prints 0 as
    nothing), the 0 flag pads only without a precision, # marks octal and hex."""
    digits = format(abs(value), {"d": "d", "u": "d", "o": "o", "x": "x", "X": "X"}[conv])
    if prec is not None:
        p = int(prec or "0")
        digits = "" if p == 0 and value == 0 else digits.zfill(p)
    prefix = ""
    if "#" in flags:
        if conv == "o" and not digits.startswith("0"):
            digits = "0" + digits
        elif conv in "xX" and value != 0:
            prefix = "0" + conv
    if value < 0:
        prefix = "-" + prefix
    elif conv == "d" and "+" in flags:
        prefix = "+" + prefix
    elif conv == "d" and " " in flags:
        prefix = " " + prefix
    size = int(width or "0")
    pad = size - len(prefix) - len(digits)
    if pad <= 0:
        return prefix + digits
    if "-" in flags:
        return prefix + digits + " " * pad
    if "0" in flags and prec is None:
        return prefix + "0" * pad + digits
    return " " * pad + prefix + digits


# -- sub and gsub -----------------------------------------------------------------


def _replacement(repl: str, matched: str) -> str:
    """& is the match, \\& a literal &, \\\\ a backslash (mawk's rules)."""
    if "&" not in repl and "\\" not in repl:
        return repl
    out: list[str] = []
    i, n = 0, len(repl)
    while i < n:
        c = repl[i]
        if c == "\\" and i + 1 < n and repl[i + 1] in "&\\":
            out.append(repl[i + 1])
            i += 2
            continue
        out.append(matched if c == "&" else c)
        i += 1
    return "".join(out)


def substitute(rx: posix_regex.Regex, repl: str, target: str, global_: bool) -> tuple[str, int]:
    """(new text, number of replacements)."""
    if not global_:
        m = search(rx, target)
        if m is None:
            return target, 0
        return target[: m.start()] + _replacement(repl, m.group(0)) + target[m.end() :], 1
    out: list[str] = []
    count = 0
    pos = 0
    n = len(target)
    last_end = -1
    while pos <= n:
        m = search(rx, target, pos)
        if m is None:
            break
        start, end = m.start(), m.end()
        if start == end and start == last_end:
            # No empty match right after a match.
            if start >= n:
                break
            out.append(target[start])
            pos = start + 1
            continue
        out.append(target[pos:start])
        out.append(_replacement(repl, m.group(0)))
        count += 1
        last_end = end
        if end == start:
            if start < n:
                out.append(target[start])
            pos = start + 1
        else:
            pos = end
    out.append(target[pos:])
    return "".join(out), count


def split_fields(text: str, fs: str, paragraph: bool = False) -> list[str]:
    """Fields of a record with FS (a blank, one character, or a regular expression)."""
    if fs == " ":
        return (
            text.split()
            if not _has_odd_blanks(text)
            else re.split(r"[ \t\n]+", text.strip(" \t\n"))
        )
    if text == "":
        return []
    if paragraph:
        parts: list[str] = []
        for line in text.split("\n"):
            parts.extend(split_fields(line, fs) if line else [""])
        return parts
    if len(fs) == 1 and fs != "\\":
        return text.split(fs)
    if fs == "":
        return list(text)
    return split_regex(text, regex(fs))


def split_regex(text: str, rx: Any) -> list[str]:
    """Pieces of ``text`` between the matches of ``rx``; an empty match separates nothing."""
    if text == "":
        return []
    out: list[str] = []
    start = pos = 0
    while pos <= len(text):
        m = search(rx, text, pos)
        if m is None:
            break
        if m.end() == m.start():
            pos = m.start() + 1
            continue
        out.append(text[start : m.start()])
        start = pos = m.end()
    out.append(text[start:])
    return out


def _has_odd_blanks(text: str) -> bool:
    """str.split() also splits at \\r, \\f, \\v and \\x1c-\\x1f, which awk does not."""
    return any(c in text for c in "\r\f\v\x1c\x1d\x1e\x1f\x85\xa0")
