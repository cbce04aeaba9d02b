"""The learner's shell: state (user, cwd, variables, history) and execution.

One ``Shell`` serves the TUI's terminal (interactive: continuation prompts,
bash's interactive error wording) and `mailsim exec` (``bash -c`` wording).
Pipelines run their commands one after another over byte buffers; that is
indistinguishable for the tools a mail admin pipes together.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from mailsim.machine import paths
from mailsim.machine.machine import Machine
from mailsim.machine.users import ROOT, User
from mailsim.shell import parser as p
from mailsim.shell.compound import LoopControl, ReturnSignal, run_compound
from mailsim.shell.context import Context
from mailsim.shell.expand import Expander, ExpansionError, LineAborted
from mailsim.shell.redirect import apply_redirects
from mailsim.shell.registry import REGISTRY, Registry
from mailsim.shell.streams import CommandCancelled, InputStream, OutputStream
from mailsim.shell.terminal import PlainTerminal, Terminal

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger("mailsim.shell")
# Tracebacks go to mailsim's log file (set up by the CLI or the TUI), never the terminal.
logging.getLogger("mailsim").addHandler(logging.NullHandler())
logging.getLogger("mailsim").propagate = False

ROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
USER_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games"
INTERNAL_ERROR = 70
SEGFAULT = 139
"""128 + SIGSEGV: the status of a program killed by a segmentation fault."""


_UNLOGGED_IN_LOOPS = frozenset({":", "true", "false", "test", "[", "break", "continue", "shift"})
"""Builtins a loop runs on every pass; logging each would let `while :; do :; done`
fill the event log (nothing the grader asks about)."""


def _trace_quote(word: str) -> str:
    """``set -x`` shows a word as bash would quote it to be read back."""
    if word and re.fullmatch(r"[A-Za-z0-9_./:=@%+,^-]+", word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


FUNCNEST = 40
"""How deep functions may call functions (bash's FUNCNEST, set low enough that
Python's own stack never overflows first)."""


class ExitShell(Exception):
    """`exit` in the outermost shell: stop reading commands."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass
class Frame:
    """One login: `su - alice` pushes a frame, `exit` pops it."""

    user: User
    cwd: str
    env: dict[str, str]
    variables: dict[str, str] = field(default_factory=dict)
    oldpwd: str | None = None
    login: bool = True
    """A login shell (`su -`) says "logout" when it exits; `su alice` says "exit"."""
    positional: list[str] = field(default_factory=list)
    """$1, $2, ... (``set --``, ``shift``, ``source FILE ARGS``)."""
    aliases: dict[str, str] = field(default_factory=dict)
    options: set[str] = field(default_factory=set)
    """``set -o`` options that are on: errexit, nounset, xtrace, pipefail, noclobber."""
    umask: int = 0o022
    functions: dict[str, p.Command] = field(default_factory=dict)

    def copy(self) -> Frame:
        """The state a subshell starts from (and the parent keeps)."""
        return replace(
            self,
            env=dict(self.env),
            variables=dict(self.variables),
            positional=list(self.positional),
            aliases=dict(self.aliases),
            options=set(self.options),
            functions=dict(self.functions),
        )


def login_env(user: User, hostname: str) -> dict[str, str]:
    """The environment of a fresh login shell on Debian 12."""
    return {
        "HOME": user.home,
        "LANG": "C.UTF-8",
        "LOGNAME": user.name,
        "MAIL": f"/var/mail/{user.name}",
        "PATH": ROOT_PATH if user.uid == 0 else USER_PATH,
        "PWD": user.home,
        "SHELL": user.shell or "/bin/bash",
        "SHLVL": "1",
        "TERM": "xterm-256color",
        "USER": user.name,
    }


class Shell:
    """A bash-like shell on a machine."""

    def __init__(
        self,
        machine: Machine,
        terminal: Terminal | None = None,
        user: str = "root",
        interactive: bool = True,
        registry: Registry = REGISTRY,
    ) -> None:
        self.machine = machine
        self.terminal = terminal or PlainTerminal()
        self.interactive = interactive
        self.registry = registry
        self.history: list[str] = []
        self.last_status = 0
        self.disabled: set[str] = set()
        """Commands a lab disables: they answer like a missing command."""
        self.after_command: list[Callable[[list[str], int], None]] = []
        """Called after each simple command (the TUI re-grades and refreshes)."""
        self.line_number = 0
        self.loop_depth = 0
        """How many for/while/until loops enclose the running command."""
        self.substitution_status: int | None = None
        """The status of the last command substitution in the command being expanded."""
        self.source_depth = 0
        """How many `source` files are running (``return`` needs one, or a function)."""
        self.function_depth = 0
        self._errexit_ignored = 0
        """Inside an if/while condition, a non-final part of && or ||, or after !:
        ``set -e`` does not act there."""
        self._pid: int | None = None
        account = machine.user(user) or ROOT
        self.frames = [self._frame_for(account)]

    def _frame_for(self, account: User) -> Frame:
        home = account.home if self.machine.is_dir(account.home) else "/"
        env = login_env(account, self.machine.hostname)
        env["PWD"] = home
        return Frame(account, home, env)

    # -- state -----------------------------------------------------------------

    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    # Each login (`su - alice`) has its own positional parameters, aliases and
    # options, as a new bash process would.

    @property
    def positional(self) -> list[str]:
        return self.frame.positional

    @positional.setter
    def positional(self, value: list[str]) -> None:
        self.frame.positional = value

    @property
    def aliases(self) -> dict[str, str]:
        return self.frame.aliases

    @property
    def options(self) -> set[str]:
        return self.frame.options

    @property
    def functions(self) -> dict[str, p.Command]:
        return self.frame.functions

    @property
    def umask(self) -> int:
        return self.frame.umask

    @umask.setter
    def umask(self, value: int) -> None:
        self.frame.umask = value

    @property
    def user(self) -> User:
        return self.frame.user

    @property
    def cwd(self) -> str:
        return self.frame.cwd

    @cwd.setter
    def cwd(self, value: str) -> None:
        self.frame.oldpwd = self.frame.cwd
        self.frame.cwd = value
        self.frame.env["OLDPWD"] = self.frame.oldpwd
        self.frame.env["PWD"] = value

    @property
    def env(self) -> dict[str, str]:
        return self.frame.env

    @property
    def pid(self) -> int:
        if self._pid is None:
            self._pid = self.machine.allocate_pid()
        return self._pid

    def push_login(self, account: User) -> None:
        self.frames.append(self._frame_for(account))

    def pop_login(self) -> bool:
        """Leave a `su` login; False when this is the outermost one."""
        if len(self.frames) > 1:
            self.frames.pop()
            return True
        return False

    def prompt(self) -> str:
        """Debian's ``\\u@\\h:\\w\\$ ``."""
        home = self.env.get("HOME", "")
        cwd = self.cwd
        if home and home != "/" and (cwd == home or cwd.startswith(home + "/")):
            cwd = "~" + cwd[len(home) :]
        host = self.machine.hostname.split(".", 1)[0]
        return f"{self.user.name}@{host}:{cwd}{'#' if self.user.uid == 0 else '$'} "

    def lookup(self, name: str) -> str | None:
        if name == "?":
            return str(self.last_status)
        if name == "$":
            return str(self.pid)
        if name == "#":
            return str(len(self.positional))
        if name == "0":
            return "-bash" if self.interactive else "bash"
        if name in ("@", "*"):
            return " ".join(self.positional)
        if name.isdigit():
            index = int(name)
            return self.positional[index - 1] if index <= len(self.positional) else None
        if name in ("-", "!"):
            return ""
        if name in self.frame.variables:
            return self.frame.variables[name]
        return self.env.get(name)

    def assign(self, name: str, value: str) -> None:
        if name in self.env:
            self.env[name] = value
        else:
            self.frame.variables[name] = value

    # -- entry points ------------------------------------------------------------

    def needs_more(self, text: str) -> bool:
        """True when bash would print its ``> `` prompt and wait for another line."""
        try:
            p.parse(text + "\n", aliases=self.aliases)
        except p.Incomplete:
            return True
        except p.ShellSyntaxError:
            return False
        return False

    def run_line(
        self,
        text: str,
        stdin: InputStream | None = None,
        stdout: OutputStream | None = None,
        stderr: OutputStream | None = None,
    ) -> int:
        """Run one line (or several, for scripts). Returns the last status."""
        stdout = stdout or OutputStream(isatty=True)
        stderr = stderr or OutputStream(isatty=True)
        stdin = stdin or self.terminal_input()
        self.line_number += 1
        try:
            try:
                program = p.parse(text + "\n", aliases=self.aliases)
            except p.Incomplete as exc:
                if exc.reason != "heredoc":
                    self._report_incomplete(exc, text, stderr)
                    self.last_status = 2
                    return 2
                stderr.write(
                    f"bash: warning: here-document at line {self.line_number} "
                    f"delimited by end-of-file (wanted `{exc.detail}')\n"
                )
                # bash warns first, then still reports a syntax error after the
                # unterminated here-document (`<<EOF <`).
                try:
                    program = p.parse(text + "\n", lenient_heredoc=True, aliases=self.aliases)
                except p.Incomplete as again:  # `(<<1`: the heredoc ends, the paren doesn't
                    self._report_incomplete(again, text, stderr)
                    self.last_status = 2
                    return 2
        except p.ShellSyntaxError as exc:
            self._report_syntax(str(exc), text, stderr)
            self.last_status = 1 if "bad substitution" in str(exc) else 2
            return self.last_status
        try:
            return self.run_program(program, stdin, stdout, stderr)
        except LineAborted as exc:
            stderr.write(f"bash: {exc}\n")
            if not self.interactive:
                raise ExitShell(exc.exit_status) from None
            self.last_status = 1
            return 1
        except CommandCancelled:
            # Ctrl+C in a loop: the whole line stops, as bash's SIGINT does.
            self.last_status = 130
            return 130

    def run_program(
        self, program: list[p.AndOr], stdin: InputStream, stdout: OutputStream, stderr: OutputStream
    ) -> int:
        for item in program:
            self.run_and_or(item, stdin, stdout, stderr)
        return self.last_status

    def run_list(
        self,
        items: list[p.AndOr],
        stdin: InputStream,
        stdout: OutputStream,
        stderr: OutputStream,
        condition: bool = False,
    ) -> int:
        """The body of a compound command; its status is the last command's."""
        status = 0
        self._errexit_ignored += condition
        try:
            for item in items:
                status = self.run_and_or(item, stdin, stdout, stderr)
        finally:
            self._errexit_ignored -= condition
        self.last_status = status
        return status

    def _set_status(self, status: int) -> int:
        self.last_status = status
        return status

    def terminal_input(self) -> InputStream:
        def pull() -> bytes | None:
            line = self.terminal.read_line()
            return None if line is None else (line + "\n").encode()

        return InputStream(pull=pull)

    def _report_syntax(self, message: str, text: str, stderr: OutputStream) -> None:
        # A terminal session's wording (the learner's shell is interactive bash,
        # under `mailsim exec` too): no "-c: line N:" prefix, no echo of the line.
        stderr.write(f"bash: {message}\n")

    def _report_incomplete(self, exc: p.Incomplete, text: str, stderr: OutputStream) -> None:
        """Input ended inside a construct (no more lines will come)."""
        if exc.reason == "quote":
            stderr.write(f"bash: unexpected EOF while looking for matching `{exc.detail}'\n")
        stderr.write("bash: syntax error: unexpected end of file\n")

    # -- execution ---------------------------------------------------------------

    def run_and_or(
        self, item: p.AndOr, stdin: InputStream, stdout: OutputStream, stderr: OutputStream
    ) -> int:
        pipelines = [item.first] + [pipeline for _, pipeline in item.rest]
        ops = [""] + [op for op, _ in item.rest]
        status = 0
        ran_last = False
        for index, (op, pipeline) in enumerate(zip(ops, pipelines, strict=True)):
            if op and not ((op == "&&" and status == 0) or (op == "||" and status != 0)):
                continue
            final = index == len(pipelines) - 1
            ignored = not final or pipeline.negate
            self._errexit_ignored += ignored
            try:
                status = self.run_pipeline(pipeline, stdin, stdout, stderr)
            finally:
                self._errexit_ignored -= ignored
            ran_last = final
        if status and ran_last and "errexit" in self.options and not self._errexit_ignored:
            last = pipelines[-1]
            # A compound command's own failing command already decided.
            if not last.negate and isinstance(last.commands[-1], (p.SimpleCommand, p.Subshell)):
                raise ExitShell(status)
        return status

    def run_pipeline(
        self, pipeline: p.Pipeline, stdin: InputStream, stdout: OutputStream, stderr: OutputStream
    ) -> int:
        current_in = stdin
        status = 0
        several = len(pipeline.commands) > 1
        statuses: list[int] = []
        for index, command in enumerate(pipeline.commands):
            last = index == len(pipeline.commands) - 1
            out = stdout if last else OutputStream(isatty=False)
            if several:
                # Each part of a pipeline runs in a subshell: `echo x | read v`
                # and `... | cd /tmp` leave the shell as it was.
                status = self._in_subshell(
                    functools.partial(self.run_command, command, current_in, out, stderr)
                )
            else:
                status = self.run_command(command, current_in, out, stderr)
            statuses.append(status)
            if not last:
                current_in = InputStream(out.getvalue())
        if several and "pipefail" in self.options:
            status = next((s for s in reversed(statuses) if s), 0)
        if pipeline.negate:
            status = 0 if status else 1
        self.last_status = status
        return status

    def expander(self) -> Expander:
        def home_of(name: str) -> str | None:
            account = self.machine.user(name)
            return account.home if account else None

        expander = Expander(self.lookup, self.assign, self.capture, self.machine, self.cwd, home_of)
        expander.positional = self.positional
        expander.nounset = "nounset" in self.options
        return expander

    def capture(self, source: str) -> str:
        """Command substitution: run ``source`` in a subshell and return its stdout
        (its `exit`, `cd` and assignments stay inside, as in bash)."""
        out = OutputStream(isatty=False)
        err = OutputStream(isatty=True)

        def body() -> int:
            try:
                program = p.parse(source + "\n", aliases=self.aliases)
            except (p.Incomplete, p.ShellSyntaxError):
                return 2
            try:
                for item in program:
                    self.run_and_or(item, InputStream(b""), out, err)
            except LineAborted as exc:
                err.write(f"bash: {exc}\n")
                return 1
            return self.last_status

        self.substitution_status = self._in_subshell(body)
        self._capture_errors = getattr(self, "_capture_errors", b"") + err.getvalue()
        return out.getvalue().decode("utf-8", errors="replace")

    def _in_subshell(self, run: Callable[[], int]) -> int:
        """Run with a copy of the shell's state that is thrown away afterwards."""
        saved = [frame.copy() for frame in self.frames]
        saved_loops = self.loop_depth
        try:
            return run()
        except ExitShell as exc:
            return exc.status
        except (LoopControl, ReturnSignal):
            return 0
        finally:
            self.frames = saved
            self.loop_depth = saved_loops

    def run_command(
        self, command: p.Command, stdin: InputStream, stdout: OutputStream, stderr: OutputStream
    ) -> int:
        if isinstance(command, p.Subshell):

            def subshell() -> int:
                streams = self.redirect_streams(command.redirects, stdin, stdout, stderr)
                if streams is None:
                    return 1
                status = 0
                for item in command.body:
                    status = self.run_and_or(item, *streams[:3])
                streams[3]()
                return status

            return self._in_subshell(subshell)
        if not isinstance(command, p.SimpleCommand):
            status = run_compound(self, command, stdin, stdout, stderr)
            self.last_status = status
            return status
        expander = self.expander()
        self._capture_errors = b""
        self.substitution_status = None
        try:
            argv: list[str] = []
            for word in command.words:
                argv.extend(expander.fields(word))
            assignments = [
                (name, " ".join(expander.fields(value, glob=False)) if value.segments else "")
                for name, value in command.assignments
            ]
        except ExpansionError as exc:
            stderr.write(f"bash: {exc}\n")
            return 1
        if self._capture_errors:
            stderr.write(self._capture_errors)
            self._capture_errors = b""
        if "xtrace" in self.options:
            traced = [f"{name}={value}" for name, value in assignments] + argv
            stderr.write("+ " + " ".join(_trace_quote(word) for word in traced) + "\n")
        if not argv:
            for name, value in assignments:
                self.assign(name, value)
            streams = self.redirect_streams(command.redirects, stdin, stdout, stderr, expander)
            if streams is None:
                return 1
            streams[3]()
            # bash: the status of the last command substitution, or 0 (`x=$(false)` is 1).
            return self.substitution_status or 0
        streams = self.redirect_streams(command.redirects, stdin, stdout, stderr, expander)
        if streams is None:
            return 1
        cmd_in, cmd_out, cmd_err, close = streams
        env = dict(self.env)
        env.update(assignments)
        try:
            status = self.dispatch(argv, cmd_in, cmd_out, cmd_err, env)
        finally:
            close()
        self.last_status = status
        return status

    def dispatch(
        self,
        argv: list[str],
        stdin: InputStream,
        stdout: OutputStream,
        stderr: OutputStream,
        env: dict[str, str] | None = None,
    ) -> int:
        """Find and run one command with bash's lookup rules and failure statuses."""
        name = argv[0]
        if name in self.functions:
            return self._call_function(argv, stdin, stdout, stderr)
        found: str | None
        if "/" in name:
            resolved = paths.normalize(name, self.cwd)
            # The typed path first: /usr/bin/mailq is a link to sendmail, and sendmail
            # acts on the name it was called by, as the program's argv[0] tells it.
            found = self.registry.name_for_path(resolved)
            if found is None and self.machine.lexists(resolved):
                found = self.registry.name_for_path(self.machine.resolve(resolved))
            if found is None:
                if self.machine.is_dir(resolved):
                    stderr.write(f"bash: {name}: Is a directory\n")
                    return 126
                if self.machine.exists(resolved):
                    stderr.write(f"bash: {name}: Permission denied\n")
                    return 126
                stderr.write(f"bash: {name}: No such file or directory\n")
                return 127
        else:
            found = self.registry.find(name, (env or self.env).get("PATH", ""))
        if found is None or found in self.disabled:
            stderr.write(f"bash: {name}: command not found\n")
            return 127
        ctx = Context(
            argv,
            stdin,
            stdout,
            stderr,
            self.machine,
            env or dict(self.env),
            self.cwd,
            self.user,
            self.terminal,
            self,
        )
        try:
            status = self.registry.func(found)(ctx)
        except (ExitShell, LoopControl, ReturnSignal):
            raise
        except CommandCancelled:
            status = 130
        except Exception:  # a command must never show a traceback
            log.exception("command %s failed", argv)
            stderr.write(f"{ctx.name}: internal error\n")
            status = INTERNAL_ERROR
        status = int(status or 0) & 0xFF
        if status == SEGFAULT:
            # The program "crashed": interactive bash reports the signal (the
            # learner's shell is a terminal session under `mailsim exec` too).
            stderr.write("Segmentation fault\n")
        if not (self.loop_depth and found in _UNLOGGED_IN_LOOPS):
            self.machine.events.append(
                "command", argv=argv, status=status, user=self.user.name, cwd=self.cwd
            )
        for hook in self.after_command:
            hook(argv, status)
        return status

    def _call_function(
        self, argv: list[str], stdin: InputStream, stdout: OutputStream, stderr: OutputStream
    ) -> int:
        """A shell function: its arguments are $1... while it runs; `return` ends it."""
        if self.function_depth >= FUNCNEST:
            stderr.write(f"bash: {argv[0]}: maximum function nesting level exceeded ({FUNCNEST})\n")
            return 1
        saved = self.positional
        self.positional = argv[1:]
        self.function_depth += 1
        try:
            return self.run_command(self.functions[argv[0]], stdin, stdout, stderr)
        except ReturnSignal as signal:
            return signal.status
        finally:
            self.function_depth -= 1
            self.positional = saved

    def redirect_streams(
        self,
        redirects: list[p.Redirect],
        stdin: InputStream,
        stdout: OutputStream,
        stderr: OutputStream,
        expander: Expander | None = None,
    ) -> tuple[InputStream, OutputStream, OutputStream, Callable[[], None]] | None:
        """Streams for a command with these redirections (None after an error)."""
        return apply_redirects(self, redirects, stdin, stdout, stderr, expander)
