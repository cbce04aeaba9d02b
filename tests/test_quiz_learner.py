"""The learner model after a wrong answer, and answers judged off the UI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from mailsim.machine.clock import Clock, parse_timestamp
from mailsim.progress.store import open_store
from mailsim.quiz.bank import load_bank
from mailsim.quiz.session import InvalidAnswer, build_session

BANK = Path(__file__).parent / "data" / "quiz" / "bank"
RUN_BANK = Path(__file__).parent / "data" / "quiz" / "run" / "run.yaml"
T0 = parse_timestamp("2026-11-25T08:29:01")


@pytest.fixture(scope="module")
def by_id() -> dict:
    return load_bank(BANK, use_cache=False).by_id()


def test_a_wrong_answer_lowers_readiness(by_id: dict, tmp_path: Path) -> None:
    """Regression: readiness showed 100% right after a wrong answer, because FSRS's
    predicted recall just after any review (Again included) is 1."""
    clock = Clock(T0)
    q = by_id["imaps-port"]
    with open_store(tmp_path / "p.sqlite3", clock=clock, fuzz=False) as store:
        store.record_answer(q.key, q.bank, q.id, q.objective, False)
        assert store.recall(q.key) == 0.0
        assert store.readiness_by_objective()[q.objective].recall == 0.0
        clock.advance(60)
        store.record_answer(q.key, q.bank, q.id, q.objective, True)
        assert store.recall(q.key) > 0.9
        right = store.readiness_by_objective()[q.objective].recall
        clock.advance(60)
        store.record_answer(q.key, q.bank, q.id, q.objective, False)
        after = store.readiness_by_objective()[q.objective]
        assert after.recall < right and after.recall == 0.0 and after.seen == 1


def test_a_wrong_answer_on_a_known_item_lowers_its_objective(by_id: dict, tmp_path: Path) -> None:
    clock = Clock(T0)
    known, other = by_id["imaps-port"], by_id["imap-port"]
    with open_store(tmp_path / "p.sqlite3", clock=clock, fuzz=False) as store:
        for q in (known, other):
            store.record_answer(q.key, q.bank, q.id, q.objective, True)
        clock.advance(3600)
        before = store.readiness_by_objective()[known.objective].recall
        store.record_answer(known.key, known.bank, known.id, known.objective, False)
        after = store.readiness_by_objective()[known.objective].recall
        assert 0 < after < before


def test_a_lab_task_failed_or_solved_by_the_solution_counts_as_not_recalled(
    tmp_path: Path,
) -> None:
    with open_store(tmp_path / "p.sqlite3", clock=Clock(T0), fuzz=False) as store:
        store.record_lab_task("p", "l", "failed", False, objective="211.1")
        store.record_lab_task("p", "l", "shown", True, solution_shown=True, objective="211.1")
        store.record_lab_task("p", "l", "done", True, objective="211.1")
        assert store.recall("lab:p:l:failed") == 0.0
        assert store.recall("lab:p:l:shown") == 0.0
        assert store.recall("lab:p:l:done") == 1.0


def test_a_precomputed_judgement_is_used_as_given(tmp_path: Path) -> None:
    """The TUI judges a run: answer in a worker thread; the store is written on the
    thread that opened it, with the worker's verdict."""
    question = load_bank(RUN_BANK, use_cache=False).by_id()["set-maildir"]
    clock = Clock(T0)
    with open_store(tmp_path / "p.sqlite3", clock=clock, fuzz=False) as store:
        session = build_session([question], clock=clock, store=store)
        item = session.current()
        assert item is not None
        found: list = []
        worker = threading.Thread(
            target=lambda: found.append(item.evaluate("postconf -e home_mailbox=Maildir"))
        )
        worker.start()
        worker.join()
        response, judgement = found[0]
        assert not judgement.correct and judgement.reasons
        assert session.answer(response, judgement=judgement) is judgement
        assert session.store_error == ""
        [row] = store.history()
        assert (row["item"], row["correct"], row["response"]) == (
            "set-maildir",
            False,
            "postconf -e home_mailbox=Maildir",
        )


def test_evaluate_neither_records_nor_moves_on(by_id: dict, tmp_path: Path) -> None:
    with open_store(tmp_path / "p.sqlite3", clock=Clock(T0), fuzz=False) as store:
        session = build_session([by_id["smtp-port"]], clock=Clock(T0), store=store)
        item = session.current()
        assert item is not None
        right = str(item.display_numbers(item.question.correct_ids)[0])
        response, judgement = item.evaluate(right)
        assert judgement.correct and not item.answered and store.history() == []
        with pytest.raises(InvalidAnswer):
            item.evaluate("99")
        assert session.answer(right) is not None and item.answered
