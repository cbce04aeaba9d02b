"""Lesson Markdown whose code blocks scroll sideways instead of losing their ends.

Textual's ``MarkdownFence`` already lays a code block out at its full width, but it
hides the horizontal scrollbar and never takes focus, so a line wider than the pane
(``postconf -n`` output, a main.cf line, a mail.log line) is cut for anyone without
a horizontal wheel. Wrapping would change what a line of a config file is, so a
wide block here keeps its layout and scrolls: a one-row scrollbar shows there is
more, Tab or a click focuses it, and the arrow keys, Home and End, the scrollbar,
Shift+wheel or a horizontal wheel move it. A block that fits is left alone and
stays out of the focus chain.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets.markdown import Markdown, MarkdownBlock, MarkdownFence

from mailsim.i18n import t

STEP = 4
"""Columns per arrow press: one column at a time is too slow for a 200-column log line."""


class WideFence(MarkdownFence):
    """A fenced code block that scrolls horizontally when it is wider than the pane."""

    # The focus mark is a border, not an outline: the code (a child Label) would
    # paint over an outline. The blank border takes one column of the Label's left
    # padding, so code sits where Textual puts it.
    DEFAULT_CSS = """
    WideFence {
        overflow-x: auto;
        overflow-y: hidden;
        scrollbar-size-horizontal: 1;
        border-left: blank;
        & > Label { padding: 1 2 1 1; }
        &:focus {
            border-left: outer $accent;
            scrollbar-color: $accent;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # English placeholders: a binding with no description is never shown.
        Binding("left", "code_scroll(-1)", "Scroll left", id="lesson.code_left"),
        Binding("right", "code_scroll(1)", "Scroll right", id="lesson.code_right"),
        Binding("home", "code_edge(0)", "Line start", show=False, id="lesson.code_home"),
        Binding("end", "code_edge(1)", "Line end", show=False, id="lesson.code_end"),
    ]

    def on_mount(self) -> None:
        # Binding labels are fixed when the class is defined, before the learner's
        # language is known; each node has its own copy, so this one is translated.
        group = Binding.Group(t("tuilesson.code_scroll"), compact=True)
        for key, items in list(self._bindings.key_to_bindings.items()):
            self._bindings.key_to_bindings[key] = [
                replace(b, description=t(f"tuilesson.{b.id}"), group=group)
                if b.id in ("lesson.code_left", "lesson.code_right")
                else b
                for b in items
            ]

    @property
    def wide(self) -> bool:
        """True when some line is cut at the current width."""
        return self.max_scroll_x > 0

    @property
    def allow_horizontal_scroll(self) -> bool:
        return self.wide and not self._check_disabled()

    def allow_focus(self) -> bool:
        return self.wide

    def action_code_scroll(self, direction: int) -> None:
        self.scroll_relative(x=direction * STEP, animate=False)

    def action_code_edge(self, end: int) -> None:
        self.scroll_to(x=self.max_scroll_x if end else 0, animate=False)


class LessonMarkdown(Markdown):
    """Markdown for lesson pages: code blocks are ``WideFence``s, and table cells
    fold a word too long for their column instead of ending it with an ellipsis
    (Textual's default), which would hide part of a value such as
    ``postfix/local[2212]`` in a narrow pane or beside Japanese text."""

    DEFAULT_CSS = """
    LessonMarkdown MarkdownTableContent {
        & > .cell, & > .header { text-overflow: fold; }
    }
    """

    BLOCKS: dict[str, type[MarkdownBlock]] = {
        **Markdown.BLOCKS,
        "fence": WideFence,
        "code_block": WideFence,
    }
