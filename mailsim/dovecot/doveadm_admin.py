"""``doveadm who|kick|reload|stop|log …|help|config``: talking to the running server.

Each needs a running Dovecot (its anvil, log or master process) and answers with
the real error when there is none. Logged-in sessions are read from the
machine's ``dovecot-sessions`` state (``{"sessions": [{"user", "service", "pid",
"ip"}, …]}`` in connection order), which the mail-access layer fills; with none,
``who`` prints its bare header and ``kick`` kicks no one, as the real ones do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mailsim.dovecot.doveadm import EX_NOTFOUND, EX_TEMPFAIL, EX_USAGE, DoveadmExit, usage
from mailsim.machine import services

if TYPE_CHECKING:
    from mailsim.dovecot.doveadm import Invocation
    from mailsim.machine.machine import Machine

WHO_HEADER = "username # proto (pids) (ips)                         \n"
"""The table formatter's header when no one is connected (its widths are its minimums)."""
LOG_TYPES = ("Debug", "Info", "Warning", "Error", "Fatal")
SESSIONS_STATE = "dovecot-sessions"


def sessions(machine: Machine) -> list[dict[str, Any]]:
    """Logged-in IMAP/POP3 sessions: ``{"user", "service", "pid", "ip"}`` records."""
    return list(machine.load_state(SESSIONS_STATE).get("sessions", []))


def _running(inv: Invocation) -> bool:
    return services.get_state(inv.ctx.machine, "dovecot").running


def _socket(inv: Invocation, opts: list[tuple[str, str]], name: str) -> str:
    for opt, value in opts:
        if opt in ("-a", "--socket-path"):
            return value
    return inv.setting("base_dir").rstrip("/") + "/" + name


def _matches(session: dict[str, Any], masks: list[str]) -> bool:
    """who/kick filters: a user mask (wildcards, case-insensitive) and/or ip[/bits]."""
    import fnmatch
    import ipaddress

    for mask in masks:
        try:
            net = ipaddress.ip_network(mask, strict=False)
        except ValueError:
            if not fnmatch.fnmatch(str(session.get("user", "")).lower(), mask.lower()):
                return False
            continue
        try:
            if ipaddress.ip_address(str(session.get("ip", ""))) not in net:
                return False
        except ValueError:
            return False
    return True


Header = tuple[str, bool, bool]
"""A table column: (title, right-justified, expands into spare width)."""


def _widths(headers: list[Header], rows: list[list[str]], columns: int) -> list[int]:
    """doveadm's "table" formatter: widths from the titles and the buffered rows,
    shrunk to fit, the spare width split onto the expanding (else the last) column."""
    lengths = [len(t) for t, _r, _e in headers]
    minimum = list(lengths)
    for row in rows:
        for i, value in enumerate(row):
            minimum[i] = min(minimum[i], len(value))
            lengths[i] = max(lengths[i], len(value))
    total = sum(lengths) + len(lengths) - 1
    while total > columns:
        before = total
        for i in range(len(lengths) - 1, -1, -1):
            diff = lengths[i] - minimum[i]
            if total - diff <= columns:
                lengths[i] -= total - columns
                total = columns
                break
            if diff > 0:
                lengths[i] -= 1 if diff == 1 else diff // 2
        if total == before:
            break
    if total < columns:
        grow = next((i for i, h in enumerate(headers) if h[2]), len(headers) - 1)
        lengths[grow] += (columns - total) // 2
    return lengths


def _line(headers: list[Header], lengths: list[int], values: list[str]) -> str:
    cells = [
        v.rjust(n) if headers[i][1] else v.ljust(n)
        for i, (v, n) in enumerate(zip(values, lengths, strict=True))
    ]
    return " ".join(cells) + "\n"


def _table(headers: list[Header], rows: list[list[str]], lengths: list[int]) -> str:
    titles = [t for t, _r, _e in headers]
    return _line(headers, lengths, titles) + "".join(_line(headers, lengths, r) for r in rows)


def _columns(inv: Invocation) -> int:
    if not inv.ctx.stdout_is_tty:
        return 80
    return max(inv.ctx.terminal.width, 30)


