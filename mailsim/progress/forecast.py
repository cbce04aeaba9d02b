"""Readiness on the exam day: what ``mailsim quiz --exam-date`` prints and the TUI's
Progress screen shows, computed once here for both.

The forecast is the store's readiness (mean predicted recall per objective) at the
start of the exam day, if the learner reviews nothing before: the FSRS forgetting
curve run forward. Unseen items count 0, as in the readiness of today.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mailsim.progress.examdate import today

if TYPE_CHECKING:
    from mailsim.progress.store import ProgressStore


@dataclass(frozen=True)
class ObjectiveForecast:
    objective: str
    now: float
    """Mean predicted recall now."""
    exam_day: float
    """Mean predicted recall at the start of the exam day."""
    seen: int
    total: int


@dataclass(frozen=True)
class Forecast:
    exam_at: float
    days_left: int
    """Calendar days (UTC) from today to the exam day; 0 on the day itself."""
    objectives: dict[str, ObjectiveForecast]
    """By objective, in objective order."""

    @property
    def date(self) -> str:
        return datetime.fromtimestamp(self.exam_at, tz=UTC).date().isoformat()


def forecast(
    store: ProgressStore,
    items: Iterable[tuple[str, str]] | None,
    exam_at: float,
    now: float | None = None,
) -> Forecast:
    """Readiness now and on the exam day over ``items`` ((key, objective) pairs: the
    whole set to be ready for; None counts only the items met so far)."""
    when = store.clock.now() if now is None else now
    pairs = None if items is None else list(items)
    current = store.readiness_by_objective(pairs, when)
    then = store.readiness_by_objective(pairs, exam_at)
    return Forecast(
        exam_at,
        (today(exam_at) - today(when)).days,
        {
            obj: ObjectiveForecast(
                obj, current[obj].recall if obj in current else 0.0, r.recall, r.seen, r.total
            )
            for obj, r in then.items()
        },
    )
