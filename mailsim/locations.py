"""Where mailsim keeps the learner's things: one place, overridable for tests.

``MAILSIM_DATA_DIR`` replaces the platform's data directory (platformdirs),
so tests and instructors can point mailsim elsewhere.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path


def data_dir() -> Path:
    override = os.environ.get("MAILSIM_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("mailsim", appauthor=False))


def machines_dir() -> Path:
    return data_dir() / "machines"


def packs_dir() -> Path:
    return data_dir() / "packs"


def progress_db() -> Path:
    return data_dir() / "progress.sqlite3"


def log_file() -> Path:
    return data_dir() / "mailsim.log"


def setup_logging() -> None:
    """Send mailsim's own log (internal errors with tracebacks) to a file, never the screen."""
    root = logging.getLogger("mailsim")
    path = log_file()
    for existing in list(root.handlers):
        if isinstance(existing, logging.FileHandler):
            if existing.baseFilename == str(path.absolute()):
                return
            # The data directory changed (MAILSIM_DATA_DIR): log where it points now.
            root.removeHandler(existing)
            existing.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root.addHandler(handler)
    root.propagate = False
