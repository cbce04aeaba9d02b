"""The Postfix daemon's life cycle: what ``postfix start|stop|reload|…`` and systemd do.

One module owns the running state (``/var/spool/postfix/pid/master.pid`` plus
the services record), the lines postfix-script prints and logs, and what the
master daemon logs. ``postfix`` (control.py) and ``systemctl``/``service`` (via
``CONTROLLER``) both come here, so a daemon started by one is running for the
other.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from mailsim.machine import services
from mailsim.machine.services import Listener
from mailsim.postfix import config as pfconfig
from mailsim.postfix.config import ConfigError, PostfixConfig
from mailsim.postfix.expand import MacroCrash

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine
    from mailsim.shell.context import Context

UNIT = "postfix"
VERSION = "3.7.11"
SCRIPT_TAG = "postfix/postfix-script"
DEFAULT_CONFIG_DIR = "/etc/postfix"

SERVICE_PORTS = {"smtp": 25, "submission": 587, "submissions": 465, "smtps": 465, "qmqp": 628}


class PostfixFatal(Exception):
    """A ``PROGRAM: fatal: …`` ending; ``str(exc)`` is the text after ``fatal: ``."""

    def __init__(self, message: str, program: str = "postfix", status: int = 1) -> None:
        super().__init__(message)
        self.program = program
        self.status = status


class Settings:
    """main.cf as the control tools see it: the shared configuration model plus the
    parse warnings and fatal error the ``postfix`` binary reports on reading it."""

    def __init__(
        self,
        config: PostfixConfig,
        path: str,
        warnings: list[str],
        fatal: str | None = None,
    ) -> None:
        self.config = config
        self.path = path
        """main.cf's path (``/etc/postfix/main.cf``)."""
        self.warnings = warnings
        """main.cf's parse warnings (overriding earlier entry…), as every reader prints them."""
        self.fatal = fatal
        """The syntax error that stops every Postfix program, if any."""

    def get(self, name: str) -> str:
        """The value in effect after ``$name`` expansion, as ``postconf -x`` shows it."""
        try:
            return self.config.expand(name)
        except (ConfigError, MacroCrash):
            # The reader that needs this value dies elsewhere; here keep the raw text.
            return self.config.get(name) or ""

    def origin(self, name: str) -> tuple[str, int] | None:
        """(file, line) of the main.cf line that sets ``name``, None for a default."""
        return self.config.value_origin(name)

    def host_value(self, machine: Machine, name: str) -> str:
        """Any parameter, host-derived defaults included (kept for callers that pass a machine)."""
        return self.get(name)

    def postconf_warnings(self) -> list[str]:
        """What one ``postconf`` read of this configuration warns, in postconf's order."""
        config = self.config
        out = list(self.warnings)
        try:
            out += config.scan_warnings()
            if config.scan_crashed():
                # postconf crashes here: what it warned so far is all it shows.
                return out
            out += [f"{self.path}: unused parameter: {n}={v}" for n, v in config.unused()]
            master = f"{config.config_dir}/master.cf"
            out += [f"{master}: unused parameter: {n}={v}" for _s, n, v in config.unused_master()]
        except (ConfigError, MacroCrash):
            pass
        return out


def load_settings(machine: Machine, config_dir: str = DEFAULT_CONFIG_DIR) -> Settings:
    """main.cf of ``config_dir``; a missing file is a fatal as in the real tools."""
    config_dir = config_dir.rstrip("/") or "/"
    path = f"{config_dir}/main.cf"
    try:
        main = pfconfig.read_main(machine, config_dir)
    except OSError as exc:
        raise PostfixFatal(f"open {path}: {os.strerror(exc.errno or 2)}") from None
    warnings = [w.replace("{path}", path) for w in main.warnings]
    fatal = None
    if main.error is not None:
        fatal = f"{path}, line {main.error.line}: {main.error.message}"
    try:
        master = pfconfig.read_master(machine, config_dir)
    except OSError:
        master = None
    # No pid of its own: only postconf's process_id needs one, and allocating
    # here would shift the pids the daemons get.
    config = PostfixConfig(machine, main, master, config_dir, pid=0)
    return Settings(config, path, warnings, fatal)


# -- running state -------------------------------------------------------------


def is_running(machine: Machine) -> bool:
    return services.get_state(machine, UNIT).running


def master_pid(machine: Machine, settings: Settings | None = None) -> int | None:
    queue = settings.get("queue_directory") if settings else "/var/spool/postfix"
    try:
        return int(machine.read_text(queue + "/pid/master.pid").split()[0])
    except (OSError, ValueError, IndexError):
        return services.get_state(machine, UNIT).pid


def log(machine: Machine, tag: str, message: str, pid: int | None = None) -> int:
    """One mail.log line from a (new, unless ``pid``) process; returns the pid used."""
    if pid is None:
        pid = machine.allocate_pid()
    machine.syslog(tag, pid, message)
    return pid


