"""The learner's exam date (parsed, kept between runs) and the exam-day forecast that
``mailsim quiz --exam-date`` prints and the Progress screen shows."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pytest

from mailsim.cli import UsageError, main
from mailsim.machine.clock import Clock, parse_timestamp
from mailsim.progress import examdate
from mailsim.progress.examdate import (
    ExamDateError,
    days_left,
    exam_moment,
    load_exam_date,
    parse_exam_date,
    save_exam_date,
    upcoming_exam_date,
)
from mailsim.progress.forecast import forecast
from mailsim.progress.store import open_store

NOW = parse_timestamp("2026-11-25T08:29:01")
DAY = 86400.0
BANK = str(Path(__file__).parent / "data" / "quiz" / "bank")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MAILSIM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MAILSIM_NOW", "2026-11-25T08:29:01")
    monkeypatch.setenv("LANG", "C.UTF-8")
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def test_a_date_today_or_later_is_read() -> None:
    assert parse_exam_date(" 2026-12-20 ", NOW) == date(2026, 12, 20)
    assert parse_exam_date("2026-11-25", NOW) == date(2026, 11, 25)
    assert days_left(date(2026, 12, 20), NOW) == 25
    assert days_left(date(2026, 11, 25), NOW) == 0


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("  ", "Type the exam day as YYYY-MM-DD, for example 2027-03-15."),
        ("soon", "Not a date: “soon”. Type the exam day as YYYY-MM-DD, for example 2027-03-15."),
        ("2026-13-01", "Not a date: “2026-13-01”."),
        ("2026-02-30", "Not a date: “2026-02-30”."),
        ("20261220", "Not a date: “20261220”."),
        ("2026-12-20T09:00", "Not a date: “2026-12-20T09:00”."),
        (
            "2026-11-24",
            "2026-11-24 is in the past (today is 2026-11-25): choose today or a later day.",
        ),
    ],
)
def test_a_bad_or_past_date_says_why(typed: str, message: str) -> None:
    with pytest.raises(ExamDateError) as caught:
        parse_exam_date(typed, NOW)
    assert str(caught.value).startswith(message)


def test_the_date_is_kept_between_runs_and_cleared(isolated: Path) -> None:
    assert load_exam_date() is None
    save_exam_date(date(2026, 12, 20))
    assert (isolated / "exam-date.json").read_text() == '{"exam_date": "2026-12-20"}\n'
    assert load_exam_date() == date(2026, 12, 20)
    save_exam_date(None)
    assert not (isolated / "exam-date.json").exists()
    assert load_exam_date() is None
    save_exam_date(None)  # clearing twice is no error


@pytest.mark.parametrize("content", ["", "{", "[]", '{"exam_date": 3}', '{"exam_date": "x"}'])
def test_a_damaged_file_means_no_date(isolated: Path, content: str) -> None:
    (isolated / "exam-date.json").write_text(content)
    assert load_exam_date() is None


def test_a_date_gone_by_orders_nothing(isolated: Path) -> None:
    save_exam_date(date(2026, 11, 1))
    assert load_exam_date() == date(2026, 11, 1)
    assert upcoming_exam_date(NOW) is None
    save_exam_date(date(2026, 11, 25))
    assert upcoming_exam_date(NOW) == date(2026, 11, 25)


def test_a_failed_save_says_where(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = isolated / "file"
    blocker.write_text("")
    monkeypatch.setattr(examdate, "_path", lambda: blocker / "exam-date.json")
    with pytest.raises(ExamDateError) as caught:
        save_exam_date(date(2026, 12, 20))
    assert str(caught.value).startswith(f"Cannot save the exam date in {blocker}/exam-date.json:")


def test_forecast_runs_the_forgetting_curve_forward() -> None:
    store = open_store(clock=Clock(NOW), fuzz=False)
    store.record_answer("quiz:b:one", "b", "one", "211.1", True, at=NOW - DAY)
    store.record_answer("quiz:b:two", "b", "two", "211.1", False, at=NOW - DAY)
    items = [("quiz:b:one", "211.1"), ("quiz:b:two", "211.1"), ("quiz:b:three", "211.2")]
    result = forecast(store, items, exam_moment(date(2026, 12, 20)))
    assert result.date == "2026-12-20" and result.days_left == 25
    assert list(result.objectives) == ["211.1", "211.2"]
    first = result.objectives["211.1"]
    assert (first.seen, first.total) == (2, 2)
    # One remembered, one wrong (counts 0): half of a recall that fades by the exam.
    assert 0 < first.exam_day < first.now < 0.5
    assert first.now == pytest.approx(store.readiness_by_objective(items)["211.1"].recall)
    assert result.objectives["211.2"].exam_day == 0.0
    store.close()


def test_the_cli_prints_the_shared_forecast(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``mailsim quiz --exam-date`` prints the same numbers as ``forecast()`` gives."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("postconf -n\n"))
    main(["quiz", "--plain", "--pack", BANK, "--objective", "211.1", "--count", "1", "--seed", "1"])
    capsys.readouterr()
    from mailsim.quiz.cli import load_questions

    # Before the second run, which records whatever it reads as an answer.
    questions = load_questions([BANK])
    store = open_store(clock=Clock(NOW))
    exam_at = parse_timestamp("2026-12-20")
    result = forecast(store, [(q.key, q.objective) for q in questions], exam_at)
    store.close()
    expected = [
        f"  {r.objective}: {round(100 * r.exam_day)}% ({r.seen} of {r.total} seen)"
        for r in result.objectives.values()
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    argv = ["quiz", "--plain", "--pack", BANK, "--mode", "review", "--exam-date", "2026-12-20"]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Readiness on 2026-12-20 (predicted recall per objective):"
    assert lines[1 : 1 + len(expected)] == expected
    assert any(not line.endswith(": 0% (0 of 3 seen)") for line in expected)


def test_the_tui_option_keeps_a_good_date_and_refuses_a_bad_one() -> None:
    from mailsim.tui.cli import apply_exam_date

    apply_exam_date(None)
    assert load_exam_date() is None
    apply_exam_date("2026-12-20")
    assert load_exam_date() == date(2026, 12, 20)
    with pytest.raises(UsageError) as caught:
        apply_exam_date("2026-11-01", "en")
    assert str(caught.value) == (
        "--exam-date: 2026-11-01 is in the past (today is 2026-11-25): choose today or a later day."
    )
    assert load_exam_date() == date(2026, 12, 20)
