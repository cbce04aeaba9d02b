"""The progress database's schema and its migrations: the one owner of both.

``MIGRATIONS[n]`` takes a database from version ``n`` to ``n + 1``; a new
database runs them all. A database from an older mailsim is migrated on open,
in one transaction; one from a newer mailsim is refused, never rewritten.
Add a migration at the end; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # 0 → 1: the learner, answers, FSRS cards and review logs, lab results, exam attempts.
    """
    CREATE TABLE learner (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        name TEXT NOT NULL DEFAULT '',
        created REAL NOT NULL
    );
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        item TEXT NOT NULL,
        pack TEXT NOT NULL,
        question TEXT NOT NULL,
        objective TEXT NOT NULL,
        correct INTEGER NOT NULL,
        time_taken REAL,
        mode TEXT NOT NULL,
        response TEXT NOT NULL DEFAULT '',
        at REAL NOT NULL
    );
    CREATE INDEX answers_at ON answers (at);
    CREATE TABLE cards (
        item TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        pack TEXT NOT NULL,
        objective TEXT NOT NULL,
        facts TEXT NOT NULL DEFAULT '[]',
        card TEXT NOT NULL,
        due REAL NOT NULL,
        last_review REAL
    );
    CREATE INDEX cards_due ON cards (due);
    CREATE TABLE review_log (
        id INTEGER PRIMARY KEY,
        item TEXT NOT NULL,
        rating INTEGER NOT NULL,
        at REAL NOT NULL,
        duration REAL,
        log TEXT NOT NULL
    );
    CREATE TABLE lab_results (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        item TEXT NOT NULL,
        pack TEXT NOT NULL,
        lab TEXT NOT NULL,
        task TEXT NOT NULL,
        objective TEXT NOT NULL,
        passed INTEGER NOT NULL,
        hints_used INTEGER NOT NULL DEFAULT 0,
        solution_shown INTEGER NOT NULL DEFAULT 0,
        at REAL NOT NULL
    );
    CREATE TABLE exam_attempts (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        exam TEXT NOT NULL,
        started REAL NOT NULL,
        finished REAL NOT NULL,
        correct INTEGER NOT NULL,
        total INTEGER NOT NULL,
        estimate INTEGER NOT NULL,
        timed_out INTEGER NOT NULL,
        per_objective TEXT NOT NULL
    );
    """,
    # 1 → 2: facts that a failed lab task made due again (for questions never seen yet),
    # and the exam attempt an answer belongs to.
    """
    CREATE TABLE fact_alerts (
        fact TEXT PRIMARY KEY,
        at REAL NOT NULL
    );
    ALTER TABLE answers ADD COLUMN attempt TEXT NOT NULL DEFAULT '';
    """,
]

VERSION = len(MIGRATIONS)


class NewerSchemaError(Exception):
    def __init__(self, found: int) -> None:
        super().__init__(f"schema version {found} is newer than this mailsim's ({VERSION})")
        self.found = found


def current_version(conn: sqlite3.Connection) -> int:
    row = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if row is None:
        return 0
    found = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
    return int(found or 0)


def migrate(conn: sqlite3.Connection, target: int = VERSION) -> int:
    """Bring the database to ``target`` in one transaction; returns the version found."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = current_version(conn)
        if found > VERSION:
            raise NewerSchemaError(found)
        if found == 0:
            conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for step in range(found, target):
            for statement in MIGRATIONS[step].split(";"):
                if statement.strip():
                    conn.execute(statement)
        if target > found:
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (target,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found
