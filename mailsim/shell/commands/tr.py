"""tr from GNU coreutils 9.1: translate, squeeze and delete bytes of stdin.

The strings are parsed as tr.c parses them (escapes first, then ``[:class:]``,
``[=c=]``, ``[c*n]`` and ranges, escaped characters never starting a construct),
and checked in tr.c's order, so each misuse gets the real message. The machine
speaks C.UTF-8, where tr works on bytes and the classes are ASCII.
"""

from __future__ import annotations

from dataclasses import dataclass

from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

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
_MEMBERS = {name: bytes(c for c in range(128) if test(c)) for name, test in _CLASSES.items()}
_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}

HELP = """\
Usage: tr [OPTION]... STRING1 [STRING2]
Translate, squeeze, and/or delete characters from standard input,
writing to standard output.  STRING1 and STRING2 specify arrays of
characters ARRAY1 and ARRAY2 that control the action.

  -c, -C, --complement    use the complement of ARRAY1
  -d, --delete            delete characters in ARRAY1, do not translate
  -s, --squeeze-repeats   replace each sequence of a repeated character
                            that is listed in the last specified ARRAY,
                            with a single occurrence of that character
  -t, --truncate-set1     first truncate ARRAY1 to length of ARRAY2
      --help        display this help and exit
      --version     output version information and exit

ARRAYs are specified as strings of characters.  Most represent themselves.
Interpreted sequences are:

  \\NNN            character with octal value NNN (1 to 3 octal digits)
  \\\\              backslash
  \\a              audible BEL
  \\b              backspace
  \\f              form feed
  \\n              new line
  \\r              return
  \\t              horizontal tab
  \\v              vertical tab
  CHAR1-CHAR2     all characters from CHAR1 to CHAR2 in ascending order
  [CHAR*]         in ARRAY2, copies of CHAR until length of ARRAY1
  [CHAR*REPEAT]   REPEAT copies of CHAR, REPEAT octal if starting with 0
  [:alnum:]       all letters and digits
  [:alpha:]       all letters
  [:blank:]       all horizontal whitespace
  [:cntrl:]       all control characters
  [:digit:]       all digits
  [:graph:]       all printable characters, not including space
  [:lower:]       all lower case letters
  [:print:]       all printable characters, including space
  [:punct:]       all punctuation characters
  [:space:]       all horizontal or vertical whitespace
  [:upper:]       all upper case letters
  [:xdigit:]      all hexadecimal digits
  [=CHAR=]        all characters which are equivalent to CHAR

Translation occurs if -d is not given and both STRING1 and STRING2 appear.
-t may be used only when translating.  ARRAY2 is extended to length of
ARRAY1 by repeating its last character as necessary.  Excess characters
of ARRAY2 are ignored.  Character classes expand in unspecified order;
while translating, [:lower:] and [:upper:] may be used in pairs to
specify case conversion.  Squeezing occurs after translation or deletion.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/tr>
or available locally via: info '(coreutils) tr invocation'
"""

VERSION = """\
tr (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Jim Meyering.
"""


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


def _quote(text: str) -> str:
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
                raise TrError(f"invalid repeat count {_quote(shown)} in [c*n] construct")
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
        if name in _MEMBERS:
            return Element(_MEMBERS[name], cls=name)
        if _star_digits_bracket(s, esc, i + 2):
            return None
        raise TrError(f"invalid character class {_quote(_printable_str(raw))}")
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


def _flatten(elements: list[Element]) -> bytes:
    return b"".join(e.chars for e in elements)


def _translation(
    set1: list[Element], set2: list[Element], complement: bool, truncate: bool
) -> bytes:
    """The byte map for translating (tr.c's validate and its main loop)."""
    length1 = 256 - len(set(_flatten(set1))) if complement else len(_flatten(set1))
    fills = [e for e in set2 if e.fill]
    if fills:
        rest = len(_flatten([e for e in set2 if not e.fill]))
        fills[0].chars = fills[0].chars[:1] * max(length1 - rest, 0)
    if any(e.equiv for e in set2):
        raise TrError("[=c=] expressions may not appear in string2 when translating")
    if any(e.cls not in ("", "upper", "lower") for e in set2):
        raise TrError(
            "when translating, the only character classes that may appear in\n"
            "string2 are 'upper' and 'lower'"
        )
    if not complement:
        _check_case_alignment(set1, set2)
    target = _flatten(set2)
    if length1 > len(target) and not truncate:
        if not target:
            raise TrError("when not truncating set1, string2 must be non-empty")
        if set2[-1].cls:
            raise TrError(
                "when translating with string1 longer than string2,\n"
                "the latter string must not end with a character class"
            )
        target += target[-1:] * (length1 - len(target))
    if (
        complement
        and any(e.cls for e in set1)
        and not (len(target) == length1 and len(set(target)) <= 1)
    ):
        raise TrError(
            "when translating with complemented character classes,\n"
            "string2 must map all characters in the domain to one"
        )
    table = bytearray(range(256))
    if complement:
        for c1, c2 in zip(_complement(set1), target, strict=False):
            table[c1] = c2
        return bytes(table)
    extra = len(target) - len(_flatten(set2))
    _map_elements(table, set1, set2 + ([Element(target[-1:] * extra)] if extra else []))
    return bytes(table)


