"""What every mail configuration lexer shares: its base class and the comment rule."""

from __future__ import annotations

from typing import ClassVar

from pygments.lexer import RegexLexer
from pygments.token import Comment

COMMENT_LINE = (r"^[ \t]*#.*\n?", Comment.Single)
"""A whole-line ``#`` comment, indented or not: main.cf, master.cf, lookup tables,
dovecot.conf, aliases and procmailrc all share it (a ``#`` after a value is not a
comment in most of them, so each lexer handles that case itself)."""


class ConfigLexer(RegexLexer):
    """Base of mailsim's lexers: configuration files, which have no MIME type."""

    mimetypes: ClassVar[list[str]] = []
