"""The editor: Pygments highlighting inside TextArea, Ctrl+S, the vi command bar, leaving."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_tui_support import run_async, tui_env  # noqa: F401
from textual.app import App, ComposeResult
from textual.widgets import TextArea

from mailsim.lexers.postfix import PostfixMainLexer
from mailsim.machine.image import init_machine
from mailsim.machine.machine import Machine
from mailsim.tui.widgets.highlight import HighlightedTextArea, highlight_lines


class AreaApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield HighlightedTextArea(self.text, lexer=PostfixMainLexer())


@run_async
async def test_pygments_highlights_reach_the_text_area() -> None:
    """Regression guard for overriding TextArea's private ``_build_highlight_map``: if a
    Textual upgrade renames it or changes ``_highlights``, this fails."""
    assert hasattr(TextArea, "_build_highlight_map")
    app = AreaApp("# note\nmyhostname = mail.example.com\n")
    async with app.run_test() as pilot:
        area = app.query_one(HighlightedTextArea)
        assert area._highlights[0] == [(0, 6, "comment")]
        assert (0, 10, "css.property") in area._highlights[1]
        area.insert("home_mailbox = Maildir/\n", (2, 0))
        await pilot.pause()
        assert (0, 12, "css.property") in area._highlights[2]
        line = area.get_line(1)
        area.render_line(1)
        assert line.plain.startswith("myhostname")
        styled = area._render_line(1)
        assert any(seg.style and seg.style.color for seg in styled if "myhostname" in seg.text)


def test_highlight_offsets_are_bytes_for_wide_characters() -> None:
    """TextArea stores highlight columns in UTF-8 bytes: a Japanese comment shifts them."""
    found = highlight_lines(PostfixMainLexer(), "# 日本\nrelayhost = x\n")
    assert found[0] == [(0, 8, "comment")]
    assert found[1][0] == (0, 9, "css.property")


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(init_machine(tmp_path / "m").root)


class EditorApp(App[None]):
    def __init__(self, machine: Machine, path: str, saved: list[int]) -> None:
        super().__init__()
        self.machine = machine
        self.path = path
        self.saved = saved
        self.closed = False

    def on_mount(self) -> None:
        from mailsim.tui.screens.editor import EditorScreen

        def closed(_: Any) -> None:
            self.closed = True

        self.push_screen(
            EditorScreen(self.machine, self.path, on_save=lambda: self.saved.append(1)), closed
        )


@run_async
async def test_ctrl_s_saves_through_the_machine_and_reports(
    tui_env: Path,  # noqa: F811
    machine: Machine,
) -> None:
    saved: list[int] = []
    app = EditorApp(machine, "/etc/aliases", saved)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        area = app.screen.query_one(HighlightedTextArea)
        area.insert("abuse: root\n", (area.document.line_count - 1, 0))
        await pilot.pause()
        assert "[modified]" in str(app.screen.query_one("#editor-title").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert saved == [1]
        assert machine.read_text("/etc/aliases").endswith("abuse: root\n")
        status = str(app.screen.query_one("#editor-status").render())
        assert '"/etc/aliases" 3L, ' in status and "written" in status


@run_async
async def test_vi_command_bar(tui_env: Path, machine: Machine) -> None:  # noqa: F811
    app = EditorApp(machine, "/etc/postfix/main.cf", [])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("escape")
        assert screen.query_one("#command-bar").display
        await pilot.press("backspace", *":20", "enter")
        assert screen.query_one(HighlightedTextArea).cursor_location == (19, 0)
        await pilot.press("escape", *"/home_mailbox", "enter")
        assert "E486: Pattern not found: home_mailbox" in str(
            screen.query_one("#editor-status").render()
        )
        screen.query_one(HighlightedTextArea).insert("x")
        await pilot.pause()
        await pilot.press("escape", *"q", "enter")
        assert "E37: No write since last change" in str(screen.query_one("#editor-status").render())
        assert not app.closed
        await pilot.press("escape", *"q!", "enter")
        await pilot.pause()
        assert app.closed
    assert not machine.read_text("/etc/postfix/main.cf").startswith("x")


@run_async
async def test_wq_saves_and_closes(tui_env: Path, machine: Machine) -> None:  # noqa: F811
    app = EditorApp(machine, "/root/new.txt", [])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "[New]" in str(app.screen.query_one("#editor-title").render())
        app.screen.query_one(HighlightedTextArea).insert("hello\n")
        await pilot.press("escape", *"wq", "enter")
        await pilot.pause()
        assert app.closed
    assert machine.read_text("/root/new.txt") == "hello\n"


@run_async
async def test_ctrl_x_asks_before_losing_edits(tui_env: Path, machine: Machine) -> None:  # noqa: F811
    from mailsim.tui.screens.confirm import ConfirmScreen

    app = EditorApp(machine, "/etc/aliases", [])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one(HighlightedTextArea).insert("junk\n")
        await pilot.pause()
        await pilot.press("ctrl+x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not app.closed
        await pilot.press("ctrl+x")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert app.closed
    assert "junk" not in machine.read_text("/etc/aliases")


@run_async
async def test_ctrl_q_asks_when_a_file_is_unsaved(tui_env: Path) -> None:  # noqa: F811
    from test_tui_support import make_app, settle

    from mailsim.tui.screens.confirm import ConfirmScreen
    from mailsim.tui.screens.editor import EditorScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_sandbox("default")
        await settle(app, pilot)
        app.push_screen(EditorScreen(app.screen.machine, "/etc/aliases"))
        await pilot.pause()
        app.screen.query_one(HighlightedTextArea).insert("junk\n")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen) and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert not app.is_running


@run_async
async def test_command_bar_keeps_its_colon_and_the_ruler_follows(
    tui_env: Path,  # noqa: F811
    machine: Machine,
) -> None:
    """Regression: the bar's ":" was selected on opening, so the first key typed replaced
    it; a stale error stayed under a command that worked; nothing said which line the
    cursor was on, though `postfix check` and the lessons cite line numbers."""
    app = EditorApp(machine, "/etc/postfix/main.cf", [])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        bar = screen.query_one("#command-bar")
        await pilot.press("escape", *"nonsense")
        assert bar.value == ":nonsense"
        await pilot.press("enter")
        status = screen.query_one("#editor-status")
        assert "E492: Not an editor command: nonsense" in str(status.render())
        await pilot.press("escape", *"20", "enter")
        await pilot.pause()
        assert screen.query_one(HighlightedTextArea).cursor_location == (19, 0)
        assert "E492" not in str(status.render())
        assert str(screen.query_one("#editor-ruler").render()) == "Ln 20, Col 1"
        # vi's "/pattern" typed after the ":" the bar opens with still searches.
        await pilot.press("escape", *"/biff", "enter")
        await pilot.pause()
        row, _ = screen.query_one(HighlightedTextArea).cursor_location
        assert machine.read_text("/etc/postfix/main.cf").splitlines()[row].startswith("biff")


@run_async
async def test_esc_wq_typed_in_one_go_never_reaches_the_file(
    tui_env: Path,  # noqa: F811
    machine: Machine,
) -> None:
    """Regression: the bar took the focus a moment after Esc, so Esc:wq typed at a vi
    user's speed put ":wq" into the file (and Esc:37 then typing edited the bar)."""
    from textual import events

    app = EditorApp(machine, "/etc/aliases", [])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        area = app.screen.query_one(HighlightedTextArea)
        area.insert("abuse: root\n", (0, 0))
        await pilot.pause()
        # As a terminal delivers them: all queued before the app handles the first.
        for key, char in [("escape", None), ("colon", ":"), ("w", "w"), ("q", "q")]:
            app.post_message(events.Key(key, char))
        app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        await pilot.pause()
        assert app.closed
    text = machine.read_text("/etc/aliases")
    assert text.startswith("abuse: root\n") and ":wq" not in text and "wq" not in text