def who(inv: Invocation) -> int:
    opts, masks = inv.getopt("a:1", ["socket-path=", "separate-connections"])
    if not _running(inv):
        raise inv.fatal(
            f"net_connect_unix({_socket(inv, opts, 'anvil')}) failed: No such file or directory"
        )
    found = [s for s in sessions(inv.ctx.machine) if _matches(s, masks)]
    columns = _columns(inv)
    if any(o in ("-1", "--separate-connections") for o, _v in opts):
        rows = [[str(s["user"]), str(s["service"]), str(s["pid"]), str(s["ip"])] for s in found]
        headers: list[Header] = [
            ("username", False, True),
            ("proto", False, False),
            ("pid", False, False),
            ("ip", False, False),
        ]
        inv.ctx.out(_table(headers, rows, _widths(headers, rows, columns)))
        return 0
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for session in found:
        groups.setdefault((str(session["user"]), str(session["service"])), []).append(session)
    # The real one iterates its (user, service) hash table, and flushes each row as it
    # prints it: the first row alone sets the column widths.
    order = sorted(groups, key=lambda k: ((_str_hash(k[1]) + _str_hash(k[0])) & 0xFFFFFFFF) % 67)
    headers = [
        ("username", False, False),
        ("#", True, False),
        ("proto", False, False),
        ("(pids)", False, False),
        ("(ips)", False, False),
    ]
    rows = []
    for user, service in order:
        items = groups[(user, service)]
        ips = " ".join(dict.fromkeys(str(s["ip"]) for s in items))
        pids = " ".join(str(s["pid"]) for s in items)
        rows.append([user, str(len(items)), service, f"({pids})", f"({ips})"])
    inv.ctx.out(_table(headers, rows, _widths(headers, rows[:1], columns)))
    return 0


def kick(inv: Invocation) -> int:
    ctx = inv.ctx
    opts, masks = inv.getopt("a:f", ["socket-path=", "force"])
    if not masks:
        inv.error("user and/or ip[/bits] must be specified.")
        raise DoveadmExit(EX_USAGE)
    if not _running(inv):
        raise inv.fatal(
            f"net_connect_unix({_socket(inv, opts, 'anvil')}) failed: No such file or directory"
        )
    everyone = sessions(ctx.machine)
    kicked = [s for s in everyone if _matches(s, masks)]
    if not kicked:
        ctx.out("no users kicked\n")
        return EX_NOTFOUND
    ctx.machine.save_state(SESSIONS_STATE, {"sessions": [s for s in everyone if s not in kicked]})
    names = "".join(f"{name} " for name in sorted({str(s["user"]) for s in kicked}))
    intro = "kicked connections from the following users:\n"
    # the user list goes through doveadm's flushed output stream, the rest through
    # stdio: line-buffered on a terminal, written at exit otherwise
    ctx.out(intro + names + "\n" if ctx.stdout_is_tty else names + intro + "\n")
    return 0


def _master(inv: Invocation, action: str) -> int:
    from mailsim.dovecot.service import CONTROLLER

    _opts, extra = inv.getopt("", [])
    if extra:
        raise inv.extraneous(extra)
    status = getattr(CONTROLLER, action)(inv.ctx, False)
    return 0 if status == 0 else EX_TEMPFAIL


def reload(inv: Invocation) -> int:
    return _master(inv, "reload")


def stop(inv: Invocation) -> int:
    return _master(inv, "stop")


def _str_hash(text: str) -> int:
    """Dovecot's str_hash(): the order its log-file table iterates in."""
    h = 0
    for byte in text.encode("utf-8", "surrogateescape"):
        h = ((h << 4) + byte) & 0xFFFFFFFF
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
            h ^= g
    return h


def _log_test(inv: Invocation) -> None:
    """Write one test line per level through syslog, as ``doveadm log test`` does."""
    machine = inv.ctx.machine
    if not services.get_state(machine, "rsyslog").running:
        return
    stamp = int(machine.clock.now())
    for level in LOG_TYPES:
        prefix = "" if level == "Info" else f"{level}: "
        message = f"doveadm: {prefix}This is Dovecot's {level.lower()} log ({stamp})"
        for log in ("/var/log/syslog", "/var/log/mail.log"):
            machine.syslog("dovecot", None, message, log=log)


