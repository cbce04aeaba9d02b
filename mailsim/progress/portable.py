"""Portable progress: a JSON export carrying the learner's name, its import, and the
CSV gradebook an instructor builds from several learners' exports.

Every attempt carries a ``uid``, so importing the same export twice (or an
export of a database that already holds some of it) adds nothing twice.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from mailsim.progress.store import ProgressStore

FORMAT = "mailsim-progress"
VERSION = 1

TABLES: dict[str, tuple[str, ...]] = {
    "answers": (
        "uid",
        "item",
        "pack",
        "question",
        "objective",
        "correct",
        "time_taken",
        "mode",
        "response",
        "at",
        "attempt",
    ),
    "lab_results": (
        "uid",
        "item",
        "pack",
        "lab",
        "task",
        "objective",
        "passed",
        "hints_used",
        "solution_shown",
        "at",
    ),
    "exam_attempts": (
        "uid",
        "exam",
        "started",
        "finished",
        "correct",
        "total",
        "estimate",
        "timed_out",
        "per_objective",
    ),
    "cards": ("item", "kind", "pack", "objective", "facts", "card", "due", "last_review"),
    "review_log": ("item", "rating", "at", "duration", "log"),
    "fact_alerts": ("fact", "at"),
}

CSV_COLUMNS = (
    "learner",
    "kind",
    "at",
    "pack",
    "item",
    "objective",
    "result",
    "correct",
    "total",
    "time_taken",
    "mode",
    "hints_used",
    "solution_shown",
    "estimate",
)


class ExportError(Exception):
    """A file that is not a progress export (the message says why)."""


def export_data(store: ProgressStore) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "learner": {"name": store.learner_name()},
        "exported_at": datetime.fromtimestamp(store.clock.now(), tz=UTC).isoformat(),
    }
    for table, columns in TABLES.items():
        rows = store.conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        data[table] = [dict(zip(columns, row, strict=True)) for row in rows]
    return data


def write_export(store: ProgressStore, path: Path) -> int:
    """Write the export atomically; returns the number of attempts in it."""
    data = export_data(store)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
    return sum(len(data[t]) for t in ("answers", "lab_results", "exam_attempts"))


def read_export(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExportError(exc.strerror or str(exc)) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ExportError(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportError("no 'format: mailsim-progress'")
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise ExportError(f"export version {data.get('version')!r} is not one this mailsim reads")
    for table, columns in TABLES.items():
        rows = data.get(table, [])
        if not isinstance(rows, list) or not all(
            isinstance(r, dict) and set(columns) <= set(r) for r in rows
        ):
            raise ExportError(f"'{table}' is not a list of complete rows")
    if not isinstance(data.get("learner"), dict):
        raise ExportError("no learner")
    return data


def import_data(store: ProgressStore, data: dict[str, Any]) -> int:
    """Merge an export into the store in one transaction; returns the new attempts added."""
    conn = store.conn
    added = 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table in ("answers", "lab_results", "exam_attempts"):
            columns = TABLES[table]
            for row in data.get(table, []):
                cursor = conn.execute(
                    f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})",
                    [row[c] for c in columns],
                )
                added += cursor.rowcount
        columns = TABLES["cards"]
        for row in data.get("cards", []):
            conn.execute(
                f"INSERT INTO cards ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
                "ON CONFLICT (item) DO UPDATE SET card = excluded.card, due = excluded.due, "
                "last_review = excluded.last_review, facts = excluded.facts "
                "WHERE COALESCE(excluded.last_review, 0) > COALESCE(cards.last_review, 0)",
                [row[c] for c in columns],
            )
        seen = set(conn.execute("SELECT item, at, rating FROM review_log").fetchall())
        for row in data.get("review_log", []):
            if (row["item"], row["at"], row["rating"]) not in seen:
                conn.execute(
                    "INSERT INTO review_log (item, rating, at, duration, log) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [row[c] for c in TABLES["review_log"]],
                )
        for row in data.get("fact_alerts", []):
            conn.execute(
                "INSERT INTO fact_alerts (fact, at) VALUES (?, ?) ON CONFLICT (fact) "
                "DO UPDATE SET at = MAX(at, excluded.at)",
                (row["fact"], row["at"]),
            )
        name = str(data["learner"].get("name") or "")
        if name and not store.learner_name():
            conn.execute("UPDATE learner SET name = ? WHERE id = 1", (name,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return added


def _iso(at: Any) -> str:
    try:
        return datetime.fromtimestamp(float(at), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError, OverflowError):
        return ""


def report_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per attempt of one learner's export data, oldest first."""
    learner = str(data["learner"].get("name") or "")
    rows: list[dict[str, Any]] = []
    for a in data.get("answers", []):
        rows.append(
            {
                "learner": learner,
                "kind": "quiz",
                "at": a["at"],
                "pack": a["pack"],
                "item": a["question"],
                "objective": a["objective"],
                "result": "right" if a["correct"] else "wrong",
                "correct": int(bool(a["correct"])),
                "total": 1,
                "time_taken": a["time_taken"],
                "mode": a["mode"],
            }
        )
    for r in data.get("lab_results", []):
        rows.append(
            {
                "learner": learner,
                "kind": "lab",
                "at": r["at"],
                "pack": r["pack"],
                "item": f"{r['lab']}/{r['task']}",
                "objective": r["objective"],
                "result": "passed" if r["passed"] else "failed",
                "correct": int(bool(r["passed"])),
                "total": 1,
                "mode": "lab",
                "hints_used": r["hints_used"],
                "solution_shown": int(bool(r["solution_shown"])),
            }
        )
    for e in data.get("exam_attempts", []):
        rows.append(
            {
                "learner": learner,
                "kind": "exam",
                "at": e["finished"],
                "pack": "",
                "item": e["exam"],
                "objective": "",
                "result": "timed out" if e["timed_out"] else "finished",
                "correct": e["correct"],
                "total": e["total"],
                "mode": "exam",
                "time_taken": round(float(e["finished"]) - float(e["started"]), 3),
                "estimate": e["estimate"],
            }
        )
    rows.sort(key=lambda row: float(row["at"]))  # stable: same-time rows keep their order
    return rows


def write_report(exports: list[dict[str, Any]], out: TextIO) -> int:
    """The gradebook: every learner's attempts as CSV, learner by learner."""
    writer = csv.DictWriter(out, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    count = 0
    for data in exports:
        for row in report_rows(data):
            row = dict(row, at=_iso(row["at"]))
            writer.writerow(
                {k: ("" if row.get(k) is None else row.get(k, "")) for k in CSV_COLUMNS}
            )
            count += 1
    return count
