"""procmailrc: variable assignments, recipes (``:0`` flags, ``*`` conditions, actions)."""

from __future__ import annotations

from pygments.lexer import bygroups
from pygments.token import (
    Keyword,
    Name,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

from mailsim.lexers.common import COMMENT_LINE, ConfigLexer


class ProcmailLexer(ConfigLexer):
    name = "procmailrc"
    aliases = ["procmail", "procmailrc"]
    filenames = [".procmailrc", "procmailrc"]

    tokens = {
        "root": [
            COMMENT_LINE,
            (
                r"^([ \t]*)(:0)([A-Za-z]*)(:?)(\S*)",
                bygroups(Whitespace, Keyword, Keyword.Type, Punctuation, String),
            ),
            (r"^([ \t]*)(\*)([^\n]*)", bygroups(Whitespace, Operator, String.Regex)),
            (
                r"^([ \t]*)([A-Za-z_][A-Za-z0-9_]*)(=)",
                bygroups(Whitespace, Name.Variable, Operator),
            ),
            (r"^([ \t]*)([!|])", bygroups(Whitespace, Keyword)),
            (r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?", Name.Variable),
            (r"[{}]", Punctuation),
            (r'"(?:\\.|[^"\\\n])*"', String.Double),
            (r"\n", Whitespace),
            (r"[ \t]+", Whitespace),
            (r"[^\s${}\"]+", Text),
            (r"[$\"]", Text),
        ],
    }
