"""Base for screens with a terminal: opens the editor and the pager the shell asks for."""

from __future__ import annotations

from textual.screen import Screen

from mailsim.machine.machine import Machine
from mailsim.tui.widgets.terminal import TerminalView


class MachineScreen(Screen[None]):
    machine: Machine

    def machine_changed(self) -> None:
        """A command finished or a file was saved: subclasses re-grade or refresh."""

    def on_terminal_view_open_editor(self, message: TerminalView.OpenEditor) -> None:
        from mailsim.tui.screens.editor import EditorScreen

        self.app.push_screen(
            EditorScreen(self.machine, message.path, on_save=self.machine_changed),
            lambda _result: self._editor_closed(message),
        )

    def _editor_closed(self, message: TerminalView.OpenEditor) -> None:
        message.done()
        self.query_one(TerminalView).input.focus()

    def on_terminal_view_open_pager(self, message: TerminalView.OpenPager) -> None:
        from mailsim.tui.screens.pager import PagerScreen

        self.app.push_screen(PagerScreen(message.text), lambda _r: message.done())

    def on_terminal_view_finished(self, message: TerminalView.Finished) -> None:
        self.machine_changed()
