"""`source FILE`: a file's commands run in the current shell, one complete
command at a time as bash reads them, so the commands before a syntax error run
and the error names the file and line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailsim.shell import parser as p
from mailsim.shell.compound import ReturnSignal

if TYPE_CHECKING:
    from mailsim.shell.session import Shell
    from mailsim.shell.streams import InputStream, OutputStream


def source_text(
    shell: Shell,
    text: str,
    filename: str,
    args: list[str],
    stdin: InputStream,
    stdout: OutputStream,
    stderr: OutputStream,
) -> int:
    """`source FILE ARGS`: run the file's commands here, one complete command
    at a time as bash does (the commands before a syntax error run)."""
    saved_positional = shell.positional
    if args:
        shell.positional = list(args)
    shell.source_depth += 1
    status = 0
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    start = 0
    try:
        while start < len(lines):
            end = start + 1
            while True:
                chunk = "\n".join(lines[start:end]) + "\n"
                try:
                    program = p.parse(
                        chunk, lenient_heredoc=end >= len(lines), aliases=shell.aliases
                    )
                    break
                except p.Incomplete:
                    if end >= len(lines):
                        stderr.write(
                            f"bash: {filename}: line {end + 1}: "
                            "syntax error: unexpected end of file\n"
                        )
                        return _set_status(shell, 2)
                    end += 1
                except p.ShellSyntaxError as exc:
                    number = start + max(exc.line, 1)
                    stderr.write(f"bash: {filename}: line {number}: {exc}\n")
                    if "unexpected token" in str(exc):
                        stderr.write(f"bash: {filename}: line {number}: `{lines[number - 1]}'\n")
                    return _set_status(shell, 2)
            status = shell.run_program(program, stdin, stdout, stderr)
            start = end
    except ReturnSignal as signal:
        status = signal.status
    finally:
        shell.source_depth -= 1
        if args:
            shell.positional = saved_positional
    return _set_status(shell, status)


def _set_status(shell: Shell, status: int) -> int:
    shell.last_status = status
    return status
