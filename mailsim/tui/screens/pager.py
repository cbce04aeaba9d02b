"""`less`, `more` and `man` inside the TUI: a scrollable page, q to close."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, TextArea


class PagerScreen(Screen[None]):
    DEFAULT_CSS = "PagerScreen TextArea { height: 1fr; border: none; }"
    BINDINGS = [
        Binding("q", "dismiss", "Quit pager", id="pager.quit"),
        Binding("escape", "dismiss", "Close", show=False, id="pager.close"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield TextArea(self.text, read_only=True, soft_wrap=True, show_cursor=False)
        yield Footer()

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
