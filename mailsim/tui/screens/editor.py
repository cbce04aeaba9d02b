"""The editor that `vi`, `nano` and `edit` open: modeless, with a vi-style command bar.

Ctrl+S saves (atomically, through the machine, so the save is a change event the
checklist sees). Esc opens a one-line bar where :w, :q, :wq, :x, :q!, /pattern
and :N work. Leaving with unsaved changes asks first.
"""

from __future__ import annotations

import os

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Static, TextArea

from mailsim.machine.machine import Machine


class ConfirmDiscard(ModalScreen[str]):
    """Unsaved changes: save, discard or stay."""

    BINDINGS = [Binding("escape", "dismiss('stay')", "Stay", id="editor.confirm_stay")]

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label("This file has unsaved changes.", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Save and close", id="save", variant="primary")
                yield Button("Discard", id="discard", variant="error")
                yield Button("Keep editing", id="stay")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "stay")


class EditorScreen(Screen[None]):
    """Edit one file of the machine."""

    DEFAULT_CSS = """
    EditorScreen { layout: vertical; }
    EditorScreen #editor-title { height: 1; background: $primary; color: $text; padding: 0 1; }
    EditorScreen TextArea { height: 1fr; border: none; }
    EditorScreen #editor-status { height: 1; background: $panel; padding: 0 1; }
    EditorScreen #command-bar { height: 1; border: none; padding: 0; display: none; }
    EditorScreen #command-bar.visible { display: block; }
    ConfirmDiscard { align: center middle; }
    ConfirmDiscard #confirm-box { width: 60; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    ConfirmDiscard #confirm-buttons { height: auto; margin-top: 1; }
    ConfirmDiscard Button { margin-right: 1; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save"),
        Binding("escape", "command_bar", "Command (:wq)", id="editor.command"),
        Binding("ctrl+q", "app.quit", "Quit app", show=False, priority=False),
    ]

    def __init__(self, machine: Machine, path: str) -> None:
        super().__init__()
        self.machine = machine
        self.path = path
        self.is_new = not machine.exists(path)
        self.saved_text = "" if self.is_new else machine.read_text(path)
        self.message = ""

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="editor-title", markup=False)
        area = TextArea(self.saved_text, show_line_numbers=True, soft_wrap=False,
                        tab_behavior="indent", id="editor-area")
        yield area
        yield Input(id="command-bar", placeholder=":wq  :w  :q!  /pattern  :42")
        yield Static(self._status(), id="editor-status", markup=False)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def _title(self) -> str:
        return f"{self.path}{'  [New]' if self.is_new else ''}"

    @property
    def dirty(self) -> bool:
        return self.query_one(TextArea).text != self.saved_text

    def _status(self) -> str:
        hint = "Ctrl+S save · Esc then :wq save and close · :q! close without saving"
        return f"{self.message}  —  {hint}" if self.message else hint

    def _refresh_status(self) -> None:
        self.query_one("#editor-status", Static).update(self._status())
        self.query_one("#editor-title", Static).update(
            self._title() + ("  [modified]" if self.dirty else ""))

    @on(TextArea.Changed)
    def _changed(self) -> None:
        self.message = ""
        self._refresh_status()

    def action_save(self) -> bool:
        text = self.query_one(TextArea).text
        try:
            self.machine.write_text(self.path, text)
        except OSError as exc:
            self.message = f"\"{self.path}\" E212: Can't open file for writing ({os.strerror(exc.errno or 5)})"
            self._refresh_status()
            return False
        self.saved_text = text
        lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        self.message = f"\"{self.path}\" {lines}L, {len(text.encode())}B written"
        self.is_new = False
        self._refresh_status()
        return True

    def action_command_bar(self) -> None:
        bar = self.query_one("#command-bar", Input)
        if bar.has_class("visible"):
            bar.remove_class("visible")
            self.query_one(TextArea).focus()
            return
        bar.add_class("visible")
        bar.value = ":"
        bar.cursor_position = 1
        bar.focus()

    @on(Input.Submitted, "#command-bar")
    def _command(self, event: Input.Submitted) -> None:
        bar = self.query_one("#command-bar", Input)
        bar.remove_class("visible")
        area = self.query_one(TextArea)
        area.focus()
        command = event.value.strip()
        if command.startswith("/") and len(command) > 1:
            self._search(command[1:])
            return
        command = command.lstrip(":").strip()
        if command.isdigit():
            line = max(0, min(int(command) - 1, area.document.line_count - 1))
            area.move_cursor((line, 0))
            area.scroll_cursor_visible(center=True)
        elif command in ("w", "write"):
            self.action_save()
        elif command in ("wq", "x", "wq!", "x!"):
            if self.action_save():
                self.dismiss(None)
        elif command in ("q", "quit"):
            if self.dirty:
                self.message = "E37: No write since last change (add ! to override)"
                self._refresh_status()
            else:
                self.dismiss(None)
        elif command == "q!":
            self.dismiss(None)
        elif command:
            self.message = f"E492: Not an editor command: {command}"
            self._refresh_status()

    def _search(self, pattern: str) -> None:
        area = self.query_one(TextArea)
        text = area.text
        row, col = area.cursor_location
        lines = text.split("\n")
        offset = sum(len(line) + 1 for line in lines[:row]) + col + 1
        found = text.find(pattern, offset)
        if found < 0:
            found = text.find(pattern)
            if found >= 0:
                self.message = "search hit BOTTOM, continuing at TOP"
        if found < 0:
            self.message = f"E486: Pattern not found: {pattern}"
            self._refresh_status()
            return
        before = text[:found]
        area.move_cursor((before.count("\n"), found - (before.rfind("\n") + 1)))
        area.scroll_cursor_visible(center=True)
        self._refresh_status()

    def request_close(self) -> None:
        """Close, asking first when there are unsaved edits."""
        if not self.dirty:
            self.dismiss(None)
            return

        def decided(choice: str | None) -> None:
            if choice == "save" and self.action_save():
                self.dismiss(None)
            elif choice == "discard":
                self.dismiss(None)

        self.app.push_screen(ConfirmDiscard(), decided)
