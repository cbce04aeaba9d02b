"""A yes/no question in a small dialog (Enter confirms, Esc cancels)."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from mailsim.i18n import t


class ConfirmScreen(ModalScreen[bool]):
    # A Label is as wide as its text: a long question was cut at the dialog's edge.
    DEFAULT_CSS = "ConfirmScreen #question { width: 100%; }"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="confirm.cancel")]

    def __init__(self, question: str, yes: str, danger: bool = False) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, markup=False, id="question")
            with Horizontal(id="buttons"):
                yield Button(self.yes, id="yes", variant="error" if self.danger else "primary")
                yield Button(t("tui.confirm.cancel"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.danger else "#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class AskScreen(ModalScreen[str | None]):
    """One line of text (a sandbox name, a file to export to).

    ``check`` returns why an answer cannot be taken (or ""): the dialog then stays
    open with the reason under the field, so a typo is fixed instead of retyped."""

    DEFAULT_CSS = """
    AskScreen #question { width: 100%; }
    AskScreen #problem { width: 100%; color: $text-error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel")]

    def __init__(
        self, question: str, value: str = "", check: Callable[[str], str] | None = None
    ) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, markup=False, id="question")
            yield Input(self.value, id="answer")
            yield Label("", markup=False, id="problem")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        answer = event.value.strip()
        problem = self.check(answer) if self.check is not None and answer else ""
        if problem:
            self.query_one("#problem", Label).update(problem)
            return
        self.dismiss(answer or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
