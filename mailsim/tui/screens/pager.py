"""`less`, `more` and `man` inside the TUI, and the lab's diff and solution: q closes.

The keys a `less` user reaches for work: Space and b page, g and G jump to the ends,
/ searches and n finds the next match (a lowercase pattern ignores case, as
`less -i` does).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Input, Static, TextArea
from textual.widgets.text_area import Selection

from mailsim.i18n import t
from mailsim.tui.actions import Action, bindings, localise


class PagerScreen(Screen[None]):
    DEFAULT_CSS = """
    PagerScreen TextArea { height: 1fr; border: none; }
    PagerScreen #pager-title { height: 1; background: $primary; color: $text; padding: 0 1; }
    PagerScreen #pager-search { height: 1; border: none; padding: 0; display: none; }
    """
    # Priority: the read-only text area would otherwise take the letters as typing.
    ACTIONS = (
        Action("pager.quit", "q", "close", priority=True),
        Action("pager.search", "slash", "search", priority=True),
        Action("pager.next_match", "n", "next_match", priority=True),
        Action("pager.page_down", "space", "page(1)", show=False, priority=True),
        Action("pager.page_up", "b", "page(-1)", show=False, priority=True),
        Action("pager.top", "g", "edge(0)", show=False, priority=True),
        Action("pager.bottom", "G,shift+g", "edge(1)", show=False, priority=True),
        Action("pager.close", "escape", "close", show=False),
    )
    BINDINGS = bindings(ACTIONS)

    def __init__(self, text: str, language: str | None = None, title: str = "") -> None:
        super().__init__()
        localise(self)
        self.text = text
        self.language = language
        self.heading = title
        """Says what is shown (the lab's changes, its solution); none for `less`."""
        self.pattern = ""

    def compose(self) -> ComposeResult:
        if self.heading:
            yield Static(self.heading, id="pager-title", markup=False)
        area = TextArea(self.text, read_only=True, soft_wrap=True, show_cursor=False)
        if self.language == "diff":
            from pygments.lexers.diff import DiffLexer

            from mailsim.tui.widgets.highlight import HighlightedTextArea

            area = HighlightedTextArea(
                self.text, lexer=DiffLexer(), read_only=True, soft_wrap=True, show_cursor=False
            )
        yield area
        yield Input(id="pager-search", select_on_focus=False)
        yield Footer()

    @property
    def area(self) -> TextArea:
        return self.query_one(TextArea)

    @property
    def bar(self) -> Input:
        return self.query_one("#pager-search", Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the search line is open its keys are typing, not commands.
        if self.bar.display and action != "close":
            return False
        return True

    def action_close(self) -> None:
        if self.bar.display:
            self._close_bar()
            return
        self.dismiss(None)

    def action_page(self, step: int) -> None:
        if step > 0:
            self.area.scroll_page_down()
        else:
            self.area.scroll_page_up()

    def action_edge(self, end: int) -> None:
        if end:
            self.area.scroll_end(animate=False)
        else:
            self.area.scroll_home(animate=False)

    def action_search(self) -> None:
        bar = self.bar
        bar.display = True
        bar.value = "/"
        bar.cursor_position = 1
        self.set_focus(bar)

    def _close_bar(self) -> None:
        self.bar.display = False
        self.set_focus(self.area)

    @on(Input.Submitted, "#pager-search")
    def _searched(self, event: Input.Submitted) -> None:
        event.stop()
        self._close_bar()
        pattern = event.value.removeprefix("/")
        if pattern:
            self.pattern = pattern
        self.action_next_match()

    def action_next_match(self) -> None:
        """The next line holding the pattern, after the last match (wrapping round)."""
        if not self.pattern:
            return
        area = self.area
        lines = area.text.split("\n")
        fold = self.pattern.islower()
        needle = self.pattern.lower() if fold else self.pattern
        start = area.selection.end[0] + 1 if area.selected_text else 0
        for offset in range(len(lines)):
            row = (start + offset) % len(lines)
            line = lines[row].lower() if fold else lines[row]
            column = line.find(needle)
            if column >= 0:
                area.selection = Selection((row, column), (row, column + len(needle)))
                # The pager shows no cursor, and TextArea only scrolls to a shown one.
                y = area.wrapped_document.location_to_offset((row, column)).y
                area.scroll_to(
                    y=max(0, y - area.scrollable_content_region.height // 2), animate=False
                )
                return
        self.notify(t("tuiux.pager.not_found", pattern=self.pattern), markup=False)
