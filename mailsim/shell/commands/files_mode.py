"""Mode strings for chmod and mkdir -m: gnulib's mode_compile and mode_adjust.

Octal modes with fewer than five digits keep a directory's setuid/setgid bits,
and symbolic changes without a "who" leave the umask's bits alone, as GNU does.
"""

from __future__ import annotations

from dataclasses import dataclass

UMASK = 0o022
"""Debian's default umask for root and ordinary users."""

S_ISUID, S_ISGID, S_ISVTX = 0o4000, 0o2000, 0o1000
S_IRWXU, S_IRWXG, S_IRWXO = 0o700, 0o070, 0o007
ALL_BITS = 0o7777
_R, _W, _X = 0o444, 0o222, 0o111

ORDINARY, COPY_EXISTING, X_IF_ANY_X = 0, 1, 2


@dataclass(frozen=True)
class Change:
    op: str
    flag: int
    affected: int
    value: int
    mentioned: int


def compile_mode(spec: str) -> list[Change] | None:
    """The changes a mode string asks for, or None when it is invalid."""
    if spec and spec[0] in "01234567":
        if any(ch not in "01234567" for ch in spec):
            return None
        octal = int(spec, 8)
        if octal > ALL_BITS:
            return None
        if len(spec) < 5:
            mentioned = (octal & (S_ISUID | S_ISGID)) | S_ISVTX | 0o777
        else:
            mentioned = ALL_BITS
        return [Change("=", ORDINARY, ALL_BITS, octal, mentioned)]
    changes: list[Change] = []
    i, n = 0, len(spec)
    while True:
        affected = 0
        while i < n and spec[i] in "ugoa":
            affected |= {
                "u": S_ISUID | S_IRWXU,
                "g": S_ISGID | S_IRWXG,
                "o": S_ISVTX | S_IRWXO,
                "a": ALL_BITS,
            }[spec[i]]
            i += 1
        if i >= n or spec[i] not in "=+-":
            return None
        while i < n and spec[i] in "=+-":
            op = spec[i]
            i += 1
            flag = COPY_EXISTING
            if i < n and spec[i] in "ugo":
                value = {"u": S_IRWXU, "g": S_IRWXG, "o": S_IRWXO}[spec[i]]
                i += 1
            else:
                value, flag = 0, ORDINARY
                while i < n and spec[i] in "rwxXst":
                    ch = spec[i]
                    if ch == "X":
                        flag = X_IF_ANY_X
                    else:
                        value |= {"r": _R, "w": _W, "x": _X, "s": S_ISUID | S_ISGID, "t": S_ISVTX}[
                            ch
                        ]
                    i += 1
            changes.append(
                Change(op, flag, affected, value, affected & value if affected else value)
            )
        if i >= n:
            return changes
        if spec[i] != ",":
            return None
        i += 1


def adjust_mode(old: int, is_dir: bool, changes: list[Change], umask: int = UMASK) -> int:
    """The new permission bits (gnulib's mode_adjust)."""
    new = old & ALL_BITS
    for ch in changes:
        omit = (S_ISUID | S_ISGID if is_dir else 0) & ~ch.mentioned
        value = ch.value
        if ch.flag == COPY_EXISTING:
            value &= new
            value |= (
                (_R if value & _R else 0) | (_W if value & _W else 0) | (_X if value & _X else 0)
            )
        elif ch.flag == X_IF_ANY_X and (new & _X or is_dir):
            value |= _X
        value &= (ch.affected if ch.affected else ~umask) & ~omit
        if ch.op == "=":
            preserved = (~ch.affected if ch.affected else 0) | omit
            new = (new & preserved) | value
        elif ch.op == "+":
            new |= value
        else:
            new &= ~value
    return new & ALL_BITS


def rwx(mode: int) -> str:
    """``rwsr-xr-x``: the nine permission letters of chmod -v and stat's %A."""
    out = []
    for shift, special, letter in ((6, S_ISUID, "s"), (3, S_ISGID, "s"), (0, S_ISVTX, "t")):
        bits = (mode >> shift) & 7
        out.append("r" if bits & 4 else "-")
        out.append("w" if bits & 2 else "-")
        if mode & special:
            out.append(letter if bits & 1 else letter.upper())
        else:
            out.append("x" if bits & 1 else "-")
    return "".join(out)
