"""ip (iproute2 6.1) and ss: the machine's interfaces and the sockets its running
services listen on, in iproute2's exact layout."""

from __future__ import annotations

import ipaddress

from mailsim.machine.host import Interface
from mailsim.shell.context import Context
from mailsim.shell.registry import command

IP_USAGE = """\
Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
"""
OBJECTS = ["address", "addrlabel", "link", "route", "neighbour", "neighbor", "rule", "help"]
"""iproute2 matches an object by prefix, in its own table order ("a" is address, "r" route)."""


def _link_header(index: int, iface: Interface, family: int, mode: bool) -> str:
    if iface.name == "lo":
        flags, mtu, qdisc, state = "LOOPBACK,UP,LOWER_UP", 65536, "noqueue", "UNKNOWN"
    else:
        flags, mtu, qdisc, state = "BROADCAST,MULTICAST,UP,LOWER_UP", 1500, "pfifo_fast", "UP"
    if family == 6:
        # `ip -6 addr` leaves qdisc and group out, as iproute2 6.1 prints it.
        return f"{index}: {iface.name}: <{flags}> mtu {mtu} state {state} qlen 1000\n"
    mode_text = "mode DEFAULT " if mode else ""
    return (
        f"{index}: {iface.name}: <{flags}> mtu {mtu} qdisc {qdisc} state {state} "
        f"{mode_text}group default qlen 1000\n"
    )


def _link_line(iface: Interface) -> str:
    if iface.name == "lo":
        return "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
    return f"    link/ether {iface.mac} brd ff:ff:ff:ff:ff:ff\n"


def _addr_lines(iface: Interface, family: int) -> str:
    out = []
    seen_v4: list[ipaddress.IPv4Network] = []
    for addr in iface.addresses:
        if family and addr.version != family:
            continue
        scope = "host" if iface.name == "lo" else "global"
        if addr.version == 4:
            net = ipaddress.ip_interface(f"{addr.ip}/{addr.prefix}").network
            brd = f"brd {net.broadcast_address} " if iface.name != "lo" and addr.prefix < 31 else ""
            secondary = "secondary " if net in seen_v4 else ""
            seen_v4.append(net)  # type: ignore[arg-type]
            out.append(
                f"    inet {addr.ip}/{addr.prefix} {brd}scope {scope} {secondary}{iface.name}\n"
            )
        else:
            out.append(f"    inet6 {addr.ip}/{addr.prefix} scope {scope} \n")
        out.append("       valid_lft forever preferred_lft forever\n")
    return "".join(out)


def _brief_state(iface: Interface) -> str:
    return "UNKNOWN" if iface.name == "lo" else "UP"


def ip_address(
    ctx: Context, ifaces: list[tuple[int, Interface]], family: int, brief: bool, one: bool
) -> int:
    for index, iface in ifaces:
        addrs = [a for a in iface.addresses if not family or a.version == family]
        if family and not addrs:
            continue
        if brief:
            listed = "".join(f"{a.ip}/{a.prefix} " for a in addrs)
            ctx.out(f"{iface.name:<16} {_brief_state(iface):<14} {listed}\n")
            continue
        # Only a whole-table -6 dump leaves qdisc and group out of the header.
        ctx.out(_link_header(index, iface, 0 if one else family, mode=False))
        if not family:
            ctx.out(_link_line(iface))
        ctx.out(_addr_lines(iface, family))
    return 0


def ip_link(ctx: Context, ifaces: list[tuple[int, Interface]], brief: bool) -> int:
    for index, iface in ifaces:
        if brief:
            flags = (
                "LOOPBACK,UP,LOWER_UP" if iface.name == "lo" else "BROADCAST,MULTICAST,UP,LOWER_UP"
            )
            ctx.out(f"{iface.name:<16} {_brief_state(iface):<14} {iface.mac} <{flags}> \n")
            continue
        ctx.out(_link_header(index, iface, 0, mode=True))
        ctx.out(_link_line(iface))
    return 0


def gateways(ctx: Context) -> dict[tuple[str, int], str]:
    """(interface, family) → gateway from the ``gateway`` lines of /etc/network/interfaces."""
    try:
        text = ctx.machine.read_text("/etc/network/interfaces")
    except OSError:
        return {}
    out: dict[tuple[str, int], str] = {}
    current: tuple[str, int] | None = None
    for raw in text.splitlines():
        words = raw.split("#", 1)[0].split()
        if len(words) >= 3 and words[0] == "iface":
            current = (words[1], 6 if words[2] == "inet6" else 4)
        elif len(words) >= 2 and words[0] == "gateway" and current is not None:
            out[current] = words[1]
    return out


