"""Byte streams that simulated commands read and write.

Commands read stdin line by line, so one command body serves a string given to
`mailsim exec` and lines a learner types into the TUI while the command runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator


class CommandCancelled(Exception):
    """Ctrl+C while a command waited for input or checked ``ctx.terminal.cancelled``."""


class InputStream:
    """Bytes from a buffer, or lines pulled on demand from the terminal."""

    def __init__(self, data: bytes = b"", pull: Callable[[], bytes | None] | None = None) -> None:
        self._buf = data
        self._pos = 0
        self._pull = pull
        self._eof = pull is None
        self.file_size: int | None = None
        """Set when stdin is a regular file (``< FILE``); tools like wc format by it."""

    @property
    def interactive(self) -> bool:
        """True when lines come from the learner's keyboard (a tty)."""
        return self._pull is not None

    def _fill(self) -> bool:
        if self._eof or self._pull is None:
            return False
        chunk = self._pull()
        if chunk is None:
            self._eof = True
            return False
        self._buf = self._buf[self._pos :] + chunk
        self._pos = 0
        return True

    def readline(self) -> bytes:
        while True:
            nl = self._buf.find(b"\n", self._pos)
            if nl >= 0:
                line = self._buf[self._pos : nl + 1]
                self._pos = nl + 1
                return line
            if not self._fill():
                line = self._buf[self._pos :]
                self._pos = len(self._buf)
                return line

    def read(self) -> bytes:
        while self._fill():
            pass
        data = self._buf[self._pos :]
        self._pos = len(self._buf)
        return data

    def __iter__(self) -> Iterator[bytes]:
        while True:
            line = self.readline()
            if not line:
                return
            yield line


class OutputStream:
    """Collects bytes, or forwards each write to a sink (the TUI's terminal view)."""

    def __init__(self, sink: Callable[[bytes], object] | None = None, isatty: bool = False) -> None:
        self._parts: list[bytes] = []
        self._sink = sink
        self.isatty = isatty

    def write(self, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8", errors="surrogateescape")
        if not data:
            return
        if self._sink is not None:
            self._sink(data)
        else:
            self._parts.append(data)

    def getvalue(self) -> bytes:
        return b"".join(self._parts)

    def flush(self) -> None:
        pass
