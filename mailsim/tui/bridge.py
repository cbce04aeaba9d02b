"""The terminal handle that the TUI gives to commands running in a worker thread.

A command calls ``read_line``/``read_secret``/``edit``/``page`` from its
thread; each asks the UI (through ``call_from_thread``-style callbacks) to show
a prompt or a screen, then blocks until the learner answers. Ctrl+C sets the
cancel event, which wakes any wait and makes the command stop.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from dataclasses import dataclass

from mailsim.shell.streams import CommandCancelled
from mailsim.shell.terminal import Terminal


@dataclass
class UiCallbacks:
    """What the terminal widget provides; each is safe to call from the worker thread."""

    # Results are ignored (``post_message`` returns whether it was posted).
    ask_line: Callable[[str, bool], object]
    """Show a prompt for program input (``secret`` hides what is typed)."""
    open_editor: Callable[[str, Callable[[], None]], object]
    """Open the editor on a machine path; call the second argument when it closes."""
    open_pager: Callable[[str, Callable[[], None]], object]
    clear: Callable[[], object]
    size: Callable[[], tuple[int, int]]


_EOF = object()


class TuiTerminal(Terminal):
    interactive = True

    def __init__(self, ui: UiCallbacks) -> None:
        super().__init__()
        self._ui = ui
        self._lines: queue.Queue[object] = queue.Queue()

    @property
    def width(self) -> int:  # type: ignore[override]
        return self._ui.size()[0]

    @property
    def height(self) -> int:  # type: ignore[override]
        return self._ui.size()[1]

    def feed(self, line: str | None) -> None:
        """The UI hands over a typed line (None for Ctrl+D)."""
        self._lines.put(_EOF if line is None else line)

    def cancel(self) -> None:
        self.cancel_event.set()
        self._lines.put(_EOF)

    def reset(self) -> None:
        """Before each command: forget a previous Ctrl+C and stray input."""
        self.cancel_event.clear()
        while not self._lines.empty():
            self._lines.get_nowait()

    def _wait_line(self) -> str | None:
        while True:
            self.check_cancelled()
            try:
                item = self._lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.check_cancelled()
            return None if item is _EOF else str(item)

    def read_line(self, prompt: str = "") -> str | None:
        self._ui.ask_line(prompt, False)
        return self._wait_line()

    def read_secret(self, prompt: str) -> str | None:
        self._ui.ask_line(prompt, True)
        return self._wait_line()

    def _wait_for_screen(
        self, opener: Callable[[str, Callable[[], None]], object], arg: str
    ) -> None:
        done = queue.Queue[bool]()
        opener(arg, lambda: done.put(True))
        while True:
            if self.cancelled:
                raise CommandCancelled()
            try:
                done.get(timeout=0.1)
                return
            except queue.Empty:
                continue

    def edit(self, path: str) -> None:
        self._wait_for_screen(self._ui.open_editor, path)

    def page(self, text: str) -> None:
        self._wait_for_screen(self._ui.open_pager, text)

    def clear(self) -> None:
        self._ui.clear()
