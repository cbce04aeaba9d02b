"""What the app keeps between runs besides progress: the theme, and where to continue."""

from __future__ import annotations

import json
from pathlib import Path

from test_tui_support import make_app, run_async, settle, tui_env  # noqa: F401

from mailsim.tui.data.recent import STATE_FILE, last_place, load_state, remember, save_state


@run_async
async def test_the_theme_chosen_is_the_theme_at_the_next_start(tui_env: Path) -> None:  # noqa: F811
    first = make_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(first, pilot)
        chosen = "nord" if first.theme != "nord" else "gruvbox"
        first.theme = chosen
        await settle(first, pilot)
    assert load_state()["theme"] == chosen

    second = make_app()
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(second, pilot)
        assert second.theme == chosen


@run_async
async def test_a_malformed_state_or_unknown_theme_leaves_the_default(tui_env: Path) -> None:  # noqa: F811
    tui_env.mkdir(parents=True, exist_ok=True)
    path = tui_env / STATE_FILE
    for content in ("{not json", json.dumps({"theme": "no-such-theme"}), json.dumps([1, 2])):
        path.write_text(content, encoding="utf-8")
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            assert app.theme == "textual-dark"


def test_saving_the_theme_keeps_the_rest_of_the_state(tui_env: Path) -> None:  # noqa: F811
    remember("lab", pack="p", lab="l", title="A lab")
    save_state(theme="nord")
    assert load_state()["theme"] == "nord"
    assert last_place() == {"kind": "lab", "pack": "p", "lab": "l", "title": "A lab"}


def test_continue_forgets_a_deleted_sandbox_and_follows_a_renamed_one(tui_env: Path) -> None:  # noqa: F811
    from mailsim.tui.data.sandboxes import delete_sandbox, open_sandbox, rename_sandbox

    open_sandbox("exp")
    remember("sandbox", name="exp", title="Sandbox: exp")
    rename_sandbox("exp", "exp2")
    last = last_place()
    assert last is not None and last["name"] == "exp2" and "exp2" in last["title"]
    delete_sandbox("exp2")
    assert last_place() is None


def test_a_quick_esc_then_colon_stays_two_keys() -> None:
    """Textual's escape delay is shortened (a user's own ESCDELAY still wins)."""
    import os
    import subprocess
    import sys

    code = "import mailsim.tui.app, textual.constants as c; print(c.ESCAPE_DELAY)"
    env = {k: v for k, v in os.environ.items() if k != "ESCDELAY"}
    ours = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    theirs = subprocess.run(
        [sys.executable, "-c", code], env={**env, "ESCDELAY": "250"}, capture_output=True, text=True
    )
    assert float(ours.stdout) == 0.04
    assert float(theirs.stdout) == 0.25
