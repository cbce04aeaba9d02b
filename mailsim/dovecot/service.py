"""Dovecot as a service: start, stop, reload, and what a running Dovecot listens on.

State lives where the real master keeps it (``/run/dovecot/master.pid``) and in
the machine's service table. Start reads the configuration as the real master
does (``<file`` values read, every check run) and refuses a broken one with
doveconf's message; the listeners follow ``protocols``, ``listen`` and the
``service … { inet_listener … { port } }`` blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailsim.dovecot import config as dconfig
from mailsim.dovecot.settings import table
from mailsim.machine import services

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine
    from mailsim.shell.context import Context

PID_FILE = "/run/dovecot/master.pid"
FATAL = 89
EX_TEMPFAIL = 75


def startup_problems(
    machine: Machine, path: str = dconfig.DEFAULT_PATH
) -> tuple[list[str], str | None]:
    """(doveconf warnings, the fatal line) of starting with this configuration."""
    cfg = dconfig.load(machine, path, expand=True)
    warnings = [f"doveconf: Warning: {w}" for w in cfg.warnings]
    if cfg.error is not None:
        message = cfg.error.message if cfg.error.message.startswith("open(") else str(cfg.error)
        return warnings, f"doveconf: Fatal: {message}"
    problem = cfg.check_error()
    if problem is not None:
        return warnings, f"doveconf: Fatal: Error in configuration file {path}: {problem}"
    return warnings, None


def _address(addr: str) -> str:
    if addr == "*":
        return "0.0.0.0"
    if addr == "::":
        return "[::]"
    return f"[{addr}]" if ":" in addr else addr


class DovecotController:
    unit = "dovecot.service"
    description = "Dovecot IMAP/POP3 email server"
    docs = ["man:dovecot(1)", "https://doc.dovecot.org/"]

    def running_pid(self, machine: Machine) -> int | None:
        state = services.get_state(machine, "dovecot")
        if not state.running:
            return None
        return state.pid

    def start(self, ctx: Context, via_systemd: bool, path: str = dconfig.DEFAULT_PATH) -> int:
        machine = ctx.machine
        pid = self.running_pid(machine)
        if pid is not None:
            if via_systemd:
                return 0
            ctx.err(f"Fatal: Dovecot is already running with PID {pid} (read from {PID_FILE})\n")
            return FATAL
        warnings, fatal = startup_problems(machine, path)
        if not via_systemd:
            ctx.err("".join(w + "\n" for w in warnings))
        if fatal is not None:
            if via_systemd:
                for line in [*warnings, fatal]:
                    machine.syslog("dovecot", None, line.removeprefix("doveconf: "))
            else:
                ctx.err(fatal + "\n")
            return FATAL
        pid = machine.allocate_pid()
        try:
            if not machine.is_dir("/run/dovecot"):
                machine.mkdir("/run/dovecot", parents=True)
            machine.write_text(PID_FILE, f"{pid}\n")
        except OSError:
            pass
        services.mark_started(machine, "dovecot", pid)
        cfg = dconfig.load(machine, path)
        protocols = cfg.protocols
        what = f"for {', '.join(protocols)}" if protocols else "without any protocols"
        machine.syslog(
            "dovecot",
            None,
            f"master: Dovecot v{table().version} starting up {what} (core dumps disabled)",
        )
        return 0

    def stop(self, ctx: Context, via_systemd: bool) -> int:
        machine = ctx.machine
        if self.running_pid(machine) is None:
            if via_systemd:
                return 0
            ctx.err(f"Fatal: Dovecot is not running (read from {PID_FILE})\n")
            return EX_TEMPFAIL
        machine.syslog(
            "dovecot",
            None,
            "master: Warning: Killed with signal 15 "
            f"(by pid={machine.allocate_pid()} uid=0 code=kill)",
        )
        try:
            machine.remove(PID_FILE)
        except OSError:
            pass
        services.mark_stopped(machine, "dovecot")
        return 0

    def reload(self, ctx: Context, via_systemd: bool) -> int:
        machine = ctx.machine
        if self.running_pid(machine) is None:
            if via_systemd:
                return 1
            ctx.err(f"Fatal: Dovecot is not running (read from {PID_FILE})\n")
            return EX_TEMPFAIL
        machine.syslog(
            "dovecot", None, "master: Warning: SIGHUP received - reloading configuration"
        )
        _warnings, fatal = startup_problems(machine)
        if fatal is not None:
            # the master keeps running with its old configuration
            machine.syslog(
                "dovecot", None, "config: Error: " + fatal.removeprefix("doveconf: Fatal: ")
            )
            return 0
        services.mark_reloaded(machine, "dovecot")
        return 0

    def listeners(self, machine: Machine) -> list[services.Listener]:
        pid = self.running_pid(machine)
        if pid is None:
            return []
        out = []
        for lis in dconfig.load(machine).listeners():
            for addr in lis.addresses:
                out.append(services.Listener(_address(addr), lis.port, "dovecot", pid))
        return out

    def processes(self, machine: Machine) -> list[tuple[int, str]]:
        pid = self.running_pid(machine)
        if pid is None:
            return []
        return [
            (pid, "dovecot"),
            (pid + 1, "dovecot/anvil"),
            (pid + 2, "dovecot/log"),
            (pid + 3, "dovecot/config"),
        ]


CONTROLLER = DovecotController()
