"""The answer widgets of the quiz screen, one per question type, and how an answer reads.

Each widget posts ``Submit`` with a response in choice ids (never display numbers,
which depend on the shuffle): a tuple for single, multi and order questions, a
string for typed ones. Number keys 1–9 only choose (as a click does); Enter (or the
screen's Answer button) answers, so a stray key never answers for the learner.
Choice texts come from banks: they are built as ``rich.text.Text``, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from mailsim.tui.actions import localise

if TYPE_CHECKING:
    from mailsim.quiz.session import Presented


class Submit(Message):
    """The learner answers with ``response`` (choice ids, or the typed text)."""

    def __init__(self, response: tuple[str, ...] | str) -> None:
        super().__init__()
        self.response = response


class Hanging:
    """A choice row whose wrapped lines hang under its text, not under its number, so
    where one choice ends and the next begins reads at a glance."""

    def __init__(self, head: Text, body: Text) -> None:
        self.head = head
        self.body = body

    @property
    def plain(self) -> str:
        return self.head.plain + self.body.plain

    def _grid(self) -> Table:
        grid = Table.grid(expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(self.head, self.body)
        return grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._grid()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, Text.assemble(self.head, self.body))


def numbered(n: int, text: str) -> Hanging:
    return Hanging(Text(f"{n}. ", style="bold"), Text(text))


def choice_prompt(n: int, text: str, ticked: bool) -> Hanging:
    """A multi-choice row: an ASCII tick box (box-drawing ticks are ambiguous-width,
    two cells in a Japanese terminal) before the numbered text."""
    box = Text("[x] " if ticked else "[ ] ", style="bold green" if ticked else "")
    return Hanging(Text.assemble(box, (f"{n}. ", "bold")), Text(text))


class SingleChoice(OptionList):
    """Arrows, a click or 1–9 choose; Enter answers."""

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

    async def _on_click(self, event: events.Click) -> None:
        # Textual's own handler would answer on the click: keep it from running.
        event.prevent_default()
        clicked = event.style.meta.get("option")
        if clicked is not None:
            self.highlighted = clicked

    def response(self) -> tuple[str, ...]:
        index = self.highlighted
        return () if index is None else (self.get_option_at_index(index).id or "",)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Submit(self.response()))


class MultiChoice(OptionList):
    """Space, a click or 1–9 tick; Enter answers.

    An ``OptionList`` with its own tick boxes rather than a ``SelectionList``, whose
    one-line rows cut a long choice off with "…" at 80 columns: here a choice wraps
    under its text, and the learner can read every word of it."""

    BINDINGS = [
        Binding("enter", "submit", "Answer", show=False, id="quiz.multi_submit"),
        Binding("space", "toggle_highlighted", "Tick", show=False, id="quiz.multi_tick"),
    ]

    class Changed(Message):
        """The ticked set changed (the screen warns when too many are ticked)."""

        def __init__(self, choice_list: MultiChoice) -> None:
            super().__init__()
            self.choice_list = choice_list

    def __init__(self, choices: list[tuple[str, str]], selected: tuple[str, ...] = ()) -> None:
        self.choices = list(choices)
        self._ticked = {cid for cid, _ in choices if cid in selected}
        super().__init__(*self._make_options())
        localise(self)

    def _make_options(self) -> list[Option]:
        return [
            Option(choice_prompt(i, text, ticked=cid in self._ticked), id=cid)
            for i, (cid, text) in enumerate(self.choices, 1)
        ]

    def on_mount(self) -> None:
        self.highlighted = 0

    @property
    def selected(self) -> list[str]:
        """The ticked choice ids, in display order."""
        return [cid for cid, _ in self.choices if cid in self._ticked]

    def toggle(self, cid: str) -> None:
        self._ticked ^= {cid}
        index = self.highlighted
        self.clear_options()
        self.add_options(self._make_options())
        self.highlighted = index
        self.post_message(self.Changed(self))

    def pick(self, number: int) -> None:
        if 1 <= number <= self.option_count:
            self.highlighted = number - 1
            self.toggle(self.choices[number - 1][0])

    def action_toggle_highlighted(self) -> None:
        if self.highlighted is not None:
            self.toggle(self.choices[self.highlighted][0])

    async def _on_click(self, event: events.Click) -> None:
        # A click ticks (as on a check box); Textual's own handler would select.
        event.prevent_default()
        clicked = event.style.meta.get("option")
        if isinstance(clicked, int):
            self.highlighted = clicked
            self.toggle(self.choices[clicked][0])

    def response(self) -> tuple[str, ...]:
        return tuple(self.selected)

    def action_submit(self) -> None:
        self.post_message(Submit(self.response()))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()


class OrderList(OptionList):
    """Shift+Up/Down (or Ctrl+Up/Down, or - and +) moves the highlighted item; Enter answers.

    A click only highlights: clicking to pick an item up must not answer."""

    BINDINGS = [
        Binding("shift+up,ctrl+up,minus", "move(-1)", "Move up", id="quiz.move_up"),
        Binding("shift+down,ctrl+down,plus", "move(1)", "Move down", id="quiz.move_down"),
    ]

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        self.items = list(choices)
        super().__init__(*self._make_options())
        localise(self)

    def _make_options(self) -> list[Option]:
        return [Option(numbered(i, text), id=cid) for i, (cid, text) in enumerate(self.items, 1)]

    def on_mount(self) -> None:
        self.highlighted = 0

    def pick(self, number: int) -> None:
        if 1 <= number <= self.option_count:
            self.highlighted = number - 1

    def action_move(self, step: int) -> None:
        index = self.highlighted
        if index is None or not 0 <= index + step < len(self.items):
            return
        self.items[index], self.items[index + step] = self.items[index + step], self.items[index]
        self.clear_options()
        self.add_options(self._make_options())
        self.highlighted = index + step

    async def _on_click(self, event: events.Click) -> None:
        # Textual's own handler would answer on the click: keep it from running.
        event.prevent_default()
        clicked = event.style.meta.get("option")
        if clicked is not None:
            self.highlighted = clicked

    def response(self) -> tuple[str, ...]:
        return tuple(cid for cid, _ in self.items)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Submit(self.response()))


class TypedAnswer(Input):
    """A command, a path, a parameter name or a port number; Enter answers."""

    def __init__(self, value: str = "", placeholder: str = "") -> None:
        super().__init__(value, placeholder=placeholder, select_on_focus=False)

    def response(self) -> str:
        return self.value.strip()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(Submit(self.response()))


AnswerWidget = SingleChoice | MultiChoice | OrderList | TypedAnswer


def choice_texts(item: Presented, lang: str) -> dict[str, str]:
    return {c.id: c.text.get(lang) for c in item.question.choices}


def right_answer(item: Presented, lang: str) -> str:
    """The right answer as one line (the first accepted form of a typed answer)."""
    q = item.question
    if q.type == "typed":
        spec = q.typed
        if spec is None:
            return ""
        if spec.accept:
            return spec.accept[0]
        return spec.run.example if spec.run is not None else ""
    texts = choice_texts(item, lang)
    joiner = " → " if q.type == "order" else ", "
    return joiner.join(texts[i] for i in q.correct_ids if i in texts)


def given_answer(item: Presented, lang: str, unanswered: str) -> str:
    if item.response is None or item.response in ((), ""):
        return unanswered
    if isinstance(item.response, str):
        return item.response
    texts = choice_texts(item, lang)
    joiner = " → " if item.question.type == "order" else ", "
    return joiner.join(texts.get(i, i) for i in item.response)


def marked_choices(item: Presented, lang: str) -> Text:
    """The choices in display order, marked: ✓ right, ✗ chosen but wrong, · neither.

    For an order question: the learner's order, each item marked where it stands right."""
    q = item.question
    texts = choice_texts(item, lang)
    given = item.response if isinstance(item.response, tuple) else ()
    text = Text()
    if q.type == "order":
        right = q.correct_ids
        order = given or item.order
        for n, cid in enumerate(order, 1):
            good = n <= len(right) and right[n - 1] == cid
            text.append("✓ " if good else "✗ ", style="bold green" if good else "bold red")
            text.append(f"{n}. ", style="bold")
            text.append(texts.get(cid, cid) + "\n")
        return text
    right_ids = set(q.correct_ids)
    for n, cid in enumerate(item.order, 1):
        if cid in right_ids:
            mark, style = "✓ ", "bold green"
        elif cid in given:
            mark, style = "✗ ", "bold red"
        else:
            mark, style = "  ", ""
        chosen = "▸" if cid in given else " "
        text.append(mark, style=style)
        text.append(f"{chosen}{n}. ", style="bold")
        text.append(texts.get(cid, cid) + "\n", style=style if cid in given else "")
    return text
