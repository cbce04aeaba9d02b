"""Shared set-up for the TUI tests (imported by each tests/test_tui_*.py; holds no tests).

Deterministic runs: the data directory in tmp, a fixed clock, a fixed version,
no cursor blink, no user locale or config leaking in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PACKS = Path(__file__).parent / "data" / "tui" / "packs"
FIXED_NOW = "2026-11-25T08:29:01"


@pytest.fixture
def tui_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path / "data"
    monkeypatch.setenv("MAILSIM_DATA_DIR", str(data))
    monkeypatch.setenv("MAILSIM_NOW", FIXED_NOW)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setattr("mailsim.tui.app.__version__", "0.0.0")
    # An unexpected exception ends the test run instead of becoming a notification.
    monkeypatch.setattr("mailsim.tui.app.MailsimApp.fail_loudly", True)
    # Only the test packs: built-in lessons change as content is written.
    monkeypatch.setattr("mailsim.tui.data.catalog.builtin_lessons_dir", lambda: None)
    # Snapshots must not depend on when the blink timer fired.
    monkeypatch.setattr("textual.widgets._input.Input._toggle_cursor", lambda self: None)
    monkeypatch.setattr(
        "textual.widgets._text_area.TextArea._toggle_cursor_blink_visible", lambda self: None
    )
    from mailsim.i18n import set_language

    set_language("en")
    yield data
    set_language("en")


def make_app(lang: str = "en", **kwargs: Any) -> Any:
    from mailsim.tui.app import MailsimApp

    return MailsimApp(lang=lang, packs=[str(PACKS)], **kwargs)


async def settle(app: Any, pilot: Any, rounds: int = 3) -> None:
    """Let workers (catalogue, lab start, grading) finish and their results land."""
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def run_line(app: Any, pilot: Any, line: str) -> None:
    from mailsim.tui.widgets.terminal import TerminalView

    terminal = app.screen.query_one(TerminalView)
    terminal.input.value = line
    terminal.input.focus()
    await pilot.press("enter")
    for _ in range(50):
        await settle(app, pilot, 1)
        if not terminal.running:
            break
    await settle(app, pilot)


def run_async(fn: Any) -> Any:
    """Run an ``async def`` test on a fresh event loop (no asyncio plugin needed)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


async def wait_until(pilot: Any, condition: Any, timeout: float = 10.0) -> None:
    """Pause until ``condition()`` holds (for moments when a worker is meant to stay
    blocked, such as a shell waiting for the editor to close)."""
    import time

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)
