"""The learner's interface preferences (the theme), kept between runs.

A small JSON file in the data directory: read once at start, rewritten atomically
when a preference changes. A missing, unreadable or malformed file means the
defaults; a failed write is logged and the app goes on.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

log = logging.getLogger("mailsim.tui")

FILE_NAME = "preferences.json"


def _path() -> Any:
    from mailsim.locations import data_dir

    return data_dir() / FILE_NAME


def load_preferences() -> dict[str, Any]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_preference(name: str, value: Any) -> None:
    """Set one preference, keeping the others (written to a temporary file, then renamed)."""
    data = load_preferences()
    if data.get(name) == value:
        return
    data[name] = value
    path = _path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("cannot save the preference %s: %s", name, exc)
