"""systemctl and service: Debian 12's systemd 252 front ends over the machine's
service controllers (``mailsim.machine.services.controller``).

No systemd runs where mailsim is built, so the layouts here (``systemctl status``,
the job failure text, enable/disable chatter) are copied from Debian 12 transcripts
of systemd 252, not compared live. systemd's own journal lines are written to
/var/log/syslog, as rsyslog stores them on Debian; ``status`` shows them merged with
the unit's lines from /var/log/mail.log.
"""

from __future__ import annotations

from datetime import UTC, datetime

from mailsim.machine import services
from mailsim.shell.commands.processes import SERVICE_CMDLINES, boot_time
from mailsim.shell.context import Context
from mailsim.shell.registry import command

UNIT_FILES = {
    "postfix": "/lib/systemd/system/postfix.service",
    "dovecot": "/lib/systemd/system/dovecot.service",
    "rsyslog": "/lib/systemd/system/rsyslog.service",
    "ssh": "/lib/systemd/system/ssh.service",
    "cron": "/lib/systemd/system/cron.service",
}
LOG_TAGS = {
    "postfix": ("postfix/", "postfix["),
    "dovecot": ("dovecot",),
    "rsyslog": ("rsyslogd",),
    "ssh": ("sshd",),
    "cron": ("cron",),
}
ONESHOT = {"postfix"}
"""Debian's postfix.service only runs /bin/true; the daemon is postfix@-.service."""
VERBS = (
    "start",
    "stop",
    "restart",
    "reload",
    "try-restart",
    "reload-or-restart",
    "status",
    "is-active",
    "is-enabled",
    "is-failed",
    "enable",
    "disable",
    "list-units",
    "daemon-reload",
    "show",
)


def unit_name(word: str) -> str:
    name = word.removesuffix(".service")
    return services.ALIASES.get(name, name)


def _stamp(when: float) -> str:
    return datetime.fromtimestamp(when, tz=UTC).strftime("%a %Y-%m-%d %H:%M:%S UTC")


def _ago(seconds: float) -> str:
    """systemd's format_timespan for "…ago", to the two largest units."""
    seconds = max(0, int(seconds))
    units = [
        ("month", 2629800),
        ("week", 604800),
        ("day", 86400),
        ("h", 3600),
        ("min", 60),
        ("s", 1),
    ]
    parts: list[str] = []
    for label, size in units:
        if seconds >= size:
            count, seconds = divmod(seconds, size)
            parts.append(
                f"{count}{' ' + label + ('s' if count > 1 else '') if len(label) > 3 else label}"
            )
        if len(parts) == 2:
            break
    return " ".join(parts) if parts else "0s"


def _systemd_log(ctx: Context, unit: str, message: str) -> None:
    """systemd's line, to /var/log/syslog, and to our journal with the mail log's size at
    that moment, so ``status`` can put it back in order among the daemon's own lines."""
    machine = ctx.machine
    machine.syslog("systemd", 1, message, log="/var/log/syslog")
    stamp = machine.clock.datetime()
    line = f"{stamp:%b} {stamp.day:2d} {stamp:%H:%M:%S} {machine.hostname} systemd[1]: {message}"
    try:
        at = machine.stat("/var/log/mail.log").size
    except OSError:
        at = 0
    state = machine.load_state("systemd")
    journal = state.setdefault("journal", {}).setdefault(unit, [])
    journal.append([at, line])
    del journal[:-20]
    machine.save_state("systemd", state)


def _failed(ctx: Context) -> dict[str, float]:
    return ctx.machine.load_state("systemd").get("failed", {})


def _set_failed(ctx: Context, name: str, failed: bool) -> None:
    state = ctx.machine.load_state("systemd")
    marks = state.setdefault("failed", {})
    if failed:
        marks[name] = ctx.machine.clock.now()
    else:
        marks.pop(name, None)
    ctx.machine.save_state("systemd", state)


def _active(ctx: Context, name: str) -> str:
    if name in _failed(ctx):
        return "failed"
    return "active" if services.get_state(ctx.machine, name).running else "inactive"


