"""What a learner sees on the quiz and result screens, at 80x24 and 120x40, in English
and Japanese. Update after a deliberate change with ``pytest --snapshot-update`` and look
at the SVGs before committing them."""

from __future__ import annotations

from typing import Any

import pytest
from test_tui_quiz_support import (
    make_app,
    make_session,
    quiz_env,  # noqa: F401 - the fixture below
    right_keys,
)

pytestmark = pytest.mark.usefixtures("quiz_env")

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
TYPES = {
    "single": "smtp-port",
    "multi": "access-protocols",
    "typed": "maildir-param",
    "order": "aliases-order",
}


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", list(TYPES))
def test_practice_question_of_each_type(snap_compare: Any, kind: str, size: Any) -> None:
    app = make_app(make_session([TYPES[kind], "sieve-keep"]))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("kind", list(TYPES))
def test_practice_question_of_each_type_in_japanese(snap_compare: Any, kind: str) -> None:
    app = make_app(make_session([TYPES[kind], "sieve-keep"]), lang="ja")
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_practice_feedback_after_a_wrong_answer(snap_compare: Any, size: Any) -> None:
    session = make_session(["access-protocols", "sieve-keep"])

    async def answer_wrong(pilot: Any) -> None:
        await settle(pilot)
        item = session.current()
        assert item is not None
        numbers = item.display_numbers(("pop3", "smtp", "lmtp"))
        await pilot.press(*[str(n) for n in numbers], "enter")
        await pilot.pause()

    assert snap_compare(make_app(session), terminal_size=size, run_before=answer_wrong)


def test_too_many_ticked_warning(snap_compare: Any) -> None:
    session = make_session(["access-protocols", "sieve-keep"])
    assert snap_compare(make_app(session), press=["1", "2", "3"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES)
def test_exam_with_timer_and_question_map(snap_compare: Any, size: Any) -> None:
    ids = ["smtp-port", "maildir-param", "access-protocols", "aliases-order", "sieve-keep"]
    session = make_session(ids, mode="exam", exam="211")

    async def answer_and_flag(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press(*right_keys(session))
        await pilot.press("ctrl+f", "pagedown")
        await pilot.pause()

    assert snap_compare(make_app(session), terminal_size=size, run_before=answer_and_flag)


def test_exam_in_japanese(snap_compare: Any) -> None:
    session = make_session(["smtp-port", "access-protocols"], mode="exam", exam="211")
    assert snap_compare(make_app(session, lang="ja"), terminal_size=(80, 24), run_before=settle)


def exam_result_app(lang: str = "en") -> Any:
    """A mock exam with one right answer, one wrong and one unanswered, then finished."""
    ids = ["smtp-port", "access-protocols", "maildir-param"]
    session = make_session(ids, mode="exam", exam="211")
    first = session.current()
    assert first is not None
    session.answer(tuple(first.question.correct_ids))
    session.next()
    session.answer(("smtp", "lmtp"))
    return make_app(session, lang=lang), session


@pytest.mark.parametrize("size", SIZES)
def test_result_with_objectives_estimate_and_review(snap_compare: Any, size: Any) -> None:
    app, _ = exam_result_app()

    async def finish(pilot: Any) -> None:
        await settle(pilot)
        # Cancel has the focus while questions are open: Shift+Tab reaches Finish.
        await pilot.press("ctrl+e", "shift+tab", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=finish)


def test_result_in_japanese(snap_compare: Any) -> None:
    app, _ = exam_result_app("ja")

    async def finish(pilot: Any) -> None:
        await settle(pilot)
        # Cancel has the focus while questions are open: Shift+Tab reaches Finish.
        await pilot.press("ctrl+e", "shift+tab", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=finish)
