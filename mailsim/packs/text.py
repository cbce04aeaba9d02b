"""Pack text: a string, or a map of language → string, made safe to show.

Pack strings are untrusted: they are shown as plain text or Markdown, never as
Textual markup, and control characters and ANSI escapes are stripped first.
"""

from __future__ import annotations

import re
from typing import Any

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

LocalText = str | dict[str, str]


def clean(text: str) -> str:
    """Drop ANSI escape sequences and control characters (tabs and newlines stay)."""
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


def pick(value: Any, lang: str, languages: tuple[str, ...] | list[str] = ("en",)) -> str:
    """The text in ``lang``, else in the pack's first language, else any; cleaned."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        for key in (lang, *languages):
            found = value.get(key)
            if isinstance(found, str):
                return clean(found)
        for found in value.values():
            if isinstance(found, str):
                return clean(found)
    return clean(str(value))


def languages_of(value: Any) -> set[str]:
    """Languages a text field is written in (a bare string counts as every language)."""
    if isinstance(value, dict):
        return {k for k, v in value.items() if isinstance(v, str) and v.strip()}
    return {"*"}
