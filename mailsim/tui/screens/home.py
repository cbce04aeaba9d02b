"""The home screen: lesson packs, progress, and the ways in (labs, sandbox, quiz)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList
from textual.widgets.option_list import Option


class HomeScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield OptionList(
                Option("Sandbox — a free machine to practise on", id="sandbox"),
                id="home-menu",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#home-menu")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "sandbox":
            self.app.open_sandbox("default")  # type: ignore[attr-defined]
