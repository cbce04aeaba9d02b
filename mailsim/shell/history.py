"""How an interactive bash keeps a command typed over several lines: as one history line.

bash (``cmdhist``, on by default) joins the lines with "; " where a command ends
at the line break, and with a space where the line break sits inside a command:
after ``then``, ``do``, ``else``, ``{``, ``(``, ``in`` of a case, ``;;``, a pipe
or ``&&``/``||``. A backslash-newline disappears; a line break inside quotes and a
here-document's lines are kept.
"""

from __future__ import annotations

import re

# A line ending in one of these goes on without a command separator.
_OPEN_END = re.compile(
    r"(?:^|[\s;&|(){}])(?:then|do|else)$|^\s*case\s.*\sin$|(?:[{(|;]|&&|\|\||;;)$"
)


def _inside_quotes(text: str) -> bool:
    """Whether ``text`` ends inside a quoted string (its line break is part of a word)."""
    quote = ""
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
    return bool(quote)


def history_line(text: str) -> str:
    """The history entry for ``text``, a command line as typed (lines joined by "\\n")."""
    if "<<" in text:
        return text  # a here-document's lines are its data: kept as typed
    joined = ""
    for index, line in enumerate(text.split("\n")):
        if index == 0:
            joined = line
            continue
        if _inside_quotes(joined):
            joined += "\n" + line
            continue
        if joined.endswith("\\"):
            joined = joined[:-1] + line
            continue
        if not line.strip():
            continue
        before = joined.rstrip()
        joined = before + (" " if _OPEN_END.search(before) else "; ") + line
    return joined
