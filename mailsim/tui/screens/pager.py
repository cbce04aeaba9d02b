"""`less`, `more` and `man` inside the TUI, and the lab's diff and solution: q closes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from mailsim.tui.actions import Action, bindings, localise


class PagerScreen(Screen[None]):
    DEFAULT_CSS = """
    PagerScreen TextArea { height: 1fr; border: none; }
    PagerScreen #pager-title { height: 1; background: $primary; color: $text; padding: 0 1; }
    """
    ACTIONS = (
        Action("pager.quit", "q", "close"),
        Action("pager.close", "escape", "close", show=False),
    )
    BINDINGS = bindings(ACTIONS)

    def __init__(self, text: str, language: str | None = None, title: str = "") -> None:
        super().__init__()
        localise(self)
        self.text = text
        self.language = language
        self.heading = title
        """Says what is shown (the lab's changes, its solution); none for `less`."""

    def compose(self) -> ComposeResult:
        if self.heading:
            yield Static(self.heading, id="pager-title", markup=False)
        area = TextArea(self.text, read_only=True, soft_wrap=True, show_cursor=False)
        if self.language == "diff":
            from pygments.lexers.diff import DiffLexer

            from mailsim.tui.widgets.highlight import HighlightedTextArea

            area = HighlightedTextArea(
                self.text, lexer=DiffLexer(), read_only=True, soft_wrap=True, show_cursor=False
            )
        yield area
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