def ip_route(ctx: Context, ifaces: list[tuple[int, Interface]], family: int) -> int:
    gw = gateways(ctx)
    lines: list[str] = []
    if family in (0, 4):
        for (name, fam), via in gw.items():
            if fam == 4:
                lines.append(f"default via {via} dev {name} onlink \n")
        for _, iface in ifaces:
            if iface.name == "lo":
                continue
            for addr in iface.addresses:
                if addr.version == 4:
                    lines.append(
                        f"{addr.network} dev {iface.name} proto kernel scope link src {addr.ip} \n"
                    )
    if family == 6:
        lines.append("::1 dev lo proto kernel metric 256 pref medium\n")
        for _, iface in ifaces:
            for addr in iface.addresses:
                if addr.version == 6 and iface.name != "lo":
                    lines.append(
                        f"{addr.network} dev {iface.name} proto kernel metric 256 pref medium\n"
                    )
        for _, iface in ifaces:
            if iface.name != "lo" and any(a.version == 6 for a in iface.addresses):
                lines.append(f"fe80::/64 dev {iface.name} proto kernel metric 256 pref medium\n")
        for (name, fam), via in gw.items():
            if fam == 6:
                lines.append(f"default via {via} dev {name} metric 1024 onlink pref medium\n")
    ctx.out("".join(lines))
    return 0


def _match(word: str, table: list[str]) -> str | None:
    for name in table:
        if name.startswith(word):
            return name
    return None


@command(
    "ip",
    synopsis="ip [ OPTIONS ] OBJECT { COMMAND | help }",
    summary="show / manipulate routing, network devices, interfaces and tunnels",
    subcommands=("address", "link", "route"),
)
def ip(ctx: Context) -> int:
    args = list(ctx.args)
    family, brief = 0, False
    while args and args[0].startswith("-"):
        opt = args.pop(0).lstrip("-")
        if opt in ("4", "6"):
            family = int(opt)
        elif opt and "brief".startswith(opt) and len(opt) >= 2:
            brief = True
        elif opt and "family".startswith(opt) and args:
            family = {"inet": 4, "inet6": 6}.get(args.pop(0), 0)
        elif opt and (
            "color".startswith(opt)
            or "numeric".startswith(opt.lower())
            or "details".startswith(opt)
            or "statistics".startswith(opt)
        ):
            continue
        elif opt and "Version".lower().startswith(opt.lower()) and opt[0] == "V":
            ctx.out("ip utility, iproute2-6.1.0, libbpf 1.1.2\n")
            return 0
        else:
            ctx.err(f'Option "-{opt}" is unknown, try "ip -help".\n')
            return 255
    if not args:
        ctx.err(IP_USAGE)
        return 255
    word = args.pop(0)
    obj = _match(word, OBJECTS)
    if obj == "help":
        ctx.err(IP_USAGE)
        return 255
    if obj is None:
        ctx.err(f'Object "{word}" is unknown, try "ip help".\n')
        return 1
    verbs = {
        "address": ["show", "list", "lst", "add", "delete", "flush"],
        "link": ["show", "list", "lst", "set", "add", "delete"],
        "route": ["show", "list", "get", "add", "delete", "replace", "flush"],
    }
    verb = "show"
    if args:
        found = _match(args[0], verbs.get(obj, ["show"]))
        if found is None:
            shown = {"address": "address", "link": "link", "route": "route"}.get(obj, obj)
            ctx.err(f'Command "{args[0]}" is unknown, try "ip {shown} help".\n')
            return 255
        verb = "show" if found in ("list", "lst") else found
        args.pop(0)
    if verb != "show":
        ctx.err("RTNETLINK answers: Operation not permitted\n")
        return 2
    ifaces = list(enumerate(ctx.machine.interfaces(), 1))
    words = [w for w in args if w not in ("dev", "up", "table", "main")]
    if obj in ("address", "link") and words:
        wanted = [(i, f) for i, f in ifaces if f.name == words[0]]
        if not wanted:
            ctx.err(f'Device "{words[0]}" does not exist.\n')
            return 1
        ifaces = wanted
    if obj == "address":
        return ip_address(ctx, ifaces, family, brief, one=bool(words))
    if obj == "link":
        return ip_link(ctx, ifaces, brief)
    if obj == "route":
        return ip_route(ctx, ifaces, family)
    return 0


from mailsim.shell.commands.sockets import ss  # noqa: E402,F401  (the table names network:ss)
