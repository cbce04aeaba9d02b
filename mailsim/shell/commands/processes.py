"""ps: the simulated host's processes, in procps-ng 4.0.2's layouts (ps, ps aux, ps -ef).

Services contribute theirs through their controllers' ``processes(machine)``; the
login shells of the learner's ``su`` frames and ps itself complete the picture.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mailsim.shell.context import Context
from mailsim.shell.registry import command

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine

SYSTEM_PROCESSES = [
    # pid, user, stat, cmdline, comm: what a freshly booted Debian 12 mail host runs anyway.
    (1, "root", "Ss", "/sbin/init", "systemd"),
    (2, "root", "S", "[kthreadd]", "kthreadd"),
    (231, "root", "Ss", "/lib/systemd/systemd-journald", "systemd-journal"),
    (254, "root", "Ss", "/lib/systemd/systemd-udevd", "systemd-udevd"),
    (402, "root", "Ss", "/lib/systemd/systemd-logind", "systemd-logind"),
    (421, "root", "Ss+", "/sbin/agetty -o -p -- \\u --noclear - linux", "agetty"),
]
SERVICE_CMDLINES = {
    "rsyslogd": ("/usr/sbin/rsyslogd -n -iNONE", "Ssl"),
    "sshd": ("sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups", "Ss"),
    "cron": ("/usr/sbin/cron -f", "Ss"),
    "dovecot": ("/usr/sbin/dovecot -F", "Ss"),
}
UNPRIVILEGED = {
    "pickup": "postfix",
    "qmgr": "postfix",
    "smtpd": "postfix",
    "cleanup": "postfix",
    "trivial-rewrite": "postfix",
    "tlsmgr": "postfix",
    "local": "root",
    "dovecot/anvil": "dovenull",
    "dovecot/imap-login": "dovenull",
    "dovecot/pop3-login": "dovenull",
}


def boot_time(machine: Machine) -> float:
    """When the simulated host booted: an hour before the first look, then fixed."""
    state = machine.load_state("boot")
    if "booted" not in state:
        state["booted"] = machine.clock.now() - 3600
        machine.save_state("boot", state)
    return float(state["booted"])


def _processes(ctx: Context) -> list[tuple[int, int, str, str, str, str, str, float]]:
    """(pid, ppid, user, stat, tty, cmdline, comm, start) of everything running."""
    from mailsim.machine import services

    machine = ctx.machine
    booted = boot_time(machine)
    procs = [
        (
            pid,
            0 if pid <= 2 else (2 if cmd.startswith("[") else 1),
            user,
            stat,
            "?",
            cmd,
            comm,
            booted,
        )
        for pid, user, stat, cmd, comm in SYSTEM_PROCESSES
    ]
    for name in services.unit_names():
        ctl = services.controller(name)
        if ctl is None:
            continue
        try:
            running = ctl.processes(machine)
        except Exception:  # a half-configured service must not break ps
            running = []
        started = services.get_state(machine, name).started or booted
        leader = running[0][0] if running else 1
        for index, (pid, cmdline) in enumerate(running):
            base = cmdline.split()[0]
            full, stat = SERVICE_CMDLINES.get(base, (cmdline, "Ss" if index == 0 else "S"))
            comm = base.rsplit("/", 1)[-1] if not base.startswith("dovecot/") else base[8:]
            user = UNPRIVILEGED.get(base, "root")
            procs.append((pid, 1 if index == 0 else leader, user, stat, "?", full, comm, started))
    shell = ctx.shell
    if shell is not None:
        parent = 1
        for depth, frame in enumerate(shell.frames):
            pid = shell.pid + 2 * depth
            if depth:
                procs.append(
                    (pid - 1, parent, "root", "S", "pts/0", "su", "su", machine.clock.now())
                )
                parent = pid - 1
            procs.append(
                (
                    pid,
                    parent,
                    frame.user.name,
                    "Ss" if depth == 0 else "S",
                    "pts/0",
                    "-bash",
                    "bash",
                    booted + 60,
                )
            )
            parent = pid
        given = ctx.extra.get("ps_pid")
        me = given if isinstance(given, int) and given else machine.allocate_pid()
        procs.append(
            (
                int(me),
                parent,
                ctx.user.name,
                "R+",
                "pts/0",
                " ".join(ctx.argv),
                "ps",
                machine.clock.now(),
            )
        )
    return sorted(procs)


def _start(when: float, now: float) -> str:
    stamp = datetime.fromtimestamp(when, tz=UTC)
    if now - when < 86400:
        return stamp.strftime("%H:%M")
    return stamp.strftime("%b%d")


@command("ps", synopsis="ps [options]", summary="report a snapshot of the current processes")
def ps(ctx: Context) -> int:
    args = ctx.args
    words = "".join(a.lstrip("-") for a in args)
    bsd = bool(args) and not args[0].startswith("-")
    if any(ch not in "auxefwlHAj" for ch in words):
        ctx.err(
            "error: unsupported option (BSD syntax)\n"
            if bsd
            else "error: unsupported SysV option\n"
        )
        ctx.err(
            "\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n"
            "  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\n"
            "For more details see ps(1).\n"
        )
        return 1
    now = ctx.machine.clock.now()
    procs = _processes(ctx)
    lines: list[str] = []
    if bsd and ("a" in words or "x" in words):
        if "x" not in words:
            procs = [p for p in procs if p[4] != "?"]
        if "u" in words:
            lines.append("USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND")
            for pid, _pp, user, stat, tty, cmd, _c, start in procs:
                vsz, rss = (
                    (0, 0)
                    if cmd.startswith("[")
                    else (8 * (pid % 997) + 5000, 4 * (pid % 331) + 3000)
                )
                lines.append(
                    f"{user[:8]:<8} {pid:>5}  0.0  {0.1 if rss else 0.0:.1f} {vsz:>6} "
                    f"{rss:>5} {tty:<8} {stat:<4} {_start(start, now):>5}   0:00 {cmd}"
                )
        else:
            lines.append("  PID TTY      STAT   TIME COMMAND")
            for pid, _pp, _u, stat, tty, cmd, _c, _s in procs:
                lines.append(f"{pid:>5} {tty:<8} {stat:<6} 0:00 {cmd}")
    elif not bsd and ("e" in words or "A" in words):
        if "f" in words:
            lines.append("UID        PID  PPID  C STIME TTY          TIME CMD")
            for pid, ppid, user, _st, tty, cmd, _c, start in procs:
                lines.append(
                    f"{user[:8]:<8} {pid:>5} {ppid:>5}  0 {_start(start, now):>5} "
                    f"{tty:<8} 00:00:00 {cmd}"
                )
        else:
            lines.append("  PID TTY          TIME CMD")
            for pid, _pp, _u, _st, tty, _cmd, comm, _s in procs:
                lines.append(f"{pid:>5} {tty:<8} 00:00:00 {comm}")
    else:
        lines.append("  PID TTY          TIME CMD")
        for pid, _pp, user, _st, tty, _cmd, comm, _s in procs:
            if tty == "pts/0" and (user == ctx.user.name):
                lines.append(f"{pid:>5} {tty:<8} 00:00:00 {comm}")
    width = ctx.terminal.width if ctx.stdout_is_tty and "w" not in words else 0
    for line in lines:
        ctx.out((line[:width] if width else line) + "\n")
    return 0
