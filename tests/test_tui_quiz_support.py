"""Shared setup of the quiz and progress screen tests (no tests of its own).

Deterministic by construction: a fixed clock, ``MAILSIM_DATA_DIR`` and ``MAILSIM_NOW``
in the test's own directory, a fixed version string, English unless a test asks,
no cursor blink, and sessions whose question order and shuffles come from a seed.
"""

from __future__ import annotations

import asyncio
import functools
import random
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest

from mailsim.i18n import set_language
from mailsim.machine.clock import Clock
from mailsim.quiz.bank import load_bank
from mailsim.quiz.model import Question
from mailsim.quiz.session import QuizSession, present

BANK = Path(__file__).parent / "data" / "tui_quiz" / "bank.yaml"
NOW = 1795600000.0
"""2026-11-25 (UTC): the fixed 'now' of every test here."""


def pilot_test(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test in its own event loop (no asyncio plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def questions() -> list[Question]:
    return load_bank(BANK, "tuiquiz").questions


def question(qid: str) -> Question:
    return next(q for q in questions() if q.id == qid)


@pytest.fixture
def quiz_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data directory of the test's own, a fixed clock and version; English after."""
    monkeypatch.setenv("MAILSIM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MAILSIM_NOW", str(NOW))
    monkeypatch.setattr("mailsim.tui.app.__version__", "0.0-test")
    # An unexpected exception ends the test run instead of becoming a notification.
    monkeypatch.setattr("mailsim.tui.app.MailsimApp.fail_loudly", True)
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False)
    yield tmp_path / "data"
    set_language("en")


def open_test_store(clock: Clock) -> Any:
    from mailsim.progress.store import open_store

    return open_store(clock=clock, fuzz=False)


def make_session(
    ids: list[str],
    mode: str = "practice",
    clock: Clock | None = None,
    store: Any = None,
    seed: int = 7,
    exam: str | None = None,
) -> QuizSession:
    """A session over the named questions in this order, choices shuffled by ``seed``."""
    from mailsim.quiz.exam import EXAMS

    rng = random.Random(seed)
    items = [present(question(qid), rng) for qid in ids]
    spec = EXAMS[exam] if exam else None
    return QuizSession(items, mode, clock or Clock(NOW), store, spec)


def make_app(session: QuizSession | None = None, lang: str = "en") -> Any:
    from mailsim.tui.app import MailsimApp

    return MailsimApp(lang=lang, quiz=session)


def right_keys(session: QuizSession) -> list[str]:
    """The keys that answer the current choice question right (digits, then Enter)."""
    item = session.current()
    assert item is not None
    return [str(n) for n in item.display_numbers(item.question.correct_ids)] + ["enter"]


async def answer_right(pilot: Any, session: QuizSession) -> None:
    """Answer the current question right with the keyboard, whatever its type."""
    from mailsim.tui.widgets.question import OrderList

    item = session.current()
    assert item is not None
    q = item.question
    if q.type == "typed":
        assert q.typed is not None
        await pilot.press(*q.typed.accept[0], "enter")
    elif q.type == "order":
        widget = pilot.app.screen.query_one(OrderList)
        for target, cid in enumerate(q.correct_ids):
            at = [c for c, _ in widget.items].index(cid)
            await pilot.press(str(at + 1), *["shift+up"] * (at - target))
        await pilot.press("enter")
    else:
        await pilot.press(*right_keys(session))
    await pilot.pause()


def no_blink(pilot: Any) -> None:
    from textual.widgets import Input

    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
