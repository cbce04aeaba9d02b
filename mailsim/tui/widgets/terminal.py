"""A terminal on the simulated shell: scrollback, prompt line, history, completion.

Commands run in a thread worker so the screen stays live; what they print
arrives as messages (``post_message`` is thread-safe). While a command runs,
Enter hands the typed line to it (password prompts hide the input), Ctrl+C
cancels it. The terminal owns Ctrl+C, Ctrl+D, Ctrl+L, Tab and Up/Down.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Log

from mailsim.i18n import t
from mailsim.machine.machine import Machine
from mailsim.shell.completion import complete
from mailsim.shell.session import ExitShell, Shell
from mailsim.shell.streams import OutputStream
from mailsim.tui.actions import localise
from mailsim.tui.bridge import TuiTerminal, UiCallbacks

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]")
CLEAR = re.compile(r"\x1b\[H\x1b\[2J|\x1b\[2J|\x1bc")
HISTORY_LIMIT = 1000


WORD = re.compile(
    r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+|\s+"
)
"""Prose tokens: one CJK character (a line may break after any), a word, or spaces."""


def fill(text: str, width: int) -> str:
    """Word-wrap prose (the greeting) at ``width`` cells; program output is wrapped by
    ``TerminalView._wrap`` instead, at any character, as a terminal does."""
    from rich.cells import cell_len

    out: list[str] = []
    for paragraph in text.splitlines():
        line = ""
        for token in WORD.findall(paragraph):
            if token.isspace():
                line += " " if line else ""
            elif line and cell_len(line + token) > width:
                out.append(line.rstrip())
                line = token
            else:
                line += token
        out.append(line.rstrip())
    return "".join(line + "\n" for line in out)


class CommandInput(Input):
    """The prompt line. Its keys belong to the shell, not to Textual's defaults."""

    BINDINGS = [
        Binding("tab", "complete", "Complete", show=False, id="terminal.complete"),
        Binding("up", "history(-1)", "Previous", show=False, id="terminal.history_prev"),
        Binding("down", "history(1)", "Next", show=False, id="terminal.history_next"),
        Binding("ctrl+c", "interrupt", "Cancel", id="terminal.cancel"),
        Binding("ctrl+d", "eof", "Logout/EOF", show=False, id="terminal.eof"),
        # Every terminal user knows Ctrl+L; the footer's room goes to the screen's keys.
        Binding("ctrl+l", "clear_screen", "Clear", show=False, id="terminal.clear"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localise(self)

    def action_complete(self) -> None:
        self.post_message(TerminalView.CompleteRequest())

    def action_history(self, step: int) -> None:
        self.post_message(TerminalView.HistoryRequest(step))

    def action_interrupt(self) -> None:
        # As in modern terminal emulators: Ctrl+C copies when text is selected.
        selected = self.screen.get_selected_text()
        if selected:
            self.app.copy_to_clipboard(selected)
            self.screen.clear_selection()
            self.app.notify(t("tui.terminal.copied"), timeout=2)
            return
        self.post_message(TerminalView.Interrupt())

    def action_eof(self) -> None:
        if not self.value:
            self.post_message(TerminalView.EndOfInput())
        else:
            self.action_delete_right()

    def action_clear_screen(self) -> None:
        self.post_message(TerminalView.ClearRequest())


class TerminalView(Vertical):
    """The learner's terminal on one machine."""

    DEFAULT_CSS = """
    TerminalView { height: 1fr; background: $surface; }
    TerminalView > #screen { height: 1fr; align-vertical: bottom; }
    TerminalView Log {
        height: auto; max-height: 100%; border: none; background: $surface;
        scrollbar-size-vertical: 1; overflow-x: hidden;
        /* The scrollbar's column is always kept (programs are told the width without
           it), so a growing log never flickers between two widths. */
        scrollbar-gutter: stable; scrollbar-background: $surface;
    }
    TerminalView > #prompt-row { height: 1; }
    TerminalView #prompt { width: auto; color: $text; }
    TerminalView CommandInput { border: none; height: 1; padding: 0; background: $surface; width: 1fr; }
    TerminalView CommandInput:focus { border: none; }
    """

    class Output(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class AskLine(Message):
        def __init__(self, prompt: str, secret: bool) -> None:
            super().__init__()
            self.prompt = prompt
            self.secret = secret

    class OpenEditor(Message):
        def __init__(self, path: str, done: Callable[[], None]) -> None:
            super().__init__()
            self.path = path
            self.done = done

    class OpenPager(Message):
        def __init__(self, text: str, done: Callable[[], None]) -> None:
            super().__init__()
            self.text = text
            self.done = done

    class Finished(Message):
        """A command line finished; screens re-grade and refresh on this."""

        def __init__(self, line: str, status: int) -> None:
            super().__init__()
            self.line = line
            self.status = status

    class CompleteRequest(Message):
        pass

    class HistoryRequest(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class Interrupt(Message):
        pass

    class EndOfInput(Message):
        pass

    class ClearRequest(Message):
        pass

    def __init__(
        self,
        machine: Machine,
        history_file: Path | None = None,
        after_command: Callable[[], object] | None = None,
        disabled_commands: tuple[str, ...] = (),
        greeting: str = "",
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.machine = machine
        self.history_file = history_file
        self.after_command = after_command
        """Called in the worker thread after each command line, before ``Finished``
        (a lab keeps its undo checkpoint there, off the UI thread)."""
        self.disabled_commands = disabled_commands
        self.greeting = greeting
        """Shown once on opening, as a server shows its motd at login."""
        self._line_ended = True
        """The scrollback's last line is complete (the next output starts a new one)."""
        self.bridge = TuiTerminal(
            UiCallbacks(
                ask_line=lambda prompt, secret: self.post_message(self.AskLine(prompt, secret)),
                open_editor=lambda path, done: self.post_message(self.OpenEditor(path, done)),
                open_pager=lambda text, done: self.post_message(self.OpenPager(text, done)),
                clear=lambda: self.post_message(self.ClearRequest()),
                size=lambda: (max(20, self.size.width - 1), max(5, self.size.height)),
            )
        )
        self.shell = self._new_shell()
        self.running = False
        self._pending: list[str] = []
        self._history_pos: int | None = None
        self._draft = ""

    def _new_shell(self) -> Shell:
        shell = Shell(self.machine, self.bridge, interactive=True)
        shell.history = self._load_history()
        shell.disabled.update(self.disabled_commands)
        return shell

    def _load_history(self) -> list[str]:
        if self.history_file is None:
            return []
        try:
            return self.history_file.read_text(encoding="utf-8").splitlines()[-HISTORY_LIMIT:]
        except OSError:
            return []

    def _save_history(self) -> None:
        if self.history_file is None:
            return
        try:
            self.history_file.parent.mkdir(parents=True, exist_ok=True)
            lines = self.shell.history[-HISTORY_LIMIT:]
            self.history_file.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        except OSError:
            pass

    def compose(self) -> ComposeResult:
        # Output sits just above the prompt row, as on a terminal whose prompt is at the
        # bottom: after Ctrl+L or at the start the few lines there are touch the prompt.
        # Lines are wrapped here (``_wrap``), so the log never needs a horizontal bar.
        with Vertical(id="screen"):
            yield Log(id="scrollback", auto_scroll=True)
        with Horizontal(id="prompt-row"):
            yield Label(self.shell.prompt(), id="prompt", markup=False)
            yield CommandInput(id="cmdline", select_on_focus=False)

    def on_mount(self) -> None:
        self.query_one(CommandInput).focus()

    def on_resize(self, event: events.Resize) -> None:
        # The greeting waits for the first real size: it is wrapped to the width.
        if self.greeting and event.size.width > 0:
            self.write(fill(self.greeting, self.bridge.width))
            self.greeting = ""

    @property
    def log_view(self) -> Log:
        return self.query_one("#scrollback", Log)

    @property
    def input(self) -> CommandInput:
        return self.query_one(CommandInput)

    def _set_prompt(self, text: str, secret: bool = False) -> None:
        self.query_one("#prompt", Label).update(text)
        self.input.password = secret

    def write(self, text: str) -> None:
        """Append output, honouring a clear-screen sequence and dropping other escapes."""
        parts = CLEAR.split(text)
        if len(parts) > 1:
            self.log_view.clear()
            text = parts[-1]
        text = ANSI.sub("", text).replace("\r\n", "\n")
        if text:
            self.log_view.write(self._wrap(text))

    def _wrap(self, text: str) -> str:
        """Break lines at the width programs were told (as a terminal wraps them), so a
        long ``postconf -n`` line is read whole instead of running off the pane."""
        from rich.cells import get_character_cell_size

        width = self.bridge.width
        column = len(self.log_view.lines[-1]) if self.log_view.lines and not self._line_ended else 0
        out: list[str] = []
        for char in text:
            if char == "\n":
                column = 0
            else:
                size = 8 - column % 8 if char == "\t" else get_character_cell_size(char)
                if column + size > width:
                    out.append("\n")
                    column = 0
                column += size
            out.append(char)
        self._line_ended = text.endswith("\n")
        return "".join(out)

    # -- input ---------------------------------------------------------------------

    @on(Input.Submitted, "#cmdline")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value
        self.input.value = ""
        self._history_pos = None
        prompt = str(self.query_one("#prompt", Label).content)
        if self.running:
            # With echo off the Enter is not echoed either: the program ends the line
            # itself (doveadm pw, passwd and su print their own newline).
            self.write(prompt if self.input.password else f"{prompt}{line}\n")
            self._set_prompt("")
            self.bridge.feed(line)
            return
        self.write(f"{prompt}{line}\n")
        self._pending.append(line)
        text = "\n".join(self._pending)
        if self.shell.needs_more(text):
            self._set_prompt("> ")
            return
        self._pending = []
        if not text.strip():
            self._set_prompt(self.shell.prompt())
            return
        from mailsim.shell.history import history_line

        self.shell.history.append(history_line(text))
        self._save_history()
        self.run_line(text)

    def run_line(self, text: str) -> None:
        """Run a command line as if typed (also used by screens and tests)."""
        self.running = True
        self._set_prompt("")
        self.bridge.reset()
        self._run_worker(text)

    @work(thread=True, exclusive=True, group="terminal")
    def _run_worker(self, text: str) -> None:
        sink = OutputStream(
            sink=lambda data: self.post_message(
                self.Output(data.decode("utf-8", errors="replace"))
            ),
            isatty=True,
        )
        status = 0
        try:
            status = self.shell.run_line(text, self.shell.terminal_input(), sink, sink)
        except ExitShell as exc:
            status = exc.status
            self.post_message(self.Output("\n"))
            self.shell = self._new_shell()
        except Exception as exc:  # never a traceback on screen
            import logging

            logging.getLogger("mailsim.tui").exception("shell failed")
            self.post_message(self.Output(f"mailsim: internal error: {exc.__class__.__name__}\n"))
            status = 70
        if self.after_command is not None:
            try:
                self.after_command()
            except Exception:  # a failed checkpoint must not hide the command's result
                import logging

                logging.getLogger("mailsim.tui").exception("after-command hook failed")
        self.post_message(self.Finished(text, status))

    def on_terminal_view_output(self, message: Output) -> None:
        self.write(message.text)

    def on_terminal_view_ask_line(self, message: AskLine) -> None:
        # A prompt the command wrote without a newline sits on the input row instead.
        self._set_prompt(message.prompt, message.secret)

    def on_terminal_view_finished(self, message: Finished) -> None:
        self.running = False
        self._set_prompt(self.shell.prompt())

    def on_terminal_view_complete_request(self, message: CompleteRequest) -> None:
        if self.running:
            return
        value, cursor = self.input.value, self.input.cursor_position
        result = complete(self.shell, value, cursor)
        if not result.candidates:
            self.app.bell()
            return
        prefix = result.common_prefix()
        if len(result.candidates) == 1 and not prefix.endswith("/"):
            prefix += " "
        if prefix and len(prefix) > cursor - result.start:
            new = value[: result.start] + prefix + value[cursor:]
            self.input.value = new
            self.input.cursor_position = result.start + len(prefix)
        elif len(result.candidates) > 1:
            shown = [
                c.rstrip("/").rsplit("/", 1)[-1] + ("/" if c.endswith("/") else "")
                for c in result.candidates[:200]
            ]
            prompt = str(self.query_one("#prompt", Label).content)
            self.write(f"{prompt}{value}\n" + "  ".join(shown) + "\n")

    def on_terminal_view_history_request(self, message: HistoryRequest) -> None:
        if self.running and self.input.password:
            return
        history = self.shell.history
        if not history:
            return
        if self._history_pos is None:
            if message.step > 0:
                return
            self._draft = self.input.value
            self._history_pos = len(history)
        pos = self._history_pos + message.step
        if pos >= len(history):
            self._history_pos = None
            self.input.value = self._draft
        else:
            self._history_pos = max(0, pos)
            self.input.value = history[self._history_pos]
        self.input.cursor_position = len(self.input.value)

    def on_terminal_view_interrupt(self, message: Interrupt) -> None:
        prompt = str(self.query_one("#prompt", Label).content)
        self.write(f"{prompt}{'' if self.input.password else self.input.value}^C\n")
        self.input.value = ""
        if self.running:
            self.bridge.cancel()
        else:
            self._pending = []
            self._set_prompt(self.shell.prompt())

    def on_terminal_view_end_of_input(self, message: EndOfInput) -> None:
        if self.running:
            self.bridge.feed(None)
            return
        if self._pending:
            return
        # bash prints "logout" where the cursor is: after the prompt, on its line.
        self.write(self.shell.prompt() + "logout\n")
        if not self.shell.pop_login():
            self.shell = self._new_shell()
        self._set_prompt(self.shell.prompt())

    def on_terminal_view_clear_request(self, message: ClearRequest) -> None:
        self.log_view.clear()
