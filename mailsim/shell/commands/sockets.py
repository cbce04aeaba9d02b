"""ss (iproute2 6.1): the sockets the running services listen on.

Listeners come from each service controller's ``listeners(machine)``; the table
is laid out with ss's own column algorithm (render_calc_width in misc/ss.c): each
column as wide as its widest cell, and on a terminal the spare width shared out
between the columns, the rightmost first.
"""

from __future__ import annotations

from dataclasses import dataclass

from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

SS_USAGE = """\
Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -T, --threads       show thread using socket
   -i, --info          show internal TCP information
       --tipcinfo      show internal tipc socket information
   -s, --summary       show socket usage summary
       --tos           show tos and priority information
       --cgroup        show cgroup information
   -b, --bpf           show bpf filter socket information
   -E, --events        continually display sockets as they are destroyed
   -Z, --context       display task SELinux security contexts
   -z, --contexts      display task and socket SELinux security contexts
   -N, --net           switch to the specified network namespace name

   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -0, --packet        display PACKET sockets
   -t, --tcp           display only TCP sockets
   -M, --mptcp         display only MPTCP sockets
   -S, --sctp          display only SCTP sockets
   -u, --udp           display only UDP sockets
   -d, --dccp          display only DCCP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
       --tipc          display only TIPC sockets
       --vsock         display only vsock sockets
       --xdp           display only XDP sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}

   -K, --kill          forcibly close sockets, display what was closed
   -H, --no-header     Suppress header line
   -O, --oneline       socket's data printed on a single line
       --inet-sockopt  show various inet socket options

   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]

   -D, --diag=FILE     Dump raw information about TCP sockets to FILE
   -F, --filter=FILE   read filter information from FILE
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}
          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
             bucket := {syn-recv|time-wait}
                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}
"""


def parse_services(text: str) -> dict[tuple[int, str], str]:
    """(port, protocol) → the first name /etc/services gives it, as getservbyport finds."""
    names: dict[tuple[int, str], str] = {}
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) < 2:
            continue
        port, _, proto = fields[1].partition("/")
        if port.isdigit():
            names.setdefault((int(port), proto), fields[0])
    return names


def port_name(ctx: Context, port: int, proto: str = "tcp") -> str:
    """ss's name for a port: the machine's /etc/services, else the number."""
    try:
        names = ctx.machine.cached("/etc/services", parse_services)
    except OSError:
        return str(port)
    return names.get((port, proto), str(port))


FIRST_FD = {"master": 13, "dovecot": 38, "sshd": 3}
BACKLOG = {"master": 100, "dovecot": 100, "sshd": 128}


@dataclass
class Column:
    header: str
    ldelim: str
    right: bool
    enabled: bool = True
    width: int = 0


def render(rows: list[list[str]], columns: list[Column], screen: int | None) -> str:
    """Lay out tokens as ss does; ``screen`` None means stdout is not a terminal."""
    active = [c for c in columns if c.enabled]
    max_len = [max(len(row[i]) for row in rows) for i in range(len(active))]
    first = True
    for col, length in zip(active, max_len, strict=True):
        col.width = length + len(col.ldelim) if not first and length else length
        if screen is not None:
            col.width = min(col.width, screen)
        if col.width:
            first = False
    if screen is not None:
        _spread(active, screen)
    out: list[str] = []
    for row in rows:
        line: list[str] = []
        started = False
        for col, token in zip(active, row, strict=True):
            printed = 0
            if started:
                line.append(col.ldelim)
                printed = len(col.ldelim)
            started = True
            if col.width and col.right:
                pad = col.width - len(token) - printed
                if pad > 0:
                    line.append(" " * pad)
                    printed += pad
            line.append(token)
            printed += len(token)
            if col.width and not col.right and col.width - printed > 0:
                line.append(" " * (col.width - printed))
        out.append("".join(line) + "\n")
    return "".join(out)


def _spread(active: list[Column], screen: int) -> None:
    """Second pass of render_calc_width: share the spare width out, line by line."""
    eol = -1
    length = linecols = 0
    index = 0
    while index < len(active):
        col = active[index]
        if not col.width:
            index += 1
            continue
        linecols += 1
        length += col.width
        last = not any(c.width for c in active[index + 1 :])
        if not last and length < screen:
            index += 1
            continue
        if length != screen:
            if length > screen:
                length -= col.width
                index -= 1
                linecols -= 1
            pad = screen - length
            spacing, rem = divmod(pad, linecols) if linecols else (0, 0)
            for tmp in range(index, eol, -1):
                if not active[tmp].width:
                    continue
                active[tmp].width += spacing
                if rem:
                    active[tmp].width += 1
                    rem -= 1
        eol = index
        length = linecols = 0
        index += 1


