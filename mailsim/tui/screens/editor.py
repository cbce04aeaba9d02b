"""The editor that `vi`, `nano` and `edit` open: modeless, with a vi-style command bar.

Ctrl+S saves (atomically, through the machine, so the save is a change event the
checklist sees). Esc opens a one-line bar where :w, :q, :wq, :x, :q!, /pattern
and :N work; Ctrl+X closes as in nano. Leaving with unsaved changes asks first.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from mailsim.i18n import t
from mailsim.machine.machine import Machine
from mailsim.tui.actions import Action, bindings, localise
from mailsim.tui.widgets.highlight import HighlightedTextArea


class EditorScreen(Screen[None]):
    CSS_PATH = "editor.tcss"
    ACTIONS = (
        Action("editor.save", "ctrl+s", "save", priority=True),
        Action("editor.command", "escape", "command_bar", priority=True),
        Action("editor.close", "ctrl+x", "close", priority=True),
    )
    BINDINGS = bindings(ACTIONS)

    def __init__(
        self, machine: Machine, path: str, on_save: Callable[[], None] | None = None
    ) -> None:
        super().__init__()
        localise(self)
        self.machine = machine
        self.path = path
        self.on_save = on_save
        self.is_new = not machine.exists(path)
        self.saved_text = ""
        self.message = ""
        self.read_error = ""
        if not self.is_new:
            try:
                self.saved_text = machine.read_text(path)
            except OSError as exc:
                self.read_error = f'"{path}" [{os.strerror(exc.errno or 5)}]'
            except UnicodeDecodeError:
                self.read_error = f'"{path}" [binary]'

    def compose(self) -> ComposeResult:
        from mailsim.lexers import lexer_for_path

        with Horizontal(id="editor-top"):
            yield Static(self._title(), id="editor-title", markup=False)
            yield Static("", id="editor-ruler", markup=False)
        yield HighlightedTextArea(
            self.saved_text,
            lexer=lexer_for_path(self.path),
            show_line_numbers=True,
            soft_wrap=False,
            tab_behavior="indent",
            id="editor-area",
            read_only=bool(self.read_error),
        )
        # The bar opens holding ":"; selecting it on focus would let the first key typed
        # replace it, so "/pattern" came out as a search and ":wq" as "wq".
        yield Input(
            id="command-bar", placeholder=t("tui.editor.bar_placeholder"), select_on_focus=False
        )
        yield Static(self._status(), id="editor-status", markup=False)

    def on_mount(self) -> None:
        self.message = self.read_error
        self._refresh_status()
        self._moved()
        self.area.focus()

    @property
    def area(self) -> HighlightedTextArea:
        return self.query_one(HighlightedTextArea)

    def _title(self) -> str:
        return f"{self.path}{'  ' + t('tui.editor.new') if self.is_new else ''}"

    @property
    def dirty(self) -> bool:
        if not self.is_mounted:
            return False
        return self.area.text != self.saved_text

    def _status(self) -> str:
        # A message stands alone, as in vi: after it, the hint would be cut at 80 columns.
        return self.message or t("tui.editor.keys")

    def _refresh_status(self) -> None:
        self.query_one("#editor-status", Static).update(self._status())
        self.query_one("#editor-title", Static).update(
            self._title() + ("  " + t("tui.editor.modified") if self.dirty else "")
        )

    @on(HighlightedTextArea.Changed)
    def _changed(self) -> None:
        self.message = ""
        self._refresh_status()

    @on(HighlightedTextArea.SelectionChanged)
    def _moved(self) -> None:
        # Where the cursor is, as vi's ruler shows it: warnings and lessons cite lines.
        row, column = self.area.cursor_location
        self.query_one("#editor-ruler", Static).update(
            t("tuiux.editor.ruler", line=row + 1, column=column + 1)
        )

    def action_save(self) -> bool:
        if self.read_error:
            return False
        text = self.area.text
        try:
            # Machine.write_text replaces the file in one step (write to a temporary
            # file, then rename), so a crash never leaves half a main.cf.
            self.machine.write_text(self.path, text)
        except OSError as exc:
            self.message = (
                f'"{self.path}" E212: Can\'t open file for writing ({os.strerror(exc.errno or 5)})'
            )
            self._refresh_status()
            return False
        self.saved_text = text
        lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        self.message = f'"{self.path}" {lines}L, {len(text.encode())}B written'
        self.is_new = False
        self._refresh_status()
        if self.on_save is not None:
            self.on_save()
        return True

    def action_command_bar(self) -> None:
        bar = self.query_one("#command-bar", Input)
        if bar.display:
            self._close_bar()
            return
        # Shown and focused at once (not through the deferred ``focus()`` and a CSS
        # class): a vi user types Esc:wq in one go, and keys that arrive before the
        # focus moves would be typed into the file.
        bar.display = True
        bar.value = ":"
        bar.cursor_position = 1
        self.set_focus(bar)

    def _close_bar(self) -> None:
        self.query_one("#command-bar", Input).display = False
        self.set_focus(self.area)

    @on(Input.Submitted, "#command-bar")
    def _command(self, event: Input.Submitted) -> None:
        event.stop()
        self._close_bar()
        self.run_command(event.value.strip())

    def run_command(self, command: str) -> None:
        """One vi command-line command (``:wq``, ``/pattern``, ``:42``)."""
        area = self.area
        self.message = ""
        command = command.lstrip(":").strip()
        # "/pattern" and ":/pattern" both search (vi takes the second as a line address).
        if command.startswith("/") and len(command) > 1:
            self._search(command[1:])
            return
        if command.isdigit():
            line = max(0, min(int(command) - 1, area.document.line_count - 1))
            area.move_cursor((line, 0))
            area.scroll_cursor_visible(center=True)
        elif command in ("w", "write"):
            self.action_save()
        elif command in ("wq", "x", "wq!", "x!", "xit"):
            if not self.dirty or self.action_save():
                self.dismiss(None)
        elif command in ("q", "quit"):
            if self.dirty:
                self.message = "E37: No write since last change (add ! to override)"
                self._refresh_status()
            else:
                self.dismiss(None)
        elif command in ("q!", "quit!"):
            self.dismiss(None)
        elif command:
            self.message = f"E492: Not an editor command: {command}"
        self._refresh_status()

    def _search(self, pattern: str) -> None:
        area = self.area
        text = area.text
        row, col = area.cursor_location
        lines = text.split("\n")
        offset = sum(len(line) + 1 for line in lines[:row]) + col + 1
        self.message = ""
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

    def action_close(self) -> None:
        """Close, asking first when there are unsaved edits."""
        from mailsim.tui.screens.confirm import ConfirmScreen

        if not self.dirty:
            self.dismiss(None)
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                t("tui.editor.unsaved", path=self.path), t("tui.editor.discard"), danger=True
            ),
            decided,
        )
