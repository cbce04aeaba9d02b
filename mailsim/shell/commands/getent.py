"""getent from glibc 2.36: entries of the administrative databases, from /etc.

The simulated host's nsswitch.conf names ``files`` for every database getent
reads here, so each is the matching /etc file, parsed and printed back in the
layout glibc's getent prints. Exit statuses: 0, 1 for a bad use or an unknown
database, 2 when a key is not found (or the database cannot be read), 3 when
enumeration is not supported.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from mailsim.shell.commands.utils_common import text
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

TRY = "Try `getent --help' or `getent --usage' for more information.\n"
USAGE = """\
Usage: getent [-Ai?V] [-s CONFIG] [--no-addrconfig] [--no-idn]
            [--service=CONFIG] [--help] [--usage] [--version]
            database [key ...]
"""

Row = list[str]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Entry:
    """One entry: the name and number a key may give, and the line getent prints."""

    name: str
    number: int | None
    line: str


def _rows(ctx: Context, path: str, sep: str = ":") -> Iterator[Row]:
    """The entries of a colon (or blank) separated file; unreadable reads as empty."""
    try:
        data = ctx.machine.read_text(path)
    except (OSError, UnicodeDecodeError):
        return
    for line in data.splitlines():
        line = line.split("#", 1)[0] if sep != ":" else line
        if sep == ":":
            if not line or line.startswith(("#", "+", "-")):
                continue
            yield line.split(":")
        elif line.split():
            yield line.split()


def _number(field: str) -> int | None:
    try:
        return int(field)
    except ValueError:
        return None


def passwd(ctx: Context) -> Iterator[Entry]:
    for row in _rows(ctx, "/etc/passwd"):
        if len(row) < 7 or _number(row[2]) is None or _number(row[3]) is None:
            continue
        line = f"{row[0]}:{row[1]}:{int(row[2])}:{int(row[3])}:{row[4]}:{row[5]}:{row[6]}"
        yield Entry(row[0], int(row[2]), line)


def group(ctx: Context) -> Iterator[Entry]:
    for row in _rows(ctx, "/etc/group"):
        if len(row) < 4 or _number(row[2]) is None:
            continue
        members = ",".join(m for m in row[3].split(",") if m)
        yield Entry(row[0], int(row[2]), f"{row[0]}:{row[1]}:{int(row[2])}:{members}")


def shadow(ctx: Context) -> Iterator[Entry]:
    if not ctx.is_root:
        return  # /etc/shadow is root's: glibc's files module cannot open it
    for row in _rows(ctx, "/etc/shadow"):
        if len(row) < 9:
            continue
        fields = [row[0], row[1]]
        for value in row[2:8]:
            number = _number(value)
            fields.append("" if number is None else str(number))
        flag = _number(row[8])
        fields.append("" if flag is None else str(flag))
        yield Entry(row[0], None, ":".join(fields))


def gshadow(ctx: Context) -> Iterator[Entry]:
    if not ctx.is_root:
        return
    for row in _rows(ctx, "/etc/gshadow"):
        if len(row) < 4:
            continue
        yield Entry(row[0], None, ":".join(row[:4]))


def aliases(ctx: Context) -> Iterator[Entry]:
    try:
        data = ctx.machine.read_text("/etc/aliases")
    except (OSError, UnicodeDecodeError):
        return
    for line in data.splitlines():
        if not line.strip() or line.startswith("#") or ":" not in line:
            continue
        name, _, rest = line.partition(":")
        members = ", ".join(m.strip() for m in rest.split(",") if m.strip())
        yield Entry(name, None, f"{name}:{' ' * max(1, 15 - len(name))}{members}")


def _host_line(address: str, names: list[str]) -> str:
    return f"{address:<15} {' '.join(names)}"


def _hosts(ctx: Context) -> Iterator[tuple[IPAddress, Row]]:
    for row in _rows(ctx, "/etc/hosts", sep=" "):
        try:
            address = ipaddress.ip_address(row[0])
        except ValueError:
            continue
        if len(row) > 1:
            yield address, row[1:]


def _as_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """How an IPv4 lookup in /etc/hosts reads an address: ::1 is 127.0.0.1."""
    if isinstance(address, ipaddress.IPv4Address):
        return address
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address == ipaddress.IPv6Address("::1"):
        return ipaddress.IPv4Address("127.0.0.1")
    return None


def hosts_all(ctx: Context) -> list[str]:
    """gethostent, which reads for IPv4: other IPv6 lines are skipped."""
    lines = []
    for address, names in _hosts(ctx):
        v4 = _as_ipv4(address)
        if v4 is not None:
            lines.append(_host_line(str(v4), names))
    return lines


def ahosts_key(ctx: Context, key: str, database: str) -> str | None:
    """getaddrinfo's answers: each address three times (STREAM, DGRAM, RAW)."""
    found: list[tuple[IPAddress, str]]
    try:
        found = [(ipaddress.ip_address(key), key)]
    except ValueError:
        matches = [
            (address, names[0])
            for address, names in _hosts(ctx)
            if key.lower() in (n.lower() for n in names)
        ]
        if database == "ahostsv4":
            # In file order ("multi on" keeps every line), ::1 reading as 127.0.0.1.
            found = [(v4, n) for a, n in matches if (v4 := _as_ipv4(a)) is not None]
        else:
            found = [m for m in matches if m[0].version == 6]
            found += [m for m in matches if m[0].version == 4]
    if database == "ahostsv4":
        found = [(a, n) for a, n in found if a.version == 4]
    elif database == "ahostsv6":
        found = [
            (a if a.version == 6 else ipaddress.IPv6Address(f"::ffff:{a}"), n) for a, n in found
        ]
    if not found:
        return None
    lines = []
    for index, (address, name) in enumerate(found):
        text = str(address)
        lines.append(f"{text:<15} STREAM {name if index == 0 else ''}\n")
        lines.append(f"{text:<15} DGRAM  \n{text:<15} RAW    ")
        if index < len(found) - 1:
            lines.append("\n")
    return "".join(lines)


