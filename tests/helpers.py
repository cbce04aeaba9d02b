"""Run command lines on a machine the way the learner's shell does."""

from __future__ import annotations

from mailsim.machine.machine import Machine
from mailsim.shell.session import ExitShell, Shell
from mailsim.shell.streams import InputStream, OutputStream
from mailsim.shell.terminal import PlainTerminal


def run(
    machine: Machine,
    line: str,
    stdin: bytes = b"",
    interactive: bool = True,
    shell: Shell | None = None,
) -> tuple[str, str, int]:
    """One line (or several) → (stdout, stderr, status), commands seeing a tty."""
    lines = iter(stdin.decode().splitlines(keepends=True))
    terminal = PlainTerminal(read=lambda: next(lines, None))
    shell = shell or Shell(machine, terminal, interactive=interactive)
    out, err = OutputStream(isatty=True), OutputStream(isatty=True)
    try:
        status = shell.run_line(line, InputStream(stdin), out, err)
    except ExitShell as exc:
        status = exc.status
    return out.getvalue().decode(errors="replace"), err.getvalue().decode(errors="replace"), status
