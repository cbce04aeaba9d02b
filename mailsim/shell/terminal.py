"""The terminal a command runs on: size, interactive input, editor and pager.

The TUI provides a terminal backed by its widgets; `mailsim exec` provides
``PlainTerminal``, which reads from the process's stdin and cannot open an editor.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from mailsim.shell.streams import CommandCancelled


class TerminalUnavailable(Exception):
    """The editor or pager cannot open here (under `mailsim exec`)."""


class Terminal:
    """Base terminal: 80x24, no input, no editor. Subclasses fill in the rest."""

    width = 80
    height = 24
    interactive = False

    def __init__(self) -> None:
        self.cancel_event = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check_cancelled(self) -> None:
        """Raise CommandCancelled if Ctrl+C was pressed; long loops call this."""
        if self.cancel_event.is_set():
            raise CommandCancelled()

    def read_line(self, prompt: str = "") -> str | None:
        """One line the learner typed (without newline), or None at end of input."""
        return None

    def read_secret(self, prompt: str) -> str | None:
        """Like read_line with echo off (password prompts)."""
        return self.read_line(prompt)

    def edit(self, path: str) -> None:
        raise TerminalUnavailable("no editor is available outside the mailsim TUI")

    def page(self, text: str) -> None:
        raise TerminalUnavailable("no pager")

    def clear(self) -> None:
        pass


class PlainTerminal(Terminal):
    """`mailsim exec`'s terminal: 80 columns; input lines come from a callable."""

    def __init__(
        self,
        read: Callable[[], str | None] | None = None,
        write_prompt: Callable[[str], None] | None = None,
        width: int = 80,
        height: int = 24,
    ) -> None:
        super().__init__()
        self._read = read
        self._write_prompt = write_prompt
        self.width, self.height = width, height

    def read_line(self, prompt: str = "") -> str | None:
        self.check_cancelled()
        if prompt and self._write_prompt is not None:
            self._write_prompt(prompt)
        if self._read is None:
            return None
        line = self._read()
        if line is None:
            return None
        return line.rstrip("\n")
