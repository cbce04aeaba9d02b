"""The lab flow in Pilot: open a lab, run a command, edit and save, see the checklist tick;
hints, undo, reset, diff and the solution."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import (  # noqa: F401
    make_app,
    run_async,
    run_line,
    settle,
    tui_env,
    wait_until,
)

from mailsim.tui.screens.confirm import ConfirmScreen
from mailsim.tui.screens.editor import EditorScreen
from mailsim.tui.screens.lab import LabScreen
from mailsim.tui.screens.pager import PagerScreen
from mailsim.tui.widgets.checklist import Checklist
from mailsim.tui.widgets.highlight import HighlightedTextArea


def summary(screen: LabScreen) -> str:
    return str(screen.query_one("#lab-title").render())


async def open_mini_lab(app, pilot) -> LabScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    app.open_lab("mini", "maildir")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, LabScreen)
    return screen


@run_async
async def test_command_and_save_tick_the_checklist(tui_env: Path) -> None:  # noqa: F811
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_mini_lab(app, pilot)
        assert "0 of 2 done (0%)" in summary(screen)
        await run_line(app, pilot, "postconf -e 'home_mailbox = Maildir/'")
        assert "1 of 2 done (67%)" in summary(screen)
        await run_line(app, pilot, "postconf home_mailbox")
        log = "\n".join(str(line) for line in screen.query_one("#scrollback").lines)
        assert "home_mailbox = Maildir/" in log

        terminal = screen.query_one("#terminal")
        terminal.input.value = "vi /etc/aliases"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EditorScreen))
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        area = editor.query_one(HighlightedTextArea)
        area.insert("abuse: root\n", (area.document.line_count - 1, 0))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "2 of 2" in summary(screen))
        # The save alone re-grades: the checklist ticks while the editor is still open.
        assert "2 of 2 done (100%)" in summary(screen)
        await pilot.press("escape", *"q", "enter")
        await wait_until(pilot, lambda: not terminal.running)
        await settle(app, pilot)
        assert app.screen is screen
        assert not terminal.running
    assert (
        (tui_env / "labs" / "mini" / "maildir" / "machine" / "etc" / "aliases")
        .read_text(encoding="utf-8")
        .endswith("abuse: root\n")
    )


@run_async
async def test_reasons_hints_undo_diff_and_reset(tui_env: Path) -> None:  # noqa: F811
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_mini_lab(app, pilot)
        assert not screen.has_class("-narrow")
        tasks = screen.query_one(Checklist).plain
        assert tasks[0].startswith("✗ home_mailbox is Maildir/")
        assert "Local delivery still goes to mbox." in tasks[0]
        assert "Maildir/" in tasks[0].split("\n", 2)[2]

        await pilot.press("f2")
        await settle(app, pilot)
        assert "Hint 1: The parameter is home_mailbox." in screen.query_one(Checklist).plain[0]
        await pilot.press("f2")
        await settle(app, pilot)
        assert "Hint 2:" in screen.query_one(Checklist).plain[0]

        await run_line(app, pilot, "postconf -e 'home_mailbox = Maildir/'")
        assert "1 of 2 done" in summary(screen)
        await pilot.press("f6")
        await settle(app, pilot)
        assert isinstance(app.screen, PagerScreen)
        assert "+home_mailbox = Maildir/" in app.screen.text
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("f7")
        await settle(app, pilot)
        assert "0 of 2 done" in summary(screen)

        await run_line(app, pilot, "postconf -e 'home_mailbox = Maildir/'")
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await settle(app, pilot)
        assert "0 of 2 done" in summary(screen)


@run_async
async def test_solution_asks_and_marks_the_lab(tui_env: Path) -> None:  # noqa: F811
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_mini_lab(app, pilot)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.run.solution_shown
        await pilot.press("f9")
        await pilot.pause()
        await pilot.click("#yes")
        await settle(app, pilot)
        assert isinstance(app.screen, PagerScreen)
        assert "postconf -e 'home_mailbox = Maildir/'" in app.screen.text
        await pilot.press("q")
        await pilot.pause()
        for line in screen.run.solution():
            await run_line(app, pilot, line)
        assert "2 of 2 done (100%)" in summary(screen)
        assert "after seeing the solution" in str(screen.query_one("#summary").render())
        store = app.store
        passed = [row for row in store.history() if row["kind"] == "lab"]
        assert {row["item"] for row in passed} == {"maildir/home-mailbox", "maildir/abuse-alias"}
        assert all(row["solution_shown"] for row in passed)


@run_async
async def test_narrow_layout_uses_tabs(tui_env: Path) -> None:  # noqa: F811
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_mini_lab(app, pilot)
        assert screen.has_class("-narrow") and screen.has_class("-show-terminal")
        assert not screen.query_one("#left").display
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert screen.query_one("#left").display and screen.has_class("-show-lesson")
        await pilot.press("f4")
        await pilot.pause()
        assert "page 2/2" in str(screen.query_one("#page-count").render())
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert screen.has_class("-show-tasks")
        await pilot.resize_terminal(130, 40)
        await pilot.pause()
        assert not screen.has_class("-narrow")
        assert screen.query_one("#terminal-pane").display


@run_async
async def test_lab_is_resumed_and_remembered(tui_env: Path) -> None:  # noqa: F811
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_mini_lab(app, pilot)
        await run_line(app, pilot, "postconf -e 'home_mailbox = Maildir/'")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        menu = app.screen.query_one("#home-menu")
        assert "Continue: Switch local delivery to Maildir" in str(
            menu.get_option_at_index(0).prompt
        )
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, LabScreen)
        assert "1 of 2 done" in summary(app.screen)
        assert (
            "postconf -e 'home_mailbox = Maildir/'"
            in app.screen.query_one("#terminal").shell.history
        )


@run_async
async def test_failed_check_is_stored_and_brings_linked_questions_back(
    tui_env: Path,  # noqa: F811
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_mini_lab(app, pilot)
        assert "0 of 2 done" in summary(screen)
        store = app.store
        # A question that shares the failing task's fact: unseen, so not due yet.
        question = ("mini/maildir-param", ["postfix.home_mailbox"])
        assert store.due_items([question]) == []
        # Regrading after a command stores nothing for a failing task ...
        await run_line(app, pilot, "postconf -e 'myhostname = mail.example.org'")
        assert [row for row in store.history() if row["kind"] == "lab"] == []
        # ... asking for a check stores the failures, once per failing streak.
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        rows = [row for row in store.history() if row["kind"] == "lab"]
        assert sorted(row["item"] for row in rows) == [
            "maildir/abuse-alias",
            "maildir/home-mailbox",
        ]
        assert not any(row["correct"] for row in rows)
        assert store.due_items([question]) == ["mini/maildir-param"]
        # Passing the task afterwards is stored too.
        await run_line(app, pilot, "postconf -e 'home_mailbox = Maildir/'")
        rows = [row for row in store.history() if row["kind"] == "lab"]
        # (The clock is fixed, so rows share a time: compare as a set.)
        outcomes = sorted(row["correct"] for row in rows if row["item"] == "maildir/home-mailbox")
        assert outcomes == [False, True]


@run_async
async def test_next_lab_after_a_packs_last_goes_on_to_the_next_pack(
    tui_env: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Regression: at a pack's last lab F10 was disabled and did nothing, so a learner
    who finished the first pack's only lab had to find the next one on the home screen."""
    import shutil

    from test_tui_support import PACKS

    from mailsim.tui.app import MailsimApp

    second = tmp_path / "packs" / "mini2"
    shutil.copytree(PACKS / "mini", second)
    yaml = second / "pack.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("id: mini\n", "id: mini2\n", 1))
    app = MailsimApp(lang="en", packs=[str(PACKS), str(second.parent)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_mini_lab(app, pilot)
        assert screen.check_action("next_lab", ())
        await run_line(app, pilot, "postconf -e 'home_mailbox = Maildir/'")
        await run_line(app, pilot, "echo 'abuse: root' >> /etc/aliases")
        assert "2 of 2 done" in summary(screen)
        said = [n.message for n in app._notifications]
        assert any(m.endswith("Well done! F10 opens the next lab.") for m in said), said
        await pilot.press("f10")
        await settle(app, pilot)
        assert isinstance(app.screen, LabScreen) and app.screen is not screen
        assert (app.screen.pack.id, app.screen.ref.id) == ("mini2", "maildir")
        assert not app.screen.check_action("next_lab", ())


@run_async
async def test_changes_view_is_titled_and_lists_a_chmod(tui_env: Path) -> None:  # noqa: F811
    """Regression: F6 opened an untitled page, and said "nothing changed" after a chmod."""
    from textual.widgets import TextArea

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_mini_lab(app, pilot)
        await run_line(app, pilot, "chmod 640 /etc/aliases")
        await pilot.press("f6")
        await settle(app, pilot)
        pager = app.screen
        assert isinstance(pager, PagerScreen)
        assert str(pager.query_one("#pager-title").render()) == "Changes since the lab started (F6)"
        text = pager.query_one(TextArea).text
        assert "-rw-r--r-- root root /etc/aliases\n+-rw-r----- root root /etc/aliases\n" in text
        await pilot.press("q")
        await settle(app, pilot)
        assert app.screen is screen


@run_async
async def test_narrow_tabs_hand_the_focus_to_the_pane_shown(tui_env: Path) -> None:  # noqa: F811
    """Regression: on the Lesson and Tasks tabs the hidden prompt kept the focus, so the
    arrows did not scroll what was shown and typed keys vanished into the prompt."""
    from mailsim.tui.widgets.lesson import LessonView
    from mailsim.tui.widgets.terminal import TerminalView

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_mini_lab(app, pilot)
        terminal = screen.query_one(TerminalView)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert screen.focused is not None
        assert screen.focused in screen.query_one(LessonView).query("*")
        await pilot.press(*"ls")
        assert terminal.input.value == ""
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert screen.focused is screen.query_one("#checklist #tasks")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert screen.focused is terminal.input
