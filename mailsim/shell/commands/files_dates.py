"""The common part of GNU date strings, for ``touch -d`` (the machine's time zone is UTC).

Understood: ``now``, ``today``, ``yesterday``, ``tomorrow``, ``@EPOCH``,
``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM[:SS[.frac]]`` (or with ``T``), ``HH:MM[:SS]``
(today), and relative items such as ``2 days ago``, ``-3 hours``, ``+1 week``,
optionally after a date.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_UNITS = {
    "sec": 1,
    "second": 1,
    "min": 60,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 604800,
    "fortnight": 1209600,
}
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?")
_REL = re.compile(
    r"([+-]?\d+)?\s*(second|sec|minute|min|hour|day|week|fortnight|month|year)s?"
    r"(\s+ago)?"
)


def parse_date(text: str, now: float) -> float | None:
    """Epoch seconds for a date string, or None when GNU would say "invalid date format"."""
    rest = text.strip().lower()
    base = datetime.fromtimestamp(now, tz=UTC)
    if rest.startswith("@"):
        try:
            return float(rest[1:])
        except ValueError:
            return None
    words = {"now": 0, "today": 0, "yesterday": -86400, "tomorrow": 86400}
    first, _, tail = rest.partition(" ")
    if first in words:
        base += timedelta(seconds=words[first])
        rest = tail.strip()
    m = _DATE.match(rest)
    if m:
        try:
            base = base.replace(
                year=int(m[1]),
                month=int(m[2]),
                day=int(m[3]),
                hour=0,
                minute=0,
                second=0,
                microsecond=0,
            )
        except ValueError:
            return None
        rest = rest[m.end() :].lstrip("t ").strip()
    m = _TIME.match(rest)
    if m:
        hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
        if hour > 23 or minute > 59 or second > 60:
            return None
        micro = int(float(m[4]) * 1e6) if m[4] else 0
        base = base.replace(hour=hour, minute=minute, second=second, microsecond=micro)
        rest = rest[m.end() :].strip()
    while rest:
        m = _REL.match(rest)
        if not m or not m.group(0):
            return None
        count = int(m[1]) if m[1] else 1
        if m[3]:
            count = -count
        unit = m[2]
        if unit in ("month", "year"):
            months = count * (12 if unit == "year" else 1)
            year, month = divmod(base.month - 1 + months, 12)
            try:
                base = base.replace(year=base.year + year, month=month + 1)
            except ValueError:
                return None
        else:
            base += timedelta(seconds=count * _UNITS[unit])
        rest = rest[m.end() :].strip()
    return base.timestamp()
