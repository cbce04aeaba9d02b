"""The /etc/aliases file: ``name: target, target``."""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups
from pygments.token import Comment, Keyword, Name, Punctuation, String, Text, Whitespace


class AliasesLexer(RegexLexer):
    """Alias names, targets (addresses, files, ``|commands``, ``:include:``) and comments."""

    name = "Mail aliases"
    aliases = ["aliases", "mail-aliases"]
    filenames = ["aliases"]
    mimetypes: list[str] = []

    tokens = {
        "root": [
            (r"^[ \t]*#.*\n?", Comment.Single),
            (r"^([^\s:#][^:\n]*)(:)", bygroups(Name.Label, Punctuation)),
            (r":include:", Keyword),
            (r'"\|[^"\n]*"|\|\S+', String.Other),
            (r"(?<![\w@.-])/[^\s,]+", String),
            (r",", Punctuation),
            (r"\n", Whitespace),
            (r"[ \t]+", Whitespace),
            (r"[^\s,]+", Text),
        ],
    }
