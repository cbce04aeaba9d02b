"""The progress store: one SQLite database that quizzes, labs and the TUI write through.

Every answer and every lab result is committed in its own transaction (with
``synchronous=FULL``), so a killed process loses nothing already answered.
A damaged database is moved aside and a fresh one started, and the store says so
(``notice``); a database another mailsim holds locked, or one written by a newer
mailsim, raises ``StoreError`` with a message for the learner. Never a traceback.

Items are keyed ``quiz:BANK:QUESTION`` and ``lab:PACK:LAB:TASK``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mailsim.i18n import t
from mailsim.machine.clock import Clock
from mailsim.progress import schema
from mailsim.quiz.scheduler import AGAIN, Scheduler, rating_for_answer, rating_for_lab

BUSY_TIMEOUT = 5.0


class StoreError(Exception):
    """The database cannot be used now (locked, newer schema): the message says what to do."""


@dataclass(frozen=True)
class Readiness:
    objective: str
    recall: float
    """Mean predicted recall over the objective's items (unseen items count 0)."""
    seen: int
    total: int
    due: int


def lab_item(pack: str, lab: str, task: str) -> str:
    return f"lab:{pack}:{lab}:{task}"


def _uid() -> str:
    return uuid.uuid4().hex


class ProgressStore:
    """The learner's progress database. Use ``open_store()`` to get one."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        clock: Clock | None = None,
        fuzz: bool = True,
        notice: str = "",
    ) -> None:
        self.conn = conn
        self.path = path
        self.clock = clock or Clock.from_env()
        self.scheduler = Scheduler(fuzz=fuzz)
        self.notice = notice
        """Set when the store had to recover (a damaged file moved aside): tell the learner."""
        self._lapsed: tuple[int, frozenset[str]] | None = None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self.conn)

    def learner_name(self) -> str:
        row = self.conn.execute("SELECT name FROM learner WHERE id = 1").fetchone()
        return row[0] if row else ""

    def set_learner_name(self, name: str) -> None:
        with self._transaction():
            self.conn.execute(
                "INSERT INTO learner (id, name, created) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name",
                (name, self.clock.now()),
            )

    def _review(
        self,
        item: str,
        kind: str,
        pack: str,
        objective: str,
        facts: Iterable[str],
        rating: int,
        at: float,
        duration: float | None,
    ) -> None:
        row = self.conn.execute("SELECT card FROM cards WHERE item = ?", (item,)).fetchone()
        card, due, log = self.scheduler.review(row[0] if row else None, rating, at, duration)
        self.conn.execute(
            "INSERT INTO cards (item, kind, pack, objective, facts, card, due, last_review) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item) DO UPDATE SET "
            "card = excluded.card, due = excluded.due, last_review = excluded.last_review, "
            "facts = CASE WHEN excluded.facts = '[]' THEN cards.facts ELSE excluded.facts END, "
            "objective = excluded.objective",
            (item, kind, pack, objective, json.dumps(sorted(set(facts))), card, due, at),
        )
        self.conn.execute(
            "INSERT INTO review_log (item, rating, at, duration, log) VALUES (?, ?, ?, ?, ?)",
            (item, rating, at, duration, log),
        )

    def record_answer(
        self,
        item: str,
        pack: str,
        question: str,
        objective: str,
        correct: bool,
        time_taken: float | None = None,
        mode: str = "practice",
        response: str = "",
        facts: Iterable[str] = (),
        attempt: str = "",
        at: float | None = None,
    ) -> None:
        """One answered question: the answer row and its FSRS review, in one transaction."""
        when = self.clock.now() if at is None else at
        with self._transaction():
            self.conn.execute(
                "INSERT INTO answers (uid, item, pack, question, objective, correct, time_taken, "
                "mode, response, at, attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _uid(),
                    item,
                    pack,
                    question,
                    objective,
                    int(correct),
                    time_taken,
                    mode,
                    response,
                    when,
                    attempt,
                ),
            )
            self._review(
                item, "quiz", pack, objective, facts, rating_for_answer(correct), when, time_taken
            )

    def record_lab_task(
        self,
        pack: str,
        lab: str,
        task: str,
        passed: bool,
        hints_used: int = 0,
        solution_shown: bool = False,
        objective: str = "",
        facts: Iterable[str] = (),
        at: float | None = None,
    ) -> None:
        """A graded lab task. Failing it makes the questions that share its facts due now."""
        when = self.clock.now() if at is None else at
        item = lab_item(pack, lab, task)
        facts = sorted(set(facts))
        with self._transaction():
            self.conn.execute(
                "INSERT INTO lab_results (uid, item, pack, lab, task, objective, passed, "
                "hints_used, solution_shown, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _uid(),
                    item,
                    pack,
                    lab,
                    task,
                    objective,
                    int(passed),
                    hints_used,
                    int(solution_shown),
                    when,
                ),
            )
            self._review(
                item,
                "lab",
                pack,
                objective,
                facts,
                rating_for_lab(passed, hints_used, solution_shown),
                when,
                None,
            )
            if not passed:
                self._alert_facts(facts, when, except_item=item)

    def _alert_facts(self, facts: list[str], when: float, except_item: str) -> None:
        for fact in facts:
            self.conn.execute(
                "INSERT INTO fact_alerts (fact, at) VALUES (?, ?) "
                "ON CONFLICT (fact) DO UPDATE SET at = excluded.at",
                (fact, when),
            )
        rows = (
            self.conn.execute(
                "SELECT cards.item, cards.card FROM cards, json_each(cards.facts) "
                f"WHERE json_each.value IN ({','.join('?' * len(facts))}) AND cards.item != ? "
                "AND cards.due > ?",
                (*facts, except_item, when),
            ).fetchall()
            if facts
            else []
        )
        for item, card in dict(rows).items():
            self.conn.execute(
                "UPDATE cards SET card = ?, due = ? WHERE item = ?",
                (self.scheduler.make_due(card, when), when, item),
            )

    def record_exam(
        self,
        exam: str,
        started: float,
        finished: float,
        correct: int,
        total: int,
        estimate: int,
        timed_out: bool,
        per_objective: dict[str, Any],
        uid: str | None = None,
    ) -> str:
        uid = uid or _uid()
        with self._transaction():
            self.conn.execute(
                "INSERT INTO exam_attempts (uid, exam, started, finished, correct, total, "
                "estimate, timed_out, per_objective) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    uid,
                    exam,
                    started,
                    finished,
                    correct,
                    total,
                    estimate,
                    int(timed_out),
                    json.dumps(per_objective, sort_keys=True),
                ),
            )
        return uid

    def cards(self, items: Iterable[str] | None = None) -> dict[str, tuple[str, float, str]]:
        """item → (card JSON, due, objective)."""
        rows = self.conn.execute("SELECT item, card, due, objective FROM cards").fetchall()
        wanted = None if items is None else set(items)
        return {r[0]: (r[1], r[2], r[3]) for r in rows if wanted is None or r[0] in wanted}

    def due_items(
        self, items: Iterable[tuple[str, Iterable[str]]] | None = None, at: float | None = None
    ) -> list[str]:
        """Keys due for review at ``at`` (now), most overdue first. Given ``items``
        ((key, facts) pairs), also unseen items whose facts a failed lab task flagged."""
        when = self.clock.now() if at is None else at
        cards = self.cards()
        if items is None:
            due = [(d, k) for k, (_, d, _) in cards.items() if d <= when]
            return [k for _, k in sorted(due)]
        alerts = dict(self.conn.execute("SELECT fact, at FROM fact_alerts").fetchall())
        found: list[tuple[float, str]] = []
        for key, facts in items:
            if key in cards:
                if cards[key][1] <= when:
                    found.append((cards[key][1], key))
            else:
                flagged = [alerts[f] for f in facts if f in alerts and alerts[f] <= when]
                if flagged:
                    found.append((min(flagged), key))
        return [k for _, k in sorted(found)]

    def lapsed(self) -> frozenset[str]:
        """Items whose last review was rated Again (a wrong answer, a failed lab task).

        FSRS's forgetting curve starts at 1 right after any review, Again included
        (seeing the answer refreshes the memory), so it would call an item the
        learner just got wrong fully recalled. The answer itself is the better
        evidence: until the item is reviewed again, its recall counts 0.
        """
        # Memoised while this connection has written nothing (readiness screens ask
        # once per item); another process's writes show at the next write here.
        changes = self.conn.total_changes
        if self._lapsed is None or self._lapsed[0] != changes:
            rows = self.conn.execute(
                "SELECT item, rating, MAX(id) FROM review_log GROUP BY item"
            ).fetchall()
            self._lapsed = (changes, frozenset(r[0] for r in rows if r[1] == AGAIN))
        return self._lapsed[1]

    def _recall(self, item: str, card: str | None, when: float, lapsed: frozenset[str]) -> float:
        if item in lapsed:
            return 0.0
        return self.scheduler.retrievability(card, when)

    def recall(
        self,
        item: str,
        at: float | None = None,
        cards: dict[str, tuple[str, float, str]] | None = None,
    ) -> float:
        """Predicted recall of one item at ``at`` (0 for an unseen item, and for one
        whose last answer was wrong until it is answered again)."""
        cards = self.cards([item]) if cards is None else cards
        entry = cards.get(item)
        when = self.clock.now() if at is None else at
        return self._recall(item, entry[0] if entry else None, when, self.lapsed())

    def readiness_by_objective(
        self, items: Iterable[tuple[str, str]] | None = None, at: float | None = None
    ) -> dict[str, Readiness]:
        """Mean predicted recall per objective at ``at`` (now, or an exam date).
        ``items`` ((key, objective) pairs) is the whole set to be ready for: unseen
        ones count 0. Without it, only the items the learner has met count."""
        when = self.clock.now() if at is None else at
        cards = self.cards()
        lapsed = self.lapsed()
        pairs = list(items) if items is not None else [(k, v[2]) for k, v in cards.items()]
        sums: dict[str, list[float]] = {}
        counts: dict[str, list[int]] = {}
        for key, objective in pairs:
            entry = cards.get(key)
            recall = self._recall(key, entry[0] if entry else None, when, lapsed)
            sums.setdefault(objective, []).append(recall)
            c = counts.setdefault(objective, [0, 0])
            c[0] += entry is not None
            c[1] += entry is not None and entry[1] <= when
        return {
            obj: Readiness(obj, sum(v) / len(v), counts[obj][0], len(v), counts[obj][1])
            for obj, v in sorted(sums.items())
        }

    def accuracy_by_objective(self) -> dict[str, tuple[int, int]]:
        """objective → (right answers, answers)."""
        rows = self.conn.execute(
            "SELECT objective, SUM(correct), COUNT(*) FROM answers "
            "GROUP BY objective ORDER BY objective"
        ).fetchall()
        return {r[0]: (int(r[1]), int(r[2])) for r in rows}

    def history(self) -> list[dict[str, Any]]:
        """Every attempt, oldest first: answers, lab tasks and mock exams."""
        rows: list[dict[str, Any]] = []
        for r in self.conn.execute(
            "SELECT uid, at, pack, question, objective, correct, "
            "time_taken, mode, response, attempt FROM answers"
        ):
            rows.append(
                {
                    "kind": "quiz",
                    "uid": r[0],
                    "at": r[1],
                    "pack": r[2],
                    "item": r[3],
                    "objective": r[4],
                    "correct": bool(r[5]),
                    "time_taken": r[6],
                    "mode": r[7],
                    "response": r[8],
                    "attempt": r[9],
                }
            )
        for r in self.conn.execute(
            "SELECT uid, at, pack, lab, task, objective, passed, "
            "hints_used, solution_shown FROM lab_results"
        ):
            rows.append(
                {
                    "kind": "lab",
                    "uid": r[0],
                    "at": r[1],
                    "pack": r[2],
                    "item": f"{r[3]}/{r[4]}",
                    "objective": r[5],
                    "correct": bool(r[6]),
                    "hints_used": r[7],
                    "solution_shown": bool(r[8]),
                    "mode": "lab",
                }
            )
        for r in self.conn.execute(
            "SELECT uid, finished, exam, correct, total, estimate, "
            "timed_out, per_objective, started FROM exam_attempts"
        ):
            rows.append(
                {
                    "kind": "exam",
                    "uid": r[0],
                    "at": r[1],
                    "pack": "",
                    "item": r[2],
                    "objective": "",
                    "correct": r[3],
                    "total": r[4],
                    "estimate": r[5],
                    "timed_out": bool(r[6]),
                    "per_objective": json.loads(r[7]),
                    "started": r[8],
                    "mode": "exam",
                }
            )
        order = {"quiz": 0, "lab": 1, "exam": 2}
        rows.sort(key=lambda row: (row["at"], order[row["kind"]], row["uid"]))
        return rows


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if kind is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    try:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise
        conn.execute("PRAGMA synchronous=FULL")
        rows = conn.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            raise sqlite3.DatabaseError("database disk image is malformed")
        schema.migrate(conn)
        conn.execute(
            "INSERT OR IGNORE INTO learner (id, name, created) VALUES (1, '', ?)",
            (Clock.from_env().now(),),
        )
    except BaseException:
        conn.close()
        raise
    return conn


def _is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def open_store(
    path: str | os.PathLike[str] | None = None, clock: Clock | None = None, fuzz: bool = True
) -> ProgressStore:
    """Open (creating, migrating or recovering) the progress database.
    Raises ``StoreError`` (message ready for the learner) when it cannot be used."""
    if path is None:
        from mailsim.locations import progress_db

        path = progress_db()
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            t("progress.unwritable", path=str(target.parent), reason=os.strerror(exc.errno or 0))
        ) from None
    notice = ""
    try:
        conn = _connect(target)
    except schema.NewerSchemaError as exc:
        raise StoreError(
            t("progress.newer", path=str(target), found=exc.found, ours=schema.VERSION)
        ) from None
    except sqlite3.Error as exc:
        if _is_locked(exc):
            raise StoreError(t("progress.locked", path=str(target))) from None
        if isinstance(exc, sqlite3.OperationalError) and "unable to open" in str(exc):
            raise StoreError(t("progress.unwritable", path=str(target), reason=str(exc))) from None
        aside = _move_aside(target, (clock or Clock.from_env()).now())
        notice = t("progress.recovered", path=str(target), aside=str(aside))
        try:
            conn = _connect(target)
        except sqlite3.Error as again:
            raise StoreError(
                t("progress.unwritable", path=str(target), reason=str(again))
            ) from None
    return ProgressStore(conn, target, clock, fuzz, notice)


def _move_aside(target: Path, now: float) -> Path:
    """Keep a damaged database (and its journal files) under a dated name, never delete it."""
    stamp = datetime.fromtimestamp(now, tz=UTC).strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = target.with_name(f"{target.name}.damaged-{stamp}-{n}")
    os.replace(target, aside)
    for suffix in ("-wal", "-shm", "-journal"):
        extra = target.with_name(target.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
    return aside
