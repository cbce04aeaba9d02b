"""`mailsim --exam-date DAY`: kept for the TUI before it opens; a bad day is a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailsim import cli

NOW = "2026-11-25T12:00:00Z"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MAILSIM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MAILSIM_NOW", NOW)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return tmp_path


def test_a_good_day_is_kept_and_the_tui_opens(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[dict[str, object]] = []
    monkeypatch.setattr("mailsim.tui.app.run", lambda **kw: opened.append(kw) or 0)
    assert cli.main(["--exam-date", "2027-01-10"]) == 0
    assert len(opened) == 1
    from mailsim.progress.examdate import load_exam_date

    assert str(load_exam_date()) == "2027-01-10"


@pytest.mark.parametrize(
    ("day", "said"), [("2020-01-01", "is in the past"), ("nope", "Not a date"), ("2027-02-30", "")]
)
def test_a_bad_day_is_a_usage_error_and_the_tui_does_not_open(
    data: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    day: str,
    said: str,
) -> None:
    opened: list[object] = []
    monkeypatch.setattr("mailsim.tui.app.run", lambda **kw: opened.append(kw) or 0)
    assert cli.main(["--exam-date", day]) == cli.MAILSIM_ERROR
    err = capsys.readouterr().err
    assert err.startswith("mailsim: --exam-date: ") and said in err
    assert err.count("\n") == 1
    assert opened == []
