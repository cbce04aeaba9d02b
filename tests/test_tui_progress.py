"""The progress screen: stored answers, readiness over every question, labs, exams,
the history chart, and export/import through a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_tui_quiz_support import (
    NOW,
    make_app,
    open_test_store,
    pilot_test,
    questions,
    quiz_env,  # noqa: F401 - the fixture below
)
from textual.widgets import DataTable, Static

from mailsim.machine.clock import Clock
from mailsim.tui.screens.progress import ProgressScreen, lab_progress, per_day
from mailsim.tui.widgets.chart import Day, column, meter, render_history

pytestmark = pytest.mark.usefixtures("quiz_env")

DAY = 86400.0


def fill_store(store: Any) -> None:
    """Three days of answers, a lab with one task still failing, one finished lab and a
    timed-out mock exam."""
    answers = [
        (-2, "smtp-port", "211.1", True),
        (-2, "maildir-param", "211.1", False),
        (-1, "maildir-param", "211.1", True),
        (-1, "access-protocols", "211.2", True),
        (0, "procmail-rc", "108.3", False),
        (0, "aliases-order", "211.3", True),
    ]
    for days, qid, objective, correct in answers:
        store.record_answer(
            f"quiz:tuiquiz:{qid}", "tuiquiz", qid, objective, correct, 10.0, at=NOW + days * DAY
        )
    store.record_lab_task("mini", "maildir", "home-mailbox", False, objective="211.1", at=NOW - DAY)
    store.record_lab_task("mini", "maildir", "home-mailbox", True, objective="211.1", at=NOW)
    store.record_lab_task("mini", "maildir", "reload", False, objective="211.1", at=NOW)
    store.record_lab_task("mini", "aliases", "alias", True, objective="211.3", at=NOW)
    store.record_exam("211", NOW - 600, NOW, 5, 8, 440, True, {"211.1": [3, 4]})


def use_test_bank(monkeypatch: pytest.MonkeyPatch) -> None:
    """Readiness counts the installed questions: make those the test bank's, so what the
    screen shows does not change when the built-in banks grow."""
    monkeypatch.setattr("mailsim.tui.data.quizzes.load_questions", lambda pack, extra: questions())


def table_rows(screen: Any) -> list[list[str]]:
    table = screen.query_one("#objectives", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


@pilot_test
async def test_progress_screen_shows_stored_answers_labs_and_exams(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_test_bank(monkeypatch)
    store = open_test_store(Clock(NOW))
    store.set_learner_name("Ada")
    fill_store(store)
    store.close()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_open_progress()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        assert screen.questions is not None and len(screen.questions) == 6
        header = str(screen.query_one("#progress-learner", Static).render())
        assert header.startswith("Learner: Ada · 6 answers")
        rows = table_rows(screen)
        assert [r[0] for r in rows] == ["211.1", "211.2", "211.3", "108.3"]
        assert rows[0][1] == "67% (2/3)"
        assert rows[0][3] == "4/4"  # its two questions and the two lab tasks: all met
        assert rows[1][1] == "100% (1/1)" and rows[1][3] == "1/2"  # sieve-keep unseen
        assert rows[3][1] == "0% (0/1)"
        labs = str(screen.query_one("#labs", Static).render())
        assert "1 of 2 labs completed" in labs
        assert "✓ mini/aliases  1 of 1 tasks passed" in labs
        assert "· mini/maildir  1 of 2 tasks passed" in labs
        exams = str(screen.query_one("#exams", Static).render())
        assert "211" in exams and "5/8" in exams and "estimate 440" in exams
        assert "time ran out" in exams
        note = str(screen.query_one("#history-note", Static).render())
        assert note == "Answers and lab tasks: 10 · days with answers: 3"


@pilot_test
async def test_progress_export_then_import_into_a_fresh_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_test_bank(monkeypatch)
    store = open_test_store(Clock(NOW))
    store.set_learner_name("Ada")
    fill_store(store)
    store.close()
    export = tmp_path / "ada.json"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_open_progress()
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert type(dialog).__name__ == "AskScreen"
        field = dialog.query_one("Input")
        field.value = str(export)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
    data = json.loads(export.read_text(encoding="utf-8"))
    assert data["learner"]["name"] == "Ada"
    assert len(data["answers"]) == 6

    monkeypatch.setenv("MAILSIM_DATA_DIR", str(tmp_path / "other"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_open_progress()
        await pilot.pause()
        assert str(app.screen.query_one("#progress-learner", Static).render()).startswith(
            "Learner: (unnamed) · 0 answers"
        )
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("Input").value = str(export)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert "· 6 answers" in str(app.screen.query_one("#progress-learner", Static).render())


@pilot_test
async def test_importing_a_file_that_is_no_export_says_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_test_bank(monkeypatch)
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_open_progress()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        screen.import_from(bad)
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(m.startswith(f"{bad}: not a mailsim progress export") for m in messages)
        screen.import_from(tmp_path / "missing.json")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("No such file or directory" in m for m in messages)


def test_per_day_and_lab_progress_from_history() -> None:
    history = [
        {"kind": "quiz", "at": NOW - DAY, "correct": True},
        {"kind": "quiz", "at": NOW - DAY, "correct": False},
        {"kind": "lab", "at": NOW, "correct": True, "pack": "p", "item": "l/a"},
        {"kind": "lab", "at": NOW, "correct": False, "pack": "p", "item": "l/b"},
        {"kind": "lab", "at": NOW + 1, "correct": True, "pack": "p", "item": "l/b"},
        {"kind": "exam", "at": NOW, "correct": 3, "total": 8},
    ]
    assert per_day(history) == [Day("2026-11-24", 1, 2), Day("2026-11-25", 2, 3)]
    [lab] = lab_progress(history)
    assert (lab.pack, lab.lab, lab.passed, lab.tasks, lab.done) == ("p", "l", 2, 2, True)


def test_chart_columns_fill_in_eighths() -> None:
    assert column(100, 2) == ["█", "█"]
    assert column(0, 2) == [" ", " "]
    assert column(50, 2) == [" ", "█"]
    assert column(75, 2) == ["▄", "█"]
    assert meter(50, 4).plain == "██░░"
    text = render_history([Day("2026-11-24", 1, 2), Day("2026-11-25", 2, 2)], 40, height=2)
    assert text.plain.splitlines() == ["100% │  █ ", "  0% │█ █ ", "      11-24 11-25"]
    assert render_history([], 40).plain == ""
