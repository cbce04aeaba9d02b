"""The home screen, the command palette (actions and content search) and the key labels."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import make_app, run_async, settle, tui_env  # noqa: F401
from textual.widgets import Tree

from mailsim.tui.screens.home import HomeScreen
from mailsim.tui.screens.lab import LabScreen
from mailsim.tui.screens.sandbox import SandboxScreen


def tree_labels(tree: Tree) -> list[str]:
    found: list[str] = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        for child in node.children:
            found.append(str(child.label))
            walk(child)

    walk(tree.root)
    return found


@run_async
async def test_home_lists_the_pack_and_opens_a_lab(tui_env: Path) -> None:  # noqa: F811
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        labels = tree_labels(app.screen.query_one("#packs", Tree))
        assert labels[0].startswith("Mini pack") and "0/1 labs" in labels[0]
        assert "Delivering to Maildir" in labels
        assert "○ Lab: Switch local delivery to Maildir" in labels
        assert "? Question banks: 1" in labels
        tree = app.screen.query_one("#packs", Tree)
        tree.focus()
        tree.move_cursor(tree.root.children[0].children[0].children[0])
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LabScreen)


@run_async
async def test_a_broken_pack_is_listed_with_its_error(tui_env: Path, tmp_path: Path) -> None:  # noqa: F811
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    from mailsim.tui.app import MailsimApp

    app = MailsimApp(lang="en", packs=[str(broken)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        labels = tree_labels(app.screen.query_one("#packs", Tree))
        assert labels[0] == "⚠ broken"
        assert "pack.yaml:" in labels[1]


@run_async
async def test_sandbox_from_the_menu(tui_env: Path) -> None:  # noqa: F811
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, SandboxScreen)
        assert app.screen.title == "Sandbox: default"
        assert (tui_env / "machines" / "default" / "etc" / "postfix" / "main.cf").is_file()
        await pilot.press("escape")
        await settle(app, pilot)
        assert "Continue: Sandbox: default" in str(
            app.screen.query_one("#home-menu").get_option_at_index(0).prompt
        )


@run_async
async def test_palette_finds_lesson_lab_and_parameters(tui_env: Path) -> None:  # noqa: F811
    """ "Maildir" finds the lesson, its page, the lab and the settings named after it."""
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Maildir")
        await pilot.pause(0.8)
        await settle(app, pilot)
        shown = [str(option.prompt) for option in app.screen.query_one("CommandList").options]
        text = "\n".join(shown)
        assert "Delivering to Maildir" in text
        assert "Switch local delivery to Maildir" in text
        assert "maildir_very_dirty_syncs" in text


@run_async
async def test_palette_offers_actions_that_can_run_now(tui_env: Path) -> None:  # noqa: F811
    from mailsim.tui.provider import ActionsProvider

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        provider = ActionsProvider(app.screen)
        labels = [action.label for action, _ in provider._available()]
        assert "Practice quiz" in labels and "Progress" in labels
        assert "Continue" not in labels
        app.open_lab("mini", "maildir")
        await settle(app, pilot)
        labels = [action.label for action, _ in ActionsProvider(app.screen)._available()]
        assert "Hint" in labels and "Solution" in labels
        assert "Undo" not in labels


@run_async
async def test_footer_speaks_japanese(tui_env: Path) -> None:  # noqa: F811
    """Binding labels are swapped per node (``localise``); guards that the footer shows them."""
    from textual.widgets import Footer

    app = make_app(lang="ja")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        footer = app.screen.query_one(Footer)
        text = " ".join(str(w.render()) for w in footer.query("FooterKey"))
        assert "クイズ" in text and "学習状況" in text and "終了" in text
        menu = app.screen.query_one("#home-menu")
        assert "サンドボックス" in str(menu.get_option_at_index(1).prompt)


def test_every_binding_has_an_id_and_a_label() -> None:
    from mailsim.i18n import catalogue
    from mailsim.tui.app import MailsimApp
    from mailsim.tui.screens import (
        editor,
        home,
        lab,
        lesson,
        pager,
        progress,
        quiz,
        quiz_result,
        sandbox,
        sandboxes,
    )

    english, japanese = catalogue("en"), catalogue("ja")
    classes = [
        MailsimApp,
        home.HomeScreen,
        lab.LabScreen,
        lesson.LessonScreen,
        editor.EditorScreen,
        pager.PagerScreen,
        sandbox.SandboxScreen,
        sandboxes.SandboxesScreen,
        quiz.QuizScreen,
        quiz_result.QuizResultScreen,
        progress.ProgressScreen,
    ]
    for cls in classes:
        for action in getattr(cls, "ACTIONS", ()):
            assert f"tui.action.{action.id}" in english, action.id
            assert f"tui.action.{action.id}" in japanese, action.id
        for binding in cls.BINDINGS:
            assert getattr(binding, "id", None), (cls.__name__, binding)
        # A footer never shows two keys with one label (the app's keys show on every screen).
        shown = [a for a in (*MailsimApp.ACTIONS, *getattr(cls, "ACTIONS", ())) if a.show and a.key]
        for labels in (english, japanese):
            names = [labels[f"tui.action.{a.id}"] for a in dict.fromkeys(shown)]
            assert len(names) == len(set(names)), (cls.__name__, names)


@run_async
async def test_a_failing_action_or_worker_is_logged_and_said_not_fatal(
    tui_env: Path,  # noqa: F811
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    import logging

    from textual import work

    from mailsim.tui.app import MailsimApp

    monkeypatch.setattr(MailsimApp, "fail_loudly", False)

    def broken(self) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("broken action")

    @work(thread=True)
    def broken_worker(self) -> None:  # type: ignore[no-untyped-def]
        raise KeyError("broken worker")

    monkeypatch.setattr(MailsimApp, "action_open_progress", broken)
    monkeypatch.setattr(MailsimApp, "action_open_quiz", broken_worker)
    app = make_app()
    said: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(app, "notify", lambda text, **kw: said.append(text))
        await app.run_action("open_progress")
        await app.run_action("open_quiz")
        await settle(app, pilot)
        # The app goes on: a key still works.
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert app.is_running and app.return_code is None
    assert [s.split(". ")[0] for s in said] == [
        "Something went wrong (RuntimeError)",
        "Something went wrong (KeyError)",
    ]
    # The app set up the log file; leave the logger as other tests expect it.
    logger = logging.getLogger("mailsim")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.propagate = True
    log = (tui_env / "mailsim.log").read_text(encoding="utf-8")
    assert "RuntimeError: broken action" in log and "KeyError: 'broken worker'" in log
    assert "Traceback" in log


@run_async
async def test_the_review_entry_counts_the_questions_due(tui_env: Path) -> None:  # noqa: F811
    from textual.widgets import OptionList

    from mailsim.machine.clock import Clock
    from mailsim.progress.store import open_store

    store = open_store()
    now = Clock.from_env().now()
    # Two wrong answers a week ago are due again now; a right answer just now is not;
    # a failed lab task is due too but is not a quiz question.
    store.record_answer("quiz:b:q1", "b", "q1", "211.1", False, at=now - 7 * 86400)
    store.record_answer("quiz:b:q2", "b", "q2", "211.2", False, at=now - 7 * 86400)
    store.record_answer("quiz:b:q3", "b", "q3", "211.2", True, at=now)
    store.record_lab_task("mini", "maildir", "home-mailbox", False, at=now - 7 * 86400)
    store.close()

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        menu = app.screen.query_one("#home-menu", OptionList)
        labels = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        assert "Quiz: review what is due (2)" in labels


@run_async
async def test_a_first_run_starts_with_the_first_lesson(tui_env: Path) -> None:  # noqa: F811
    from textual.widgets import OptionList

    from mailsim.tui.screens.lesson import LessonScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        menu = app.screen.query_one("#home-menu", OptionList)
        assert menu.highlighted == 0
        assert str(menu.get_option_at_index(0).prompt) == "▶ Start with the first lesson"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == app.catalog_or_none().packs[0].lessons[0].id
        await pilot.press("escape")
        await settle(app, pilot)
        # Having been somewhere, the first entry is "continue" instead.
        menu = app.screen.query_one("#home-menu", OptionList)
        assert str(menu.get_option_at_index(0).prompt).startswith("▶ Continue:")