def _job_failed(ctx: Context, name: str, unit: str, desc: str, what: str, status: int) -> int:
    _systemd_log(ctx, name, f"{unit}: Control process exited, code=exited, status={status}/FAILURE")
    _systemd_log(ctx, name, f"{unit}: Failed with result 'exit-code'.")
    _systemd_log(ctx, name, f"Failed to {what} {unit} - {desc}.")
    if what != "reload":
        _set_failed(ctx, name, True)
    ctx.err(
        f"Job for {unit} failed because the control process exited with error code.\n"
        f'See "systemctl status {unit}" and "journalctl -xeu {unit}" for details.\n'
    )
    return 1


def _job(ctx: Context, verb: str, name: str) -> int:
    ctl = services.controller(name)
    unit = f"{name}.service"
    if ctl is None:
        ctx.err(f"Failed to {verb} {unit}: Unit {unit} not found.\n")
        return 5
    if not ctx.is_root:
        ctx.err(
            f"Failed to {verb} {unit}: Interactive authentication required.\n"
            f"See system logs and 'systemctl status {unit}' for details.\n"
        )
        return 1
    desc = ctl.description
    running = services.get_state(ctx.machine, name).running
    if verb == "try-restart" and not running:
        return 0
    if verb == "reload-or-restart":
        verb = "reload" if running else "restart"
    if verb in ("stop", "restart", "try-restart") and running:
        _systemd_log(ctx, name, f"Stopping {unit} - {desc}...")
        status = ctl.stop(ctx, True)
        if status:
            return _job_failed(ctx, name, unit, desc, "stop", status)
        _systemd_log(ctx, name, f"{unit}: Deactivated successfully.")
        _systemd_log(ctx, name, f"Stopped {unit} - {desc}.")
    if verb == "stop":
        _set_failed(ctx, name, False)
        return 0
    if verb in ("start", "restart", "try-restart"):
        if services.get_state(ctx.machine, name).running and name not in _failed(ctx):
            return 0
        _systemd_log(ctx, name, f"Starting {unit} - {desc}...")
        status = ctl.start(ctx, True)
        if status:
            return _job_failed(ctx, name, unit, desc, "start", status)
        _set_failed(ctx, name, False)
        _systemd_log(ctx, name, f"{'Finished' if name in ONESHOT else 'Started'} {unit} - {desc}.")
        return 0
    if not running:
        ctx.err(f"Failed to reload {unit}: Job type reload is not applicable for unit {unit}.\n")
        return 1
    _systemd_log(ctx, name, f"Reloading {unit} - {desc}...")
    status = ctl.reload(ctx, True)
    if status:
        return _job_failed(ctx, name, unit, desc, "reload", status)
    _systemd_log(ctx, name, f"Reloaded {unit} - {desc}.")
    return 0


def _log_lines(ctx: Context, name: str, count: int = 10) -> list[str]:
    """The unit's recent journal: systemd's lines and the daemon's from its log, in order."""
    journal = ctx.machine.load_state("systemd").get("journal", {}).get(name, [])
    tags = LOG_TAGS.get(name, (name,))
    path = "/var/log/mail.log" if name in ("postfix", "dovecot") else "/var/log/syslog"
    merged: list[tuple[int, int, str]] = [(int(at), 0, line) for at, line in journal]
    try:
        data = ctx.machine.read_bytes(path)
    except OSError:
        data = b""
    offset = 0
    for raw in data.splitlines(keepends=True):
        line = raw.decode("utf-8", errors="replace").rstrip("\n")
        # "Nov 25 08:29:01 mail TAG[PID]: message": the tag follows the host name.
        head = line[16:].split(" ", 1)
        if len(line) > 16 and len(head) == 2 and head[1].startswith(tags):
            merged.append((offset, 1, line))
        offset += len(raw)
    merged.sort(key=lambda item: (item[0], item[1]))
    return [line for _, _, line in merged[-count:]]


