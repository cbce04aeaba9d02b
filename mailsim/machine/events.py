"""The machine's event log: which command ran and which file changed, in order.

Stored as JSON lines in ``.mailsim/events.jsonl``. Each event has a sequence
number, so "newaliases ran after /etc/aliases last changed" is decided by order,
not by timestamps (a fixed test clock gives every event the same time).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class EventLog:
    def __init__(self, file: Path, now: Any) -> None:
        self._file = file
        self._now = now
        self._seq: int | None = None
        self._size_seen = -1

    def _next_seq(self) -> int:
        # Another process may have appended since we last counted: recount then.
        try:
            size = os.path.getsize(self._file)
        except FileNotFoundError:
            size = 0
        if self._seq is None or size != self._size_seen:
            self._seq = 0
            if size:
                with open(self._file, "rb") as fh:
                    self._seq = sum(1 for _ in fh)
        self._seq += 1
        return self._seq

    def append(self, kind: str, **fields: Any) -> int:
        seq = self._next_seq()
        record = {"seq": seq, "time": round(self._now(), 6), "kind": kind, **fields}
        line = json.dumps(record, separators=(",", ":")) + "\n"
        with open(self._file, "a", encoding="utf-8") as fh:
            fh.write(line)
        self._size_seen = os.path.getsize(self._file)
        return seq

    def __iter__(self) -> Iterator[dict[str, Any]]:
        try:
            with open(self._file, encoding="utf-8") as fh:
                for line in fh:
                    line = line.strip()
                    if line:
                        try:
                            yield json.loads(line)
                        except json.JSONDecodeError:
                            continue
        except FileNotFoundError:
            return

    def since(self, seq: int) -> list[dict[str, Any]]:
        return [e for e in self if e.get("seq", 0) > seq]

    def last_seq(self) -> int:
        last = 0
        for event in self:
            last = event.get("seq", last)
        return last
