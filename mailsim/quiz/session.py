"""A quiz session: which questions, in which order, and what the learner answered.

The TUI's quiz screen and ``mailsim quiz --plain`` both drive a ``QuizSession``:
``current()``, ``answer(text_or_ids)``, ``skip()``, ``flag()``, ``goto(i)``,
``finish()``. Modes:

- ``practice``: questions drawn at random (fixed by ``seed``); feedback at once.
- ``review``: due items first (most overdue first), then the least-recalled.
- ``weak``: the objectives with the lowest readiness first, their least-recalled items first.
- ``exam``: a mock exam (``exam.EXAMS``), timed by the injectable clock, feedback only
  at the end; answers can be changed until then; time-out scores what was answered.
- ``exam_date`` (with review or weak): ordered by predicted recall on that day.

Practice, review and weak answers are stored as they are given (each in its own
transaction); exam answers when the exam ends, with the attempt.
"""

from __future__ import annotations

import logging
import random
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mailsim.machine.clock import Clock
from mailsim.quiz import exam as exams
from mailsim.quiz.judge import Judgement, Response, judge
from mailsim.quiz.model import Question

if TYPE_CHECKING:
    from mailsim.progress.store import ProgressStore

MODES = ("practice", "exam", "review", "weak")
DEFAULT_COUNT = 10
log = logging.getLogger("mailsim.quiz")


class InvalidAnswer(ValueError):
    """Text that is no answer to the question: ``msg_id`` and ``params`` say why (i18n)."""

    def __init__(self, msg_id: str, **params: object) -> None:
        super().__init__(msg_id)
        self.msg_id = msg_id
        self.params = params


@dataclass
class Presented:
    """A question as this session shows it: choices in a shuffled display order."""

    question: Question
    order: tuple[str, ...] = ()
    """Choice ids in display order: display number n is ``order[n - 1]``."""
    response: Response | None = None
    judgement: Judgement | None = None
    flagged: bool = False
    shown_at: float | None = None
    time_taken: float = 0.0
    answered_at: float | None = None

    @property
    def answered(self) -> bool:
        return self.response is not None

    def parse(self, text: str) -> Response:
        """Display numbers (``2``, ``1 3``, ``1,3``, ``3 1 2``) or free text → a response."""
        q = self.question
        if q.type == "typed":
            return text.strip()
        words = [w for w in re.split(r"[\s,]+", text.strip()) if w]
        count = len(self.order)
        numbers: list[int] = []
        for word in words:
            if not word.isdigit() or not 1 <= int(word) <= count:
                raise InvalidAnswer("quiz.invalid_number", count=count)
            numbers.append(int(word))
        if not numbers:
            raise InvalidAnswer("quiz.invalid_number", count=count)
        ids = tuple(self.order[n - 1] for n in numbers)
        if q.type == "single" and len(set(ids)) != 1:
            raise InvalidAnswer("quiz.invalid_count", count=1)
        if q.type == "order" and sorted(numbers) != list(range(1, count + 1)):
            raise InvalidAnswer("quiz.invalid_order", count=count)
        return tuple(dict.fromkeys(ids)) if q.type != "order" else ids

    def evaluate(self, given: str | Response) -> tuple[Response, Judgement]:
        """Parse and judge an answer without recording it. It touches neither the session
        nor the store, so the TUI can run a slow ``run:`` judgement in a worker thread
        and hand the result to ``QuizSession.answer`` on the thread that owns the store.
        Raises ``InvalidAnswer`` as ``parse`` does."""
        response = self.parse(given) if isinstance(given, str) else given
        return response, judge(self.question, response)

    def display_numbers(self, ids: tuple[str, ...]) -> list[int]:
        return [self.order.index(i) + 1 for i in ids if i in self.order]


