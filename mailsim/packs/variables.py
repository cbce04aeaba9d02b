"""Lab variables: named pools, one value of each picked per learner from a seed.

Text, start files, solutions and checks write ``{{name}}``; ``${...}`` is left
alone because it belongs to Postfix and the shell. A seed picks value
``(seed + offset(name)) % len(pool)`` of each pool, so the seeds ``0 .. N-1``
(N the largest pool) between them use every value of every pool: that is what
``pack validate`` replays.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def _offset(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")


def pick(pools: dict[str, list[str]], seed: int) -> dict[str, str]:
    """The value of every variable for ``seed`` (stable across runs and Python versions)."""
    return {name: pool[(seed + _offset(name)) % len(pool)] for name, pool in pools.items()}


def covering_seeds(pools: dict[str, list[str]], minimum: int = 3) -> list[int]:
    """Seeds that between them use every value of every pool (at least ``minimum`` of them)."""
    if not pools:
        return [0]
    largest = max(len(pool) for pool in pools.values())
    return list(range(max(largest, minimum)))


def names_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def substitute(text: str, values: dict[str, str]) -> str:
    """Replace ``{{name}}``; an unknown name stays as written (validate reports it)."""
    if "{{" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def substitute_all(value: Any, values: dict[str, str]) -> Any:
    """``substitute`` through strings, lists and mappings (keys stay as they are)."""
    if not values:
        return value
    if isinstance(value, str):
        return substitute(value, values)
    if isinstance(value, list):
        return [substitute_all(v, values) for v in value]
    if isinstance(value, dict):
        return {k: substitute_all(v, values) for k, v in value.items()}
    return value


def unknown_names(value: Any, known: set[str]) -> list[str]:
    """Placeholders in ``value`` (strings, lists, mappings) that name no variable."""
    found: list[str] = []
    if isinstance(value, str):
        found.extend(n for n in names_in(value) if n not in known)
    elif isinstance(value, list):
        for item in value:
            found.extend(unknown_names(item, known))
    elif isinstance(value, dict):
        for item in value.values():
            found.extend(unknown_names(item, known))
    return found
