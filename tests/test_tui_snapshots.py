"""What a learner sees: home (English and Japanese), lab, editor and sandbox, at 80x24 and
120x40. Run with ``--snapshot-update`` after a deliberate change and look at the SVGs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_tui_support import make_app, run_line, settle, tui_env  # noqa: F401

SIZES = [(80, 24), (120, 40)]


def settled(then: Any = None) -> Any:
    async def run_before(pilot: Any) -> None:
        await settle(pilot.app, pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot.app, pilot)

    return run_before


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare: Any, tui_env: Path, lang: str, size: tuple[int, int]) -> None:  # noqa: F811
    assert snap_compare(make_app(lang), terminal_size=size, run_before=settled())


async def _open_lab(pilot: Any) -> None:
    pilot.app.open_lab("mini", "maildir")
    await settle(pilot.app, pilot)
    await run_line(pilot.app, pilot, "postconf -e 'home_mailbox = Maildir/'")
    await run_line(pilot.app, pilot, "postconf -n | head -4")


@pytest.mark.parametrize("size", SIZES)
def test_lab(snap_compare: Any, tui_env: Path, size: tuple[int, int]) -> None:  # noqa: F811
    assert snap_compare(make_app(), terminal_size=size, run_before=settled(_open_lab))


def test_lab_tasks_tab_narrow(snap_compare: Any, tui_env: Path) -> None:  # noqa: F811
    async def tasks(pilot: Any) -> None:
        await _open_lab(pilot)
        # F2 at 80 columns brings the Tasks tab forward, where the hint is shown.
        await pilot.press("f2")

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=settled(tasks))


def test_lab_japanese_wide(snap_compare: Any, tui_env: Path) -> None:  # noqa: F811
    assert snap_compare(make_app("ja"), terminal_size=(120, 40), run_before=settled(_open_lab))


@pytest.mark.parametrize("size", SIZES)
def test_editor_on_main_cf(snap_compare: Any, tui_env: Path, size: tuple[int, int]) -> None:  # noqa: F811
    async def edit(pilot: Any) -> None:
        # Opened directly rather than through `vi` in the terminal: a shell waiting for
        # the editor keeps its worker busy, and a snapshot waits for workers to finish.
        from mailsim.tui.screens.editor import EditorScreen

        pilot.app.open_sandbox("default")
        await settle(pilot.app, pilot)
        pilot.app.push_screen(EditorScreen(pilot.app.screen.machine, "/etc/postfix/main.cf"))
        await pilot.pause()
        await pilot.press("escape", *":20", "enter")
        await pilot.pause()

    async def run_before(pilot: Any) -> None:
        await settle(pilot.app, pilot)
        await edit(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


def test_sandbox(snap_compare: Any, tui_env: Path) -> None:  # noqa: F811
    async def sandbox(pilot: Any) -> None:
        pilot.app.open_sandbox("default")
        await settle(pilot.app, pilot)
        await run_line(pilot.app, pilot, "hostname --fqdn")
        await run_line(pilot.app, pilot, "postconf myhostname mydestination")

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=settled(sandbox))


def test_lab_reset_question_narrow(snap_compare: Any, tui_env: Path) -> None:  # noqa: F811
    """Regression: the confirmation's question was cut at the dialog's edge at 80x24."""

    async def reset(pilot: Any) -> None:
        pilot.app.open_lab("mini", "maildir")
        await settle(pilot.app, pilot)
        await pilot.press("f8")

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=settled(reset))
