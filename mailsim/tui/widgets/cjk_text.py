"""Japanese paragraphs wrapped in the Markdown source, joined for display.

Markdown turns a line break inside a paragraph into a space, which is right
between English words and wrong between two Japanese characters: "これ以外の
パラメーター" typed over two lines would show as "これ以外の パラメーター".
Lines are joined without a space where both sides are CJK characters (or
full-width punctuation); code blocks and block starts (lists, headings,
tables, quotes) are left alone.
"""

from __future__ import annotations

import re

_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_ENDS_CJK = re.compile(f"[{_CJK}]$")
_STARTS_CJK = re.compile(f"^\\s*[{_CJK}]")
_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|\||>|```|~~~)")
_FENCE = re.compile(r"^\s*(```|~~~)")


def join_cjk_lines(markdown: str) -> str:
    out: list[str] = []
    fence = ""
    for line in markdown.split("\n"):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1) == fence:
                fence = ""
            out.append(line)
            continue
        if opened:
            fence = opened.group(1)
            out.append(line)
            continue
        previous = out[-1] if out else ""
        if (
            previous
            and _ENDS_CJK.search(previous)
            and _STARTS_CJK.match(line)
            and not _BLOCK_START.match(line)
            and not _FENCE.match(previous)
        ):
            out[-1] = previous + line.lstrip()
            continue
        out.append(line)
    return "\n".join(out)
