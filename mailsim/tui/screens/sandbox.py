"""A free machine with a terminal and no lesson."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header

from mailsim.machine.machine import Machine
from mailsim.tui.actions import Action, bindings, localise
from mailsim.tui.screens.machine import MachineScreen
from mailsim.tui.widgets.terminal import TerminalView


class SandboxScreen(MachineScreen):
    ACTIONS = (
        Action("sandbox.home", "escape", "app.pop_screen"),
        Action("sandbox.manage", "f2", "app.open_sandboxes"),
    )
    BINDINGS = bindings(ACTIONS)

    def __init__(self, name: str, machine: Machine) -> None:
        super().__init__()
        localise(self)
        self.machine_name = name
        self.machine = machine

    def compose(self) -> ComposeResult:
        yield Header()
        from mailsim.i18n import t

        yield TerminalView(
            self.machine,
            self.machine.state / "history",
            greeting=t("tuiux.sandbox.welcome", name=self.machine_name),
            id="terminal",
        )
        yield Footer()

    def on_mount(self) -> None:
        from mailsim.i18n import t
        from mailsim.tui.data.recent import remember

        self.title = t("tui.sandbox.title", name=self.machine_name)
        self.sub_title = self.machine.hostname
        remember(
            "sandbox", name=self.machine_name, title=t("tui.sandbox.title", name=self.machine_name)
        )
