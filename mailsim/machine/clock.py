"""The one clock of a simulated machine.

Everything that shows a time (file modification times, the mail log, queue ids,
quiz due dates, exam countdowns) reads it, so tests can fix time in one place:
set ``MAILSIM_NOW`` to an ISO-8601 timestamp or to epoch seconds.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime


class Clock:
    """Real time, unless fixed; a fixed clock only moves when told to."""

    def __init__(self, fixed: float | None = None) -> None:
        self._fixed = fixed

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Clock:
        value = (environ if environ is not None else os.environ).get("MAILSIM_NOW", "")
        if not value:
            return cls()
        return cls(parse_timestamp(value))

    @property
    def fixed(self) -> bool:
        return self._fixed is not None

    def now(self) -> float:
        """Seconds since the epoch."""
        return self._fixed if self._fixed is not None else time.time()

    def advance(self, seconds: float) -> None:
        """Move a fixed clock forward (tests: exam timers, due dates)."""
        if self._fixed is not None:
            self._fixed += seconds

    def set(self, when: float) -> None:
        self._fixed = when

    def datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=UTC)


def parse_timestamp(value: str) -> float:
    """Epoch seconds from ``1764059341`` or ``2026-11-25T08:29:01`` (UTC unless an offset is given)."""
    try:
        return float(value)
    except ValueError:
        pass
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()
