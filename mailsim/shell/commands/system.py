"""Host information and small process utilities: date, hostname, uname, which, env,
clear, sleep and ps, with GNU coreutils 9.1 / net-tools hostname 3.23 / procps-ng 4.0.2
wording as on Debian 12."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

from mailsim.shell.commands import files_dates
from mailsim.shell.commands.files_common import try_help
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import REGISTRY, command

KERNEL_RELEASE = "6.1.0-28-amd64"
KERNEL_VERSION = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)"
MACHINE = "x86_64"


def _try(ctx: Context, name: str) -> None:
    ctx.err(f"Try '{name} --help' for more information.\n")


# -- date ----------------------------------------------------------------------

# One table of units and one pattern of relative items for date -d and touch -d.
_UNITS = files_dates._UNITS
_RELATIVE = files_dates._REL


def parse_date(text: str, now: float) -> float | None:
    """GNU date -d for the forms a mail admin types; None when date would say 'invalid date'."""
    spec = text.strip().lower()
    if spec.startswith("@"):
        try:
            return float(spec[1:])
        except ValueError:
            return None
    base = datetime.fromtimestamp(now, tz=UTC)
    words = spec.replace("next-", "next ").split()
    if not words:
        return base.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    rest = " ".join(words)
    m = re.match(
        r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(?:utc|z)?\s*", rest
    )
    when = base
    if m:
        try:
            when = datetime(
                int(m[1]),
                int(m[2]),
                int(m[3]),
                int(m[4] or 0),
                int(m[5] or 0),
                int(m[6] or 0),
                tzinfo=UTC,
            )
        except ValueError:
            return None
        rest = rest[m.end() :]
    rest = rest.strip()
    while rest:
        word_match = re.match(r"(now|today|yesterday|tomorrow|next\s+(\w+))\s*", rest)
        if word_match:
            word = word_match.group(1)
            if word == "yesterday":
                when -= timedelta(days=1)
            elif word == "tomorrow":
                when += timedelta(days=1)
            elif word.startswith("next"):
                unit = word_match.group(2).rstrip("s")
                if unit not in _UNITS:
                    return None
                when += timedelta(seconds=_UNITS[unit])
            rest = rest[word_match.end() :]
            continue
        time_match = re.match(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*", rest)
        if time_match:
            when = when.replace(
                hour=int(time_match[1]),
                minute=int(time_match[2]),
                second=int(time_match[3] or 0),
                microsecond=0,
            )
            if when.hour > 23:
                return None
            rest = rest[time_match.end() :]
            continue
        rel = _RELATIVE.match(rest)
        if rel and rel.group(0).strip():
            count = int(rel.group(1) or 1) * (-1 if rel.group(3) else 1)
            unit = rel.group(2)
            if unit in ("month", "year"):
                months = count * (12 if unit == "year" else 1)
                total = when.year * 12 + when.month - 1 + months
                # GNU lets a day past the month's end run into the next (Jan 31 + 1 month
                # is Mar 3 in a common year), as mktime normalises it.
                first = when.replace(year=total // 12, month=total % 12 + 1, day=1)
                when = first + timedelta(days=when.day - 1)
            else:
                when += timedelta(seconds=count * _UNITS[unit])
            rest = rest[rel.end() :].strip()
            continue
        return None
    return when.timestamp()


def strftime(fmt: str, when: float) -> str:
    """GNU date's format: glibc strftime plus %N, %s, %:z, %::z handled here (UTC machine)."""
    stamp = datetime.fromtimestamp(when, tz=UTC)
    tm = stamp.timetuple()
    out: list[str] = []
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch != "%" or i + 1 >= len(fmt):
            out.append(ch)
            i += 1
            continue
        m = re.match(r"%([-_0^#]*)(\d*)(:{0,3})([a-zA-Z%+])", fmt[i:])
        if not m:
            out.append(ch)
            i += 1
            continue
        flags, width, colons, conv = m.groups()
        i += m.end()
        if conv == "N":
            digits = int(width) if width else 9
            out.append(f"{int(round((when % 1) * 1e9)):09d}"[:digits])
        elif conv == "s":
            out.append(str(int(when // 1)))
        elif conv == "z":
            out.append({"": "+0000", ":": "+00:00", "::": "+00:00:00", ":::": "+00"}[colons])
        elif conv == "Z":
            out.append("UTC")
        elif conv == "+":
            out.append(time.strftime("%a %b %e %H:%M:%S UTC %Y", tm))
        else:
            out.append(time.strftime(f"%{flags}{width}{conv}", tm))
    return "".join(out)


DEFAULT_FORMAT = "%a %b %e %H:%M:%S %Z %Y"
ISO_FORMATS = {
    "date": "%Y-%m-%d",
    "hours": "%Y-%m-%dT%H%:z",
    "minutes": "%Y-%m-%dT%H:%M%:z",
    "seconds": "%Y-%m-%dT%H:%M:%S%:z",
    "ns": "%Y-%m-%dT%H:%M:%S,%N%:z",
}
RFC3339 = {"date": "%Y-%m-%d", "seconds": "%Y-%m-%d %H:%M:%S%:z", "ns": "%Y-%m-%d %H:%M:%S.%N%:z"}


@command(
    "date", synopsis="date [OPTION]... [+FORMAT]", summary="print or set the system date and time"
)
def date(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "d:f:I::r:Rs:uZ",
            [
                "date=",
                "file=",
                "iso-8601=?",
                "reference=",
                "rfc-email",
                "rfc-822",
                "rfc-2822",
                "rfc-3339=",
                "set=",
                "utc",
                "universal",
                "debug",
                "help",
                "version",
            ],
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    now = ctx.machine.clock.now()
    when = now
    fmt = DEFAULT_FORMAT
    setting: str | None = None
    for opt, value in opts:
        if opt in ("-d", "--date"):
            parsed = parse_date(value, now)
            if parsed is None:
                ctx.err(f"date: invalid date ‘{value}’\n")
                return 1
            when = parsed
        elif opt in ("-R", "--rfc-email", "--rfc-822", "--rfc-2822"):
            fmt = "%a, %d %b %Y %H:%M:%S %z"
        elif opt in ("-I", "--iso-8601"):
            key = value or "date"
            if key not in ISO_FORMATS:
                ctx.err(f"date: invalid argument ‘{value}’ for ‘--iso-8601’\n")
                return 1
            fmt = ISO_FORMATS[key]
        elif opt == "--rfc-3339":
            if value not in RFC3339:
                ctx.err(f"date: invalid argument ‘{value}’ for ‘--rfc-3339’\n")
                return 1
            fmt = RFC3339[value]
        elif opt in ("-s", "--set"):
            setting = value
        elif opt in ("-r", "--reference"):
            try:
                when = ctx.machine.stat(ctx.abspath(value)).mtime
            except OSError as exc:
                ctx.err(f"date: {value}: {exc.strerror}\n")
                return 1
        elif opt == "--version":
            ctx.out("date (GNU coreutils) 9.1\n")
            return 0
        elif opt == "--help":
            ctx.out(
                "Usage: date [OPTION]... [+FORMAT]\n"
                "  or:  date [-u|--utc|--universal] [MMDDhhmm[[CC]YY][.ss]]\n"
                "Display date and time in the given FORMAT.\n"
            )
            return 0
    formats = [o for o in operands if o.startswith("+")]
    others = [o for o in operands if not o.startswith("+")]
    if len(operands) > 1:
        ctx.err(f"date: extra operand ‘{operands[1]}’\n")
        _try(ctx, "date")
        return 1
    if formats:
        fmt = formats[0][1:]
    if others:
        # MMDDhhmm[[CC]YY][.ss]: setting the clock, which the simulated host does not allow.
        ctx.err(f"date: invalid date ‘{others[0]}’\n") if not re.fullmatch(
            r"\d{8}(\d{2}|\d{4})?(\.\d{2})?", others[0]
        ) else ctx.err("date: cannot set date: Operation not permitted\n")
        return 1
    if setting is not None:
        parsed = parse_date(setting, now)
        if parsed is None:
            ctx.err(f"date: invalid date ‘{setting}’\n")
            return 1
        # The simulated clock belongs to the machine: the new time is shown, never kept.
        if not ctx.is_root:
            ctx.err("date: cannot set date: Operation not permitted\n")
            ctx.out(strftime(fmt, parsed) + "\n")
            return 1
        when = parsed
    ctx.out(strftime(fmt, when) + "\n")
    return 0


# -- hostname -----------------------------------------------------------------

HOSTNAME_USAGE = """\
Usage: hostname [-b] {hostname|-F file}         set host name (from file)
       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name
       hostname                                 display host name

       {yp,nis,}domainname {nisdomain|-F file}  set NIS domain name (from file)
       {yp,nis,}domainname                      display NIS domain name

       dnsdomainname                            display dns domain name

       hostname -V|--version|-h|--help          print info and exit

Program name:
       {yp,nis,}domainname=hostname -y
       dnsdomainname=hostname -d

Program options:
    -a, --alias            alias names
    -A, --all-fqdns        all long host names (FQDNs)
    -b, --boot             set default hostname if none available
    -d, --domain           DNS domain name
    -f, --fqdn, --long     long host name (FQDN)
    -F, --file             read host name or NIS domain name from given file
    -i, --ip-address       addresses for the host name
    -I, --all-ip-addresses all addresses for the host
    -s, --short            short host name
    -y, --yp, --nis        NIS/YP domain name

Description:
   This command can get or set the host name or the NIS domain name. You can
   also get the DNS domain or the FQDN (fully qualified domain name).
   Unless you are using bind or NIS for host lookups you can change the
   FQDN (Fully Qualified Domain Name) and the DNS domain name (which is
   part of the FQDN) in the /etc/hosts file.
"""


def hosts_entry(ctx: Context, name: str) -> tuple[str, str, list[str]] | None:
    """(address, canonical name, aliases) of the first /etc/hosts line naming ``name``."""
    try:
        text = ctx.machine.read_text("/etc/hosts")
    except OSError:
        return None
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and name in words[1:]:
            return words[0], words[1], words[2:]
    return None


def fqdn(ctx: Context) -> str:
    """The canonical name of the running host name, as getaddrinfo finds it in /etc/hosts."""
    name = ctx.machine.hostname
    entry = hosts_entry(ctx, name)
    return entry[1] if entry else name


@command(
    "hostname",
    synopsis="hostname [-b] {hostname|-F file}",
    summary="show or set the system's host name",
)
def hostname(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "aAdfFbhiIsVy",
            [
                "alias",
                "all-fqdns",
                "domain",
                "fqdn",
                "long",
                "file",
                "boot",
                "help",
                "ip-address",
                "all-ip-addresses",
                "short",
                "version",
                "yp",
                "nis",
            ],
        )
    except GetoptError as exc:
        ctx.err(f"hostname: {exc}\n")
        ctx.out(HOSTNAME_USAGE)
        return 255
    flags = {o for o, _ in opts}
    if flags & {"-h", "--help"}:
        ctx.out(HOSTNAME_USAGE)
        return 0
    if flags & {"-V", "--version"}:
        ctx.out("hostname 3.23\n")
        return 0
    if len(operands) > 1:
        ctx.err(HOSTNAME_USAGE)
        return 255
    if operands:
        if not ctx.is_root:
            ctx.err("hostname: you must be root to change the host name\n")
            return 1
        name = operands[0]
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.-]{0,63}", name) or ".." in name:
            ctx.err("hostname: the specified hostname is invalid\n")
            return 1
        ctx.machine.set_hostname(name)
        return 0
    name = ctx.machine.hostname
    if flags & {"-f", "--fqdn", "--long", "-A", "--all-fqdns"}:
        ctx.out(fqdn(ctx) + (" \n" if flags & {"-A", "--all-fqdns"} else "\n"))
    elif flags & {"-d", "--domain"}:
        full = fqdn(ctx)
        ctx.out((full.split(".", 1)[1] if "." in full else "") + "\n")
    elif flags & {"-s", "--short"}:
        ctx.out(name.split(".", 1)[0] + "\n")
    elif flags & {"-a", "--alias"}:
        entry = hosts_entry(ctx, name)
        ctx.out(" ".join(entry[2]) + "\n" if entry and entry[2] else "\n")
    elif flags & {"-i", "--ip-address"}:
        entry = hosts_entry(ctx, name)
        if entry is None:
            ctx.err("hostname: Name or service not known\n")
            return 1
        ctx.out(entry[0] + "\n")
    elif flags & {"-I", "--all-ip-addresses"}:
        addrs = [
            a.ip
            for iface in ctx.machine.interfaces()
            if iface.name != "lo"
            for a in iface.addresses
        ]
        ctx.out("".join(a + " " for a in addrs) + "\n")
    elif flags & {"-y", "--yp", "--nis"}:
        ctx.err("hostname: Local domain name not set\n")
        return 1
    else:
        ctx.out(name + "\n")
    return 0


# -- uname ---------------------------------------------------------------------


@command("uname", synopsis="uname [OPTION]...", summary="print system information")
def uname(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "asnrvmpio",
            [
                "all",
                "kernel-name",
                "nodename",
                "kernel-release",
                "kernel-version",
                "machine",
                "processor",
                "hardware-platform",
                "operating-system",
                "help",
                "version",
            ],
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    if operands:
        ctx.err(f"uname: extra operand ‘{operands[0]}’\n")
        _try(ctx, "uname")
        return 1
    long_to_short = {
        "--all": "-a",
        "--kernel-name": "-s",
        "--nodename": "-n",
        "--kernel-release": "-r",
        "--kernel-version": "-v",
        "--machine": "-m",
        "--processor": "-p",
        "--hardware-platform": "-i",
        "--operating-system": "-o",
    }
    flags = {long_to_short.get(o, o) for o, _ in opts}
    if "--version" in flags:
        ctx.out("uname (GNU coreutils) 9.1\n")
        return 0
    if "--help" in flags:
        ctx.out(
            "Usage: uname [OPTION]...\nPrint certain system information.  With no OPTION, "
            "same as -s.\n"
        )
        return 0
    fields = [
        ("-s", "Linux"),
        ("-n", ctx.machine.hostname),
        ("-r", KERNEL_RELEASE),
        ("-v", KERNEL_VERSION),
        ("-m", MACHINE),
        ("-p", "unknown"),
        ("-i", "unknown"),
        ("-o", "GNU/Linux"),
    ]
    if not flags:
        flags = {"-s"}
    out = []
    for flag, value in fields:
        if flag in flags or ("-a" in flags and flag not in ("-p", "-i")):
            out.append(value)
    ctx.out(" ".join(out) + "\n")
    return 0


# -- which, env, clear, sleep -------------------------------------------------

EXTRA_LINKS = {"ip": ("/usr/sbin/ip", "/sbin/ip")}
"""Debian's iproute2 also ships /sbin/ip → /bin/ip, so `which -a ip` finds four."""


def _command_paths(name: str) -> list[str]:
    path = REGISTRY.path_of(name)
    if not path:
        return []
    found = [path]
    if path.startswith("/usr/"):
        found.append(path[4:])  # merged /usr: /bin is /usr/bin
    found.extend(EXTRA_LINKS.get(name, ()))
    return found


@command("which", synopsis="which [-a] filename ...", summary="locate a command")
def which(ctx: Context) -> int:
    args = list(ctx.args)
    show_all = False
    while args and args[0].startswith("-") and args[0] != "-":
        if args[0] == "--":
            args.pop(0)
            break
        for flag in args[0][1:]:
            if flag != "a":
                ctx.err(f"Illegal option -{flag}\n")
                ctx.out("Usage: /usr/bin/which [-a] args\n")
                return 2
        show_all = True
        args.pop(0)
    if not args:
        return 1
    status = 0
    for name in args:
        candidates = [name] if "/" in name else []
        if not candidates:
            known = _command_paths(name) if not REGISTRY.is_builtin(name) else []
            for directory in ctx.env.get("PATH", "").split(":"):
                directory = directory.rstrip("/") or "/"
                candidates.extend(p for p in known if p.rsplit("/", 1)[0] == directory)
        else:
            target = ctx.abspath(name)
            found_name = REGISTRY.name_for_path(target)
            candidates = [name] if found_name else []
        if not candidates:
            status = 1
            continue
        for path in candidates if show_all else candidates[:1]:
            ctx.out(path + "\n")
    return status


@command(
    "env",
    synopsis="env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]",
    summary="run a program in a modified environment",
)
def env(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "+iu:0C:",
            ["ignore-environment", "unset=", "null", "chdir=", "help", "version"],
        )
    except GetoptError as exc:
        ctx.err(f"env: {exc}\n")
        _try(ctx, "env")
        return 125
    environ = dict(ctx.env)
    end = "\n"
    for opt, value in opts:
        if opt in ("-i", "--ignore-environment"):
            environ = {}
        elif opt in ("-u", "--unset"):
            environ.pop(value, None)
        elif opt in ("-0", "--null"):
            end = "\0"
        elif opt == "--version":
            ctx.out("env (GNU coreutils) 9.1\n")
            return 0
    if operands and operands[0] == "-":
        environ = {}
        operands = operands[1:]
    while operands and "=" in operands[0] and not operands[0].startswith("="):
        name, _, value = operands.pop(0).partition("=")
        environ[name] = value
    if not operands:
        for name, value in environ.items():
            ctx.out(f"{name}={value}{end}")
        return 0
    # execvp searches /bin:/usr/bin when PATH is unset; the command gets the environment as is.
    name = operands[0]
    found = None
    if ctx.shell is not None:
        found = (
            name
            if "/" in name
            else ctx.shell.registry.find(name, environ.get("PATH", "/bin:/usr/bin"))
        )
    if ctx.shell is None or found is None:
        ctx.err(f"env: ‘{name}’: No such file or directory\n")
        return 127
    if "/" not in name:
        operands = [ctx.shell.registry.path_of(found) or name] + operands[1:]
    return ctx.shell.dispatch(operands, ctx.stdin, ctx.stdout, ctx.stderr, environ)


CLEAR_SEQUENCE = "\x1b[H\x1b[2J\x1b[3J"
"""What ncurses' clear writes for TERM=xterm-256color (home, erase screen, erase scrollback)."""


@command("clear", synopsis="clear [-Tterminal-type] [-V] [-x]", summary="clear the terminal screen")
def clear(ctx: Context) -> int:
    keep_scrollback = "-x" in ctx.args
    ctx.terminal.clear()
    ctx.out("\x1b[H\x1b[2J" if keep_scrollback else CLEAR_SEQUENCE)
    return 0


@command(
    "sleep", synopsis="sleep NUMBER[SUFFIX]...", summary="delay for a specified amount of time"
)
def sleep(ctx: Context) -> int:
    if not ctx.args:
        ctx.err("sleep: missing operand\n")
        _try(ctx, "sleep")
        return 1
    total = 0.0
    factors = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
    for arg in ctx.args:
        m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)", arg)
        if not m:
            ctx.err(f"sleep: invalid time interval ‘{arg}’\n")
            _try(ctx, "sleep")
            return 1
        total += float(m.group(1)) * factors[m.group(2)]
    deadline = time.monotonic() + total
    while True:
        ctx.terminal.check_cancelled()
        left = deadline - time.monotonic()
        if left <= 0:
            break
        # Wake often enough that Ctrl+C answers at once.
        ctx.terminal.cancel_event.wait(min(left, 0.1))
    return 0


from mailsim.shell.commands.processes import ps  # noqa: E402,F401  (the table names system:ps)
