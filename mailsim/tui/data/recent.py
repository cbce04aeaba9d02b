"""What the app remembers between runs: the last thing opened, each lab's best
score, and the learner's theme.

Kept in one small JSON file in the data directory, ``tui-state.json``, read in a
worker (never in compose) and replaced atomically.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

STATE_FILE = "tui-state.json"


def _state_path() -> Path:
    from mailsim.locations import data_dir

    return data_dir() / STATE_FILE


def load_state() -> dict[str, Any]:
    try:
        data = json.loads(_state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_state(**changes: Any) -> None:
    """Merge ``changes`` into the state file (atomically: a killed app loses nothing)."""
    path = _state_path()
    data = load_state()
    data.update(changes)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def remember(kind: str, **where: Any) -> None:
    save_state(last={"kind": kind, **where})


def last_place() -> dict[str, Any] | None:
    """The last thing opened, if it is still there (a deleted sandbox is not: continuing
    would quietly make a new, empty one under the old name)."""
    last = load_state().get("last")
    if not isinstance(last, dict) or "kind" not in last:
        return None
    if last["kind"] == "sandbox":
        from mailsim.locations import machines_dir

        name = str(last.get("name", ""))
        if not name or not (machines_dir() / name).is_dir():
            return None
    return last


def sandbox_renamed(old: str, new: str, title: str) -> None:
    """Keep "continue" pointing at a sandbox the learner renamed."""
    last = load_state().get("last")
    if isinstance(last, dict) and last.get("kind") == "sandbox" and last.get("name") == old:
        remember("sandbox", name=new, title=title)


def record_score(pack_id: str, lab_id: str, percent: int) -> None:
    """Keep a lab's best score (only ever raised)."""
    scores = load_state().get("scores")
    scores = scores if isinstance(scores, dict) else {}
    key = f"{pack_id}/{lab_id}"
    if percent > int(scores.get(key, -1)):
        scores[key] = percent
        save_state(scores=scores)


def lab_scores(pack_id: str, lab_ids: list[str]) -> dict[str, int]:
    """lab id → best percent reached (labs never opened are absent)."""
    scores = load_state().get("scores")
    scores = scores if isinstance(scores, dict) else {}
    return {
        lab: int(scores[f"{pack_id}/{lab}"])
        for lab in lab_ids
        if isinstance(scores.get(f"{pack_id}/{lab}"), int)
    }
