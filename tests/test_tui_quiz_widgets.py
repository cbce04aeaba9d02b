"""The answer widgets on their own: what a learner can read and tick in them."""

from __future__ import annotations

from typing import Any

from test_tui_quiz_support import pilot_test, quiz_env  # noqa: F401 - the fixture
from textual.app import App, ComposeResult

from mailsim.tui.widgets.question import MultiChoice

LONG = (
    "Messages stay on the server, where the user reads, files and deletes them from "
    "any number of machines without ever downloading the whole mailbox"
)


class OneWidget(App[None]):
    def __init__(self, widget: Any) -> None:
        super().__init__()
        self.widget = widget
        self.changes = 0

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_multi_choice_changed(self, event: MultiChoice.Changed) -> None:
        self.changes += 1


def screen_text(app: App[None]) -> str:
    import re
    from html import unescape

    svg = app.export_screenshot()
    return unescape(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))).replace("\xa0", " ")


@pilot_test
async def test_a_long_multi_choice_wraps_instead_of_being_cut() -> None:
    """Regression: multi-choice rows were one line each, so at 80 columns a long choice
    ended in "…" and the learner could not read the end of it."""
    widget = MultiChoice([("a", LONG), ("b", "Short one"), ("c", "Another")])
    app = OneWidget(widget)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "…" not in text
        # The last words are there (wrapped under the text, not under the number).
        assert "mailbox" in text.split("downloading the whole", 1)[1]
        assert "[ ] 2. Short one" in text


@pilot_test
async def test_space_numbers_and_clicks_tick_and_report() -> None:
    widget = MultiChoice([("a", LONG), ("b", "Short one"), ("c", "Another")], selected=("c",))
    app = OneWidget(widget)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert widget.selected == ["c"]
        await pilot.press("space")
        assert widget.selected == ["a", "c"]
        widget.pick(2)
        await pilot.pause()
        assert widget.selected == ["a", "b", "c"]
        assert widget.response() == ("a", "b", "c")
        await pilot.press("space")
        assert widget.selected == ["a", "c"] and widget.highlighted == 1
        assert app.changes == 3
        assert "[x] 1. Messages" in " ".join(screen_text(app).split())


@pilot_test
async def test_lesson_link_names_the_page_and_focus_returns_to_next(quiz_env: Any) -> None:  # noqa: F811
    """Regression: the link read "mini/maildir#intro", and back from the lesson the link
    kept the focus, so Enter opened the lesson again instead of the next question."""
    from pathlib import Path

    from test_tui_quiz_support import make_session
    from textual.widgets import Button

    from mailsim.tui.app import MailsimApp
    from mailsim.tui.screens.lesson import LessonScreen
    from mailsim.tui.screens.quiz import QuizScreen

    packs = Path(__file__).parent / "data" / "tui" / "packs"
    session = make_session(["smtp-port", "maildir-param"])
    app = MailsimApp(lang="en", quiz=session, packs=[str(packs)])
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        item = session.current()
        assert item is not None
        await pilot.press(str(item.display_numbers(("b",))[0]), "enter")
        await pilot.pause()
        screen = app.screen
        source = screen.query_one("#quiz-source", Button)
        assert str(source.label) == "Read the lesson: Delivering to Maildir › Why Maildir"
        source.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        assert app.screen.focused is screen.query_one("#quiz-submit", Button)
        await pilot.press("enter")
        await pilot.pause()
        assert session.index == 1
