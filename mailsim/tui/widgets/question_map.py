"""The mock exam's question map: one cell per question, click one to go there."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

STYLES = {
    "current": "reverse bold",
    "answered": "green",
    "flagged": "bold yellow",
    "open": "dim",
}


def render_map(states: list[str], marks: list[str] | None = None) -> Text:
    """Cells like `` 3✓ `` (answered) or `` 4⚑ `` (flagged) with the state's style and a
    click target per question."""
    text = Text()
    for i, state in enumerate(states):
        mark = marks[i] if marks is not None and i < len(marks) else ""
        cell = f" {i + 1}{mark or ' '}"
        text.append(cell, style=STYLES.get(state, ""))
        text.apply_meta({"question": i}, len(text) - len(cell), len(text))
        text.append(" ")
    return text


class QuestionMap(Static):
    """Shows ``QuizSession.question_map()``; posts ``Jump`` when a cell is clicked."""

    DEFAULT_CSS = """
    QuestionMap { height: auto; padding: 0 1; }
    """

    class Jump(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def show(self, states: list[str], marks: list[str] | None = None) -> None:
        self.update(render_map(states, marks))

    def on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("question")
        if isinstance(index, int):
            self.post_message(self.Jump(index))