@dataclass
class QuizSession:
    items: list[Presented]
    mode: str = "practice"
    clock: Clock = field(default_factory=Clock.from_env)
    store: ProgressStore | None = None
    exam: exams.ExamSpec | None = None
    index: int = 0
    started: float = 0.0
    deadline: float | None = None
    finished: bool = False
    store_error: str = ""
    """Set when an answer could not be saved (the quiz goes on; the learner is told)."""
    attempt: str = ""
    revisiting: bool = False
    """An exam past its first pass: next() visits the unanswered questions only."""

    def __post_init__(self) -> None:
        self.started = self.clock.now()
        if self.exam is not None:
            self.deadline = self.started + self.exam.minutes * 60
        if self.items:
            self.items[0].shown_at = self.started

    @property
    def feedback(self) -> bool:
        """Immediate feedback (every mode but the mock exam)."""
        return self.exam is None

    @property
    def total(self) -> int:
        return len(self.items)

    def current(self) -> Presented | None:
        if self.finished or self.index >= len(self.items):
            return None
        return self.items[self.index]

    def time_left(self) -> float | None:
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - self.clock.now())

    @property
    def expired(self) -> bool:
        left = self.time_left()
        return left is not None and left <= 0

    def _leave_current(self) -> None:
        item = self.current()
        if item is not None and item.shown_at is not None:
            item.time_taken += max(0.0, self.clock.now() - item.shown_at)
            item.shown_at = None

    def goto(self, index: int) -> None:
        """Jump to a question (the exam's question map)."""
        if 0 <= index < len(self.items) and not self.finished:
            self._leave_current()
            self.index = index
            self.items[index].shown_at = self.clock.now()

    def next(self) -> None:
        self._leave_current()
        if self.exam is not None and (self.revisiting or self.index + 1 >= len(self.items)):
            # After the first pass an exam goes round the unanswered questions only.
            self.revisiting = True
            count = len(self.items)
            later = [(self.index + k) % count for k in range(1, count + 1)]
            self.index = next((i for i in later if not self.items[i].answered), count)
        else:
            self.index += 1
        if self.index < len(self.items):
            self.items[self.index].shown_at = self.clock.now()

    def skip(self) -> None:
        self.next()

    def flag(self, flagged: bool = True) -> None:
        item = self.current()
        if item is not None:
            item.flagged = flagged

    def question_map(self) -> list[str]:
        """Per question: ``current``, ``flagged``, ``answered`` or ``open``."""
        states = []
        for i, p in enumerate(self.items):
            if i == self.index and not self.finished:
                states.append("current")
            elif p.flagged:
                states.append("flagged")
            else:
                states.append("answered" if p.answered else "open")
        return states

    def answer(self, given: str | Response, judgement: Judgement | None = None) -> Judgement | None:
        """Answer the current question with display text (``"1 3"``) or a response of ids.
        ``judgement``, when given, is the verdict ``Presented.evaluate`` already reached
        for this response (judged elsewhere, e.g. in a worker thread) and is used as is.
        Returns the judgement in feedback modes, None in an exam (or after time-out).
        Raises ``InvalidAnswer`` for text that is no answer to this question."""
        item = self.current()
        if item is None or self.expired:
            return None
        response = item.parse(given) if isinstance(given, str) else given
        self._leave_current()
        item.response = response
        item.answered_at = self.clock.now()
        item.judgement = judgement if judgement is not None else judge(item.question, response)
        if self.feedback:
            self._record(item, self.mode)
        item.shown_at = self.clock.now()
        return item.judgement if self.feedback else None

    def _record(self, item: Presented, mode: str) -> None:
        if self.store is None or item.judgement is None:
            return
        q = item.question
        response = (
            item.response if isinstance(item.response, str) else " ".join(item.response or ())
        )
        try:
            self.store.record_answer(
                q.key,
                q.bank,
                q.id,
                q.objective,
                item.judgement.correct,
                round(item.time_taken, 3),
                mode,
                response,
                q.facts,
                self.attempt,
                item.answered_at,
            )
        except Exception as exc:  # the learner keeps going; the screen says it was not saved
            log.exception("recording an answer failed")
            self.store_error = str(exc) or type(exc).__name__

    def finish(self) -> exams.ExamResult:
        """End the session: score it (unanswered = wrong) and store an exam's answers."""
        if not self.finished:
            self._leave_current()
            self.finished = True
            if self.exam is not None:
                self._store_exam()
        return self.result()

    def result(self) -> exams.ExamResult:
        per: dict[str, exams.ObjectiveResult] = {}
        wrong: list[int] = []
        for i, p in enumerate(self.items):
            obj = per.setdefault(p.question.objective, exams.ObjectiveResult(p.question.objective))
            obj.total += 1
            if p.judgement is not None and p.judgement.correct:
                obj.correct += 1
            else:
                wrong.append(i)
        correct = sum(o.correct for o in per.values())
        weighted = self.exam is not None and self.exam.lpi_weighted
        return exams.ExamResult(
            correct=correct,
            total=len(self.items),
            timed_out=self.deadline is not None and self.clock.now() >= self.deadline,
            per_objective=dict(sorted(per.items())),
            estimate=exams.lpi_estimate(correct, len(self.items)) if weighted else None,
            wrong=wrong,
        )

    def _store_exam(self) -> None:
        if self.store is None or self.exam is None:
            return
        import uuid

        self.attempt = uuid.uuid4().hex
        for item in self.items:
            if item.answered:
                self._record(item, "exam")
        result = self.result()
        try:
            self.store.record_exam(
                self.exam.id,
                self.started,
                self.clock.now(),
                result.correct,
                result.total,
                result.estimate or 0,
                result.timed_out,
                {k: [v.correct, v.total] for k, v in result.per_objective.items()},
                uid=self.attempt,
            )
        except Exception as exc:
            log.exception("recording an exam failed")
            self.store_error = str(exc) or type(exc).__name__


