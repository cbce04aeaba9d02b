"""A lesson's pages: Markdown with previous/next page."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Markdown

from mailsim.i18n import t
from mailsim.tui.data.catalog import Lesson, Pack
from mailsim.tui.widgets.cjk_text import join_cjk_lines
from mailsim.tui.widgets.markdown_fence import LessonMarkdown


class PageScroll(VerticalScroll, inherit_bindings=False):
    """The page's scroll, without VerticalScroll's Left/Right: they never scroll a
    page (it does not scroll sideways) and they would hide the lesson screen's
    Left/Right page keys from the footer. A wide code block binds them itself."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "Scroll Up", show=False),
        Binding("down", "scroll_down", "Scroll Down", show=False),
        Binding("home", "scroll_home", "Scroll Home", show=False),
        Binding("end", "scroll_end", "Scroll End", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
    ]


class LessonView(Vertical):
    DEFAULT_CSS = """
    LessonView { height: 1fr; }
    LessonView #page-nav { height: 1; background: $boost; padding: 0 1; }
    LessonView #page-title { width: 1fr; text-style: bold; }
    LessonView #page-count { width: auto; color: $text-muted; }
    LessonView VerticalScroll { height: 1fr; }
    LessonView Markdown { margin: 0 1; }
    """

    class PageChanged(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(
        self, pack: Pack, lesson: Lesson, lang: str, page: int = 0, **kwargs: object
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.pack = pack
        self.lesson = lesson
        self.lang = lang
        self.index = max(0, min(page, len(lesson.pages) - 1))

    def compose(self) -> ComposeResult:
        with Horizontal(id="page-nav"):
            yield Label("", id="page-title", markup=False)
            yield Label("", id="page-count", markup=False)
        with PageScroll(id="page-scroll"):
            yield LessonMarkdown("", id="page")

    def on_mount(self) -> None:
        self.show(self.index)

    @property
    def page_count(self) -> int:
        return len(self.lesson.pages)

    def show(self, index: int) -> None:
        if not self.lesson.pages:
            self.query_one("#page", Markdown).update(t("tui.lesson.no_pages"))
            return
        self.index = max(0, min(index, self.page_count - 1))
        page = self.lesson.pages[self.index]
        self.query_one("#page-title", Label).update(self.pack.text(page.title, self.lang))
        self.query_one("#page-count", Label).update(
            t("tui.lesson.page_of", n=self.index + 1, total=self.page_count)
        )
        self.query_one("#page", Markdown).update(
            join_cjk_lines(self.pack.page_markdown(self.lesson, page, self.lang))
        )
        self.query_one("#page-scroll", VerticalScroll).scroll_home(animate=False)
        self.post_message(self.PageChanged(self.index))

    def next_page(self) -> bool:
        if self.index + 1 >= self.page_count:
            return False
        self.show(self.index + 1)
        return True

    def previous_page(self) -> bool:
        if self.index == 0:
            return False
        self.show(self.index - 1)
        return True
