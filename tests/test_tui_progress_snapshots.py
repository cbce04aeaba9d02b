"""What a learner sees on the progress screen, at 80x24 and 120x40, with three days of
answers, two labs and a mock exam stored; and before any answer."""

from __future__ import annotations

from typing import Any

import pytest
from test_tui_progress import fill_store, use_test_bank
from test_tui_quiz_support import (
    NOW,
    make_app,
    open_test_store,
    quiz_env,  # noqa: F401 - the fixture below
)

from mailsim.machine.clock import Clock

pytestmark = pytest.mark.usefixtures("quiz_env")

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def open_progress(pilot: Any) -> None:
    await pilot.pause()
    pilot.app.action_open_progress()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def filled_store(name: str | None = None) -> None:
    """The test store with fill_store's history (and the learner's name, if given)."""
    store = open_test_store(Clock(NOW))
    if name:
        store.set_learner_name(name)
    fill_store(store)
    store.close()


@pytest.mark.parametrize("size", SIZES)
def test_progress_with_answers_labs_and_exams(
    snap_compare: Any, monkeypatch: pytest.MonkeyPatch, size: Any
) -> None:
    use_test_bank(monkeypatch)
    filled_store("Ada")
    assert snap_compare(make_app(), terminal_size=size, run_before=open_progress)


def test_progress_before_any_answer(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    use_test_bank(monkeypatch)
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_progress)


def test_progress_in_japanese(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    use_test_bank(monkeypatch)
    filled_store()
    app = make_app(lang="ja")
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_progress)


@pytest.mark.parametrize("size", SIZES)
def test_progress_with_an_exam_date(
    snap_compare: Any, monkeypatch: pytest.MonkeyPatch, size: Any
) -> None:
    """The exam-day column beside today's readiness, and the days left."""
    from datetime import date

    from mailsim.progress.examdate import save_exam_date

    use_test_bank(monkeypatch)
    filled_store("Ada")
    save_exam_date(date(2026, 12, 20))
    assert snap_compare(make_app(), terminal_size=size, run_before=open_progress)


def test_progress_with_an_exam_date_in_japanese(
    snap_compare: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from mailsim.progress.examdate import save_exam_date

    use_test_bank(monkeypatch)
    filled_store()
    save_exam_date(date(2026, 12, 20))
    app = make_app(lang="ja")
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_progress)
