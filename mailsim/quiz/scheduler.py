"""The learner model's scheduling: one FSRS card per question and per lab task.

Ratings: a right answer is Good, a wrong one Again; a lab task passed after a
hint is Hard, passed after seeing the solution is Again (the learner was shown,
not tested). Mock-exam answers count as reviews like any other.

Predicted recall on a given day (for ``--exam-date``) is computed here from the
card's stability with FSRS's own forgetting curve, since FSRS schedules reviews
but has no "how much will I remember on that day" mode. Unseen items count as 0.
Cards are stored as FSRS's own JSON, so the progress database stays readable.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


def rating_for_answer(correct: bool) -> int:
    return GOOD if correct else AGAIN


def rating_for_lab(passed: bool, hints_used: int, solution_shown: bool) -> int:
    if not passed or solution_shown:
        return AGAIN
    return HARD if hints_used else GOOD


def _dt(at: float) -> datetime:
    return datetime.fromtimestamp(at, tz=UTC)


class Scheduler:
    """FSRS with fuzzing switchable (off in tests, so due dates are reproducible)."""

    def __init__(self, fuzz: bool = True) -> None:
        import fsrs

        self._fsrs = fsrs
        self._scheduler = fsrs.Scheduler(enable_fuzzing=fuzz)

    def new_card(self) -> Any:
        return self._fsrs.Card()

    def load(self, data: str | None) -> Any:
        return self.new_card() if not data else self._fsrs.Card.from_dict(json.loads(data))

    def review(
        self, data: str | None, rating: int, at: float, duration: float | None = None
    ) -> tuple[str, float, str]:
        """Review a stored card: (new card JSON, due as epoch seconds, review log JSON)."""
        card = self.load(data)
        millis = None if duration is None else int(duration * 1000)
        card, log = self._scheduler.review_card(card, self._fsrs.Rating(rating), _dt(at), millis)
        return json.dumps(card.to_dict()), card.due.timestamp(), json.dumps(log.to_dict())

    def retrievability(self, data: str | None, at: float) -> float:
        """Probability of recall at ``at`` (any future day included); 0 for an unseen card."""
        if not data:
            return 0.0
        card = self.load(data)
        if card.last_review is None or card.stability is None:
            return 0.0
        return float(self._scheduler.get_card_retrievability(card, _dt(at)))

    @staticmethod
    def due_of(data: str) -> float:
        return datetime.fromisoformat(json.loads(data)["due"]).timestamp()

    def make_due(self, data: str, at: float) -> str:
        """The same card, due at ``at`` (a failed lab task brings its facts' questions back)."""
        raw = json.loads(data)
        raw["due"] = _dt(at).isoformat()
        return json.dumps(raw)
