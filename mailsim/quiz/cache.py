"""A cache of validated banks, keyed by the hashes of their files.

Validating a large bank (YAML with positions, every check) takes seconds; a bank
whose files have not changed loads from a JSON file in the data directory instead.
The key covers the bank's name, every file's relative path and content, and the
cache format, so any edit (or a new mailsim) misses the cache. JSON, not pickle:
a person may want to read it, and a damaged file is simply ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from mailsim.quiz.model import Question

FORMAT = 1


def _cache_dir() -> Path:
    from mailsim.locations import data_dir

    return data_dir() / "cache" / "quiz"


def cache_key(source: Path, name: str) -> str:
    from mailsim.quiz.bank import bank_files

    digest = hashlib.sha256(f"mailsim-quiz-cache {FORMAT} {name}\n".encode())
    files = bank_files(source) if source.is_dir() else [source]
    for file in files:
        rel = str(file.relative_to(source)) if source.is_dir() else file.name
        digest.update(rel.encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _prefix(source: Path, name: str) -> str:
    """Names this bank's cache files, so a new version replaces the old one."""
    return hashlib.sha256(f"{source.resolve()}\0{name}".encode()).hexdigest()[:16]


def _cache_file(source: Path, name: str) -> Path:
    return _cache_dir() / f"{_prefix(source, name)}-{cache_key(source, name)}.json"


def load(source: Path, name: str) -> list[Question] | None:
    """The cached questions of ``source``, or None (no cache, stale, unreadable)."""
    try:
        with open(_cache_file(source, name), encoding="utf-8") as fh:
            data = json.load(fh)
        return [Question.from_dict(q) for q in data["questions"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(source: Path, name: str, questions: list[Question]) -> None:
    """Write the cache atomically; a read-only data directory just means no cache."""
    try:
        directory = _cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        target = _cache_file(source, name)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(
                {"format": FORMAT, "questions": [q.to_dict() for q in questions]},
                fh,
                ensure_ascii=False,
            )
        os.replace(tmp, target)
        for old in directory.glob(f"{_prefix(source, name)}-*.json"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError:
        return
