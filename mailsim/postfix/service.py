"""The Postfix daemon's life cycle: what ``postfix start|stop|reload|…`` and systemd do.

One module owns the running state (``/var/spool/postfix/pid/master.pid`` plus
the services record), the lines postfix-script prints and logs, and what the
master daemon logs. ``postfix`` (control.py) and ``systemctl``/``service`` (via
``CONTROLLER``) both come here, so a daemon started by one is running for the
other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mailsim.machine import services
from mailsim.machine.services import Listener

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine
    from mailsim.shell.context import Context

UNIT = "postfix"
VERSION = "3.7.11"
SCRIPT_TAG = "postfix/postfix-script"
DEFAULT_CONFIG_DIR = "/etc/postfix"

# Defaults of the few parameters the control tools read (Debian 12's `postconf -d`).
DEFAULTS = {
    "config_directory": DEFAULT_CONFIG_DIR,
    "queue_directory": "/var/spool/postfix",
    "data_directory": "/var/lib/postfix",
    "daemon_directory": "/usr/lib/postfix/sbin",
    "command_directory": "/usr/sbin",
    "meta_directory": "/etc/postfix",
    "shlib_directory": "/usr/lib/postfix",
    "mail_owner": "postfix",
    "setgid_group": "postdrop",
    "inet_interfaces": "all",
    "inet_protocols": "all",
    "alias_database": "hash:/etc/aliases",
    "alias_maps": "hash:/etc/aliases, nis:mail.aliases",
    "default_database_type": "hash",
    "mail_version": VERSION,
    "maillog_file": "",
    "multi_instance_directories": "",
}

SERVICE_PORTS = {"smtp": 25, "submission": 587, "submissions": 465, "smtps": 465, "qmqp": 628}


class PostfixFatal(Exception):
    """A ``PROGRAM: fatal: …`` ending; ``str(exc)`` is the text after ``fatal: ``."""

    def __init__(self, message: str, program: str = "postfix", status: int = 1) -> None:
        super().__init__(message)
        self.program = program
        self.status = status


@dataclass
class Settings:
    """main.cf as the control tools need it: values, where they came from, parse warnings."""

    path: str
    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    fatal: str | None = None

    def raw(self, name: str) -> str:
        if name in self.values:
            return self.values[name]
        return DEFAULTS.get(name, "")

    def get(self, name: str) -> str:
        """The value with ``$name``/``${name}`` references expanded (enough for paths and lists)."""
        return _expand(self, self.raw(name), 0)

    def host_value(self, machine: Machine, name: str) -> str:
        """Any parameter, host-derived defaults included (``myhostname``), as the shared
        configuration model expands it; this model's value when that one cannot answer."""
        try:
            from mailsim.postfix import config

            return config.load(machine, self.get("config_directory")).expand(name)
        except Exception:  # noqa: BLE001 - a broken main.cf must not break the caller
            return self.get(name)


_REF = re.compile(r"\$(?:\{([A-Za-z0-9_]+)\}|\(([A-Za-z0-9_]+)\)|([A-Za-z0-9_]+))")


def _expand(settings: Settings, value: str, depth: int) -> str:
    if "$" not in value or depth > 20:
        return value

    def sub(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2) or match.group(3)
        return _expand(settings, settings.raw(name), depth + 1)

    return _REF.sub(sub, value)


def parse_main_cf(text: str, path: str) -> Settings:
    """Logical lines of main.cf with Postfix's rules (comments, continuations, ``name = value``)."""
    settings = Settings(path)
    for lineno, line in _logical_lines(text, path, settings.warnings):
        name, eq, value = line.partition("=")
        name = name.strip()
        if not eq:
            settings.fatal = f"{path}, line {lineno}: missing '=' after attribute name: \"{line}\""
            return settings
        if not name:
            settings.fatal = f'{path}, line {lineno}: missing attribute name: "{line}"'
            return settings
        value = value.strip()
        if name in settings.values:
            settings.warnings.append(
                f"{path}, line {lineno}: overriding earlier entry: {name}={settings.values[name]}"
            )
        settings.values[name] = value
        settings.lines[name] = lineno
    return settings


def _logical_lines(text: str, path: str, warnings: list[str]) -> list[tuple[int, str]]:
    """readllines(): join continuation lines, skip comments and blank lines."""
    out: list[tuple[int, str]] = []
    current: list[str] | None = None
    start = 0
    for lineno, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if raw[0] in " \t":
            if current is None:
                warnings.append(f'{path}: logical line must not start with whitespace: "{raw}"')
                current, start = [raw.strip()], lineno
                out.append((start, ""))
                continue
            current.append(stripped)
            out[-1] = (start, " ".join(current))
            continue
        current, start = [raw.rstrip()], lineno
        out.append((start, raw.rstrip()))
    return [(n, line) for n, line in out if line]


def load_settings(machine: Machine, config_dir: str = DEFAULT_CONFIG_DIR) -> Settings:
    """main.cf of ``config_dir``; a missing file is a fatal as in the real tools."""
    path = config_dir.rstrip("/") + "/main.cf"
    try:
        settings = machine.cached(path, lambda text: parse_main_cf(text, path))
    except OSError as exc:
        import os

        raise PostfixFatal(f"open {path}: {os.strerror(exc.errno or 2)}") from None
    if config_dir != DEFAULT_CONFIG_DIR and "config_directory" not in settings.values:
        settings = Settings(
            settings.path,
            dict(settings.values),
            dict(settings.lines),
            list(settings.warnings),
            settings.fatal,
        )
        settings.values["config_directory"] = config_dir
    return settings


# -- running state -------------------------------------------------------------


def is_running(machine: Machine) -> bool:
    return services.get_state(machine, UNIT).running


def master_pid(machine: Machine, settings: Settings | None = None) -> int | None:
    queue = settings.get("queue_directory") if settings else DEFAULTS["queue_directory"]
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

    def __init__(self, ctx: Context, via_systemd: bool) -> None:
        self.ctx = ctx
        self.to_terminal = ctx.stderr_is_tty and not via_systemd

    def say(self, message: str, level: str = "") -> None:
        text = f"{level}: {message}" if level else message
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
    state.extra = {"pickup": machine.allocate_pid(), "qmgr": machine.allocate_pid()}
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
    log(
        machine,
        "postfix/master",
        f"reload -- version {VERSION}, configuration {settings.get('config_directory')}",
        master_pid(machine, settings),
    )
    return 0


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


def listeners_for(machine: Machine, settings: Settings, pid: int) -> list[Listener]:
    protocols = settings.get("inet_protocols").replace(",", " ").split()
    want4 = "all" in protocols or "ipv4" in protocols
    want6 = "all" in protocols or "ipv6" in protocols
    interfaces = settings.get("inet_interfaces").replace(",", " ").split()
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
        script = Script(ctx, via_systemd)
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
        return listeners_for(machine, settings, state.pid or 0)

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
