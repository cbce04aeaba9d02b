"""Host identity: the running host name and the network interfaces of the image."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass


@dataclass(frozen=True)
class Address:
    ip: str
    prefix: int

    @property
    def version(self) -> int:
        return 6 if ":" in self.ip else 4

    @property
    def network(self) -> str:
        return str(ipaddress.ip_interface(f"{self.ip}/{self.prefix}").network)


@dataclass(frozen=True)
class Interface:
    name: str
    addresses: tuple[Address, ...]
    mac: str = "00:00:00:00:00:00"


LOOPBACK = Interface("lo", (Address("127.0.0.1", 8), Address("::1", 128)))


def parse_interfaces(text: str) -> list[Interface]:
    """Interfaces from Debian's ifupdown ``/etc/network/interfaces`` (static stanzas only)."""
    order: list[str] = ["lo"]
    addrs: dict[str, list[Address]] = {"lo": list(LOOPBACK.addresses)}
    current: str | None = None
    family = "inet"
    for raw in text.splitlines():
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        if words[0] == "iface" and len(words) >= 4:
            current, family = words[1], words[2]
            if current not in addrs:
                order.append(current)
                addrs[current] = []
            continue
        if words[0] in ("auto", "allow-hotplug", "source", "source-directory", "mapping"):
            current = None if words[0] != "auto" else current
            continue
        if current is None or current == "lo":
            continue
        if words[0] == "address" and len(words) >= 2:
            ip, _, prefix = words[1].partition("/")
            default = 64 if family == "inet6" else 24
            try:
                ipaddress.ip_address(ip)
            except ValueError:
                continue
            addrs[current].append(Address(ip, int(prefix) if prefix.isdigit() else default))
        elif words[0] in ("netmask",) and len(words) >= 2 and addrs[current]:
            last = addrs[current][-1]
            try:
                bits = (
                    int(words[1])
                    if words[1].isdigit()
                    else ipaddress.ip_network(f"0.0.0.0/{words[1]}").prefixlen
                )
            except ValueError:
                continue
            addrs[current][-1] = Address(last.ip, bits)
    result = []
    for index, name in enumerate(order):
        mac = "00:00:00:00:00:00" if name == "lo" else f"52:54:00:12:34:{0x56 + index:02x}"
        # IPv4 first, as `ip addr` lists them.
        ordered = sorted(addrs[name], key=lambda a: a.version)
        result.append(Interface(name, tuple(ordered), mac))
    return result
