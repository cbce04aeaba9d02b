"""`mailsim init DIR` and `mailsim exec --root DIR -- WORDS…`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from mailsim.cli import UsageError


def register(sub: Any) -> None:
    init = sub.add_parser("init", help="create a machine directory from the default image")
    init.add_argument("dir", metavar="DIR")
    init.add_argument(
        "--force", action="store_true", help="replace an existing mailsim machine in DIR"
    )
    init.set_defaults(func=cmd_init)

    run = sub.add_parser(
        "exec",
        help="run a command line on a machine",
        description="Run WORDS, joined with spaces, as one command line of the simulated shell "
        "(as `ssh host ...` does): quote the whole line when it holds quotes.",
    )
    run.add_argument("--root", required=True, metavar="DIR", help="the machine directory")
    run.add_argument("--script", metavar="FILE", help="run the lines of FILE instead")
    run.add_argument("words", nargs=argparse.REMAINDER, metavar="-- WORDS")
    run.set_defaults(func=cmd_exec)


def cmd_init(args: argparse.Namespace) -> int:
    from mailsim.machine.image import InitError, init_machine

    try:
        init_machine(args.dir, force=args.force)
    except (InitError, OSError) as exc:
        raise UsageError(str(exc)) from None
    return 0


def cmd_exec(args: argparse.Namespace) -> int:
    from mailsim.machine.lock import MachineLock
    from mailsim.machine.machine import Machine, NotAMachineError
    from mailsim.shell.session import ExitShell, Shell
    from mailsim.shell.streams import InputStream, OutputStream
    from mailsim.shell.terminal import PlainTerminal

    words = list(args.words)
    if words and words[0] == "--":
        words = words[1:]
    if args.script and words:
        raise UsageError("exec: give either --script FILE or WORDS, not both")
    if not args.script and not words:
        raise UsageError("exec: nothing to run (mailsim exec --root DIR -- WORDS...)")
    try:
        machine = Machine.open(args.root)
    except NotAMachineError as exc:
        raise UsageError(str(exc)) from None
    if args.script:
        try:
            with open(args.script, encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        except OSError as exc:
            raise UsageError(f"{args.script}: {exc.strerror}") from None
    else:
        lines = [" ".join(words)]

    stdin_buffer = sys.stdin.buffer if sys.stdin is not None else None

    def read_stdin_line() -> str | None:
        if stdin_buffer is None:
            return None
        data = stdin_buffer.readline()
        return data.decode("utf-8", errors="replace") if data else None

    def pull() -> bytes | None:
        if stdin_buffer is None:
            return None
        return stdin_buffer.readline() or None

    def write_out(data: bytes) -> None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()

    def write_err(data: bytes) -> None:
        sys.stderr.buffer.write(data)
        sys.stderr.buffer.flush()

    terminal = PlainTerminal(read=read_stdin_line, write_prompt=lambda s: write_err(s.encode()))
    with MachineLock(machine.state):
        shell = Shell(machine, terminal, interactive=False)
        stdin = InputStream(pull=pull)
        # The learner's shell is a terminal session: commands see a tty unless
        # the simulated shell itself pipes or redirects them.
        stdout = OutputStream(sink=write_out, isatty=True)
        stderr = OutputStream(sink=write_err, isatty=True)
        pending: list[str] = []
        try:
            for line in lines:
                pending.append(line)
                text = "\n".join(pending)
                if shell.needs_more(text):
                    continue
                pending = []
                shell.run_line(text, stdin, stdout, stderr)
                shell.line_number += text.count("\n")
            if pending:
                shell.run_line("\n".join(pending), stdin, stdout, stderr)
        except ExitShell as exc:
            return exc.status
    return shell.last_status
