"""The /etc/aliases file: ``name: target, target``."""

from __future__ import annotations

from pygments.lexer import bygroups
from pygments.token import Keyword, Name, Punctuation, String, Text, Whitespace

from mailsim.lexers.common import COMMENT_LINE, ConfigLexer


class AliasesLexer(ConfigLexer):
    """Alias names, targets (addresses, files, ``|commands``, ``:include:``) and comments."""

    name = "Mail aliases"
    aliases = ["aliases", "mail-aliases"]
    filenames = ["aliases"]

    tokens = {
        "root": [
            COMMENT_LINE,
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
