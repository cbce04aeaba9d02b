"""The learner's exam date: read from what they type, kept between runs.

The progress database has no settings table, and one date does not justify a
schema migration, so the date lives in a small JSON file in the data directory,
beside the database. A missing, unreadable or malformed file means "no date";
a failed write raises ``ExamDateError`` with a message for the learner.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

from mailsim.i18n import t

FILE_NAME = "exam-date.json"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ExamDateError(ValueError):
    """A date that cannot be used (malformed, in the past, not saved): the message says why."""


def today(now: float) -> date:
    """The calendar day (UTC, as every date mailsim shows) of ``now``."""
    return datetime.fromtimestamp(now, tz=UTC).date()


def exam_moment(day: date) -> float:
    """The time the forecast is computed for: the start of the exam day (UTC), as
    ``mailsim quiz --exam-date DAY`` reads a bare date."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def days_left(day: date, now: float) -> int:
    return (day - today(now)).days


def parse_exam_date(text: str, now: float) -> date:
    """The exam day the learner typed (``YYYY-MM-DD``): today or later."""
    value = text.strip()
    if not value:
        raise ExamDateError(t("examdate.empty"))
    # date.fromisoformat also takes 20261220 and 2026-W51-7: ask for the one form we show.
    if not _ISO_DATE.fullmatch(value):
        raise ExamDateError(t("examdate.bad", value=value))
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ExamDateError(t("examdate.bad", value=value)) from None
    if day < today(now):
        raise ExamDateError(t("examdate.past", date=value, today=today(now).isoformat()))
    return day


def _path() -> Path:
    from mailsim.locations import data_dir

    return data_dir() / FILE_NAME


def load_exam_date() -> date | None:
    """The saved exam date (it may have passed since), or None."""
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
        return date.fromisoformat(data["exam_date"])
    except (OSError, ValueError, TypeError, KeyError):
        return None


def upcoming_exam_date(now: float) -> date | None:
    """The saved exam date if it is today or later: a date gone by orders nothing."""
    day = load_exam_date()
    return day if day is not None and day >= today(now) else None


def save_exam_date(day: date | None) -> None:
    """Keep ``day`` (None forgets the date); written to a temporary file, then renamed."""
    path = _path()
    try:
        if day is None:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"exam_date": day.isoformat()}) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ExamDateError(t("examdate.unsaved", path=str(path), reason=reason)) from None
