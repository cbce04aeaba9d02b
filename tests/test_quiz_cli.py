"""``mailsim quiz`` in-process: the TUI fallback, the exam-date forecast, option errors."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from mailsim.cli import main

BANK = str(Path(__file__).parent / "data" / "quiz" / "bank")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILSIM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MAILSIM_NOW", "2026-11-25T08:29:01")
    monkeypatch.setenv("LANG", "C.UTF-8")
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)


def feed(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_without_the_tui_the_quiz_runs_plain_with_a_note(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "mailsim.tui.app", None)  # importing it fails
    feed(monkeypatch, "postconf -n\n")
    assert (
        main(["quiz", "--pack", BANK, "--objective", "211.1", "--count", "1", "--seed", "1"]) == 0
    )
    out, err = capsys.readouterr()
    assert err == "the TUI is not available in this build; running the quiz in plain mode\n"
    assert out.startswith("Question 1 of 1 [211.1]\n")
    assert "Score: 1 of 1 (100%)" in out


def test_exam_date_prints_a_readiness_forecast_first(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    feed(monkeypatch, "postconf -n\n")
    main(["quiz", "--plain", "--pack", BANK, "--objective", "211.1", "--count", "1", "--seed", "1"])
    capsys.readouterr()
    feed(monkeypatch, "q\n")
    assert (
        main(
            [
                "quiz",
                "--plain",
                "--pack",
                BANK,
                "--mode",
                "review",
                "--objective",
                "211",
                "--exam-date",
                "2026-12-20",
                "--seed",
                "1",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[:4] == [
        "Readiness on 2026-12-20 (predicted recall per objective):",
        "  211.1: 10% (1 of 7 seen)",
        "  211.2: 0% (0 of 3 seen)",
        "  211.3: 0% (0 of 3 seen)",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--exam-date", "soon"],
            "mailsim: quiz: --exam-date: not a date: 'soon' (use YYYY-MM-DD)\n",
        ),
        (["--count", "0"], "mailsim: quiz: --count must be at least 1\n"),
    ],
)
def test_bad_options_exit_125(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quiz", "--plain", "--pack", BANK, *argv]) == 125
    assert capsys.readouterr().err == message
