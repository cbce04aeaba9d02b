"""The pager (`less`, `man`, the lab's changes) answers the keys a `less` user types."""

from __future__ import annotations

from typing import Any

from test_tui_support import run_async, tui_env  # noqa: F401
from textual.app import App
from textual.widgets import TextArea

from mailsim.tui.screens.pager import PagerScreen

TEXT = "".join(f"line {n}\n" for n in range(1, 200)) + "Postfix quits here\n"


class PagerApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.closed = False

    def on_mount(self) -> None:
        def closed(_: Any) -> None:
            self.closed = True

        self.push_screen(PagerScreen(TEXT), closed)


@run_async
async def test_slash_searches_n_repeats_and_q_typed_in_the_search_is_text(
    tui_env: Any,  # noqa: F811
) -> None:
    """Regression: / and n did nothing (and Space, b, g, G neither), so a man page could
    only be read line by line with the arrows."""
    app = PagerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        await pilot.press("slash", *"quits", "enter")
        await pilot.pause()
        assert area.selection.start == (199, 8) and area.selected_text == "quits"
        assert area.scroll_y > 0
        await pilot.press("g")
        await pilot.pause()
        assert area.scroll_y == 0
        # A lowercase pattern ignores case; n goes on from the last match.
        await pilot.press("slash", *"line 1", "enter")
        assert area.selection.start == (0, 0)
        await pilot.press("n")
        assert area.selection.start == (9, 0)
        await pilot.press("space")
        await pilot.pause()
        assert area.scroll_y > 0
        await pilot.press("slash", *"q")
        assert not app.closed and app.screen.query_one("#pager-search").value == "/q"
        await pilot.press("escape")
        assert not app.closed
        await pilot.press("q")
        await pilot.pause()
        assert app.closed
