"""Split dovecot.conf text into logical lines, the way Dovecot 2.3's config parser does.

A line is one of: a ``key = value`` (plain, ``<file`` or holding ``$variables``),
a section start ``name [instance] {``, a ``}``, an ``!include``/``!include_try``,
or a syntax error. Comments are cut at the first ``#`` outside quotes; a line
ending in ``\\`` continues on the next one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

WHITE = " \t"

SKIP = "skip"
KEYVALUE = "keyvalue"
KEYFILE = "keyfile"
KEYVARIABLE = "keyvariable"
SECTION_BEGIN = "section_begin"
SECTION_END = "section_end"
INCLUDE = "include"
INCLUDE_TRY = "include_try"
ERROR = "error"


@dataclass(frozen=True)
class Line:
    """One logical line: its kind, key and value, and where it ends."""

    kind: str
    key: str
    value: str
    lineno: int
    warning: str | None = None
    """The "Ambiguous '#'" note the real parser logs for this line."""


def unescape(text: str) -> str:
    """Dovecot's str_unescape: a backslash keeps the next character."""
    if "\\" not in text:
        return text
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            i += 1
            ch = text[i]
        out.append(ch)
        i += 1
    return "".join(out)


def _strip_comment(line: str, path: str, lineno: int) -> tuple[str, str | None]:
    i = 0
    warning = None
    n = len(line)
    while i < n:
        ch = line[i]
        if ch in "'\"":
            quote = ch
            i += 1
            while i < n and line[i] != quote:
                if line[i] == "\\" and i + 1 < n:
                    i += 1
                i += 1
            if i >= n:
                break
        elif ch == "#":
            if line[i - 1] not in WHITE:
                warning = (
                    f"Configuration file {path} line {lineno}: Ambiguous '#' character "
                    "in line, treating it as comment. Add a space before it to remove "
                    "this warning."
                )
            return line[:i], warning
        i += 1
    return line, warning


def _classify(line: str, lineno: int, warning: str | None) -> Line:
    i = 0
    n = len(line)
    while i < n and line[i] not in WHITE and line[i] != "=":
        i += 1
    key = line[:i]
    while i < n and line[i] in WHITE:
        i += 1
    rest = line[i:]
    if key == "!include":
        return Line(INCLUDE, key, rest, lineno, warning)
    if key == "!include_try":
        return Line(INCLUDE_TRY, key, rest, lineno, warning)
    if rest.startswith("="):
        value = rest[1:].lstrip(WHITE)
        if value.startswith("<"):
            return Line(KEYFILE, key, value[1:].lstrip(WHITE), lineno, warning)
        if value[:1] not in ("'", '"') and "$" in value:
            return Line(KEYVARIABLE, key, value, lineno, warning)
        if len(value) > 0 and value[0] in "'\"" and value[-1] == value[0] and len(value) >= 2:
            value = unescape(value[1:-1])
        elif len(value) == 1 and value in "'\"":
            value = ""
        return Line(KEYVALUE, key, value, lineno, warning)
    if key == "}" and rest == "":
        return Line(SECTION_END, key, "", lineno, warning)
    # a section start, or an error
    if rest.startswith("{"):
        name = ""
        tail = rest
    elif rest.startswith('"'):
        j = rest.find('"', 1)
        if j < 0:
            return Line(ERROR, key, "Expecting '{'", lineno, warning)
        name = unescape(rest[1:j])
        tail = rest[j + 1 :].lstrip(WHITE)
    else:
        j = 0
        while j < len(rest) and rest[j] not in WHITE:
            j += 1
        name = rest[:j]
        tail = rest[j:].lstrip(WHITE)
    if not tail.startswith("{"):
        return Line(ERROR, key, "Expecting '{'", lineno, warning)
    if tail != "{":
        return Line(ERROR, key, "Garbage after '{'", lineno, warning)
    return Line(SECTION_BEGIN, key, name, lineno, warning)


def lex(text: str, path: str) -> Iterator[Line]:
    """Logical lines of one file; ``path`` only names the file in warnings."""
    pending: list[str] = []
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    for lineno, raw in enumerate(lines, start=1):
        line = raw.lstrip(WHITE)
        if line.startswith("#") or line == "":
            pending = []  # as the real parser: a skipped line ends a continuation
            continue
        line, warning = _strip_comment(line, path, lineno)
        line = line.rstrip(WHITE)
        if line.endswith("\\"):
            part = line[:-1].rstrip(WHITE)
            if part:
                pending.append(part + " ")
            continue
        if pending:
            line = "".join(pending) + line
            pending = []
        yield _classify(line, lineno, warning)
