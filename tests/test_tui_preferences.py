"""The chosen theme is kept between runs; a broken preferences file means the defaults."""

from __future__ import annotations

import json
from pathlib import Path

from test_tui_support import make_app, run_async, settle, tui_env  # noqa: F401

from mailsim.tui.data.preferences import FILE_NAME, load_preferences, save_preference


@run_async
async def test_the_theme_chosen_is_the_theme_at_the_next_start(tui_env: Path) -> None:  # noqa: F811
    first = make_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(first, pilot)
        default = first.theme
        chosen = "nord" if default != "nord" else "gruvbox"
        first.theme = chosen
        await settle(first, pilot)
    assert load_preferences()["theme"] == chosen

    second = make_app()
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(second, pilot)
        assert second.theme == chosen


@run_async
async def test_a_malformed_or_unknown_theme_leaves_the_default(tui_env: Path) -> None:  # noqa: F811
    tui_env.mkdir(parents=True, exist_ok=True)
    path = tui_env / FILE_NAME
    for content in ("{not json", json.dumps({"theme": "no-such-theme"}), json.dumps([1, 2])):
        path.write_text(content, encoding="utf-8")
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            assert app.theme == "textual-dark"


def test_saving_one_preference_keeps_the_others(tui_env: Path) -> None:  # noqa: F811
    tui_env.mkdir(parents=True, exist_ok=True)
    (tui_env / FILE_NAME).write_text(json.dumps({"other": 1}), encoding="utf-8")
    save_preference("theme", "nord")
    assert load_preferences() == {"other": 1, "theme": "nord"}
    assert not [p for p in tui_env.iterdir() if p.name.endswith(".tmp")]
