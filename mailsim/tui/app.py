"""The mailsim Textual app: a thin face over the core."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from mailsim import __version__


class MailsimApp(App[int]):
    TITLE = "mailsim"
    SUB_TITLE = f"mail server practice · {__version__}"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True)]

    def __init__(self, lang: str | None = None, packs: list[str] | None = None,
                 sandbox: str | None = None) -> None:
        super().__init__()
        self.lang = lang
        self.extra_packs = packs or []
        self.start_sandbox = sandbox

    def on_mount(self) -> None:
        from mailsim.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self.start_sandbox:
            self.open_sandbox(self.start_sandbox)

    def open_sandbox(self, name: str) -> None:
        from mailsim.locations import machines_dir
        from mailsim.machine.image import init_machine, is_machine
        from mailsim.machine.machine import Machine
        from mailsim.tui.screens.sandbox import SandboxScreen

        root = machines_dir() / name
        try:
            machine = Machine(root) if is_machine(root) else init_machine(root)
        except Exception as exc:  # shown, never a traceback
            self.notify(f"Cannot open sandbox {name}: {exc}", severity="error")
            return
        self.push_screen(SandboxScreen(name, machine))


def run(lang: str | None = None, packs: list[str] | None = None, sandbox: str | None = None,
        **_: object) -> int:
    app = MailsimApp(lang=lang, packs=packs, sandbox=sandbox)
    return app.run() or 0
