"""How the grader compares a value with what a task needs, and shows values in reasons.

Values are compared as the software reads them: Postfix lists item by item after
``$name`` expansion, so a harmless extra edit never fails a task unless the lab is
strict. A reason is one line: an empty value is said in words, a long output shows
its first line and a count.
"""

from __future__ import annotations

from typing import Any

from mailsim.packs.checks import as_items, compile_regex, list_items
from mailsim.packs.messages import Msg

VALUE_OPS = frozenset({"equals", "any_of", "matches", "contains_item", "lacks_item"})
"""The operators ``compare`` understands."""


def shown(value: str | None) -> str | Msg:
    """A value as a message parameter: the empty value is said in words."""
    return value if value else Msg("packs.check.empty")


def output_shown(text: str) -> str | Msg:
    """Command output as a message parameter: one line, the rest counted, empty in words."""
    return first_line(text.strip()) if text.strip() else Msg("packs.check.empty")


def first_line(text: str) -> str | Msg:
    """A checklist reason is one line: a longer output shows its first line and a count."""
    lines = text.splitlines()
    if len(lines) <= 1:
        return text[:200]
    return Msg("packs.check.more_lines", first=lines[0].rstrip()[:200], count=len(lines) - 1)


def needs_value(value: str) -> Msg:
    """ "The task needs VALUE", where an empty VALUE is said in words, not left blank."""
    return Msg("packs.need.equals", value=value) if value else Msg("packs.need.empty")


def compare(have: str, ops: dict[str, Any], strict: bool) -> Msg | None:
    """None when ``have`` satisfies every value operator, else what the task needs.

    ``strict`` (a strict lab) also refuses items beyond the ones ``contains_item`` names.
    """
    items = list_items(have)
    if "equals" in ops and items != as_items(str(ops["equals"])):
        return needs_value(str(ops["equals"]))
    if "any_of" in ops and not any(items == as_items(str(v)) for v in ops["any_of"]):
        return Msg("packs.need.any_of", values=[str(v) for v in ops["any_of"]])
    if "matches" in ops:
        pattern = compile_regex(str(ops["matches"]))
        if isinstance(pattern, str) or not pattern.search(have):
            return Msg("packs.need.matches", pattern=str(ops["matches"]))
    if "contains_item" in ops:
        wanted = as_items(ops["contains_item"])
        missing = [w for w in wanted if w not in items]
        if missing:
            return Msg("packs.need.contains_item", items=missing)
        if strict and sorted(set(items)) != sorted(set(wanted)):
            return Msg("packs.need.only_items", items=wanted)
    if "lacks_item" in ops:
        present = [w for w in as_items(ops["lacks_item"]) if w in items]
        if present:
            return Msg("packs.need.lacks_item", items=present)
    return None