def present(question: Question, rng: random.Random) -> Presented:
    """Shuffle the choices (an order question never starts already in order)."""
    order = [c.id for c in question.choices]
    if len(order) > 1:
        right = list(order)
        rng.shuffle(order)
        if question.type == "order" and order == right:
            order = order[1:] + order[:1]
    return Presented(question, tuple(order))


def filter_questions(
    questions: list[Question], objective: str | None = None, tags: tuple[str, ...] = ()
) -> list[Question]:
    return [
        q
        for q in questions
        if (not objective or exams.in_objective(q, objective))
        and all(tag in q.tags for tag in tags)
    ]


def build_session(
    questions: list[Question],
    mode: str = "practice",
    *,
    objective: str | None = None,
    tags: tuple[str, ...] = (),
    count: int | None = None,
    seed: int | None = None,
    store: ProgressStore | None = None,
    clock: Clock | None = None,
    exam: str | None = None,
    exam_date: float | None = None,
) -> QuizSession:
    """Choose and order the questions of a session (see the module's docstring)."""
    clock = clock or Clock.from_env()
    rng = random.Random(seed if seed is not None else time.time_ns())
    if mode == "exam":
        spec = exams.EXAMS[exam] if exam else exams.exam_for(objective)
        pool = filter_questions(questions, None, tags)
        chosen = exams.select_exam(spec, pool, rng)
        return QuizSession([present(q, rng) for q in chosen], mode, clock, store, spec)
    pool = filter_questions(questions, objective, tags)
    limit = count or DEFAULT_COUNT
    if mode == "practice" or store is None:
        chosen = rng.sample(pool, min(limit, len(pool)))
    else:
        chosen = _ordered_by_recall(pool, mode, store, clock.now(), exam_date, rng)[:limit]
    return QuizSession([present(q, rng) for q in chosen], mode, clock, store)


def _ordered_by_recall(
    pool: list[Question],
    mode: str,
    store: ProgressStore,
    now: float,
    exam_date: float | None,
    rng: random.Random,
) -> list[Question]:
    cards = store.cards([q.key for q in pool])
    when = exam_date if exam_date is not None else now
    recall = {q.key: store.recall(q.key, when, cards) for q in pool}
    tiebreak = {q.key: rng.random() for q in pool}
    if mode == "weak":
        readiness = store.readiness_by_objective([(q.key, q.objective) for q in pool], when)
        return sorted(
            pool, key=lambda q: (readiness[q.objective].recall, recall[q.key], tiebreak[q.key])
        )
    if exam_date is not None:
        return sorted(pool, key=lambda q: (recall[q.key], tiebreak[q.key]))
    due = store.due_items([(q.key, q.facts) for q in pool], now)
    rank = {key: i for i, key in enumerate(due)}
    return sorted(pool, key=lambda q: (rank.get(q.key, len(rank)), recall[q.key], tiebreak[q.key]))
