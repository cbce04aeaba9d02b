"""Sandbox management: open, create, reset, duplicate and delete named machines."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from mailsim.i18n import t
from mailsim.tui.actions import Action, bindings, localise
from mailsim.tui.data import sandboxes as boxes

if TYPE_CHECKING:
    from mailsim.tui.screens.sandbox import SandboxScreen


class SandboxesScreen(Screen[None]):
    ACTIONS = (
        Action("sandboxes.back", "escape", "app.pop_screen"),
        Action("sandboxes.new", "n", "new"),
        Action("sandboxes.rename", "m", "rename"),
        Action("sandboxes.reset", "r", "reset"),
        Action("sandboxes.duplicate", "d", "duplicate"),
        Action("sandboxes.delete", "delete", "delete"),
    )
    BINDINGS = bindings(ACTIONS)
    DEFAULT_CSS = "SandboxesScreen OptionList { height: 1fr; border: none; }"

    def __init__(self) -> None:
        super().__init__()
        localise(self)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(t("tui.sandboxes.intro"), markup=False, classes="pane-title")
        yield OptionList(id="sandboxes")
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("tui.sandboxes.title")
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        menu = self.query_one(OptionList)
        menu.clear_options()
        names = boxes.list_sandboxes()
        menu.add_options([Option(Text(name), id=name) for name in names])
        if not names:
            menu.add_option(Option(Text(t("tui.sandboxes.none")), id="", disabled=True))
        menu.highlighted = 0 if names else None

    @property
    def selected(self) -> str | None:
        menu = self.query_one(OptionList)
        if menu.highlighted is None:
            return None
        return menu.get_option_at_index(menu.highlighted).id or None

    def _open_below(self, name: str) -> SandboxScreen | None:
        """The screen under this one that has sandbox ``name`` open, if any."""
        from mailsim.tui.screens.sandbox import SandboxScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, SandboxScreen) and screen.machine_name == name:
                return screen
        return None

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        name = event.option.id
        if not name:
            return
        stack = self.app.screen_stack
        # Reached with F2 from that very sandbox: go back to it, not a second terminal.
        if len(stack) > 1 and stack[-2] is self._open_below(name):
            self.app.pop_screen()
            return
        self.app.open_sandbox(name)  # type: ignore[attr-defined]

    def _not_while_open(self, name: str) -> bool:
        """A sandbox open under this screen cannot be renamed or deleted from under it."""
        if self._open_below(name) is None:
            return False
        self.notify(t("tuiux.sandboxes.is_open", name=name), severity="warning", markup=False)
        return True

    def _guard(self, work: Callable[[], object]) -> None:
        try:
            work()
        except boxes.SandboxError as exc:
            self.notify(str(exc), severity="error", markup=False)
        self._fill()

    def _ask(self, question: str, value: str, then: Callable[[str], None]) -> None:
        from mailsim.tui.screens.confirm import AskScreen

        def answered(name: str | None) -> None:
            if name:
                self._guard(lambda: then(name))

        self.app.push_screen(AskScreen(question, value, check=boxes.name_problem), answered)

    def action_new(self) -> None:
        self._ask(t("tui.sandboxes.ask_name"), "", lambda name: self.app.open_sandbox(name))  # type: ignore[attr-defined]

    def action_rename(self) -> None:
        name = self.selected
        if name and not self._not_while_open(name):
            self._ask(
                t("tuiux.sandboxes.ask_rename", name=name),
                name,
                lambda new: boxes.rename_sandbox(name, new),
            )

    def action_duplicate(self) -> None:
        name = self.selected
        if name:
            self._ask(
                t("tui.sandboxes.ask_copy", name=name),
                f"{name}-copy",
                lambda new: boxes.duplicate_sandbox(name, new),
            )

    def _confirm(self, question: str, yes: str, then: Callable[[], object]) -> None:
        from mailsim.tui.screens.confirm import ConfirmScreen

        def decided(ok: bool | None) -> None:
            if ok:
                self._guard(then)

        self.app.push_screen(ConfirmScreen(question, yes, danger=True), decided)

    def action_reset(self) -> None:
        name = self.selected
        if name:
            self._confirm(
                t("tui.sandboxes.reset_question", name=name),
                t("tui.sandboxes.reset_yes"),
                lambda: boxes.reset_sandbox(name),
            )

    def action_delete(self) -> None:
        name = self.selected
        if name and not self._not_while_open(name):
            self._confirm(
                t("tui.sandboxes.delete_question", name=name),
                t("tui.sandboxes.delete_yes"),
                lambda: boxes.delete_sandbox(name),
            )

    def on_screen_resume(self) -> None:
        self._fill()
