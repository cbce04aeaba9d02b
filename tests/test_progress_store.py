"""The progress database: transactions, migrations, and a way out of damage or locks."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mailsim.machine.clock import Clock, parse_timestamp
from mailsim.progress import schema
from mailsim.progress.store import StoreError, open_store

T0 = parse_timestamp("2026-11-25T08:29:01")
ROOT = Path(__file__).parent.parent


def test_new_database_has_the_current_schema(tmp_path: Path) -> None:
    with open_store(tmp_path / "p.sqlite3", clock=Clock(T0)) as store:
        assert schema.current_version(store.conn) == schema.VERSION
        tables = {
            r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        assert {
            "schema_version",
            "learner",
            "answers",
            "cards",
            "review_log",
            "lab_results",
            "exam_attempts",
            "fact_alerts",
        } <= tables
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_version_1_database_is_migrated_and_keeps_its_answers(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, target=1)
    conn.execute("INSERT INTO learner (id, name, created) VALUES (1, 'Aiko', 0)")
    conn.execute(
        "INSERT INTO answers (uid, item, pack, question, objective, correct, "
        "time_taken, mode, response, at) VALUES ('u1', 'quiz:b:q1', 'b', 'q1', "
        "'211.1', 1, 2.5, 'practice', '2', ?)",
        (T0,),
    )
    conn.close()
    with open_store(path, clock=Clock(T0)) as store:
        assert schema.current_version(store.conn) == schema.VERSION
        assert store.learner_name() == "Aiko"
        [row] = store.history()
        assert (row["uid"], row["item"], row["correct"], row["attempt"]) == ("u1", "q1", True, "")


def test_a_database_from_a_newer_mailsim_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    open_store(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer mailsim"):
        open_store(path)
    assert path.read_bytes() == before


def test_a_damaged_database_is_moved_aside_and_a_fresh_one_started(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    path.write_bytes(b"this is not an SQLite database\n" * 100)
    with open_store(path, clock=Clock(T0)) as store:
        assert "was damaged; it was moved to" in store.notice
        assert store.history() == []
    aside = tmp_path / "p.sqlite3.damaged-20261125-082901"
    assert aside.read_bytes().startswith(b"this is not an SQLite database")


def test_a_truncated_database_is_recovered_too(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with open_store(path, clock=Clock(T0)) as store:
        for i in range(50):
            store.record_answer(f"quiz:b:q{i}", "b", f"q{i}", "211.1", True)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + b"\0" * 100)
    for extra in ("-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)
    with open_store(path, clock=Clock(T0)) as store:
        assert store.notice
        store.record_answer("quiz:b:new", "b", "new", "211.1", True)
        assert len(store.history()) == 1


def test_a_locked_database_gives_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mailsim.progress import store as store_module

    path = tmp_path / "p.sqlite3"
    open_store(path).close()
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT", 0.1)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="in use by another mailsim"):
            open_store(path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert path.exists()


def test_an_unwritable_data_directory_gives_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreError, match="cannot open the progress database"):
        open_store(blocker / "sub" / "p.sqlite3")


WRITER = """
import sys, time
from mailsim.progress.store import open_store
store = open_store(sys.argv[1], fuzz=False)
for i in range(10_000):
    store.record_answer(f"quiz:b:q{i}", "b", f"q{i}", "211.1", i % 2 == 0, 1.0)
    print(i, flush=True)
    time.sleep(0.002)
"""


def test_a_killed_process_loses_nothing_already_answered(tmp_path: Path) -> None:
    """Answers acknowledged before a SIGKILL are all there after reopening."""
    path = tmp_path / "p.sqlite3"
    env = dict(os.environ, PYTHONPATH=str(ROOT), MAILSIM_NOW="2026-11-25T08:29:01")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    acknowledged = -1
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while acknowledged < 40 and time.monotonic() < deadline:
        acknowledged = int(proc.stdout.readline())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert acknowledged >= 40
    with open_store(path) as store:
        assert store.notice == ""
        questions = {row["item"] for row in store.history()}
        assert {f"q{i}" for i in range(acknowledged + 1)} <= questions
        assert len(store.cards()) == len(questions)  # each answer with its review, together
