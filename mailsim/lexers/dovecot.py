"""Dovecot's dovecot.conf and conf.d files."""

from __future__ import annotations

from pygments.lexer import bygroups
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

from mailsim.lexers.common import COMMENT_LINE, ConfigLexer


class DovecotLexer(ConfigLexer):
    """``key = value``, sections ``name [instance] {``, ``!include``, ``%variables``."""

    name = "Dovecot configuration"
    aliases = ["dovecot", "dovecot-conf"]
    filenames = ["dovecot.conf", "dovecot-*.conf.ext"]

    tokens = {
        "root": [
            COMMENT_LINE,
            (
                r"^([ \t]*)(!include(?:_try)?)(\s+)(\S+)",
                bygroups(Whitespace, Keyword.Namespace, Whitespace, String),
            ),
            (
                r"^([ \t]*)([A-Za-z0-9_/.-]+)([ \t]*)(=)",
                bygroups(Whitespace, Name.Attribute, Whitespace, Operator),
                "value",
            ),
            (
                r"^([ \t]*)([A-Za-z0-9_-]+)((?:[ \t]+[^\s{]+)?)([ \t]*)(\{)",
                bygroups(Whitespace, Keyword, Name.Class, Whitespace, Punctuation),
            ),
            (r"\}", Punctuation),
            (r"\n", Whitespace),
            (r"[ \t]+", Whitespace),
            (r"[^\s}]+", Text),
        ],
        "value": [
            (r"\n", Whitespace, "#pop"),
            (r"[ \t]+#.*", Comment.Single),
            (r"<\S+", String.Other),
            (r"%(?:\{[^}\n]*\}|[A-Za-z%])", Name.Variable),
            (r"\$[A-Za-z_][A-Za-z0-9_]*", Name.Variable),
            (r"\b(?:yes|no)\b", Keyword.Constant),
            (r"\b\d+(?:\s*[KMGT]?B?|\s*(?:secs?|mins?|hours?|days?|weeks?)\b)?", Number),
            (r'"(?:\\.|[^"\\\n])*"', String.Double),
            (r"[ \t]+", Whitespace),
            (r"[^\s%$\"]+", Text),
            (r"[%$\"]", Text),
        ],
    }
