"""Lab outcomes in the progress store: passes once, failures when the learner checks,
so the questions that teach a failed task come due."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run

from mailsim.machine.clock import Clock, parse_timestamp
from mailsim.packs.model import Pack
from mailsim.packs.recording import LabRecorder, TaskOutcome
from mailsim.packs.session import LabSession
from mailsim.progress.store import lab_item, open_store

DATA = Path(__file__).parent / "data" / "packs"
T0 = parse_timestamp("2026-11-25T08:29:01")
ITEM = lab_item("basics", "maildir", "home-mailbox")


@pytest.fixture(scope="module")
def basics() -> Pack:
    return Pack.from_directory(DATA / "basics")


def lab_rows(store) -> list[tuple[str, int]]:
    return store.conn.execute("SELECT task, passed FROM lab_results ORDER BY at, rowid").fetchall()


def test_a_failed_check_is_stored_and_brings_linked_questions_back(basics, tmp_path) -> None:
    """Regression: only passed tasks were stored, so a failed task never made the
    questions sharing its facts due."""
    clock = Clock(T0)
    session = LabSession.start(basics, basics.labs["maildir"], tmp_path / "m", seed=1, clock=clock)
    with open_store(tmp_path / "p.sqlite3", clock=clock, fuzz=False) as store:
        store.record_answer("quiz:b:q", "b", "q", "211.1", True, facts=["postfix.home_mailbox"])
        clock.advance(60)
        assert store.due_items() == []
        recorder = session.recorder(store)
        assert recorder.objective == "211.1"
        session.grade()  # an automatic regrade stores nothing
        assert lab_rows(store) == []
        result = session.check(recorder)
        assert not result.all_passed
        assert lab_rows(store) == [("home-mailbox", 0)]
        assert store.due_items() == ["quiz:b:q"]  # the task itself is due in a minute
        assert store.recall(ITEM) == 0.0
        session.check(recorder)  # checking again without a change is the same failure
        assert lab_rows(store) == [("home-mailbox", 0)]
        clock.advance(60)
        run(session.machine, "postconf -e home_mailbox=Maildir/")
        session.check(recorder)
        assert lab_rows(store) == [("home-mailbox", 0), ("home-mailbox", 1)]
        assert recorder.errors == []


def test_tasks_passing_at_the_start_are_not_stored(basics, tmp_path) -> None:
    clock = Clock(T0)
    session = LabSession.start(basics, basics.labs["maildir"], tmp_path / "m", seed=1, clock=clock)
    run(session.machine, "postconf -e home_mailbox=Maildir/")
    with open_store(tmp_path / "p.sqlite3", clock=clock, fuzz=False) as store:
        recorder = session.recorder(store)
        session.check(recorder)
        assert lab_rows(store) == []


def test_a_task_that_breaks_after_passing_is_stored_again(tmp_path) -> None:
    with open_store(tmp_path / "p.sqlite3", clock=Clock(T0), fuzz=False) as store:
        recorder = LabRecorder(store, "p", "l", "211.1")
        passed = [TaskOutcome("t", True, ("f",), hints_used=1)]
        failed = [TaskOutcome("t", False, ("f",))]
        assert recorder.observe(passed) == passed
        assert recorder.observe(passed, checked=True) == []
        assert recorder.observe(failed) == []  # the machine changed; nobody asked
        assert recorder.observe(failed, checked=True) == failed
        assert recorder.observe(passed) == passed
        assert lab_rows(store) == [("t", 1), ("t", 0), ("t", 1)]
        hints = store.conn.execute("SELECT hints_used FROM lab_results").fetchall()
        assert [h[0] for h in hints] == [1, 0, 1]


def test_a_store_that_fails_is_reported_not_raised(tmp_path) -> None:
    store = open_store(tmp_path / "p.sqlite3", clock=Clock(T0))
    store.close()
    recorder = LabRecorder(store, "p", "l")
    assert recorder.observe([TaskOutcome("t", False)], checked=True) == []
    assert recorder.errors and "t" in recorder.stored_fail


def test_without_a_store_nothing_is_written(tmp_path) -> None:
    recorder = LabRecorder(None, "p", "l")
    assert recorder.observe([TaskOutcome("t", True)]) == []
    assert recorder.errors == []