class Script:
    """postfix-script's voice: a terminal line (only when stderr is a tty) plus a log line."""

    def __init__(self, ctx: Context, via_systemd: bool, settings: Settings | None = None) -> None:
        self.ctx = ctx
        self.to_terminal = ctx.stderr_is_tty and not via_systemd
        self.reader_warnings = settings.warnings if settings and self.to_terminal else []
        """main.cf's warnings, repeated by the postlog that carries each line."""

    def say(self, message: str, level: str = "") -> None:
        text = f"{level}: {message}" if level else message
        for warning in self.reader_warnings:
            self.ctx.err(f"postfix/postlog: warning: {warning}\n")
        if self.to_terminal:
            self.ctx.err(f"{SCRIPT_TAG}: {text}\n")
        log(self.ctx.machine, SCRIPT_TAG, text)

    def warn(self, message: str) -> None:
        self.say(message, "warning")

    def fatal(self, message: str) -> int:
        self.say(message, "fatal")
        return 1


def start(ctx: Context, settings: Settings, script: Script) -> int:
    """``postfix-script start``: refuse when running, run the checks, start master."""
    from mailsim.postfix import check

    machine = ctx.machine
    if is_running(machine):
        return script.fatal("the Postfix mail system is already running")
    if not check.check_fatal(ctx, settings, script, starting=True):
        return script.fatal("Postfix integrity check failed!")
    check.check_warn(ctx, settings, script)
    script.say("starting the Postfix mail system")
    pid = machine.allocate_pid()
    queue = settings.get("queue_directory")
    try:
        if not machine.is_dir(queue + "/pid"):
            machine.mkdir(queue + "/pid", parents=True)
        machine.write_text(queue + "/pid/master.pid", f"{pid:>32}\n", record=False)
        machine.set_meta(queue + "/pid/master.pid", mode=0o600)
    except OSError:
        return script.fatal("mail system startup failed")
    state = services.mark_started(machine, UNIT, pid)
    state.extra = {
        "pickup": machine.allocate_pid(),
        "qmgr": machine.allocate_pid(),
        # master opens its listeners once: a reload keeps these addresses.
        "inet_interfaces": settings.get("inet_interfaces"),
        "inet_protocols": settings.get("inet_protocols"),
    }
    services.put_state(machine, UNIT, state)
    log(
        machine,
        "postfix/master",
        f"daemon started -- version {VERSION}, configuration {settings.get('config_directory')}",
        pid,
    )
    return 0


def stop(ctx: Context, settings: Settings, script: Script, abort: bool = False) -> int:
    machine = ctx.machine
    if not is_running(machine):
        return script.fatal("the Postfix mail system is not running")
    script.say("aborting the Postfix mail system" if abort else "stopping the Postfix mail system")
    pid = master_pid(machine, settings)
    services.mark_stopped(machine, UNIT)
    # The real master leaves master.pid behind; its lock, not the file, says "running".
    log(machine, "postfix/master", "terminating on signal 15", pid)
    return 0


def reload(ctx: Context, settings: Settings, script: Script) -> int:
    machine = ctx.machine
    if not is_running(machine):
        return script.fatal("the Postfix mail system is not running")
    script.say("refreshing the Postfix mail system")
    services.mark_reloaded(machine, UNIT)
    pid = master_pid(machine, settings)
    log(
        machine,
        "postfix/master",
        f"reload -- version {VERSION}, configuration {settings.get('config_directory')}",
        pid,
    )
    for message in _listener_changes(machine, settings):
        log(machine, "postfix/master", f"warning: {message}", pid)
    return 0


def _listener_changes(machine: Machine, settings: Settings) -> list[str]:
    """What master warns on a reload that would move its listeners (it keeps the old ones)."""
    extra = services.get_state(machine, UNIT).extra or {}
    messages = []
    old = extra.get("inet_protocols")
    new = settings.get("inet_protocols")
    if old is not None and old != new:
        messages += [
            "ignoring inet_protocols parameter value change",
            f'old value: "{old}", new value: "{new}"',
            "to change inet_protocols, stop and start Postfix",
        ]
    old = extra.get("inet_interfaces")
    if old is not None and old != settings.get("inet_interfaces"):
        config_dir = settings.get("config_directory")
        wildcard = [name for name in inet_services(machine, config_dir) if ":" not in name]
        messages += [f"service {name}: ignoring inet_interfaces change" for name in wildcard]
        messages.append("to change inet_interfaces, stop and start Postfix")
    return messages


def status(ctx: Context, settings: Settings, script: Script) -> int:
    machine = ctx.machine
    if not is_running(machine):
        script.say("the Postfix mail system is not running")
        return 1
    script.say(f"the Postfix mail system is running: PID: {master_pid(machine, settings)}")
    return 0


# -- listeners -------------------------------------------------------------------


