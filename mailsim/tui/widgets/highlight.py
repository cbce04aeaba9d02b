"""A TextArea highlighted by a Pygments lexer.

Textual's TextArea highlights through tree-sitter only, and there are no
tree-sitter grammars for main.cf, dovecot.conf or aliases. We override the
private ``TextArea._build_highlight_map`` to fill ``_highlights`` (per line:
start byte, end byte, highlight name) from Pygments tokens instead. This leans
on Textual internals, which is why Textual is pinned exactly in pyproject.toml;
``tests/test_tui_editor.py::test_pygments_highlights_reach_the_text_area``
fails when an upgrade changes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import TextArea

from mailsim.lexers.styles import highlight_name

if TYPE_CHECKING:
    from pygments.lexer import Lexer


def highlight_lines(lexer: Lexer, text: str) -> dict[int, list[tuple[int, int | None, str]]]:
    """Per line index: (start byte, end byte, highlight name), as TextArea stores them."""
    found: dict[int, list[tuple[int, int | None, str]]] = {}
    row, column = 0, 0
    for _index, token, value in lexer.get_tokens_unprocessed(text):
        name = highlight_name(token)
        parts = value.split("\n")
        for i, part in enumerate(parts):
            size = len(part.encode("utf-8"))
            if part and name is not None:
                found.setdefault(row, []).append((column, column + size, name))
            column += size
            if i < len(parts) - 1:
                row += 1
                column = 0
    return found


class HighlightedTextArea(TextArea):
    """TextArea whose highlighting comes from a Pygments lexer (or none)."""

    def __init__(self, text: str = "", *, lexer: Lexer | None = None, **kwargs: Any) -> None:
        self.lexer = lexer
        super().__init__(text, **kwargs)

    def _build_highlight_map(self) -> None:
        self._line_cache.clear()
        self._highlights.clear()
        lexer = getattr(self, "lexer", None)
        if lexer is None:
            return
        self._highlights.update(highlight_lines(lexer, self.text))