def hosts_key(ctx: Context, key: str) -> str | None:
    """gethostbyaddr for an address, else gethostbyname2 for IPv6 then IPv4."""
    try:
        wanted = ipaddress.ip_address(key)
    except ValueError:
        wanted = None
    if wanted is not None:
        for address, names in _hosts(ctx):
            if address == wanted:
                return _host_line(str(address), names)
        return None
    for version in (6, 4):
        for address, names in _hosts(ctx):
            if address.version == version and key.lower() in (n.lower() for n in names):
                return _host_line(str(address), names)
    return None


def services_all(ctx: Context) -> list[str]:
    return [_service_line(row) for row in _services(ctx)]


def _services(ctx: Context) -> Iterator[Row]:
    for row in _rows(ctx, "/etc/services", sep=" "):
        if len(row) >= 2 and "/" in row[1] and row[1].split("/")[0].isdigit():
            yield row


def _service_line(row: Row) -> str:
    port, _, proto = row[1].partition("/")
    return " ".join([f"{row[0]:<21} {int(port)}/{proto}"] + row[2:])


def services_key(ctx: Context, key: str) -> str | None:
    """getservbyport for NUMBER[/PROTO], else getservbyname for NAME[/PROTO]."""
    name, _, proto = key.partition("/")
    for row in _services(ctx):
        port, _, row_proto = row[1].partition("/")
        if proto and proto != row_proto:
            continue
        if name.isdigit() and int(name) == int(port) or name in [row[0]] + row[2:]:
            return _service_line(row)
    return None


Lookup = Callable[[Context], Iterator[Entry]]
TABLES: dict[str, Lookup] = {
    "passwd": passwd,
    "group": group,
    "shadow": shadow,
    "gshadow": gshadow,
    "aliases": aliases,
}
EMPTY = {"ethers", "netgroup", "networks", "protocols", "rpc", "initgroups"}
"""Databases getent knows whose files the simulated host lacks: nothing found."""
NAMES = sorted([*TABLES, *EMPTY, "hosts", "services", "ahosts", "ahostsv4", "ahostsv6"])


@command(
    "getent",
    synopsis="getent [OPTION...] database [key ...]",
    summary="get entries from Name Service Switch libraries",
    completes="none",
)
def getent(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "+Ais:V?",
            ["no-addrconfig", "no-idn", "service=", "help", "usage", "version"],
        )
    except GetoptError as exc:
        ctx.error(str(exc))
        ctx.err(TRY)
        return 64
    for opt, _ in opts:
        if opt in ("-?", "--help"):
            ctx.out(text("getent.help"))
            return 0
        if opt == "--usage":
            ctx.out(USAGE)
            return 0
        if opt in ("-V", "--version"):
            ctx.out(text("getent.version"))
            return 0
    if not operands:
        # getent prints the hint on stdout after its own errors (argp_help to stdout).
        ctx.error("wrong number of arguments")
        ctx.out(TRY)
        return 1
    database, keys = operands[0], operands[1:]
    if database not in NAMES:
        ctx.err(f"Unknown database: {database}\n")
        ctx.out(TRY)
        return 1
    lines: list[str | None]
    if database in ("hosts", "services"):
        if not keys:
            lines = list(hosts_all(ctx) if database == "hosts" else services_all(ctx))
        else:
            find = hosts_key if database == "hosts" else services_key
            lines = [find(ctx, key) for key in keys]
    elif database in TABLES:
        lines = _table_lines(ctx, TABLES[database], keys)
    elif database.startswith("ahosts"):
        lines = [*hosts_all(ctx)] if not keys else [ahosts_key(ctx, k, database) for k in keys]
    else:
        lines = [None] * len(keys)
    ctx.out("".join(f"{line}\n" for line in lines if line is not None))
    return 2 if None in lines else 0


def _table_lines(ctx: Context, lookup: Lookup, keys: list[str]) -> list[str | None]:
    """Every entry, or each key's: a key of digits is a uid or gid, as getent reads it."""
    entries = list(lookup(ctx))
    if not keys:
        return [e.line for e in entries]
    found: list[str | None] = []
    for key in keys:
        if key.isdigit() and lookup in (passwd, group):
            hit = next((e.line for e in entries if e.number == int(key)), None)
        else:
            hit = next((e.line for e in entries if e.name == key), None)
        found.append(hit)
    return found
