"""Services of the simulated host and the one path that controls them.

``systemctl`` and ``service`` look a unit up here and call its controller;
Postfix and Dovecot bring their own controllers (named in ``CONTROLLERS`` and
imported on first use, so a command that needs none loads none). The state
(running, pid, started, reloaded, enabled) lives in ``.mailsim/services.json``;
daemons that keep pid files (``master.pid``) write those too, as the real ones do.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine
    from mailsim.shell.context import Context

CONTROLLERS: dict[str, str] = {
    "postfix": "mailsim.postfix.service:CONTROLLER",
    "dovecot": "mailsim.dovecot.service:CONTROLLER",
    "rsyslog": "mailsim.machine.services:RSYSLOG",
    "ssh": "mailsim.machine.services:SSH",
    "cron": "mailsim.machine.services:CRON",
}
"""Unit name → controller object path. Later issues add theirs here."""

ALIASES = {"syslog": "rsyslog", "sshd": "ssh"}


@dataclass(frozen=True)
class Listener:
    """A listening socket, as `ss -tlnp` shows it."""

    address: str  # "0.0.0.0", "127.0.0.1", "[::]", "*"
    port: int
    process: str  # "master", "dovecot"
    pid: int
    proto: str = "tcp"


@dataclass
class ServiceState:
    running: bool = False
    pid: int | None = None
    started: float | None = None
    reloaded: float | None = None
    enabled: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


class Controller(Protocol):
    """What a service brings. ``ctx`` is the shell context of the calling command.

    ``via_systemd``: systemd starts the daemon without a terminal, so a daemon's
    terminal chatter (postfix-script's lines) goes to the log instead; a failure
    is reported by systemctl's own message.
    """

    unit: str
    description: str
    docs: list[str]

    def start(self, ctx: Context, via_systemd: bool) -> int: ...

    def stop(self, ctx: Context, via_systemd: bool) -> int: ...

    def reload(self, ctx: Context, via_systemd: bool) -> int: ...

    def listeners(self, machine: Machine) -> list[Listener]: ...

    def processes(self, machine: Machine) -> list[tuple[int, str]]: ...


def controller(name: str) -> Controller | None:
    name = ALIASES.get(name, name)
    spec = CONTROLLERS.get(name)
    if spec is None:
        return None
    module, _, attr = spec.partition(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError):
        return None


def unit_names() -> list[str]:
    return sorted(CONTROLLERS)


def get_state(machine: Machine, name: str) -> ServiceState:
    entry = machine.load_state("services").get(name)
    if entry is None:
        # Debian enables and starts what it installs; our image boots with them stopped
        # except the logger, ssh and cron, so learners see "postfix start" do something.
        return ServiceState(running=name in ALWAYS_UP, pid=BOOT_PIDS.get(name), enabled=True)
    state = ServiceState(**entry)
    if state.running and state.pid is None:
        state.pid = BOOT_PIDS.get(name)  # a boot-time daemon whose unit was only enabled
    return state


def put_state(machine: Machine, name: str, state: ServiceState) -> None:
    data = machine.load_state("services")
    data[name] = state.__dict__.copy()
    machine.save_state("services", data)


def mark_started(machine: Machine, name: str, pid: int) -> ServiceState:
    """Record a start; the pids the daemon's first children take are kept from others."""
    machine.reserve_pids(pid + len(CHILD_PROCESSES.get(name, ())))
    state = get_state(machine, name)
    now = machine.clock.now()
    state.running, state.pid, state.started, state.reloaded = True, pid, now, now
    put_state(machine, name, state)
    machine.events.append("service", service=name, action="start", pid=pid)
    return state


def mark_stopped(machine: Machine, name: str) -> None:
    state = get_state(machine, name)
    state.running, state.pid = False, None
    put_state(machine, name, state)
    machine.events.append("service", service=name, action="stop")


def mark_reloaded(machine: Machine, name: str) -> None:
    state = get_state(machine, name)
    state.reloaded = machine.clock.now()
    put_state(machine, name, state)
    machine.events.append("service", service=name, action="reload")


def set_enabled(machine: Machine, name: str, enabled: bool) -> None:
    state = get_state(machine, name)
    state.enabled = enabled
    put_state(machine, name, state)


ALWAYS_UP = {"rsyslog", "ssh", "cron"}
BOOT_PIDS = {"rsyslog": 389, "cron": 391, "ssh": 415}
"""Pids of the daemons the image boots with: below the first one the allocator hands out
(1024), so no later process can take them, and the same in ps, ss -p and systemctl status."""
CHILD_PROCESSES: dict[str, tuple[str, ...]] = {
    "dovecot": ("dovecot/anvil", "dovecot/log", "dovecot/config"),
}
"""Children a master forks as it starts, taking the pids right after its own."""


class SimpleService:
    """A daemon with nothing to configure here (the logger, ssh, cron): it just runs."""

    def __init__(
        self,
        unit: str,
        description: str,
        process: str,
        docs: list[str],
        ports: tuple[int, ...] = (),
    ) -> None:
        self.unit, self.description, self.process, self.docs = unit, description, process, docs
        self.ports = ports

    def _name(self) -> str:
        return self.unit.removesuffix(".service")

    def start(self, ctx: Context, via_systemd: bool) -> int:
        if (
            not get_state(ctx.machine, self._name()).running
            or get_state(ctx.machine, self._name()).pid is None
        ):
            mark_started(ctx.machine, self._name(), ctx.machine.allocate_pid())
        return 0

    def stop(self, ctx: Context, via_systemd: bool) -> int:
        mark_stopped(ctx.machine, self._name())
        return 0

    def reload(self, ctx: Context, via_systemd: bool) -> int:
        mark_reloaded(ctx.machine, self._name())
        return 0

    def listeners(self, machine: Machine) -> list[Listener]:
        state = get_state(machine, self._name())
        if not state.running or state.pid is None:
            return []
        pid = state.pid
        out = []
        for port in self.ports:
            out.append(Listener("0.0.0.0", port, self.process, pid))
            out.append(Listener("[::]", port, self.process, pid))
        return out

    def processes(self, machine: Machine) -> list[tuple[int, str]]:
        state = get_state(machine, self._name())
        if not state.running or state.pid is None:
            return []
        return [(state.pid, self.process)]


RSYSLOG = SimpleService(
    "rsyslog.service",
    "System Logging Service",
    "rsyslogd",
    ["man:rsyslogd(8)", "man:rsyslog.conf(5)", "https://www.rsyslog.com/doc/"],
)
SSH = SimpleService(
    "ssh.service",
    "OpenBSD Secure Shell server",
    "sshd",
    ["man:sshd(8)", "man:sshd_config(5)"],
    ports=(22,),
)
CRON = SimpleService(
    "cron.service", "Regular background program processing daemon", "cron", ["man:cron(8)"]
)
