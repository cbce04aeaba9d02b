"""One process at a time changes a machine: calls on one DIR are serialised."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType


class MachineLock:
    """An advisory ``flock`` on ``.mailsim/lock``; waits for the holder to finish."""

    def __init__(self, state_dir: Path) -> None:
        self._file = state_dir / "lock"
        self._fd: int | None = None

    def __enter__(self) -> MachineLock:
        self._fd = os.open(self._file, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
