"""Postfix's main.cf, master.cf and lookup-table source files."""

from __future__ import annotations

from pygments.lexer import bygroups
from pygments.token import (
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

_MAP_TYPES = (
    r"(?:hash|btree|lmdb|cdb|dbm|texthash|inline|static|regexp|pcre|cidr|unix|"
    r"proxy|ldap|mysql|pgsql|sqlite|tcp|socketmap|fail|randmap|pipemap|unionmap|"
    r"environ|internal|memcache|nis|nisplus|netinfo|sdbm)"
)

_VALUE_RULES = [
    (r"\$(?:\{[^}\s]*\}?|\([^)\s]*\)?|[A-Za-z0-9_]+|\$)", Name.Variable),
    (_MAP_TYPES + r":", Keyword.Type),
    (r"\b(?:yes|no)\b", Keyword.Constant),
    (r"\b\d+(?:\.\d+)*[smhdw]?\b", Number),
    (r"[,{}]", Punctuation),
    (r"[^$,{}\s]+", Text),
    (r"\n", Whitespace),
    (r"[ \t]+", Whitespace),
]


class PostfixMainLexer(ConfigLexer):
    """Postfix main.cf: ``name = value``, comments, continuation lines, ``$name``."""

    name = "Postfix main.cf"
    aliases = ["postfix", "maincf", "postfix-main"]
    filenames = ["main.cf"]

    tokens = {
        "root": [
            COMMENT_LINE,
            (r"^([A-Za-z0-9_.-]+)([ \t]*)(=)", bygroups(Name.Attribute, Whitespace, Operator)),
            (r"\n", Whitespace),
            *_VALUE_RULES,
        ],
    }


class PostfixMasterLexer(ConfigLexer):
    """Postfix master.cf: service lines, ``-o name=value`` overrides, comments."""

    name = "Postfix master.cf"
    aliases = ["postfix-master", "mastercf"]
    filenames = ["master.cf"]

    tokens = {
        "root": [
            COMMENT_LINE,
            (
                r"^([^\s#]+)(\s+)(inet|unix-dgram|unix|fifo|pass)\b",
                bygroups(Name.Function, Whitespace, Keyword.Type),
            ),
            (
                r"(-o)(\s+)([A-Za-z0-9_.{}-]+)(=)",
                bygroups(Keyword, Whitespace, Name.Attribute, Operator),
            ),
            (r"(?<=\s)[-yn](?=\s)", Keyword.Constant),
            (r"(?<=\s)\d+\??(?=\s)", Number),
            (r"\n", Whitespace),
            *_VALUE_RULES,
        ],
    }


class PostfixTableLexer(ConfigLexer):
    """A lookup-table source (virtual, transport, access, pcre/regexp/cidr tables)."""

    name = "Postfix lookup table"
    aliases = ["postfix-table", "postmap"]
    filenames: list[str] = []

    tokens = {
        "root": [
            COMMENT_LINE,
            (r"^(if|endif)\b", Keyword),
            (r"^(/(?:\\.|[^/\n])*/[a-zA-Z]*)", String.Regex),
            (r"^([^\s#]+)", Name.Label),
            (
                r"\b(?:OK|REJECT|DUNNO|DISCARD|HOLD|PERMIT|DEFER|DEFER_IF_PERMIT|"
                r"DEFER_IF_REJECT|FILTER|PREPEND|REDIRECT|WARN|BCC|INFO|\d{3})\b",
                Keyword.Constant,
            ),
            (r"\$\d+|\$\{\d+\}", Name.Variable),
            (r"\n", Whitespace),
            (r"[^\s$]+", Text),
            (r"[ \t]+", Whitespace),
            (r"\$", Text),
        ],
    }
