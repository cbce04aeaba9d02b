"""What a simulated command receives: the contract every command is written against."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mailsim.machine import paths
from mailsim.machine.users import User
from mailsim.shell.streams import InputStream, OutputStream
from mailsim.shell.terminal import Terminal

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine
    from mailsim.shell.session import Shell


@dataclass
class Context:
    """One run of one command.

    A command reads ``stdin``, writes bytes (or str, encoded as UTF-8) to
    ``stdout``/``stderr``, and returns its exit status. It never prints to the
    real terminal and never raises to the user: the shell turns an unexpected
    exception into ``NAME: internal error`` and status 70.
    """

    argv: list[str]
    stdin: InputStream
    stdout: OutputStream
    stderr: OutputStream
    machine: Machine
    env: dict[str, str]
    cwd: str
    user: User
    terminal: Terminal
    shell: Shell | None = None
    """The shell running this command (builtins like cd, export and su change it)."""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.argv[0].rsplit("/", 1)[-1] if self.argv else ""

    @property
    def args(self) -> list[str]:
        return self.argv[1:]

    @property
    def is_root(self) -> bool:
        return self.user.uid == 0

    @property
    def stdout_is_tty(self) -> bool:
        return self.stdout.isatty

    @property
    def stderr_is_tty(self) -> bool:
        return self.stderr.isatty

    def out(self, text: str) -> None:
        self.stdout.write(text)

    def err(self, text: str) -> None:
        self.stderr.write(text)

    def error(self, message: str) -> None:
        """``NAME: message`` on stderr, the GNU way."""
        self.stderr.write(f"{self.name}: {message}\n")

    def abspath(self, path: str) -> str:
        """Lexically absolute simulated path (no symlink resolution)."""
        return paths.normalize(path, self.cwd)