def _walk(machine: Machine, directory: str, out: dict[str, int]) -> None:
    try:
        names = machine.listdir(directory)
    except OSError:
        return
    for name in names:
        if name.startswith("."):
            continue
        path = f"{directory.rstrip('/')}/{name}"
        try:
            st = machine.stat(path)
        except OSError:
            continue
        if st.is_dir:
            _walk(machine, path, out)
        else:
            out.setdefault(path, st.size)


def log_find(inv: Invocation) -> int:
    ctx, machine = inv.ctx, inv.ctx.machine
    _opts, words = inv.getopt("", [])
    if len(words) > 1:
        raise inv.extraneous(words[1:])
    masks: dict[str, set[str]] = {}
    log_path = inv.setting("log_path")
    info_path, debug_path = inv.setting("info_log_path"), inv.setting("debug_log_path")
    base = "" if log_path == "syslog" else log_path
    if base:
        for level in ("Warning", "Error", "Fatal"):
            masks.setdefault(base, set()).add(level)
    for level, path in (("Info", info_path), ("Debug", debug_path)):
        if path != "syslog":
            base = path or base
            if base:
                masks.setdefault(base, set()).add(level)
    if "syslog" in (log_path, info_path, debug_path) or not log_path:
        log_dir = words[0] if words else "/var/log"
        if words or machine.is_dir(log_dir):
            ctx.out(f"Looking for log files from {log_dir}\n")
            sizes: dict[str, int] = {}
            _walk(machine, log_dir, sizes)
            _log_test(inv)
            for path, size in sizes.items():
                try:
                    grown = machine.read_bytes(path)[size:]
                except OSError:
                    continue
                for line in grown.decode("utf-8", "replace").splitlines():
                    marker = line.find("This is Dovecot's ")
                    if marker >= 0:
                        word = line[marker + 18 :].split(" ", 1)[0]
                        for level in LOG_TYPES:
                            if level.lower() == word.lower():
                                masks.setdefault(path, set()).add(level)
    ordered = sorted(masks, key=lambda p: _str_hash(p) % 67)
    for level in LOG_TYPES:
        found = [p for p in ordered if level in masks[p]]
        if not found:
            ctx.out(f"{level}: Not found\n")
        for path in found:
            ctx.out(f"{level}: {path}\n")
    return 0


GROUPS = (
    "auth",
    "dict",
    "director",
    "flags",
    "fs",
    "instance",
    "log",
    "mailbox",
    "oldstats",
    "process",
    "proxy",
    "rebuild",
    "replicator",
    "service",
    "sieve",
    "sis",
    "stats",
)


def log_test(inv: Invocation) -> int:
    _opts, extra = inv.getopt("", [])
    if extra:
        raise inv.extraneous(extra)
    _log_test(inv)
    return 0


def log_reopen(inv: Invocation) -> int:
    return _master_signal(inv)


def _master_signal(inv: Invocation) -> int:
    _opts, extra = inv.getopt("", [])
    if extra:
        raise inv.extraneous(extra)
    if not _running(inv):
        pid_file = inv.setting("base_dir").rstrip("/") + "/master.pid"
        raise inv.fatal(f"Dovecot is not running (read from {pid_file})")
    return 0


def log_errors(inv: Invocation) -> int:
    opts, extra = inv.getopt("s:", ["since="])
    if extra:
        raise inv.extraneous(extra)
    if not _running(inv):
        raise inv.fatal(
            f"net_connect_unix({_socket(inv, [], 'log-errors')}) failed: No such file or directory"
        )
    return 0


def help_cmd(inv: Invocation) -> int:
    from mailsim.dovecot.doveadm import command_usage, is_command

    _opts, words = inv.getopt("", [])
    if not words:
        return usage(inv.ctx)
    if len(words) > 1:
        raise inv.extraneous(words[1:])
    name = words[0]
    if name in GROUPS:
        synopsis = "<command> [<args>]"
    elif is_command(name):
        synopsis = command_usage(name)
    else:
        inv.ctx.err(f"No manual entry for doveadm-{name}\n")
        return 16
    # mailsim ships no manual pages: show the synopsis the manual opens with
    inv.ctx.out(f"doveadm {name} {synopsis}".rstrip() + "\n")
    return 0


def config(inv: Invocation) -> int:
    from mailsim.dovecot import doveconf

    ctx = inv.ctx
    saved = ctx.argv
    ctx.argv = ["doveconf", *inv.args]
    try:
        return doveconf.main(ctx)
    finally:
        ctx.argv = saved
