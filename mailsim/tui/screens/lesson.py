"""Reading a lesson without a lab: its pages, and a way into its labs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from mailsim.tui.actions import Action, bindings, localise
from mailsim.tui.data.catalog import Lesson, Pack
from mailsim.tui.widgets.lesson import LessonView


class LessonScreen(Screen[None]):
    ACTIONS = (
        Action("lesson.back", "escape", "app.pop_screen"),
        Action("lesson.prev_page", "left", "page(-1)"),
        Action("lesson.next_page", "right", "page(1)"),
        Action("lesson.lab", "l", "open_lab"),
    )
    BINDINGS = bindings(ACTIONS)

    def __init__(self, pack: Pack, lesson: Lesson, page: int = 0) -> None:
        super().__init__()
        localise(self)
        self.pack = pack
        self.lesson = lesson
        self.page = page

    def compose(self) -> ComposeResult:
        yield Header()
        yield LessonView(self.pack, self.lesson, self.app.lang, self.page)  # type: ignore[attr-defined]
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.pack.text(self.lesson.title, self.app.lang)  # type: ignore[attr-defined]
        self.query_one("#page-scroll").focus()

    def on_lesson_view_page_changed(self, message: LessonView.PageChanged) -> None:
        from mailsim.tui.data.recent import remember

        remember(
            "lesson",
            pack=self.pack.id,
            lesson=self.lesson.id,
            page=message.index,
            title=self.pack.text(self.lesson.title, self.app.lang),  # type: ignore[attr-defined]
        )

    def action_page(self, step: int) -> None:
        view = self.query_one(LessonView)
        view.next_page() if step > 0 else view.previous_page()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_lab":
            return bool(self.lesson.labs)
        return True

    def action_open_lab(self) -> None:
        if self.lesson.labs:
            self.app.open_lab(self.pack.id, self.lesson.labs[0].id)  # type: ignore[attr-defined]
