"""system(), ``print | "cmd"`` and ``"cmd" | getline``: command lines run by the
simulated shell in a subshell (as ``sh -c`` would; the shell here speaks bash)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailsim.shell.streams import InputStream, OutputStream

if TYPE_CHECKING:
    from mailsim.shell.context import Context


class NoShell(Exception):
    """The command runs outside a shell session (nothing can run a command line)."""


def run_sh(
    ctx: Context, source: str, stdin: bytes, stdout: OutputStream, stderr: OutputStream
) -> int:
    """Run ``source`` as ``sh -c`` would, in a throw-away copy of the shell's state."""
    shell = ctx.shell
    if shell is None:
        raise NoShell()
    from mailsim.shell import parser as p
    from mailsim.shell.expand import LineAborted

    def body() -> int:
        try:
            program = p.parse(source + "\n", aliases={})
        except (p.Incomplete, p.ShellSyntaxError) as exc:
            stderr.write(f"sh: 1: Syntax error: {exc}\n")
            return 2
        status = 0
        try:
            for item in program:
                status = shell.run_and_or(item, InputStream(stdin), stdout, stderr)
        except LineAborted as exc:
            stderr.write(f"sh: {exc}\n")
            return 1
        return status

    return shell._in_subshell(body)


def capture(ctx: Context, source: str) -> bytes:
    """The standard output of a command line (its errors go to awk's stderr)."""
    out = OutputStream(isatty=False)
    run_sh(ctx, source, b"", out, ctx.stderr)
    return out.getvalue()