def _positions(elements: list[Element]) -> list[tuple[int, str, int, int]]:
    """Each byte with its element's case class, its offset there and the element's length."""
    return [
        (c, e.cls if e.cls in ("upper", "lower") else "", offset, len(e.chars))
        for e in elements
        for offset, c in enumerate(e.chars)
    ]


def _map_elements(table: bytearray, set1: list[Element], set2: list[Element]) -> None:
    """tr.c's translation loop: a case class in string2 converts case, or maps only the
    first byte when both sides name the same class, and skips both constructs."""
    left, right = _positions(set1), _positions(set2)
    p1 = p2 = 0
    while p1 < len(left) and p2 < len(right):
        c1, cls1, off1, len1 = left[p1]
        c2, cls2, off2, len2 = right[p2]
        if cls2 and off2 == 0:
            if cls1 and off1 == 0 and cls1 != cls2:
                for c in _MEMBERS[cls1]:
                    table[c] = c ^ 0x20
            else:
                table[c1] = c2
            p1 += len1 - off1
            p2 += len2
            continue
        table[c1] = c2
        p1 += 1
        p2 += 1


def _check_case_alignment(set1: list[Element], set2: list[Element]) -> None:
    """A [:upper:] or [:lower:] in string2 must face one of them in string1."""
    starts: dict[int, str] = {}
    position = 0
    for e in set1:
        if e.cls in ("upper", "lower"):
            starts[position] = e.cls
        position += len(e.chars)
    # tr.c walks both strings together until one ends, so a class past the end of
    # string1 is only checked when it starts right where string1 ends.
    position = 0
    for e in set2:
        if position > len(_flatten(set1)):
            break
        if e.cls in ("upper", "lower") and position not in starts:
            raise TrError("misaligned [:upper:] and/or [:lower:] construct")
        position += len(e.chars)


def _complement(set1: list[Element]) -> bytes:
    members = set(_flatten(set1))
    return bytes(c for c in range(256) if c not in members)


def _usage(ctx: Context, message: str, hint: str = "") -> int:
    ctx.error(message)
    if hint:
        ctx.err(hint + "\n")
    ctx.err("Try 'tr --help' for more information.\n")
    return 1


@command(
    "tr",
    synopsis="tr [OPTION]... STRING1 [STRING2]",
    summary="translate, squeeze and/or delete characters",
)
def tr(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.argv[1:],
            "+cCdst",
            ["complement", "delete", "squeeze-repeats", "truncate-set1", "help", "version"],
        )
    except GetoptError as exc:
        return _usage(ctx, str(exc))
    flags = {name for name, _ in opts}
    if "--help" in flags:
        ctx.out(HELP)
        return 0
    if "--version" in flags:
        ctx.out(VERSION)
        return 0
    complement = bool(flags & {"-c", "-C", "--complement"})
    delete = bool(flags & {"-d", "--delete"})
    squeeze = bool(flags & {"-s", "--squeeze-repeats"})
    truncate = bool(flags & {"-t", "--truncate-set1"})
    least = 1 + (delete == squeeze)
    most = 1 + (delete <= squeeze)
    if len(operands) < least:
        if not operands:
            return _usage(ctx, "missing operand")
        why = "both deleting and squeezing repeats" if squeeze else "translating"
        return _usage(
            ctx,
            f"missing operand after {_quote(operands[0])}",
            f"Two strings must be given when {why}.",
        )
    if len(operands) > most:
        hint = ""
        if len(operands) == 2:
            hint = "Only one string may be given when deleting without squeezing repeats."
        return _usage(ctx, f"extra operand {_quote(operands[most])}", hint)
    warnings: list[str] = []
    try:
        return _run(ctx, operands, warnings, complement, delete, squeeze, truncate)
    except TrError as exc:
        for warning in warnings:
            ctx.error(warning)
        ctx.error(str(exc))
        return 1


def _run(
    ctx: Context,
    operands: list[str],
    warnings: list[str],
    complement: bool,
    delete: bool,
    squeeze: bool,
    truncate: bool,
) -> int:
    strings = [op.encode("utf-8", errors="surrogateescape") for op in operands]
    set1 = parse(strings[0], warnings)
    set2 = parse(strings[1], warnings) if len(strings) > 1 else None
    if any(e.fill for e in set1):
        raise TrError("the [c*] repeat construct may not appear in string1")
    translating = set2 is not None and not delete
    table: bytes | None = None
    if set2 is not None:
        if sum(e.fill for e in set2) > 1:
            raise TrError("only one [c*] repeat construct may appear in string2")
        if translating:
            table = _translation(set1, set2, complement, truncate)
        elif any(e.fill for e in set2):
            raise TrError("the [c*] construct may appear in string2 only when translating")
    for warning in warnings:
        ctx.error(warning)
    first = set(_complement(set1) if complement else _flatten(set1))
    squeezing: set[int] = set()
    if squeeze:
        squeezing = first if set2 is None else set(_flatten(set2))
    data = ctx.stdin.read()
    if delete:
        data = bytes(c for c in data if c not in first)
    elif table is not None:
        data = data.translate(table)
    if squeezing:
        out = bytearray()
        last = -1
        for c in data:
            if c == last and c in squeezing:
                continue
            out.append(c)
            last = c
        data = bytes(out)
    ctx.stdout.write(data)
    return 0
