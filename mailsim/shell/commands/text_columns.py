"""sort, uniq and cut from GNU coreutils 9.1 (C.UTF-8: byte order, as on the real host).

Field rules are coreutils': without -t a sort field starts where blanks start, so
it keeps its leading blanks unless -b says otherwise; keys that give no options
of their own inherit the global ones; equal keys fall back on comparing whole
lines unless -s or -u.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from mailsim.shell.commands.text import _try_help, load, split_lines
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

_BLANKS = b" \t"
_MONTHS = [
    b"JAN",
    b"FEB",
    b"MAR",
    b"APR",
    b"MAY",
    b"JUN",
    b"JUL",
    b"AUG",
    b"SEP",
    b"OCT",
    b"NOV",
    b"DEC",
]
_NUMBER = re.compile(rb"[ \t]*(-?)(\d*)(?:\.(\d*))?")
_HUMAN = b"KMGTPEZYRQ"
_ORDERING = "bdfghiMnRrV"


@dataclass
class Key:
    sword: int = 0
    schar: int = 0
    eword: int = -1  # -1: to the end of the line
    echar: int = 0
    opts: str = ""
    skip_sblanks: bool = False
    skip_eblanks: bool = False


def _sort_error(ctx: Context, message: str) -> int:
    ctx.error(message)
    return 2


def _parse_key(spec: str, global_opts: str) -> Key | str:
    m = re.fullmatch(r"(\d+)(?:\.(\d+))?([a-zA-Z]*)(?:,(\d+)(?:\.(\d+))?([a-zA-Z]*))?", spec)
    if m is None:
        dot = re.match(r"\d+\.(\D)", spec)
        if dot:
            return f"invalid number after '.': invalid count at start of ‘{spec[dot.start(1) :]}’"
        return f"invalid number at field start: invalid count at start of ‘{spec}’"
    if int(m.group(1)) == 0 or (m.group(4) is not None and int(m.group(4)) == 0):
        return f"field number is zero: invalid field specification ‘{spec}’"
    opts = m.group(3) + (m.group(6) or "")
    bad = [c for c in opts if c not in _ORDERING]
    if bad:
        return f"stray character in field spec: invalid field specification ‘{spec}’"
    key = Key(int(m.group(1)) - 1, int(m.group(2) or 1) - 1)
    if m.group(4) is not None:
        key.eword = int(m.group(4)) - 1
        key.echar = int(m.group(5) or 0)
    inherited = not any(c in _ORDERING for c in opts)
    key.opts = global_opts if inherited else opts
    key.skip_sblanks = "b" in (m.group(3) if not inherited else global_opts)
    key.skip_eblanks = "b" in ((m.group(6) or "") if not inherited else global_opts)
    return key


def _begfield(text: bytes, key: Key, tab: bytes | None) -> int:
    ptr, lim = 0, len(text)
    for _ in range(key.sword):
        if ptr >= lim:
            break
        if tab is not None:
            while ptr < lim and text[ptr : ptr + 1] != tab:
                ptr += 1
            if ptr < lim:
                ptr += 1
        else:
            while ptr < lim and text[ptr] in _BLANKS:
                ptr += 1
            while ptr < lim and text[ptr] not in _BLANKS:
                ptr += 1
    if key.skip_sblanks:
        while ptr < lim and text[ptr] in _BLANKS:
            ptr += 1
    return min(lim, ptr + key.schar)


def _limfield(text: bytes, key: Key, tab: bytes | None) -> int:
    ptr, lim = 0, len(text)
    if key.eword < 0:
        return lim
    eword = key.eword + (1 if key.echar == 0 else 0)
    while ptr < lim and eword:
        eword -= 1
        if tab is not None:
            while ptr < lim and text[ptr : ptr + 1] != tab:
                ptr += 1
            if ptr < lim and (eword or key.echar):
                ptr += 1
        else:
            while ptr < lim and text[ptr] in _BLANKS:
                ptr += 1
            while ptr < lim and text[ptr] not in _BLANKS:
                ptr += 1
    if key.echar:
        if key.skip_eblanks:
            while ptr < lim and text[ptr] in _BLANKS:
                ptr += 1
        ptr = min(lim, ptr + key.echar)
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


def _transform(text: bytes, opts: str):  # type: ignore[no-untyped-def]
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
        head = text.lstrip(_BLANKS)[:3].upper()
        return _MONTHS.index(head) + 1 if head in _MONTHS else 0
    if "V" in opts:
        return [(0, int(p)) if p.isdigit() else (1, p) for p in re.findall(rb"\d+|\D+", text)]
    if "d" in opts:
        text = bytes(b for b in text if chr(b).isalnum() or b in _BLANKS or b >= 128)
    if "i" in opts:
        text = bytes(b for b in text if 32 <= b < 127 or b >= 128)
    if "f" in opts:
        text = text.upper()
    return text


def _cmp(a, b) -> int:  # type: ignore[no-untyped-def]
    return (a > b) - (a < b)


@command("sort", synopsis="sort [OPTION]... [FILE]...", summary="sort lines of text files")
def sort(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "bcCdfghik:mMno:rRsS:t:T:uVz",
            [
                "ignore-leading-blanks",
                "check=?",
                "dictionary-order",
                "ignore-case",
                "general-numeric-sort",
                "human-numeric-sort",
                "ignore-nonprinting",
                "key=",
                "merge",
                "month-sort",
                "numeric-sort",
                "output=",
                "reverse",
                "random-sort",
                "stable",
                "buffer-size=",
                "field-separator=",
                "temporary-directory=",
                "unique",
                "version-sort",
                "zero-terminated",
                "parallel=",
            ],
        )
    except GetoptError as exc:
        _try_help(ctx, str(exc))
        return 2
    long_to_short = {
        "--ignore-leading-blanks": "b",
        "--dictionary-order": "d",
        "--ignore-case": "f",
        "--general-numeric-sort": "g",
        "--human-numeric-sort": "h",
        "--ignore-nonprinting": "i",
        "--month-sort": "M",
        "--numeric-sort": "n",
        "--reverse": "r",
        "--random-sort": "R",
        "--version-sort": "V",
    }
    global_opts = ""
    key_specs: list[str] = []
    tab: bytes | None = None
    unique = stable = check = False
    output: str | None = None
    for opt, val in opts:
        flag = long_to_short.get(opt) or (opt[1] if opt[1:] in _ORDERING else "")
        if flag:
            global_opts += flag
        elif opt in ("-k", "--key"):
            key_specs.append(val)
        elif opt in ("-t", "--field-separator"):
            if len(val.encode()) != 1:
                return _sort_error(ctx, f"multi-character tab ‘{val}’" if val else "empty tab")
            tab = val.encode()
        elif opt in ("-u", "--unique"):
            unique = True
        elif opt in ("-s", "--stable"):
            stable = True
        elif opt in ("-c", "-C", "--check"):
            check = True
        elif opt in ("-o", "--output"):
            output = val
    keys: list[Key] = []
    for spec in key_specs:
        parsed = _parse_key(spec, global_opts)
        if isinstance(parsed, str):
            return _sort_error(ctx, parsed)
        keys.append(parsed)
    lines: list[tuple[bytes, str, int]] = []
    for operand in operands or ["-"]:
        data, error = load(ctx, operand)
        if error is not None:
            return _sort_error(ctx, f"cannot read: {operand}: {error}")
        for number, line in enumerate(split_lines(data or b""), 1):
            lines.append((line.rstrip(b"\n"), operand, number))
    if not keys:
        keys = [
            Key(opts=global_opts, skip_sblanks="b" in global_opts, skip_eblanks="b" in global_opts)
        ]
    reverse_all = "r" in global_opts
    last_resort = not (stable or unique)

    def compare_keys(a: bytes, b: bytes) -> int:
        for key in keys:
            ka = a[_begfield(a, key, tab) : max(_begfield(a, key, tab), _limfield(a, key, tab))]
            kb = b[_begfield(b, key, tab) : max(_begfield(b, key, tab), _limfield(b, key, tab))]
            result = _cmp(_transform(ka, key.opts), _transform(kb, key.opts))
            if result:
                return -result if "r" in key.opts else result
        return 0

    def compare(a: bytes, b: bytes) -> int:
        result = compare_keys(a, b)
        if result == 0 and last_resort:
            result = _cmp(a, b) * (-1 if reverse_all else 1)
        return result

    if check:
        for (prev, _, _), (line, name, number) in zip(lines, lines[1:], strict=False):
            order = compare(prev, line)
            if order > 0 or (unique and order == 0):
                ctx.error(f"{name}:{number}: disorder: {line.decode('utf-8', 'surrogateescape')}")
                return 1
        return 0
    ordered = sorted((line for line, _, _ in lines), key=functools.cmp_to_key(compare))
    if unique:
        kept: list[bytes] = []
        for line in ordered:
            if not kept or compare_keys(kept[-1], line) != 0:
                kept.append(line)
        ordered = kept
    data = b"".join(line + b"\n" for line in ordered)
    if output is None:
        ctx.stdout.write(data)
        return 0
    try:
        ctx.machine.write_bytes(ctx.abspath(output), data)
    except OSError as exc:
        return _sort_error(ctx, f"open failed: {output}: {exc.strerror}")
    return 0


def _uniq_key(line: bytes, fields: int, chars: int, width: int | None, icase: bool) -> bytes:
    pos = 0
    for _ in range(fields):
        while pos < len(line) and line[pos] in _BLANKS:
            pos += 1
        while pos < len(line) and line[pos] not in _BLANKS:
            pos += 1
    key = line[pos + chars :]
    if width is not None:
        key = key[:width]
    return key.lower() if icase else key


@command(
    "uniq", synopsis="uniq [OPTION]... [INPUT [OUTPUT]]", summary="report or omit repeated lines"
)
def uniq(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "cdDf:is:uw:z",
            [
                "count",
                "repeated",
                "all-repeated=?",
                "skip-fields=",
                "ignore-case",
                "skip-chars=",
                "unique",
                "check-chars=",
                "zero-terminated",
                "group=?",
            ],
        )
    except GetoptError as exc:
        return _try_help(ctx, str(exc))
    if len(operands) > 2:
        return _try_help(ctx, f"extra operand ‘{operands[2]}’")
    flags = {o for o, _ in opts}
    count = bool(flags & {"-c", "--count"})
    repeated = bool(flags & {"-d", "--repeated"})
    all_repeated = bool(flags & {"-D", "--all-repeated"})
    uniques = bool(flags & {"-u", "--unique"})
    icase = bool(flags & {"-i", "--ignore-case"})
    fields = chars = 0
    width: int | None = None
    for opt, val in opts:
        if opt in ("-f", "--skip-fields", "-s", "--skip-chars", "-w", "--check-chars"):
            if not val.isdigit():
                what = {
                    "f": "number of fields to skip",
                    "s": "number of bytes to skip",
                    "w": "number of bytes to compare",
                }[opt.lstrip("-")[0]]
                ctx.error(f"{val}: invalid {what}")
                return 1
            if opt in ("-f", "--skip-fields"):
                fields = int(val)
            elif opt in ("-s", "--skip-chars"):
                chars = int(val)
            else:
                width = int(val)
    data, error = load(ctx, operands[0] if operands else "-")
    if error is not None:
        ctx.error(f"{operands[0]}: {error}")
        return 1
    groups: list[list[bytes]] = []
    last_key: bytes | None = None
    for line in split_lines(data or b""):
        line = line.rstrip(b"\n")
        key = _uniq_key(line, fields, chars, width, icase)
        if groups and key == last_key:
            groups[-1].append(line)
        else:
            groups.append([line])
            last_key = key
    out: list[bytes] = []
    for group in groups:
        if all_repeated:
            if len(group) > 1:
                out.extend(line + b"\n" for line in group)
            continue
        if (repeated and len(group) < 2) or (uniques and len(group) > 1):
            continue
        prefix = f"{len(group):7d} ".encode() if count else b""
        out.append(prefix + group[0] + b"\n")
    result = b"".join(out)
    if len(operands) == 2:
        try:
            ctx.machine.write_bytes(ctx.abspath(operands[1]), result)
        except OSError as exc:
            ctx.error(f"{operands[1]}: {exc.strerror}")
            return 1
        return 0
    ctx.stdout.write(result)
    return 0


def _parse_list(spec: str, fields: bool) -> list[tuple[int, int]] | str:
    ranges = []
    invalid = re.search(r"[^\d,-]", spec)
    for part in spec.split(","):
        m = re.fullmatch(r"(\d*)(-?)(\d*)", part)
        if m is None or (not m.group(1) and not m.group(3) and not (m.group(2) and part)):
            if m is None and invalid is not None:
                bad = spec[invalid.start() :]
                return (
                    f"invalid field value ‘{bad}’"
                    if fields
                    else f"invalid byte/character position ‘{bad}’"
                )
            return (
                "fields are numbered from 1"
                if fields
                else "byte/character positions are numbered from 1"
            )
        lo = int(m.group(1)) if m.group(1) else 1
        hi = int(m.group(3)) if m.group(3) else (lo if not m.group(2) else 1 << 62)
        if (m.group(1) and lo == 0) or (m.group(3) and hi == 0 and not m.group(1)):
            return (
                "fields are numbered from 1"
                if fields
                else "byte/character positions are numbered from 1"
            )
        if hi < lo:
            return "invalid decreasing range"
        ranges.append((lo, hi))
    return ranges


@command(
    "cut", synopsis="cut OPTION... [FILE]...", summary="remove sections from each line of files"
)
def cut(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "b:c:d:f:nsz",
            [
                "bytes=",
                "characters=",
                "delimiter=",
                "fields=",
                "only-delimited",
                "complement",
                "output-delimiter=",
                "zero-terminated",
            ],
        )
    except GetoptError as exc:
        return _try_help(ctx, str(exc))
    mode = spec = ""
    delim: str | None = None
    out_delim: str | None = None
    only = complement = False
    for opt, val in opts:
        if opt in ("-b", "--bytes", "-c", "--characters", "-f", "--fields"):
            if mode:
                return _try_help(ctx, "only one list may be specified")
            mode, spec = ("f" if opt in ("-f", "--fields") else "b"), val
        elif opt in ("-d", "--delimiter"):
            if len(val.encode()) != 1:
                return _try_help(ctx, "the delimiter must be a single character")
            delim = val
        elif opt in ("-s", "--only-delimited"):
            only = True
        elif opt == "--complement":
            complement = True
        elif opt == "--output-delimiter":
            out_delim = val
    if not mode:
        return _try_help(ctx, "you must specify a list of bytes, characters, or fields")
    if mode == "b" and delim is not None:
        return _try_help(ctx, "an input delimiter may be specified only when operating on fields")
    if mode == "b" and only:
        return _try_help(
            ctx, "suppressing non-delimited lines makes sense\n\tonly when operating on fields"
        )
    ranges = _parse_list(spec, mode == "f")
    if isinstance(ranges, str):
        return _try_help(ctx, ranges)

    def wanted(n: int) -> bool:
        return any(lo <= n <= hi for lo, hi in ranges) != complement

    sep = (delim or "\t").encode()
    joiner = out_delim.encode() if out_delim is not None else (sep if mode == "f" else b"")
    status = 0
    out: list[bytes] = []
    for operand in operands or ["-"]:
        data, error = load(ctx, operand)
        if error is not None:
            ctx.error(f"{operand}: {error}")
            status = 1
            continue
        for line in split_lines(data or b""):
            line = line.rstrip(b"\n")
            if mode == "b":
                picked = [line[i : i + 1] for i in range(len(line)) if wanted(i + 1)]
                out.append(
                    (
                        joiner.join(_runs(line, wanted))
                        if out_delim is not None
                        else b"".join(picked)
                    )
                    + b"\n"
                )
                continue
            if sep not in line:
                if not only:
                    out.append(line + b"\n")
                continue
            parts = line.split(sep)
            out.append(joiner.join(p for i, p in enumerate(parts, 1) if wanted(i)) + b"\n")
    ctx.stdout.write(b"".join(out))
    return status


def _runs(line: bytes, wanted) -> list[bytes]:  # type: ignore[no-untyped-def]
    """Contiguous selected byte runs (joined by --output-delimiter)."""
    runs: list[bytes] = []
    current = b""
    for i in range(len(line)):
        if wanted(i + 1):
            current += line[i : i + 1]
        elif current:
            runs.append(current)
            current = b""
    if current:
        runs.append(current)
    return runs
