"""The highlight name each token kind our lexers emit gets in the editor.

Kept beside the lexers so a new token kind in a lexer and its colour are changed
together; the names are the ones Textual's TextArea themes style.
"""

from __future__ import annotations

from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    _TokenType,
)

TOKEN_NAMES: tuple[tuple[_TokenType, str], ...] = (
    (Comment, "comment"),
    (String.Regex, "string"),
    (String, "string"),
    (Number, "number"),
    (Keyword.Constant, "boolean"),
    (Keyword.Type, "type"),
    (Keyword.Namespace, "include"),
    (Keyword, "keyword"),
    (Name.Attribute, "css.property"),
    (Name.Variable, "type.builtin"),
    (Name.Function, "function"),
    (Name.Class, "class"),
    (Name.Label, "tag"),
    (Operator, "operator"),
    (Punctuation, "punctuation.delimiter"),
)
"""Pygments token types → the highlight names TextArea themes style (first match wins)."""


def highlight_name(token: _TokenType) -> str | None:
    """The highlight name for a token, or None for text that stays unstyled."""
    for kind, name in TOKEN_NAMES:
        if token in kind:
            return name
    return None
