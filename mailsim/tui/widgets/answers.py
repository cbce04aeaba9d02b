"""The answer widgets of the quiz screen, one per question type.

Each posts ``Submit`` with a response in choice ids (never display numbers):
a tuple for single, multi and order questions, a string for typed ones.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, OptionList, SelectionList
from textual.widgets.option_list import Option


class Submit(Message):
    def __init__(self, response: tuple[str, ...] | str) -> None:
        super().__init__()
        self.response = response


def numbered(n: int, text: str) -> Text:
    return Text.assemble((f"{n}. ", "bold"), text)


class SingleChoice(OptionList):
    """Arrows or 1–9 pick; Enter answers."""

    def __init__(self, choices: list[tuple[str, str]], selected: str | None = None) -> None:
        super().__init__(
            *(Option(numbered(i, text), id=cid) for i, (cid, text) in enumerate(choices, 1))
        )
        self._selected = selected

    def on_mount(self) -> None:
        ids = [self.get_option_at_index(i).id for i in range(self.option_count)]
        self.highlighted = ids.index(self._selected) if self._selected in ids else 0

    def pick(self, number: int) -> None:
        if 1 <= number <= self.option_count:
            self.highlighted = number - 1
            self.action_select()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Submit((event.option.id or "",)))


class MultiChoice(SelectionList[str]):
    """Space or 1–9 tick; Enter answers."""

    BINDINGS = [Binding("enter", "submit", "Answer", show=False, id="quiz.multi_submit")]

    def __init__(self, choices: list[tuple[str, str]], selected: tuple[str, ...] = ()) -> None:
        super().__init__(
            *((numbered(i, text), cid, cid in selected) for i, (cid, text) in enumerate(choices, 1))
        )

    def pick(self, number: int) -> None:
        if 1 <= number <= self.option_count:
            self.highlighted = number - 1
            self.toggle(self.get_option_at_index(number - 1).value)

    def action_submit(self) -> None:
        order = [self.get_option_at_index(i).value for i in range(self.option_count)]
        self.post_message(Submit(tuple(v for v in order if v in self.selected)))


class OrderList(OptionList):
    """Shift+Up/Down (or Ctrl+Up/Down) moves the highlighted item; Enter answers."""

    BINDINGS = [
        Binding("shift+up,ctrl+up", "move(-1)", "Move up", id="quiz.move_up"),
        Binding("shift+down,ctrl+down", "move(1)", "Move down", id="quiz.move_down"),
    ]

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        self.items = list(choices)
        super().__init__(*self._options())

    def _options(self) -> list[Option]:
        return [Option(numbered(i, text), id=cid) for i, (cid, text) in enumerate(self.items, 1)]

    def action_move(self, step: int) -> None:
        index = self.highlighted
        if index is None or not 0 <= index + step < len(self.items):
            return
        self.items[index], self.items[index + step] = self.items[index + step], self.items[index]
        self.clear_options()
        self.add_options(self._options())
        self.highlighted = index + step

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Submit(tuple(cid for cid, _ in self.items)))


class TypedAnswer(Input):
    """A command, a path, a parameter name or a port number; Enter answers."""

    def __init__(self, value: str = "", placeholder: str = "") -> None:
        super().__init__(value, placeholder=placeholder)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(Submit(event.value))
