"""Postfix's parameter table: built-in defaults, service parameters, host defaults.

The built-in table is generated from a real ``postconf -d`` (see
tools/gen_postfix_params.py) and loaded once per process, on first use.
Defaults that depend on the host (``myhostname``, ``mydomain``,
``mynetworks``, ``process_id``) are computed here from the simulated machine
by Postfix's own rules.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine

DEFAULT_MYDOMAIN = "localdomain"

_SERVICE_SUFFIXES = (
    ("_delivery_slot_cost", "default_delivery_slot_cost"),
    ("_delivery_slot_discount", "default_delivery_slot_discount"),
    ("_delivery_slot_loan", "default_delivery_slot_loan"),
    (
        "_destination_concurrency_failed_cohort_limit",
        "default_destination_concurrency_failed_cohort_limit",
    ),
    ("_destination_concurrency_limit", "default_destination_concurrency_limit"),
    (
        "_destination_concurrency_negative_feedback",
        "default_destination_concurrency_negative_feedback",
    ),
    (
        "_destination_concurrency_positive_feedback",
        "default_destination_concurrency_positive_feedback",
    ),
    ("_destination_rate_delay", "default_destination_rate_delay"),
    ("_destination_recipient_limit", "default_destination_recipient_limit"),
    ("_extra_recipient_limit", "default_extra_recipient_limit"),
    ("_initial_destination_concurrency", "initial_destination_concurrency"),
    ("_minimum_delivery_slots", "default_minimum_delivery_slots"),
    ("_recipient_limit", "default_recipient_limit"),
    ("_recipient_refill_delay", "default_recipient_refill_delay"),
    ("_recipient_refill_limit", "default_recipient_refill_limit"),
    ("_transport_rate_delay", "default_transport_rate_delay"),
)
_TIME_LIMIT = (("_time_limit", "command_time_limit"),)
SERVICE_PARAMS: dict[str, tuple[tuple[str, str], ...]] = {
    "local": _SERVICE_SUFFIXES,
    "error": _SERVICE_SUFFIXES,
    "virtual": _SERVICE_SUFFIXES,
    "smtp": _SERVICE_SUFFIXES,
    "lmtp": _SERVICE_SUFFIXES,
    "pipe": _TIME_LIMIT + _SERVICE_SUFFIXES,
    "spawn": _TIME_LIMIT,
}
"""Delivery programs (master.cf command) → suffixes and the parameter each defaults to."""


@dataclass(frozen=True)
class Table:
    """The built-in parameters of the Postfix version the data was taken from."""

    version: str
    defaults: dict[str, str]
    raw: frozenset[str]
    """Parameters whose values are never $-expanded (``postconf -x`` shows them as is)."""
    readonly: frozenset[str]
    host_derived: frozenset[str]
    references: dict[str, tuple[str, ...]]
    """``$names`` each default value mentions (both branches of conditionals)."""


@lru_cache(maxsize=1)
def table() -> Table:
    """The parameter table, loaded once per process."""
    from mailsim.postfix.expand import references

    text = resources.files("mailsim.postfix").joinpath("data/defaults.json").read_text("utf-8")
    data = json.loads(text)
    defaults: dict[str, str] = data["defaults"]
    raw = frozenset(data["raw"])
    refs = {
        name: tuple(references(value))
        for name, value in defaults.items()
        if "$" in value and name not in raw
    }
    return Table(
        data["mail_version"],
        defaults,
        raw,
        frozenset(data["readonly"]),
        frozenset(data["host_derived"]),
        refs,
    )


def service_params(services: list[tuple[str, str]]) -> dict[str, str]:
    """Service-defined parameters for (service name, command) pairs of master.cf."""
    result: dict[str, str] = {}
    builtin = table().defaults
    for name, command in services:
        for suffix, default in SERVICE_PARAMS.get(command, ()):
            param = name + suffix
            if param not in builtin:
                result[param] = "$" + default
    return result


def my_hostname(machine: Machine, mydomain: str | None) -> str:
    """Default myhostname: the host name, with ``.$mydomain`` (or .localdomain) if it has no dot."""
    name = machine.hostname
    if "." not in name:
        name = f"{name}.{DEFAULT_MYDOMAIN if mydomain is None else mydomain}"
    return name


def my_domain(myhostname: str) -> str:
    """Default mydomain: myhostname minus its first label (.localdomain without a dot)."""
    _, dot, rest = myhostname.partition(".")
    return rest if dot else DEFAULT_MYDOMAIN


def _words(value: str) -> list[str]:
    return value.replace(",", " ").split()


def _protocols(value: str) -> set[int]:
    found: set[int] = set()
    for word in _words(value):
        if word == "all":
            found |= {4, 6}
        elif word in ("ipv4", "ipv6"):
            found.add(int(word[-1]))
        else:
            raise ValueError(f'unknown inet_protocols value "{word}" in "{value}"')
    return found


def _numeric_address(text: str) -> list[str] | None:
    """A numeric host as getaddrinfo() reads it (inet_aton forms such as "3.6" included)."""
    try:
        return [str(ipaddress.ip_address(text))]
    except ValueError:
        pass
    if ":" in text or not text or not all(c.isalnum() or c == "." for c in text):
        return None
    try:
        return [socket.inet_ntoa(socket.inet_aton(text))]
    except OSError:
        return None


def _hosts_lookup(machine: Machine, name: str) -> list[str]:
    try:
        text = machine.read_text("/etc/hosts")
    except OSError:
        text = ""
    found: list[str] = []
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and name in words[1:]:
            found.append(words[0])
    return found


def my_networks(machine: Machine, style: str, interfaces: str, protocols: str) -> str:
    """Default mynetworks from mynetworks_style, inet_interfaces and inet_protocols.

    Raises ValueError with Postfix's fatal text for a value it rejects.
    """
    wanted = _protocols(protocols)
    if not wanted:
        return ""
    styles = _words(style)
    for word in styles:
        if word not in ("host", "subnet", "class"):
            raise ValueError(f'unknown mynetworks mask style value "{word}" in "{style}"')
    if len(set(styles)) != 1:
        raise ValueError(f"bad mynetworks_style value: {style}; specify exactly one value")
    mask = styles[0]
    known = [(a.ip, a.prefix) for iface in machine.interfaces() for a in iface.addresses]
    value = interfaces.strip()
    if value == "all":
        addrs = [(ip, p) for ip, p in known if (6 if ":" in ip else 4) in wanted]
    elif value == "loopback-only":
        addrs = [
            (ip, p)
            for ip, p in known
            if ipaddress.ip_address(ip).is_loopback and (6 if ":" in ip else 4) in wanted
        ]
    else:
        # Like own_inet_addr_list(): resolve every name first, then find each address.
        resolved: list[str] = []
        for word in _words(interfaces):
            bare = word[1:-1] if word.startswith("[") and word.endswith("]") else word
            ips = _numeric_address(bare)
            if ips is None:
                ips = _hosts_lookup(machine, word)
            ips = [ip for ip in ips if (6 if ":" in ip else 4) in wanted]
            if not ips:
                raise ValueError(f"config variable inet_interfaces: host not found: {word}")
            resolved += ips
        addrs = []
        for ip in resolved:
            prefix = next((p for kip, p in known if kip == ip), None)
            if prefix is None:
                raise ValueError(f"parameter inet_interfaces: no local interface found for {ip}")
            addrs.append((ip, prefix))
    nets4: list[str] = []
    nets6: list[str] = []
    for ip, prefix in addrs:
        six = ":" in ip
        if mask == "host":
            prefix = 128 if six else 32
        elif mask == "class" and not six:
            first = int(ip.split(".")[0])
            prefix = 8 if first < 128 else 16 if first < 192 else 24 if first < 224 else prefix
        net = ipaddress.ip_interface(f"{ip}/{prefix}").network
        if six:
            nets6.append(f"[{net.network_address}]/{net.prefixlen}")
        else:
            nets4.append(str(net))
    return " ".join(nets4 + nets6)