def _family(address: str) -> int:
    return 6 if address.startswith("[") or ":" in address else 4


@command(
    "ss", synopsis="ss [ OPTIONS ] [ FILTER ]", summary="another utility to investigate sockets"
)
def ss(ctx: Context) -> int:
    from mailsim.machine import services

    try:
        opts, _filters = getopt(
            ctx.args,
            "hVnralpt46uxsHe",
            [
                "help",
                "version",
                "numeric",
                "resolve",
                "all",
                "listening",
                "processes",
                "tcp",
                "ipv4",
                "ipv6",
                "udp",
                "unix",
                "summary",
                "no-header",
                "extended",
            ],
        )
    except GetoptError as exc:
        ctx.err(f"ss: {exc}\n{SS_USAGE}")
        return 255
    long_to_short = {
        "--help": "-h",
        "--version": "-V",
        "--numeric": "-n",
        "--all": "-a",
        "--listening": "-l",
        "--processes": "-p",
        "--tcp": "-t",
        "--ipv4": "-4",
        "--ipv6": "-6",
        "--udp": "-u",
        "--unix": "-x",
        "--summary": "-s",
        "--no-header": "-H",
        "--resolve": "-r",
        "--extended": "-e",
    }
    flags = {long_to_short.get(o, o) for o, _ in opts}
    if "-h" in flags:
        ctx.out(SS_USAGE)
        return 0
    if "-V" in flags:
        ctx.out("ss utility, iproute2-6.1.0\n")
        return 0
    listeners: list[tuple[str, services.Listener]] = []
    for name in services.unit_names():
        ctl = services.controller(name)
        if ctl is None:
            continue
        try:
            found = ctl.listeners(ctx.machine)
        except Exception:  # a broken configuration must not break ss
            found = []
        listeners.extend((name, lis) for lis in found)
    if "-s" in flags:
        return _summary(ctx, [lis for _, lis in listeners])
    protocols = {"tcp"} if "-t" in flags else set()
    protocols |= {"udp"} if "-u" in flags else set()
    if not protocols:
        protocols = {"tcp", "udp", "unix"} if "-x" not in flags else {"unix"}
    show_listen = "-l" in flags or "-a" in flags
    rows = []
    if show_listen and "tcp" in protocols:
        fds: dict[int, int] = {}
        for _unit, lis in sorted(
            listeners, key=lambda item: (_family(item[1].address), item[1].port)
        ):
            family = _family(lis.address)
            if ("-4" in flags and family != 4) or ("-6" in flags and family != 6):
                continue
            pid = lis.pid
            fd = fds.get(pid, FIRST_FD.get(lis.process, 3))
            fds[pid] = fd + 1
            port = str(lis.port) if "-n" in flags else port_name(ctx, lis.port)
            peer = "[::]:" if family == 6 else "0.0.0.0:"
            process = ""
            if "-p" in flags and ctx.is_root:
                process = f' users:(("{lis.process}",pid={pid},fd={fd}))'
            rows.append(
                [
                    "tcp",
                    "LISTEN",
                    "0     ",
                    f"{BACKLOG.get(lis.process, 100):<6d}",
                    f"{lis.address}:",
                    port,
                    peer,
                    "*",
                    process,
                    "",
                ]
            )
    netid = len(protocols) > 1
    columns = [
        Column("Netid", "", False, netid),
        Column("State", " ", False),
        Column("Recv-Q", " ", False),
        Column("Send-Q", " ", False),
        Column("Local Address:", " ", True),
        Column("Port", "", False),
        Column("Peer Address:", " ", True),
        Column("Port", "", False),
        Column("Process", "", False),
        Column("", "", False),
    ]
    header = [c.header for c in columns if c.enabled]
    body = [[cell for cell, c in zip(row, columns, strict=True) if c.enabled] for row in rows]
    table = ([header] if "-H" not in flags else []) + body
    if not table:
        return 0
    screen = ctx.terminal.width if ctx.stdout_is_tty else None
    ctx.out(render(table, columns, screen))
    return 0


def _summary(ctx: Context, listeners: list) -> int:  # type: ignore[type-arg]
    v4 = sum(1 for lis in listeners if _family(lis.address) == 4)
    v6 = len(listeners) - v4
    total = len(listeners)
    ctx.out(
        f"Total: {total + 90}\n"
        f"TCP:   {total} (estab 0, closed 0, orphaned 0, timewait 0)\n\n"
        "Transport Total     IP        IPv6\n"
        "RAW\t  0         0         0        \n"
        "UDP\t  0         0         0        \n"
        f"TCP\t  {total:<9} {v4:<9} {v6:<9}\n"
        f"INET\t  {total:<9} {v4:<9} {v6:<9}\n"
        "FRAG\t  0         0         0        \n\n"
    )
    return 0
