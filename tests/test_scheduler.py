"""The learner model's scheduling: FSRS with a fixed clock and fuzzing off."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from mailsim.machine.clock import Clock, parse_timestamp
from mailsim.progress.store import ProgressStore, lab_item, open_store
from mailsim.quiz.scheduler import (
    AGAIN,
    GOOD,
    HARD,
    Scheduler,
    rating_for_answer,
    rating_for_lab,
)

T0 = parse_timestamp("2026-11-25T08:29:01")
DAY = 86400.0


def iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat()


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> ProgressStore:
    s = open_store(tmp_path / "progress.sqlite3", clock=clock, fuzz=False)
    yield s
    s.close()


def test_ratings_follow_the_learner_model() -> None:
    assert rating_for_answer(True) == GOOD
    assert rating_for_answer(False) == AGAIN
    assert rating_for_lab(True, hints_used=0, solution_shown=False) == GOOD
    assert rating_for_lab(True, hints_used=2, solution_shown=False) == HARD
    assert rating_for_lab(True, hints_used=0, solution_shown=True) == AGAIN
    assert rating_for_lab(False, hints_used=0, solution_shown=False) == AGAIN


def test_good_reviews_space_out_and_are_reproducible_without_fuzz() -> None:
    s = Scheduler(fuzz=False)
    card, due, _ = s.review(None, GOOD, T0)
    assert iso(due) == "2026-11-25T08:39:01+00:00"  # second learning step: 10 minutes
    card, due, _ = s.review(card, GOOD, due)
    assert iso(due) == "2026-11-27T08:39:01+00:00"
    card, due, _ = s.review(card, GOOD, due)
    assert iso(due) == "2026-12-08T08:39:01+00:00"
    # FSRS schedules the next review where predicted recall falls to the desired 0.9.
    assert s.retrievability(card, due) == pytest.approx(0.9, abs=0.002)
    assert s.retrievability(card, due + 30 * DAY) < 0.9


def test_again_and_hard_come_back_sooner_than_good() -> None:
    s = Scheduler(fuzz=False)
    _, again, _ = s.review(None, AGAIN, T0)
    _, hard, _ = s.review(None, HARD, T0)
    _, good, _ = s.review(None, GOOD, T0)
    assert iso(again) == "2026-11-25T08:30:01+00:00"
    assert again < hard < good


def test_unseen_items_have_no_recall() -> None:
    assert Scheduler(fuzz=False).retrievability(None, T0) == 0.0


def test_store_records_answer_and_schedules_its_card(store: ProgressStore, clock: Clock) -> None:
    store.record_answer("quiz:b:q1", "b", "q1", "211.1", True, 4.0)
    assert store.due_items() == []
    clock.advance(11 * 60)
    assert store.due_items() == ["quiz:b:q1"]
    log = store.conn.execute("SELECT item, rating, duration FROM review_log").fetchall()
    assert log == [("quiz:b:q1", GOOD, 4.0)]


def test_readiness_counts_unseen_items_as_not_known(store: ProgressStore, clock: Clock) -> None:
    store.record_answer("quiz:b:q1", "b", "q1", "211.1", True)
    items = [("quiz:b:q1", "211.1"), ("quiz:b:q2", "211.1"), ("quiz:b:q3", "211.3")]
    readiness = store.readiness_by_objective(items, at=T0)
    assert readiness["211.1"].recall == pytest.approx(0.5)  # (1.0 + 0) / 2
    assert (readiness["211.1"].seen, readiness["211.1"].total) == (1, 2)
    assert readiness["211.3"].recall == 0.0
    later = store.readiness_by_objective(items, at=T0 + 10 * DAY)
    assert 0 < later["211.1"].recall < readiness["211.1"].recall


def test_failed_lab_task_makes_questions_of_its_facts_due(
    store: ProgressStore, clock: Clock
) -> None:
    store.record_answer("quiz:b:maildir", "b", "maildir", "211.2", True, facts=["maildir"])
    store.record_answer("quiz:b:port", "b", "port", "211.1", True, facts=["smtp-port"])
    clock.advance(11 * 60)
    for key in ("quiz:b:maildir", "quiz:b:port"):  # learnt: the next review is days away
        store.record_answer(key, "b", key.rsplit(":", 1)[1], "211.2", True)
    clock.advance(DAY)
    items = [
        ("quiz:b:maildir", ["maildir"]),
        ("quiz:b:port", ["smtp-port"]),
        ("quiz:b:unseen-maildir", ["maildir"]),
        ("quiz:b:unseen-other", ["other"]),
    ]
    assert store.due_items(items) == []
    store.record_lab_task(
        "pack", "lab1", "maildir-task", passed=False, objective="211.2", facts=["maildir"]
    )
    assert store.due_items(items) == ["quiz:b:maildir", "quiz:b:unseen-maildir"]
    assert lab_item("pack", "lab1", "maildir-task") in store.cards()


def test_lab_task_passed_after_hint_is_rated_hard(store: ProgressStore) -> None:
    store.record_lab_task("pack", "lab1", "t1", passed=True, hints_used=1, objective="211.1")
    rating = store.conn.execute("SELECT rating FROM review_log").fetchone()[0]
    assert rating == HARD


def test_exam_date_ordering_uses_recall_on_that_day(tmp_path: Path, clock: Clock) -> None:
    from mailsim.quiz.bank import load_bank
    from mailsim.quiz.session import build_session

    bank = load_bank(Path(__file__).parent / "data" / "quiz" / "bank", use_cache=False)
    by_id = bank.by_id()
    with open_store(tmp_path / "p.sqlite3", clock=clock, fuzz=False) as store:
        strong, weak = by_id["smtp-port"], by_id["myhostname-param"]
        for q in (strong, weak):
            store.record_answer(q.key, q.bank, q.id, q.objective, True)
        clock.advance(11 * 60)
        for _ in range(3):  # smtp-port reviewed well several times: high stability
            due = store.cards([strong.key])[strong.key][1]
            clock.set(max(clock.now(), due))
            store.record_answer(strong.key, strong.bank, strong.id, strong.objective, True)
        exam_day = clock.now() + 20 * DAY
        session = build_session(
            bank.questions,
            "review",
            objective="211.1",
            count=7,
            seed=1,
            store=store,
            clock=clock,
            exam_date=exam_day,
        )
        order = [p.question.id for p in session.items]
        recalls = [store.recall(p.question.key, exam_day) for p in session.items]
        assert recalls == sorted(recalls)
        assert order.index("myhostname-param") < order.index("smtp-port") == len(order) - 1
        assert recalls[0] == 0.0  # unseen questions first: nothing to recall
