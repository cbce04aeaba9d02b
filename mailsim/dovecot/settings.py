"""Dovecot 2.3's settings table: names, defaults, types, and value parsing.

The table is generated from a real Dovecot by ``tools/gen_dovecot_settings.py``
into ``data/settings.json``; this module loads it once and parses values the
way Dovecot's settings parser does, giving the canonical text ``doveconf``
prints (``2s`` → ``2 secs``, ``65536`` → ``64 k``) or the real error message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "settings.json"

UINT_MAX = 2**32 - 1
UOFF_MAX = 2**64 - 1


@dataclass(frozen=True)
class SettingDef:
    """One setting: its default as doveconf prints it and how values are parsed."""

    name: str
    default: str
    type: str
    """bool, uint, octal, size, time, time_msecs, port, enum or string."""
    values: tuple[str, ...] = ()
    """The allowed values of an enum, the default first."""
    hidden: bool = False
    """Shown by ``doveconf -a`` only when set (Dovecot's SET_FLAG_HIDDEN)."""


@dataclass(frozen=True)
class SectionDef:
    """A section kind (service, inet_listener, namespace, passdb, …)."""

    kind: str
    unique: bool
    """Instances are named (``service imap``); otherwise they are numbered."""
    fields: dict[str, SettingDef]
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    version: str
    banners: tuple[str, ...]
    globals: dict[str, SettingDef]
    sections: dict[str, SectionDef]
    strlists: tuple[str, ...]
    services: dict[str, dict]
    """Default services: ``{"fields": {...}, "listeners": [[kind, name, {...}], ...]}``."""
    modules: dict[str, frozenset[str]]

    @property
    def top_sections(self) -> tuple[str, ...]:
        nested = {c for s in self.sections.values() for c in s.children}
        return tuple(k for k in self.sections if k not in nested)

    @property
    def protocols(self) -> frozenset[str]:
        """Protocols some service serves (what ``protocols`` may name)."""
        return frozenset(s["fields"].get("protocol", "") for s in self.services.values()) - {""}


def _setting(row: list) -> SettingDef:
    name, default, kind, values = row[:4]
    hidden = bool(row[4]) if len(row) > 4 else False
    if kind == "enum" and (not values or len(values) < 2):
        kind = "string"  # checked later by its module, not by the parser
    return SettingDef(name, default, kind, tuple(values or ()), hidden)


@lru_cache(maxsize=1)
def table() -> Table:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    nesting = data["nesting"]
    sections = {
        kind: SectionDef(
            kind,
            spec["unique"],
            {r[0]: _setting(r) for r in spec["fields"]},
            tuple(nesting.get(kind, ())),
        )
        for kind, spec in data["sections"].items()
    }
    return Table(
        version=data["version"],
        banners=tuple(data["banners"]),
        globals={r[0]: _setting(r) for r in data["globals"]},
        sections=sections,
        strlists=tuple(data["strlists"]),
        services=data["services"],
        modules={k: frozenset(v) for k, v in data["modules"].items()},
    )


class InvalidValue(Exception):
    """A value the real parser rejects; ``str()`` is the real message."""


def _num_error(text: str) -> str:
    body = text[1:] if text.startswith("-") else text
    if not body.isdigit() or not body.isascii():
        return "Not a valid number"
    return "Number too small" if text.startswith("-") else "Number too large"


def _uint(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > UINT_MAX:
        raise InvalidValue(f"Invalid number {text}: {_num_error(text)}")
    return int(text)


def _leading_digits(text: str) -> tuple[int, str] | None:
    i = 0
    while i < len(text) and "0" <= text[i] <= "9":
        i += 1
    if i == 0:
        return None
    return int(text[:i]), text[i:]


def _unit_matches(rest: str, *words: str) -> bool:
    low = rest.lower()
    return any(w.startswith(low) for w in words)


def parse_time(text: str, msecs: bool) -> int:
    """Seconds (or milliseconds) of a Dovecot time interval."""
    parsed = _leading_digits(text)
    if parsed is None:
        raise InvalidValue(f"Invalid time interval: {text}")
    num, rest = parsed
    rest = rest.lstrip(" ")
    if rest == "" and num != 0:
        raise InvalidValue(f"Time interval '{text}' is missing units (add e.g. 's' for seconds)")
    multiply = 1000 if msecs else 1
    first = rest[:1].upper()
    if first == "S":
        if _unit_matches(rest, "secs", "seconds"):
            rest = ""
    elif first == "M":
        multiply *= 60
        if _unit_matches(rest, "mins", "minutes"):
            rest = ""
        elif _unit_matches(rest, "msecs", "mseconds", "millisecs", "milliseconds"):
            if not (msecs or num % 1000 == 0):
                raise InvalidValue(f"Milliseconds not supported for this setting: {text}")
            if not msecs:
                num //= 1000
            multiply = 1
            rest = ""
    elif first == "H":
        multiply *= 3600
        if _unit_matches(rest, "hours"):
            rest = ""
    elif first == "D":
        multiply *= 86400
        if _unit_matches(rest, "days"):
            rest = ""
    elif first == "W":
        multiply *= 604800
        if _unit_matches(rest, "weeks"):
            rest = ""
    if rest != "":
        raise InvalidValue(f"Invalid time interval: {text}")
    if num > UINT_MAX // multiply:
        raise InvalidValue(f"Time interval is too large: {text}")
    return num * multiply


def parse_size(text: str) -> int:
    parsed = _leading_digits(text)
    if parsed is None:
        raise InvalidValue(f"Invalid size: {text}")
    num, rest = parsed
    rest = rest.lstrip(" ")
    multiply = 1
    unit = rest[:1].upper()
    if unit in ("B", "K", "M", "G", "T"):
        multiply = {"B": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}[unit]
        rest = rest[1:]
        if multiply > 1:
            if rest[:1].upper() == "I":
                rest = rest[1:]
            if rest[:1].upper() == "B":
                rest = rest[1:]
    if rest != "":
        raise InvalidValue(f"Invalid size: {text}")
    if num > UOFF_MAX // multiply:
        raise InvalidValue(f"Size is too large: {text}")
    return num * multiply


def format_size(size: int) -> str:
    if size == 0:
        return "0"
    suffixes = "BkMGT"
    i = 0
    while i < 4 and size % 1024 == 0:
        size //= 1024
        i += 1
    return f"{size} {suffixes[i]}"


def format_time(secs: int) -> str:
    if secs == 0:
        return "0"
    suffix = "secs"
    if secs % 60 == 0:
        secs, suffix = secs // 60, "mins"
        if secs % 60 == 0:
            secs, suffix = secs // 60, "hours"
            if secs % 24 == 0:
                secs, suffix = secs // 24, "days"
                if secs % 7 == 0:
                    secs, suffix = secs // 7, "weeks"
    return f"{secs} {suffix}"


def format_time_msecs(msecs: int) -> str:
    if msecs % 1000 == 0:
        return format_time(msecs // 1000)
    return f"{msecs} ms"


def normalize(defn: SettingDef, text: str) -> str:
    """The value as doveconf prints it; raises InvalidValue with the real message."""
    kind = defn.type
    if kind == "string":
        return text
    if kind == "bool":
        low = text.lower()
        if low in ("yes", "y") or text == "1":
            return "yes"
        if low == "no":
            return "no"
        raise InvalidValue(f"Invalid boolean value: {text} (use yes or no)")
    if kind == "uint":
        return str(_uint(text))
    if kind == "octal":
        if not text.startswith("0"):
            return f"0{_uint(text):o}"
        if not all(c in "01234567" for c in text) or int(text, 8) > 2**64 - 1:
            raise InvalidValue(f"Invalid number: {text}")
        return f"0{int(text, 8) & UINT_MAX:o}"
    if kind == "size":
        return format_size(parse_size(text))
    if kind == "time":
        return format_time(parse_time(text, False))
    if kind == "time_msecs":
        return format_time_msecs(parse_time(text, True))
    if kind == "port":
        if not (text.isascii() and text.isdigit()) or int(text) > 65535:
            raise InvalidValue(f"Invalid port number {text}")
        return str(int(text))
    if kind == "enum":
        if text not in defn.values:
            raise InvalidValue(f"Invalid value: {text}")
        return text
    return text


def setting_names() -> list[str]:
    """Every global setting name, for completion."""
    return sorted(table().globals)
