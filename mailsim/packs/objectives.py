"""Exam objectives a pack, a lesson or a question may name (LPIC-2 topic 211, LPIC-1 108.3)."""

from __future__ import annotations

OBJECTIVES: dict[str, str] = {
    "211.1": "Using e-mail servers",
    "211.2": "Managing e-mail delivery",
    "211.3": "Managing mailbox access",
    "108.3": "MTA basics",
}
"""Objective id → its title as LPI names it."""

WEIGHTS: dict[str, int] = {"211.1": 4, "211.2": 2, "211.3": 2, "108.3": 3}


def is_objective(value: str) -> bool:
    return value in OBJECTIVES