def _status(ctx: Context, name: str) -> int:
    ctl = services.controller(name)
    unit = f"{name}.service"
    if ctl is None:
        ctx.err(f"Unit {unit} could not be found.\n")
        return 4
    state = services.get_state(ctx.machine, name)
    active = _active(ctx, name)
    now = ctx.machine.clock.now()
    enabled = "enabled" if state.enabled else "disabled"
    dot = {"active": "●", "failed": "×"}.get(active, "○")
    out = [
        f"{dot} {unit} - {ctl.description}",
        f"     Loaded: loaded ({UNIT_FILES.get(name, f'/lib/systemd/system/{unit}')}; "
        f"{enabled}; preset: enabled)",
    ]
    if active == "active":
        since = state.started or boot_time(ctx.machine)
        sub = "exited" if name in ONESHOT else "running"
        out.append(f"     Active: active ({sub}) since {_stamp(since)}; {_ago(now - since)} ago")
    elif active == "failed":
        since = _failed(ctx)[name]
        out.append(
            f"     Active: failed (Result: exit-code) since {_stamp(since)}; "
            f"{_ago(now - since)} ago"
        )
    else:
        out.append("     Active: inactive (dead)")
    docs = list(getattr(ctl, "docs", []))
    for index, doc in enumerate(docs):
        out.append(("       Docs: " if index == 0 else "             ") + doc)
    procs = []
    if active == "active":
        try:
            procs = ctl.processes(ctx.machine)
        except Exception:  # status must still answer for a half-configured service
            procs = []
    if active == "active" and name in ONESHOT:
        pid = (state.pid or 2) - 1
        out.append(f"    Process: {pid} ExecStart=/bin/true (code=exited, status=0/SUCCESS)")
        out.append(f"   Main PID: {pid} (code=exited, status=0/SUCCESS)")
        out.append("        CPU: 1ms")
    elif active == "active" and procs:
        main = procs[0][0]
        out.append(f"   Main PID: {main} ({procs[0][1].split()[0].rsplit('/', 1)[-1]})")
        out.append(f"      Tasks: {len(procs)} (limit: 2307)")
        out.append(f"     Memory: {1.2 + 0.9 * len(procs):.1f}M")
        out.append(f"        CPU: {12 * len(procs)}ms")
        out.append(f"     CGroup: /system.slice/{unit}")
        for index, (pid, cmdline) in enumerate(procs):
            branch = "└─" if index == len(procs) - 1 else "├─"
            full = SERVICE_CMDLINES.get(cmdline.split()[0], (cmdline,))[0]
            out.append(f"             {branch}{pid} {full}")
    elif active == "failed":
        out.append(
            f"    Process: {(state.pid or 1000) + 1} ExecStart=/bin/true "
            "(code=exited, status=1/FAILURE)"
        )
        out.append("        CPU: 4ms")
    logs = _log_lines(ctx, name)
    width = ctx.terminal.width if ctx.stdout_is_tty else 0
    if width:
        # On a terminal systemctl ellipsizes journal lines (never the header) to its width.
        logs = [line if len(line) <= width else line[: width - 1] + "…" for line in logs]
    text = "\n".join(out) + "\n"
    if logs:
        text += "\n" + "\n".join(logs) + "\n"
    ctx.out(text)
    return 0 if active == "active" else 3


def _enable(ctx: Context, name: str, enable: bool) -> int:
    unit = f"{name}.service"
    if services.controller(name) is None:
        ctx.err(
            f"Failed to {'enable' if enable else 'disable'} unit: Unit file {unit} does not exist.\n"
        )
        return 1
    if not ctx.is_root:
        ctx.err(f"Failed to {'enable' if enable else 'disable'} unit: Access denied\n")
        return 1
    state = services.get_state(ctx.machine, name)
    verb = "enable" if enable else "disable"
    ctx.err(
        f"Synchronizing state of {unit} with SysV service script with "
        "/lib/systemd/systemd-sysv-install.\n"
        f"Executing: /lib/systemd/systemd-sysv-install {verb} {name}\n"
    )
    link = f"/etc/systemd/system/multi-user.target.wants/{unit}"
    if enable and not state.enabled:
        ctx.err(
            f"Created symlink {link} → {UNIT_FILES.get(name, '/lib/systemd/system/' + unit)}.\n"
        )
    elif not enable and state.enabled:
        ctx.err(f'Removed "{link}".\n')
    services.set_enabled(ctx.machine, name, enable)
    return 0


