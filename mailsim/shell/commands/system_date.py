"""date (GNU coreutils 9.1): the date strings of -d, the format, -I/-R/--rfc-3339, -r and -s.

The machine's clock is UTC and belongs to the machine: ``date -s`` shows the new time
but never keeps it.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

from mailsim.shell.commands import files_dates
from mailsim.shell.commands.files_common import try_help
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

# One table of units and one pattern of relative items for date -d and touch -d.
_UNITS = files_dates._UNITS
_RELATIVE = files_dates._REL


def parse_date(text: str, now: float) -> float | None:
    """GNU date -d for the forms a mail admin types; None when date would say 'invalid date'."""
    spec = text.strip().lower()
    if spec.startswith("@"):
        try:
            return float(spec[1:])
        except ValueError:
            return None
    base = datetime.fromtimestamp(now, tz=UTC)
    words = spec.replace("next-", "next ").split()
    if not words:
        return base.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    rest = " ".join(words)
    m = re.match(
        r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(?:utc|z)?\s*", rest
    )
    when = base
    if m:
        try:
            when = datetime(
                int(m[1]),
                int(m[2]),
                int(m[3]),
                int(m[4] or 0),
                int(m[5] or 0),
                int(m[6] or 0),
                tzinfo=UTC,
            )
        except ValueError:
            return None
        rest = rest[m.end() :]
    rest = rest.strip()
    while rest:
        word_match = re.match(r"(now|today|yesterday|tomorrow|next\s+(\w+))\s*", rest)
        if word_match:
            word = word_match.group(1)
            if word == "yesterday":
                when -= timedelta(days=1)
            elif word == "tomorrow":
                when += timedelta(days=1)
            elif word.startswith("next"):
                unit = word_match.group(2).rstrip("s")
                if unit not in _UNITS:
                    return None
                when += timedelta(seconds=_UNITS[unit])
            rest = rest[word_match.end() :]
            continue
        time_match = re.match(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*", rest)
        if time_match:
            when = when.replace(
                hour=int(time_match[1]),
                minute=int(time_match[2]),
                second=int(time_match[3] or 0),
                microsecond=0,
            )
            if when.hour > 23:
                return None
            rest = rest[time_match.end() :]
            continue
        rel = _RELATIVE.match(rest)
        if rel and rel.group(0).strip():
            count = int(rel.group(1) or 1) * (-1 if rel.group(3) else 1)
            unit = rel.group(2)
            if unit in ("month", "year"):
                months = count * (12 if unit == "year" else 1)
                total = when.year * 12 + when.month - 1 + months
                # GNU lets a day past the month's end run into the next (Jan 31 + 1 month
                # is Mar 3 in a common year), as mktime normalises it.
                first = when.replace(year=total // 12, month=total % 12 + 1, day=1)
                when = first + timedelta(days=when.day - 1)
            else:
                when += timedelta(seconds=count * _UNITS[unit])
            rest = rest[rel.end() :].strip()
            continue
        return None
    return when.timestamp()


def strftime(fmt: str, when: float) -> str:
    """GNU date's format: glibc strftime plus %N, %s, %:z, %::z handled here (UTC machine)."""
    stamp = datetime.fromtimestamp(when, tz=UTC)
    tm = stamp.timetuple()
    out: list[str] = []
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch != "%" or i + 1 >= len(fmt):
            out.append(ch)
            i += 1
            continue
        m = re.match(r"%([-_0^#]*)(\d*)(:{0,3})([a-zA-Z%+])", fmt[i:])
        if not m:
            out.append(ch)
            i += 1
            continue
        flags, width, colons, conv = m.groups()
        i += m.end()
        if conv == "N":
            digits = int(width) if width else 9
            out.append(f"{int(round((when % 1) * 1e9)):09d}"[:digits])
        elif conv == "s":
            out.append(str(int(when // 1)))
        elif conv == "z":
            out.append({"": "+0000", ":": "+00:00", "::": "+00:00:00", ":::": "+00"}[colons])
        elif conv == "Z":
            out.append("UTC")
        elif conv == "+":
            out.append(time.strftime("%a %b %e %H:%M:%S UTC %Y", tm))
        else:
            out.append(time.strftime(f"%{flags}{width}{conv}", tm))
    return "".join(out)


DEFAULT_FORMAT = "%a %b %e %H:%M:%S %Z %Y"
ISO_FORMATS = {
    "date": "%Y-%m-%d",
    "hours": "%Y-%m-%dT%H%:z",
    "minutes": "%Y-%m-%dT%H:%M%:z",
    "seconds": "%Y-%m-%dT%H:%M:%S%:z",
    "ns": "%Y-%m-%dT%H:%M:%S,%N%:z",
}
RFC3339 = {"date": "%Y-%m-%d", "seconds": "%Y-%m-%d %H:%M:%S%:z", "ns": "%Y-%m-%d %H:%M:%S.%N%:z"}


@command(
    "date", synopsis="date [OPTION]... [+FORMAT]", summary="print or set the system date and time"
)
def date(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "d:f:I::r:Rs:uZ",
            [
                "date=",
                "file=",
                "iso-8601=?",
                "reference=",
                "rfc-email",
                "rfc-822",
                "rfc-2822",
                "rfc-3339=",
                "set=",
                "utc",
                "universal",
                "debug",
                "help",
                "version",
            ],
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    now = ctx.machine.clock.now()
    when = now
    fmt = DEFAULT_FORMAT
    setting: str | None = None
    for opt, value in opts:
        if opt in ("-d", "--date"):
            parsed = parse_date(value, now)
            if parsed is None:
                ctx.err(f"date: invalid date ‘{value}’\n")
                return 1
            when = parsed
        elif opt in ("-R", "--rfc-email", "--rfc-822", "--rfc-2822"):
            fmt = "%a, %d %b %Y %H:%M:%S %z"
        elif opt in ("-I", "--iso-8601"):
            key = value or "date"
            if key not in ISO_FORMATS:
                ctx.err(f"date: invalid argument ‘{value}’ for ‘--iso-8601’\n")
                return 1
            fmt = ISO_FORMATS[key]
        elif opt == "--rfc-3339":
            if value not in RFC3339:
                ctx.err(f"date: invalid argument ‘{value}’ for ‘--rfc-3339’\n")
                return 1
            fmt = RFC3339[value]
        elif opt in ("-s", "--set"):
            setting = value
        elif opt in ("-r", "--reference"):
            try:
                when = ctx.machine.stat(ctx.abspath(value)).mtime
            except OSError as exc:
                ctx.err(f"date: {value}: {exc.strerror}\n")
                return 1
        elif opt == "--version":
            ctx.out("date (GNU coreutils) 9.1\n")
            return 0
        elif opt == "--help":
            ctx.out(
                "Usage: date [OPTION]... [+FORMAT]\n"
                "  or:  date [-u|--utc|--universal] [MMDDhhmm[[CC]YY][.ss]]\n"
                "Display date and time in the given FORMAT.\n"
            )
            return 0
    formats = [o for o in operands if o.startswith("+")]
    others = [o for o in operands if not o.startswith("+")]
    if len(operands) > 1:
        ctx.err(f"date: extra operand ‘{operands[1]}’\n")
        ctx.err("Try 'date --help' for more information.\n")
        return 1
    if formats:
        fmt = formats[0][1:]
    if others:
        # MMDDhhmm[[CC]YY][.ss]: setting the clock, which the simulated host does not allow.
        ctx.err(f"date: invalid date ‘{others[0]}’\n") if not re.fullmatch(
            r"\d{8}(\d{2}|\d{4})?(\.\d{2})?", others[0]
        ) else ctx.err("date: cannot set date: Operation not permitted\n")
        return 1
    if setting is not None:
        parsed = parse_date(setting, now)
        if parsed is None:
            ctx.err(f"date: invalid date ‘{setting}’\n")
            return 1
        # The simulated clock belongs to the machine: the new time is shown, never kept.
        if not ctx.is_root:
            ctx.err("date: cannot set date: Operation not permitted\n")
            ctx.out(strftime(fmt, parsed) + "\n")
            return 1
        when = parsed
    ctx.out(strftime(fmt, when) + "\n")
    return 0
