"""Lesson pages: every character of a wide code block, a table or a long line of
inline code can be read, with the keyboard and with the mouse, in English and
Japanese, full width and in the lab's side pane.

Regression: code blocks wider than the pane were cut at its edge (``postconf -n``
lines lost their ends at 80x24), and table cells ended in an ellipsis.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_tui_support import run_async, settle, tui_env  # noqa: F401
from textual import events
from textual.app import App, ComposeResult
from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget

from mailsim.tui.widgets.markdown_fence import WideFence

PACKS = Path(__file__).parent / "data" / "tui_lesson" / "packs"
LONG_LINE = (
    "smtpd_recipient_restrictions = permit_mynetworks, permit_sasl_authenticated, "
    "reject_unauth_destination, reject_unknown_recipient_domain, "
    "check_policy_service unix:private/policyd-spf"
)


def make_app(lang: str = "en") -> Any:
    from mailsim.tui.app import MailsimApp

    return MailsimApp(lang=lang, packs=[str(PACKS / "wide")])


async def open_page(app: Any, pilot: Any, page: int) -> None:
    await settle(app, pilot)
    app.open_lesson("wide", "wide", page)
    await settle(app, pilot)


def screen_rows(app: Any) -> list[Strip]:
    """What the terminal shows, one strip per row (cells, so wide characters count 2)."""
    update = app.screen._compositor.render_full_update()
    return [Strip.join(list(line)) for line in update.strips]


def screen_text(app: Any) -> str:
    return "\n".join(strip.text for strip in screen_rows(app))


def text_in(app: Any, widget: Widget) -> str:
    """The characters shown in ``widget``'s content region, rows joined."""
    region = widget.content_region
    rows = screen_rows(app)[region.y : region.bottom]
    return "".join(row.crop(region.x, region.right).text for row in rows)


def squeezed(text: str) -> str:
    """Text without white space: wrapping may turn a space into a line break."""
    return "".join(text.split())


def fences(app: Any) -> list[WideFence]:
    return list(app.screen.query(WideFence))


@run_async
async def test_a_wide_code_line_is_reached_with_the_keyboard(tui_env: Path) -> None:  # noqa: F811
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(app, pilot, 0)
        wide, short = fences(app)
        assert wide.virtual_size.width >= len(LONG_LINE)
        assert wide.max_scroll_x > 0 and short.max_scroll_x == 0
        assert "policyd-spf" not in screen_text(app)
        # Tab reaches the wide block only: one that fits is no tab stop.
        await pilot.press("tab")
        assert app.focused is wide
        assert short not in app.screen.focus_chain
        shown = [b.description for _, b, _, _ in app.screen.active_bindings.values() if b.show]
        assert "Scroll right" in shown
        await pilot.press("end")
        await pilot.pause()
        assert wide.scroll_x == wide.max_scroll_x
        assert "check_policy_service unix:private/policyd-spf" in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert wide.scroll_x == 0
        # Arrow keys walk the line: its end comes into view, not a page turn.
        for _ in range(len(LONG_LINE)):
            await pilot.press("right")
        await pilot.pause()
        assert wide.scroll_x == wide.max_scroll_x
        assert "unix:private/policyd-spf" in screen_text(app)
        assert app.screen.query_one("#page-count").render().plain == "page 1/2"
        await pilot.press("left")
        await pilot.pause()
        assert 0 < wide.scroll_x < wide.max_scroll_x


@run_async
async def test_page_keys_still_turn_pages_outside_a_code_block(tui_env: Path) -> None:  # noqa: F811
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(app, pilot, 0)
        shown = [b.description for _, b, _, _ in app.screen.active_bindings.values() if b.show]
        assert "Next page" in shown and "Scroll right" not in shown
        await pilot.press("right")
        await settle(app, pilot)
        assert app.screen.query_one("#page-count").render().plain == "page 2/2"


