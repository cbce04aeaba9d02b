"""Mock exams: the real exam's pace, its objective weights, and the score.

LPI exams give about 1.5 minutes a question. Topic 211 as it appears on 202-450
is 8 questions (211.1 × 4, 211.2 × 2, 211.3 × 2) in 12 minutes; 108.3 is 3
questions on 101/102-500's pace. The 60-question drill is for stamina only and
is not weighted like an LPI exam (its objectives are drawn evenly).

LPI reports a scaled score from 200 to 800, pass 500, and does not publish how
raw answers map to it: ``lpi_estimate`` assumes a pass at ``PASS_FRACTION`` of
the answers right and scales linearly on both sides. It is an estimate, labelled
as one wherever it is shown.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from mailsim.quiz.model import Question

SECONDS_PER_QUESTION = 90
PASS_SCORE = 500
PASS_FRACTION = 0.65


@dataclass(frozen=True)
class ExamSpec:
    id: str
    title: str
    weights: tuple[tuple[str, int], ...]
    """(objective, questions) pairs; an objective like ``211`` draws from its sub-objectives."""
    minutes: float
    lpi_weighted: bool = True

    @property
    def count(self) -> int:
        return sum(n for _, n in self.weights)


EXAMS: dict[str, ExamSpec] = {
    "211": ExamSpec("211", "Topic 211 (202-450)", (("211.1", 4), ("211.2", 2), ("211.3", 2)), 12),
    "108.3": ExamSpec("108.3", "Objective 108.3 (102-500)", (("108.3", 3),), 4.5),
    "211-drill": ExamSpec(
        "211-drill", "Topic 211 drill, 60 questions", (("211", 60),), 90, lpi_weighted=False
    ),
}


def exam_for(objective: str | None) -> ExamSpec:
    """The mock exam a learner means by ``--objective`` (108.x → 108.3, else topic 211)."""
    if objective and objective.startswith("108"):
        return EXAMS["108.3"]
    return EXAMS["211"]


def in_objective(question: Question, objective: str) -> bool:
    """``211`` takes 211.1, 211.2 …; ``211.1`` takes only itself."""
    return question.objective == objective or question.objective.startswith(objective + ".")


def select_exam(spec: ExamSpec, questions: list[Question], rng: random.Random) -> list[Question]:
    """Draw each objective's share; an objective with too few questions gives what it has."""
    chosen: list[Question] = []
    taken: set[str] = set()
    for objective, count in spec.weights:
        pool = [q for q in questions if in_objective(q, objective) and q.key not in taken]
        if not spec.lpi_weighted:
            pool = _even_by_objective(pool, rng)[:count]
        else:
            pool = rng.sample(pool, min(count, len(pool)))
        chosen.extend(pool)
        taken.update(q.key for q in pool)
    return chosen


def _even_by_objective(pool: list[Question], rng: random.Random) -> list[Question]:
    """Round-robin over sub-objectives, each shuffled, so none dominates the drill."""
    groups: dict[str, list[Question]] = {}
    for q in pool:
        groups.setdefault(q.objective, []).append(q)
    for group in groups.values():
        rng.shuffle(group)
    order: list[Question] = []
    lists = [groups[k] for k in sorted(groups)]
    while any(lists):
        for group in lists:
            if group:
                order.append(group.pop())
    return order


def lpi_estimate(correct: int, total: int) -> int:
    """An estimate on LPI's 200–800 scale (pass 500), rounded to 10."""
    if total <= 0:
        return 200
    fraction = correct / total
    if fraction <= PASS_FRACTION:
        score = 200 + (PASS_SCORE - 200) * fraction / PASS_FRACTION
    else:
        score = PASS_SCORE + (800 - PASS_SCORE) * (fraction - PASS_FRACTION) / (1 - PASS_FRACTION)
    return int(round(score / 10) * 10)


@dataclass
class ObjectiveResult:
    objective: str
    correct: int = 0
    total: int = 0


@dataclass
class ExamResult:
    correct: int
    total: int
    timed_out: bool
    per_objective: dict[str, ObjectiveResult] = field(default_factory=dict)
    estimate: int | None = None
    """LPI-scale estimate; None for a drill that is not LPI-weighted."""
    wrong: list[int] = field(default_factory=list)
    """Indexes of the questions answered wrong or not at all, for the review."""

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0

    @property
    def passed_estimate(self) -> bool:
        return self.estimate is not None and self.estimate >= PASS_SCORE
