"""Mock exams: selection by objective weight, the injected clock, time-out scoring."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from mailsim.machine.clock import Clock, parse_timestamp
from mailsim.progress.store import open_store
from mailsim.quiz.bank import load_bank
from mailsim.quiz.exam import EXAMS, exam_for, lpi_estimate, select_exam
from mailsim.quiz.session import build_session

BANK = Path(__file__).parent / "data" / "quiz" / "bank"
T0 = parse_timestamp("2026-11-25T08:29:01")


@pytest.fixture(scope="module")
def questions() -> list:
    return load_bank(BANK, use_cache=False).questions


def right(item) -> tuple[str, ...] | str:
    q = item.question
    if q.type == "typed":
        return q.typed.accept[0]
    return q.correct_ids


def wrong(item) -> tuple[str, ...] | str:
    q = item.question
    if q.type == "typed":
        return "no such thing"
    if q.type == "order":
        return tuple(reversed(q.correct_ids))
    return tuple(c.id for c in q.choices if not c.correct)[:1]


def test_exam_specs_follow_the_real_exam_pace() -> None:
    topic = EXAMS["211"]
    assert (topic.count, topic.minutes) == (8, 12)
    assert dict(topic.weights) == {"211.1": 4, "211.2": 2, "211.3": 2}
    assert (EXAMS["108.3"].count, EXAMS["108.3"].minutes) == (3, 4.5)
    drill = EXAMS["211-drill"]
    assert (drill.count, drill.minutes, drill.lpi_weighted) == (60, 90, False)
    assert exam_for("108.3") is EXAMS["108.3"] and exam_for("211.2") is EXAMS["211"]


def test_selection_takes_each_objectives_share(questions: list) -> None:
    chosen = select_exam(EXAMS["211"], questions, random.Random(1))
    objectives = [q.objective for q in chosen]
    assert objectives.count("211.1") == 4
    assert objectives.count("211.2") == 2
    assert objectives.count("211.3") == 2
    assert len({q.key for q in chosen}) == 8


def test_drill_with_a_small_bank_takes_what_there_is(questions: list) -> None:
    chosen = select_exam(EXAMS["211-drill"], questions, random.Random(1))
    assert len(chosen) == sum(q.objective.startswith("211.") for q in questions)


@pytest.mark.parametrize(
    ("correct", "total", "score"),
    [
        (0, 8, 200),
        (8, 8, 800),
        (4, 8, 430),
        (6, 8, 590),
        (0, 0, 200),
        (13, 20, 500),
    ],
)
def test_lpi_estimate_scale(correct: int, total: int, score: int) -> None:
    assert lpi_estimate(correct, total) == score


def test_time_out_scores_answered_and_counts_the_rest_wrong(
    questions: list, tmp_path: Path
) -> None:
    clock = Clock(T0)
    with open_store(tmp_path / "p.sqlite3", clock=clock, fuzz=False) as store:
        session = build_session(questions, "exam", seed=4, store=store, clock=clock)
        assert session.total == 8 and session.time_left() == 12 * 60
        answered = {}
        for n in range(4):  # three right, one wrong, 80 s each
            item = session.current()
            assert item is not None
            clock.advance(80)
            response = right(item) if n < 3 else wrong(item)
            assert session.answer(response) is None  # no feedback during the exam
            answered[item.question.key] = n < 3
            session.next()
        clock.advance(12 * 60)  # the rest of the time runs out
        assert session.expired
        assert session.answer(right(session.current())) is None  # refused: time is up
        result = session.finish()
        assert result.timed_out
        assert (result.correct, result.total) == (3, 8)
        assert sum(o.total for o in result.per_objective.values()) == 8
        expected: dict[str, int] = {}
        for item in session.items:
            expected.setdefault(item.question.objective, 0)
            expected[item.question.objective] += answered.get(item.question.key, False)
        assert {k: v.correct for k, v in result.per_objective.items()} == expected
        assert result.estimate == lpi_estimate(3, 8) and not result.passed_estimate
        assert len(result.wrong) == 5
        # Answered questions are stored as exam reviews; the attempt with its score.
        modes = store.conn.execute("SELECT mode, COUNT(*) FROM answers GROUP BY mode").fetchall()
        assert modes == [("exam", 4)]
        attempt = store.history()[-1]
        assert attempt["kind"] == "exam" and attempt["timed_out"]
        assert (attempt["correct"], attempt["total"], attempt["estimate"]) == (3, 8, 370)
        times = [r[0] for r in store.conn.execute("SELECT time_taken FROM answers")]
        assert times == [80.0] * 4


def test_exam_answers_can_change_until_the_end_and_flags_show_on_the_map(questions: list) -> None:
    clock = Clock(T0)
    session = build_session(questions, "exam", exam="108.3", seed=2, clock=clock)
    assert session.total == 3
    first = session.current()
    session.answer(wrong(first))
    session.flag()
    assert session.question_map() == ["current", "open", "open"]
    session.next()
    assert session.question_map() == ["flagged", "current", "open"]
    session.goto(0)
    session.answer(right(first))
    session.flag(False)
    for _ in range(3):
        session.next()
        item = session.current()
        if item is None:
            break
        session.answer(right(item))
    result = session.finish()
    assert not result.timed_out
    assert (result.correct, result.total, result.estimate) == (3, 3, 800)
