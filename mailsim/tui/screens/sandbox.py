"""A free machine with a terminal and no lesson."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header

from mailsim.machine.machine import Machine
from mailsim.tui.screens.editor import EditorScreen
from mailsim.tui.widgets.terminal import TerminalView


class MachineScreen(Screen[None]):
    """Base for screens with a terminal: opens the editor and pager the shell asks for."""

    def on_terminal_view_open_editor(self, message: TerminalView.OpenEditor) -> None:
        machine = self.query_one(TerminalView).machine
        self.app.push_screen(EditorScreen(machine, message.path),
                             lambda _result: self._editor_closed(message))

    def _editor_closed(self, message: TerminalView.OpenEditor) -> None:
        message.done()
        self.query_one(TerminalView).input.focus()

    def on_terminal_view_open_pager(self, message: TerminalView.OpenPager) -> None:
        from mailsim.tui.screens.pager import PagerScreen

        self.app.push_screen(PagerScreen(message.text), lambda _r: message.done())


class SandboxScreen(MachineScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Home", id="sandbox.home", show=True)]

    def __init__(self, name: str, machine: Machine) -> None:
        super().__init__()
        self.machine_name = name
        self.machine = machine

    def compose(self) -> ComposeResult:
        yield Header()
        yield TerminalView(self.machine, self.machine.state / "history", id="terminal")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Sandbox: {self.machine_name}"
        self.sub_title = self.machine.hostname
