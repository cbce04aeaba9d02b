"""Input records and output streams of an awk run on the simulated machine.

Text is latin-1 throughout the interpreter (one character per byte, as mawk
counts), so bytes are decoded and encoded here and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from mailsim.shell.awk import builtins as bi

if TYPE_CHECKING:
    from mailsim.shell.context import Context


class AwkFatal(Exception):
    """A fatal error whose whole text (after ``mawk: ``) mawk prints, then exits 2."""


def to_path(text: str) -> str:
    """An awk string (latin-1) back to a file name of the machine."""
    return text.encode("latin-1").decode("utf-8", "surrogateescape")


def from_bytes(data: bytes) -> str:
    return data.decode("latin-1")


_PARAGRAPH_END = re.compile(r"\n\n+")
_MORE = object()
"""A record may go on in input not read yet."""


class Reader:
    """Records of one input, split by RS as it is when each record is read.

    ``pull`` (keyboard input) gives more text, or "" at end of input: a record is
    only cut where the input shows its end, so typed lines are processed as typed.
    """

    def __init__(self, data: str, pull: Callable[[], str] | None = None) -> None:
        self.data = data
        self.pos = 0
        self.pull = pull

    def read(self, rs: str) -> str | None:
        while True:
            found = self._scan(rs, self.pull is None)
            if found is not _MORE:
                return found  # type: ignore[return-value]
            assert self.pull is not None
            chunk = self.pull()
            if not chunk:
                self.pull = None
            else:
                self.data = self.data[self.pos :] + chunk
                self.pos = 0

    def _scan(self, rs: str, final: bool) -> object:
        data, pos = self.data, self.pos
        if len(rs) == 1:
            end = data.find(rs, pos)
            if end >= 0:
                self.pos = end + 1
                return data[pos:end]
            if not final:
                return _MORE
            if pos >= len(data):
                return None
            self.pos = len(data)
            return data[pos:]
        if rs == "":
            # Paragraph mode: blank lines separate records; leading newlines are skipped.
            while pos < len(data) and data[pos] == "\n":
                pos += 1
            self.pos = pos
            m = _PARAGRAPH_END.search(data, pos)
        else:
            m = bi.search(bi.regex(rs), data, pos)
            while m is not None and m.end() == m.start():
                m = bi.search(bi.regex(rs), data, m.start() + 1) if m.start() < len(data) else None
        if m is not None and (final or m.end() < len(data)):
            self.pos = m.end()
            return data[pos : m.start()]
        if not final:
            return _MORE
        if pos >= len(data):
            return None
        self.pos = len(data)
        rest = data[pos:]
        return rest.rstrip("\n") if rs == "" else rest


class IO:
    def __init__(self, ctx: Context, prog: str) -> None:
        self.ctx = ctx
        self.prog = prog
        self.buffer: list[str] = []
        self.size = 0
        self.outputs: dict[str, tuple[str, list[str]]] = {}
        """Open output files: name → (machine path or "-"/"/dev/stderr", pending text)."""
        self.inputs: dict[str, Reader] = {}
        self.pipes_out: dict[str, list[str]] = {}
        """``print | "cmd"``: what each command will read when it is closed."""
        self.rs = "\n"
        self.tty = ctx.stdout_is_tty

    def set_rs(self, rs: str) -> None:
        self.rs = rs

    # output

    def write(self, text: str) -> None:
        self.buffer.append(text)
        self.size += len(text)
        # Like stdio: a terminal sees each print at once, a pipe or file gets blocks.
        if self.size > 8192 or self.tty:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.ctx.stdout.write("".join(self.buffer).encode("latin-1"))
            self.buffer = []
            self.size = 0

    def write_to(self, name: str, text: str, append: bool) -> None:
        entry = self.outputs.get(name)
        if entry is None:
            entry = self._open_output(name, append)
        if entry[0] == "-":
            self.write(text)
        elif entry[0] == "/dev/stderr":
            self.flush()
            self.ctx.stderr.write(text.encode("latin-1"))
        else:
            entry[1].append(text)
            if len(entry[1]) > 256:
                self._flush_file(name)

    def _open_output(self, name: str, append: bool) -> tuple[str, list[str]]:
        if name in ("-", "/dev/stdout"):
            entry: tuple[str, list[str]] = ("-", [])
        elif name == "/dev/stderr":
            entry = ("/dev/stderr", [])
        else:
            path = self.ctx.abspath(to_path(name))
            error = _writable(self.ctx, path)
            if error is None and not append:
                try:
                    self.ctx.machine.write_bytes(path, b"")
                except OSError as exc:
                    error = exc.strerror or "Input/output error"
            if error is not None:
                raise AwkFatal(f'cannot open "{name}" for output ({error})')
            entry = (path, [])
        self.outputs[name] = entry
        return entry

    def _flush_file(self, name: str) -> None:
        path, pending = self.outputs[name]
        if pending and path not in ("-", "/dev/stderr"):
            data = "".join(pending).encode("latin-1")
            pending.clear()
            try:
                self.ctx.machine.write_bytes(path, data, append=True)
            except OSError as exc:
                raise AwkFatal(f"write failure ({exc.strerror})") from None

    def write_pipe(self, command: str, text: str) -> None:
        if command not in self.pipes_out:
            # mawk flushes its output before it forks the command.
            self.flush()
        self.pipes_out.setdefault(command, []).append(text)

    def _run_pipe(self, command: str) -> float:
        from mailsim.shell.awk.commands import run_sh

        data = "".join(self.pipes_out.pop(command)).encode("latin-1")
        return float(run_sh(self.ctx, to_path(command), data, self.ctx.stdout, self.ctx.stderr))

    def system(self, command: str) -> float:
        from mailsim.shell.awk.commands import run_sh

        self.flush()
        for name in list(self.outputs):
            self._flush_file(name)
        return float(run_sh(self.ctx, to_path(command), b"", self.ctx.stdout, self.ctx.stderr))

    def getline_pipe(self, command: str) -> str | None:
        reader = self.inputs.get(command)
        if reader is None:
            from mailsim.shell.awk.commands import capture

            self.flush()
            reader = self.inputs[command] = Reader(from_bytes(capture(self.ctx, to_path(command))))
        return reader.read(self.rs)

    def close(self, name: str) -> float:
        found = False
        if name in self.pipes_out:
            return self._run_pipe(name)
        if name in self.outputs:
            self._flush_file(name)
            del self.outputs[name]
            found = True
        if name in self.inputs:
            del self.inputs[name]
            found = True
        return 0.0 if found else -1.0

    def close_all(self) -> None:
        # mawk waits for its output commands before its own buffered output goes out.
        for command in list(self.pipes_out):
            self._run_pipe(command)
        for name in list(self.outputs):
            self._flush_file(name)
        self.outputs.clear()
        self.flush()

    # input

    def load(self, name: str) -> tuple[str | None, str | None]:
        """(text, None) or (None, strerror) for an input file; "-" and /dev/stdin are stdin."""
        if name in ("-", "/dev/stdin"):
            return from_bytes(self.ctx.stdin.read()), None
        from mailsim.shell.commands.text import load

        data, error = load(self.ctx, to_path(name))
        if data is None:
            return None, error
        return from_bytes(data), None

    def getline_file(self, name: str) -> str | None | float:
        """The next record of a file for ``getline < name``; -1.0 when it cannot be read."""
        reader = self.inputs.get(name)
        if reader is None:
            text, error = self.load(name)
            if text is None:
                if error == "Is a directory":
                    raise AwkFatal("read error (Is a directory)")
                return -1.0
            reader = self.inputs[name] = Reader(text)
        return reader.read(self.rs)


def _writable(ctx: Context, path: str) -> str | None:
    from mailsim.machine.access import write_refusal

    return write_refusal(ctx.machine, path, ctx.user)