@run_async
async def test_the_mouse_scrolls_a_wide_code_line(tui_env: Path) -> None:  # noqa: F811
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(app, pilot, 0)
        wide = fences(app)[0]
        # Shift+wheel, as on a mouse without a horizontal wheel.
        await pilot._post_mouse_events([events.MouseScrollDown], wide, (10, 2), shift=True)
        await pilot.pause()
        assert wide.scroll_x > 0
        # A horizontal wheel or trackpad.
        before = wide.scroll_x
        await pilot._post_mouse_events([events.MouseScrollRight], wide, (10, 2))
        await pilot.pause(0.3)
        assert wide.scroll_x > before
        # The scrollbar is on screen, on the block's last row; a click on its
        # track to the right of the thumb moves a page along.
        wide.scroll_to(x=0, animate=False)
        await pilot.pause()
        bar_row = wide.region.bottom - 1
        assert wide.scrollbars_enabled[1] and wide.horizontal_scrollbar.region.y == bar_row
        await pilot.click(wide, offset=(wide.region.width - 2, wide.region.height - 1))
        await pilot.pause(0.5)
        assert wide.scroll_x > 0
        # A click on the code focuses it, so the keys work from there.
        await pilot.click(wide, offset=(10, 2))
        assert app.focused is wide


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("width", [80, 54])
def test_tables_and_inline_code_are_never_cut(tui_env: Path, lang: str, width: int) -> None:  # noqa: F811
    """54 columns is the lab's side pane at 120 (45%, less the border)."""
    from textual.widgets._markdown import (
        MarkdownParagraph,
        MarkdownTableCellContents,
    )

    @run_async
    async def check() -> None:
        app = make_app(lang)
        async with app.run_test(size=(width, 80)) as pilot:
            await open_page(app, pilot, 1)
            cells = list(app.screen.query(MarkdownTableCellContents))
            assert len(cells) == 8
            for cell in cells:
                assert isinstance(cell.content, Content)
                plain = cell.content.plain
                assert squeezed(text_in(app, cell)) == squeezed(plain), plain
            paragraph = app.screen.query(MarkdownParagraph).last()
            shown = squeezed(text_in(app, paragraph))
            assert "check_policy_service_unix:private/policyd-spf,reject_unauth_destination," in (
                shown
            )
            assert shown.endswith(squeezed(paragraph._content.plain)[-12:])
            assert "…" not in text_in(app, app.screen.query_one("#page"))

    check()


class SidePane(App[None]):
    """The lesson view alone at the width the lab screen gives it."""

    def __init__(self, lesson_view: Widget) -> None:
        super().__init__()
        self.lesson_view = lesson_view

    def compose(self) -> ComposeResult:
        yield self.lesson_view


@run_async
async def test_a_wide_code_line_scrolls_in_a_narrow_pane(tui_env: Path) -> None:  # noqa: F811
    from mailsim.tui.data.catalog import load_catalog
    from mailsim.tui.widgets.lesson import LessonView

    catalog = load_catalog([str(PACKS / "wide")])
    pack = catalog.find("wide")
    assert pack is not None
    app = SidePane(LessonView(pack, pack.lessons[0], "ja"))
    async with app.run_test(size=(54, 30)) as pilot:
        await pilot.pause()
        wide = app.query(WideFence).first()
        assert wide.region.width < len(LONG_LINE)
        app.query_one("#page-scroll").focus()
        await pilot.press("tab", "end")
        await pilot.pause()
        assert app.focused is wide
        assert "unix:private/policyd-spf" in screen_text(app)


def test_snapshot_wide_code_line_scrolled_to_its_end(snap_compare: Any, tui_env: Path) -> None:  # noqa: F811
    async def run_before(pilot: Any) -> None:
        await open_page(pilot.app, pilot, 0)
        await pilot.press("tab", "end")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_japanese_table_page(snap_compare: Any, tui_env: Path) -> None:  # noqa: F811
    async def run_before(pilot: Any) -> None:
        await open_page(pilot.app, pilot, 1)

    assert snap_compare(make_app("ja"), terminal_size=(80, 24), run_before=run_before)