def inet_services(machine: Machine, config_dir: str = DEFAULT_CONFIG_DIR) -> list[str]:
    """Service names of master.cf's uncommented ``inet`` lines (``smtp``, ``127.0.0.1:submission``)."""
    try:
        text = machine.read_text(config_dir + "/master.cf")
    except OSError:
        return []
    names = []
    for line in text.split("\n"):
        if not line.strip() or line.lstrip().startswith("#") or line[0] in " \t":
            continue
        fields = line.split()
        if len(fields) >= 2 and fields[1] == "inet":
            names.append(fields[0])
    return names


def _port(service: str) -> int | None:
    if service.isdigit():
        return int(service)
    return SERVICE_PORTS.get(service)


def listeners_for(
    machine: Machine, settings: Settings, pid: int, opened: dict[str, str] | None = None
) -> list[Listener]:
    """The sockets master listens on; ``opened`` holds the addresses it started with."""
    opened = opened or {}
    protocols_value = opened.get("inet_protocols", settings.get("inet_protocols"))
    interfaces_value = opened.get("inet_interfaces", settings.get("inet_interfaces"))
    protocols = protocols_value.replace(",", " ").split()
    want4 = "all" in protocols or "ipv4" in protocols
    want6 = "all" in protocols or "ipv6" in protocols
    interfaces = interfaces_value.replace(",", " ").split()
    if "all" in interfaces:
        hosts = (["0.0.0.0"] if want4 else []) + (["[::]"] if want6 else [])
    elif "loopback-only" in interfaces:
        hosts = (["127.0.0.1"] if want4 else []) + (["[::1]"] if want6 else [])
    else:
        hosts = []
        for item in interfaces:
            item = item.strip("[]")
            if item in ("localhost",):
                hosts += (["127.0.0.1"] if want4 else []) + (["[::1]"] if want6 else [])
            elif ":" in item:
                if want6:
                    hosts.append(f"[{item}]")
            elif want4:
                hosts.append(item)
    out = []
    for service in inet_services(machine, settings.get("config_directory")):
        host, _, name = service.rpartition(":")
        port = _port(name)
        if port is None:
            continue
        for address in [host.strip("[]")] if host else hosts:
            out.append(Listener(address, port, "master", pid))
    return out


class PostfixController:
    """What ``systemctl``/``service`` drive: Debian's postfix.service and postfix@-.service."""

    unit = "postfix.service"
    description = "Postfix Mail Transport Agent"
    docs = ["man:postfix(1)"]
    instance_unit = "postfix@-.service"
    instance_description = "Postfix Mail Transport Agent (instance -)"
    unit_file = "/lib/systemd/system/postfix.service"
    instance_unit_file = "/lib/systemd/system/postfix@.service"

    def _run(self, ctx: Context, via_systemd: bool, action: str) -> int:
        from mailsim.postfix.control import _validate

        try:
            settings = load_settings(ctx.machine)
            if settings.fatal:
                raise PostfixFatal(settings.fatal)
            # systemd runs the same postfix binary, which checks before postfix-script.
            _validate(ctx, settings)
        except PostfixFatal as exc:
            log(ctx.machine, f"postfix/{exc.program}", f"fatal: {exc}")
            if not via_systemd:
                ctx.err(f"{exc.program}: fatal: {exc}\n")
            return exc.status
        script = Script(ctx, via_systemd, settings)
        if action == "start":
            if via_systemd and is_running(ctx.machine):
                return 0
            return start(ctx, settings, script)
        if action == "stop":
            if via_systemd and not is_running(ctx.machine):
                return 0
            return stop(ctx, settings, script)
        return reload(ctx, settings, script)

    def start(self, ctx: Context, via_systemd: bool) -> int:
        return self._run(ctx, via_systemd, "start")

    def stop(self, ctx: Context, via_systemd: bool) -> int:
        return self._run(ctx, via_systemd, "stop")

    def reload(self, ctx: Context, via_systemd: bool) -> int:
        return self._run(ctx, via_systemd, "reload")

    def listeners(self, machine: Machine) -> list[Listener]:
        state = services.get_state(machine, UNIT)
        if not state.running:
            return []
        try:
            settings = load_settings(machine)
        except PostfixFatal:
            return []
        return listeners_for(machine, settings, state.pid or 0, state.extra)

    def processes(self, machine: Machine) -> list[tuple[int, str]]:
        state = services.get_state(machine, UNIT)
        if not state.running or state.pid is None:
            return []
        procs = [(state.pid, "/usr/lib/postfix/sbin/master -w")]
        extra = state.extra or {}
        if "pickup" in extra:
            procs.append((int(extra["pickup"]), "pickup -l -t unix -u -c"))
        if "qmgr" in extra:
            procs.append((int(extra["qmgr"]), "qmgr -l -t unix -u"))
        return procs


CONTROLLER = PostfixController()
