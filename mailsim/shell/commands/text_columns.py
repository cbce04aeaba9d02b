"""sort, uniq and cut from GNU coreutils 9.1 (C.UTF-8: byte order, as on the real host).

Field rules are coreutils': without -t a sort field starts where blanks start, so
it keeps its leading blanks unless -b says otherwise; keys that give no options
of their own inherit the global ones; equal keys fall back on comparing whole
lines unless -s or -u.
"""

from __future__ import annotations

import functools
import re

from mailsim.shell.commands.files_common import try_help
from mailsim.shell.commands.sort_keys import (
    BLANKS,
    ORDERING,
    Key,
    begfield,
    compare_bytes,
    limfield,
    parse_key,
    transform,
)
from mailsim.shell.commands.text import load, split_lines
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command


def _sort_error(ctx: Context, message: str) -> int:
    ctx.error(message)
    return 2


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
        try_help(ctx, str(exc))
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
        flag = long_to_short.get(opt) or (opt[1] if opt[1:] in ORDERING else "")
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
        parsed = parse_key(spec, global_opts)
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
            ka = a[begfield(a, key, tab) : max(begfield(a, key, tab), limfield(a, key, tab))]
            kb = b[begfield(b, key, tab) : max(begfield(b, key, tab), limfield(b, key, tab))]
            result = compare_bytes(transform(ka, key.opts), transform(kb, key.opts))
            if result:
                return -result if "r" in key.opts else result
        return 0

    def compare(a: bytes, b: bytes) -> int:
        result = compare_keys(a, b)
        if result == 0 and last_resort:
            result = compare_bytes(a, b) * (-1 if reverse_all else 1)
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
        while pos < len(line) and line[pos] in BLANKS:
            pos += 1
        while pos < len(line) and line[pos] not in BLANKS:
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
        return try_help(ctx, str(exc))
    if len(operands) > 2:
        return try_help(ctx, f"extra operand ‘{operands[2]}’")
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
        return try_help(ctx, str(exc))
    mode = spec = ""
    delim: str | None = None
    out_delim: str | None = None
    only = complement = False
    for opt, val in opts:
        if opt in ("-b", "--bytes", "-c", "--characters", "-f", "--fields"):
            if mode:
                return try_help(ctx, "only one list may be specified")
            mode, spec = ("f" if opt in ("-f", "--fields") else "b"), val
        elif opt in ("-d", "--delimiter"):
            if len(val.encode()) != 1:
                return try_help(ctx, "the delimiter must be a single character")
            delim = val
        elif opt in ("-s", "--only-delimited"):
            only = True
        elif opt == "--complement":
            complement = True
        elif opt == "--output-delimiter":
            out_delim = val
    if not mode:
        return try_help(ctx, "you must specify a list of bytes, characters, or fields")
    if mode == "b" and delim is not None:
        return try_help(ctx, "an input delimiter may be specified only when operating on fields")
    if mode == "b" and only:
        return try_help(
            ctx, "suppressing non-delimited lines makes sense\n\tonly when operating on fields"
        )
    ranges = _parse_list(spec, mode == "f")
    if isinstance(ranges, str):
        return try_help(ctx, ranges)

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
