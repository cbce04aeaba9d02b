"""tr from GNU coreutils 9.1: translate, squeeze and delete bytes of stdin.

The strings are parsed by ``tr_sets`` as tr.c parses them, and checked here in
tr.c's order, so each misuse gets the real message. The machine speaks C.UTF-8,
where tr works on bytes and the classes are ASCII.
"""

from __future__ import annotations

from mailsim.shell.commands.tr_sets import MEMBERS, Element, TrError, parse, quote
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

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
                for c in MEMBERS[cls1]:
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
            f"missing operand after {quote(operands[0])}",
            f"Two strings must be given when {why}.",
        )
    if len(operands) > most:
        hint = ""
        if len(operands) == 2:
            hint = "Only one string may be given when deleting without squeezing repeats."
        return _usage(ctx, f"extra operand {quote(operands[most])}", hint)
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