def _list_units(ctx: Context) -> int:
    rows = []
    for name in services.unit_names():
        ctl = services.controller(name)
        if ctl is None:
            continue
        active = _active(ctx, name)
        if active == "inactive":
            continue
        sub = "failed" if active == "failed" else ("exited" if name in ONESHOT else "running")
        rows.append((f"{name}.service", "loaded", active, sub, ctl.description))
    width = max([len(r[0]) for r in rows] + [4]) + 2
    ctx.out(f"  {'UNIT':<{width}}LOAD   ACTIVE SUB     DESCRIPTION\n")
    for unit, load, active, sub, desc in rows:
        dot = "●" if active == "failed" else " "
        ctx.out(f"{dot} {unit:<{width}}{load:<7}{active:<7}{sub:<8}{desc}\n")
    ctx.out(
        "\nLOAD   = Reflects whether the unit definition was properly loaded.\n"
        "ACTIVE = The high-level unit activation state, i.e. generalization of SUB.\n"
        "SUB    = The low-level unit activation state, values depend on unit type.\n"
        f"{len(rows)} loaded units listed.\n"
        "To show all installed unit files use 'systemctl list-unit-files'.\n"
    )
    return 0


@command(
    "systemctl",
    synopsis="systemctl [OPTIONS...] COMMAND ...",
    summary="Control the systemd system and service manager",
    subcommands=VERBS,
    completes="services",
)
def systemctl(ctx: Context) -> int:
    words = [a for a in ctx.args if not a.startswith("-")]
    options = [a for a in ctx.args if a.startswith("-")]
    if "--version" in options:
        ctx.out("systemd 252 (252.36-1~deb12u1)\n")
        return 0
    if not words:
        return _list_units(ctx)
    verb, units = words[0], [unit_name(w) for w in words[1:]]
    if verb not in VERBS:
        ctx.err(f"Unknown command verb {verb}.\n")
        return 1
    if verb in ("list-units",):
        return _list_units(ctx)
    if verb == "daemon-reload":
        return 0
    if not units:
        if verb == "status":
            return _list_units(ctx)
        ctx.err("Too few arguments.\n")
        return 1
    status = 0
    for index, name in enumerate(units):
        if verb == "status":
            if index:
                ctx.out("\n")
            result = _status(ctx, name)
            status = result if result > status else status
        elif verb in ("is-active", "is-failed"):
            active = _active(ctx, name) if services.controller(name) else "inactive"
            ctx.out(active + "\n")
            good = active == "active" if verb == "is-active" else active == "failed"
            status = status or (0 if good else (3 if verb == "is-active" else 1))
        elif verb == "is-enabled":
            if services.controller(name) is None:
                ctx.err(
                    f"Failed to get unit file state for {name}.service: No such file or directory\n"
                )
                status = 1
                continue
            enabled = services.get_state(ctx.machine, name).enabled
            ctx.out(("enabled" if enabled else "disabled") + "\n")
            status = status or (0 if enabled else 1)
        elif verb in ("enable", "disable"):
            status = _enable(ctx, name, verb == "enable") or status
        elif verb == "show":
            ctx.out(f"Id={name}.service\nActiveState={_active(ctx, name)}\n")
        else:
            status = _job(ctx, verb, name) or status
    return status


SERVICE_USAGE = (
    "Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]\n"
)


@command(
    "service",
    synopsis="service SCRIPT COMMAND [OPTIONS]",
    summary="run a System V init script",
    completes="services",
)
def service(ctx: Context) -> int:
    args = ctx.args
    if not args or args[0] in ("-h", "--help"):
        ctx.err(SERVICE_USAGE)
        return 1 if not args else 0
    if args[0] == "--status-all":
        for name in services.unit_names():
            running = services.get_state(ctx.machine, name).running
            ctx.out(f" [ {'+' if running else '-'} ]  {name}\n")
        return 0
    name = unit_name(args[0])
    if services.controller(name) is None:
        ctx.err(f"{args[0]}: unrecognized service\n")
        return 1
    if len(args) < 2:
        ctx.err(SERVICE_USAGE)
        return 1
    action = args[1]
    if action == "--full-restart":
        action = "restart"
    if action == "status":
        return _status(ctx, name)
    if action in ("start", "stop", "restart", "reload", "try-restart", "force-reload"):
        return _job(ctx, "reload-or-restart" if action == "force-reload" else action, name)
    ctx.err(f"Unknown command verb {action}.\n")
    return 1
