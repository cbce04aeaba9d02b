"""Managing sandboxes in the TUI: create, rename, duplicate, delete, and the sandbox
that is open under the list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_tui_support import make_app, run_async, settle, tui_env  # noqa: F401
from textual.widgets import OptionList

from mailsim.tui.data import sandboxes as boxes
from mailsim.tui.screens.confirm import AskScreen
from mailsim.tui.screens.sandbox import SandboxScreen
from mailsim.tui.screens.sandboxes import SandboxesScreen


def names(screen: Any) -> list[str]:
    menu = screen.query_one(OptionList)
    return [str(menu.get_option_at_index(i).id) for i in range(menu.option_count)]


def select(screen: Any, name: str) -> None:
    screen.query_one(OptionList).highlighted = names(screen).index(name)


@run_async
async def test_a_bad_name_keeps_the_dialog_open_and_rename_works(tui_env: Path) -> None:  # noqa: F811
    """Regression: a bad name closed the dialog with a toast, and what was typed next
    went to the list (Enter then opened whichever sandbox was highlighted)."""
    boxes.open_sandbox("alpha")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.action_open_sandboxes()
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SandboxesScreen)
        await pilot.press("n", *"my box", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AskScreen)
        assert "a sandbox name is letters" in str(dialog.query_one("#problem").render())
        await pilot.press("ctrl+u", *"alpha", "enter")
        await pilot.pause()
        assert app.screen is dialog
        assert "already exists" in str(dialog.query_one("#problem").render())
        await pilot.press("ctrl+u", *"beta", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SandboxScreen) and app.screen.machine_name == "beta"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen and names(screen) == ["alpha", "beta"]

        select(screen, "alpha")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)
        await pilot.press("ctrl+u", *"gamma", "enter")
        await settle(app, pilot)
        assert app.screen is screen and names(screen) == ["beta", "gamma"]
    assert boxes.list_sandboxes() == ["beta", "gamma"]


@run_async
async def test_the_open_sandbox_is_not_deleted_from_under_itself(tui_env: Path) -> None:  # noqa: F811
    """Regression: from a sandbox, F2 then Del deleted the machine its terminal was on,
    and Enter on it opened a second terminal on the same machine."""
    app = make_app(sandbox="default")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        sandbox = app.screen
        assert isinstance(sandbox, SandboxScreen)
        await pilot.press("f2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SandboxesScreen)
        select(screen, "default")
        for key in ("delete", "m"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen
        assert boxes.list_sandboxes() == ["default"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is sandbox
        assert sum(isinstance(s, SandboxScreen) for s in app.screen_stack) == 1
