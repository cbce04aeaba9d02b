"""The exam date on the Progress screen: set, kept between runs, cleared; refused with a
message when it is no date or in the past; the exam-day column agrees with
``mailsim quiz --exam-date``; and review quizzes are ordered for that day."""

from __future__ import annotations

import io
import re
import sys
from datetime import date
from typing import Any

import pytest
from test_tui_progress import fill_store, table_rows, use_test_bank
from test_tui_quiz_support import (
    NOW,
    make_app,
    open_test_store,
    pilot_test,
    questions,
    quiz_env,  # noqa: F401 - the fixture below
)
from textual.widgets import DataTable, Input, Static

from mailsim.machine.clock import Clock
from mailsim.progress.examdate import exam_moment, load_exam_date, save_exam_date
from mailsim.tui.screens.progress import ProgressScreen

pytestmark = pytest.mark.usefixtures("quiz_env")

EXAM = "2026-12-20"
"""25 days after the tests' fixed 'now' (2026-11-25)."""


async def open_progress(pilot: Any) -> ProgressScreen:
    await pilot.pause()
    pilot.app.action_open_progress()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ProgressScreen)
    return screen


async def type_date(pilot: Any, text: str) -> None:
    await pilot.press("d")
    field = pilot.app.screen.query_one("#exam-date", Input)
    assert field.has_focus
    field.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


def headers(screen: ProgressScreen) -> list[str]:
    table = screen.query_one("#objectives", DataTable)
    return [str(column.label) for column in table.columns.values()]


def note(screen: ProgressScreen) -> str:
    return str(screen.query_one("#exam-note", Static).render())


def messages(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


@pilot_test
async def test_set_date_shows_the_forecast_and_is_kept_after_a_restart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_test_bank(monkeypatch)
    store = open_test_store(Clock(NOW))
    fill_store(store)
    store.close()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_progress(pilot)
        assert "Exam day" not in headers(screen)
        assert note(screen).startswith("No exam date set: type it above as YYYY-MM-DD (d)")
        await type_date(pilot, EXAM)
        assert headers(screen)[-1] == "Exam day"
        assert note(screen).startswith(f"Exam on {EXAM}: 25 days left.")
        assert f"Exam date set: {EXAM}." in messages(app)
        rows = table_rows(screen)
        now = [int(r[2].split()[-1].rstrip("%")) for r in rows]
        then = [int(r[5].split()[-1].rstrip("%")) for r in rows]
        assert all(t <= n for n, t in zip(now, then, strict=True))
        assert then[0] < now[0]  # 211.1 was answered: its recall fades by the exam
    assert load_exam_date() == date(2026, 12, 20)

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_progress(pilot)
        assert screen.query_one("#exam-date", Input).value == EXAM
        assert headers(screen)[-1] == "Exam day"
        assert table_rows(screen)[0][5] == rows[0][5]
        await pilot.click("#exam-clear")
        await pilot.pause()
        assert "Exam day" not in headers(screen)
        assert screen.query_one("#exam-date", Input).value == ""
        assert note(screen).startswith("No exam date set")
    assert load_exam_date() is None


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2026-02-30", "Not a date: “2026-02-30”. Type the exam day as YYYY-MM-DD"),
        ("next week", "Not a date: “next week”."),
        ("", "Type the exam day as YYYY-MM-DD"),
        ("2026-11-24", "2026-11-24 is in the past (today is 2026-11-25)"),
    ],
)
@pilot_test
async def test_a_bad_date_gives_the_message_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, typed: str, said: str
) -> None:
    use_test_bank(monkeypatch)
    save_exam_date(date(2027, 1, 10))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_progress(pilot)
        await type_date(pilot, typed)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and errors[0].startswith(said)
        assert screen.exam_date == date(2027, 1, 10)
        assert note(screen).startswith("Exam on 2027-01-10: 46 days left.")
    assert load_exam_date() == date(2027, 1, 10)


@pilot_test
async def test_a_date_gone_by_asks_for_a_new_one(monkeypatch: pytest.MonkeyPatch) -> None:
    use_test_bank(monkeypatch)
    save_exam_date(date(2026, 11, 2))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_progress(pilot)
        assert "Exam day" not in headers(screen)
        assert note(screen) == "Your exam date 2026-11-02 has passed: set a new one or clear it."
        await type_date(pilot, "2026-11-25")
        assert note(screen).startswith("Exam today (2026-11-25).")
        assert headers(screen)[-1] == "Exam day"


@pilot_test
async def test_the_exam_day_column_agrees_with_the_cli_forecast(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given the same questions and answers, the screen and ``mailsim quiz --exam-date``
    show the same readiness per objective."""
    use_test_bank(monkeypatch)
    monkeypatch.setattr("mailsim.quiz.cli.load_questions", lambda packs, extra=(): questions())
    store = open_test_store(Clock(NOW))
    fill_store(store)
    for item in [k for k in store.cards() if k.startswith("lab:")]:
        # The CLI counts questions only; the screen also counts the lab tasks met.
        store.conn.execute("DELETE FROM cards WHERE item = ?", (item,))
    store.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    from mailsim.cli import main

    main(["quiz", "--plain", "--mode", "review", "--exam-date", EXAM, "--count", "1"])
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"Readiness on {EXAM} (predicted recall per objective):"
    cli = {}
    for line in printed[1:]:
        found = re.fullmatch(r"  (\S+): (\d+)% \((\d+) of (\d+) seen\)", line)
        if not found:
            break
        cli[found[1]] = (f"{found[2]}%", f"{found[3]}/{found[4]}")
    assert set(cli) == {"108.3", "211.1", "211.2", "211.3"}
    assert any(percent != "0%" for percent, _ in cli.values())

    save_exam_date(date(2026, 12, 20))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_progress(pilot)
        tui = {r[0]: (r[5].split()[-1], r[3]) for r in table_rows(screen)}
    assert tui == cli


@pilot_test
async def test_review_from_the_tui_is_ordered_for_the_exam_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As ``mailsim quiz --mode review --exam-date``: by predicted recall on that day."""
    from mailsim.quiz import session as sessions

    use_test_bank(monkeypatch)
    store = open_test_store(Clock(NOW))
    fill_store(store)
    store.close()
    built: list[dict[str, Any]] = []
    real = sessions.build_session

    def spy(*args: Any, **kwargs: Any) -> Any:
        built.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(sessions, "build_session", spy)
    save_exam_date(date(2026, 12, 20))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_open_quiz("review")
        await app.workers.wait_for_complete()
        await pilot.pause()
        session = app.screen.session
        assert built[-1]["exam_date"] == exam_moment(date(2026, 12, 20))
        got = [item.question.key for item in session.items]
    with open_test_store(Clock(NOW)) as check:
        expected = real(
            questions(),
            "review",
            seed=int(NOW),
            store=check,
            clock=Clock(NOW),
            exam_date=exam_moment(date(2026, 12, 20)),
        )
        due_now = real(questions(), "review", seed=int(NOW), store=check, clock=Clock(NOW))
        recall = [check.recall(key, exam_moment(date(2026, 12, 20))) for key in got]
    assert got == [item.question.key for item in expected.items]
    assert got != [item.question.key for item in due_now.items]
    assert recall == sorted(recall)

    save_exam_date(None)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_open_quiz("review")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert built[-1]["exam_date"] is None
