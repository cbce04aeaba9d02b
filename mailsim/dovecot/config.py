"""The loaded Dovecot configuration of a machine: the API other parts rely on.

``load(machine)`` parses ``/etc/dovecot/dovecot.conf`` and everything it
includes, once per set of file versions, and gives a ``DovecotConfig``:

- ``config.get("mail_location")``: the effective value (set, or the default);
  ``config.get("mail_plugins", protocol="imap")`` applies ``protocol imap { }``.
- ``config.value("service/imap-login/inet_listener/imap/port")``: the ``Value``
  (text, file, line) that a line of the configuration set, or None.
- ``config.lookup(path)``: the effective text of a setting path, defaults included.
- ``config.protocols``, ``config.listeners()``: what a running Dovecot would serve.
- ``config.error`` (a ``ParseError`` or None) and ``config.check_error()``: what
  ``doveconf`` and the daemon refuse, with the real text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mailsim.dovecot.parser import Filter, Parsed, ParseError, Section, Value, parse
from mailsim.dovecot.settings import Table, table

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine

DEFAULT_PATH = "/etc/dovecot/dovecot.conf"

__all__ = [
    "DEFAULT_PATH",
    "DovecotConfig",
    "Filter",
    "InetListener",
    "ParseError",
    "Section",
    "Value",
    "load",
]


@dataclass(frozen=True)
class InetListener:
    """One ``inet_listener`` of an enabled service, with the addresses it binds."""

    service: str
    name: str
    port: int
    ssl: bool
    addresses: tuple[str, ...]
    """From the listener's ``address`` or else ``listen``: "*", "::", "127.0.0.1", …"""
    value: Value | None
    """Where the port was set, when the configuration set it."""


class DovecotConfig:
    """A parsed configuration with lookups by name and by section path."""

    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self.path = parsed.path
        self.root: Section = parsed.root
        self.filters: list[Filter] = parsed.filters
        self.warnings: list[str] = parsed.warnings
        self.error: ParseError | None = parsed.error
        self.table: Table = table()
        self._check: tuple[str | None] | None = None

    # -- lookups ---------------------------------------------------------------

    def get(self, name: str, protocol: str | None = None) -> str:
        """Effective value of a global setting (filters for ``protocol`` applied)."""
        if protocol is not None:
            in_block = self.protocol_value(name, protocol)
            if in_block is not None:
                return in_block.text
        found = self.root.settings.get(name)
        if found is not None:
            return found.text
        defn = self.table.globals.get(name)
        return defn.default if defn is not None else ""

    def protocol_value(self, name: str, protocol: str) -> Value | None:
        """The Value a plain ``protocol NAME { }`` block (no local/remote filter) sets, or None."""
        for filt in self.filters:
            if (
                filt.protocol == protocol
                and filt.local is None
                and filt.remote is None
                and filt.local_name is None
                and name in filt.root.settings
            ):
                return filt.root.settings[name]
        return None

    def is_set(self, name: str) -> bool:
        return name in self.root.settings

    def section(self, path: str) -> Section | None:
        """``service/imap-login/inet_listener/imap`` → the configured section, or None."""
        node = self.root
        parts = [p for p in path.split("/") if p]
        while parts:
            kind = parts.pop(0)
            if kind in self.table.strlists:
                found = node.find(kind, "")
            else:
                if not parts:
                    return None
                found = node.find(kind, parts.pop(0))
            if found is None:
                return None
            node = found
        return node

    def value(self, path: str) -> Value | None:
        """The Value a configuration line set for a setting path, or None."""
        if "/" not in path:
            return self.root.settings.get(path)
        head, _, name = path.rpartition("/")
        node = self.section(head)
        return node.settings.get(name) if node is not None else None

    def lookup(self, path: str) -> str | None:
        """Effective text of a setting path, with Dovecot's defaults (None if unknown)."""
        found = self.value(path)
        if found is not None:
            return found.text
        if "/" not in path:
            defn = self.table.globals.get(path)
            return defn.default if defn is not None else None
        parts = path.split("/")
        if parts[0] == "service" and len(parts) >= 3:
            service = self.table.services.get(parts[1])
            if len(parts) == 3:
                if service is not None and parts[2] in service["fields"]:
                    return service["fields"][parts[2]]
                field = self.table.sections["service"].fields.get(parts[2])
                return field.default if field is not None else None
            if len(parts) == 5:
                if service is not None:
                    for kind, name, fields in service["listeners"]:
                        if kind == parts[2] and name == parts[3] and parts[4] in fields:
                            return fields[parts[4]]
                sdef = self.table.sections.get(parts[2])
                field = sdef.fields.get(parts[4]) if sdef else None
                return field.default if field is not None else None
        if len(parts) >= 2 and parts[-3 if len(parts) >= 3 else 0] in self.table.sections:
            sdef = self.table.sections[parts[-3]] if len(parts) >= 3 else None
            field = sdef.fields.get(parts[-1]) if sdef else None
            return field.default if field is not None else None
        return None

    @property
    def protocols(self) -> list[str]:
        """Enabled protocols (``protocols = none`` enables none)."""
        words = self.get("protocols").split()
        return [] if words == ["none"] else words

    def services(self) -> dict[str, dict]:
        """Every service (defaults merged with the configuration): name → fields and
        listeners, each listener ``(kind, name, fields, Section or None)``."""
        out: dict[str, dict] = {}
        for name, spec in self.table.services.items():
            out[name] = {
                "fields": dict(spec["fields"]),
                "listeners": [[k, n, dict(f), None] for k, n, f in spec["listeners"]],
                "section": None,
            }
        defaults = self.table.sections
        for section in self.root.all("service"):
            entry = out.setdefault(
                section.name,
                {
                    "fields": {k: d.default for k, d in defaults["service"].fields.items()},
                    "listeners": [],
                    "section": None,
                },
            )
            entry["section"] = section
            entry["fields"].update({k: v.text for k, v in section.settings.items()})
            for child in section.children:
                for item in entry["listeners"]:
                    if item[0] == child.kind and item[1] == child.name and child.name:
                        item[2].update({k: v.text for k, v in child.settings.items()})
                        item[3] = child
                        break
                else:
                    fields = {k: d.default for k, d in defaults[child.kind].fields.items()}
                    fields.update({k: v.text for k, v in child.settings.items()})
                    entry["listeners"].append([child.kind, child.name, fields, child])
        return out

    def listeners(self) -> list[InetListener]:
        """The TCP listeners a running Dovecot opens, in service order (port 0 is off)."""
        enabled = set(self.protocols)
        listen = [a.strip() for a in self.get("listen").split(",") if a.strip()]
        out = []
        for name, entry in self.services().items():
            proto = entry["fields"].get("protocol", "")
            if proto and proto not in enabled:
                continue
            for kind, lname, fields, section in entry["listeners"]:
                if kind != "inet_listener":
                    continue
                port = int(fields.get("port", "0") or 0)
                if port == 0:
                    continue
                addr = fields.get("address", "")
                addresses = (
                    tuple(a.strip() for a in addr.split(",") if a.strip())
                    if addr
                    else tuple(listen)
                )
                value = section.settings.get("port") if section is not None else None
                out.append(
                    InetListener(name, lname, port, fields.get("ssl") == "yes", addresses, value)
                )
        return out

    # -- checks the real tools run after parsing ---------------------------------

    def check_error(self) -> str | None:
        """The first settings-check error (``duplicate listener: 110:``), or None."""
        if self._check is None:
            self._check = (self._run_checks(),)
        return self._check[0]

    def _run_checks(self) -> str | None:
        for kind in ("passdb", "userdb"):
            for section in self.root.all(kind):
                if "driver" not in section.settings or not section.settings["driver"].text:
                    return f"{kind} is missing driver"
        verbose = self.get("auth_verbose_passwords")
        if verbose not in ("no", "yes", "plain", "sha1") and not verbose.startswith("sha1:"):
            return "auth_verbose_passwords: Invalid value"
        if not self.get("listen"):
            return "listen can't be set empty"
        for which in ("uid", "gid"):
            first = int(self.get(f"first_valid_{which}") or 0)
            last = int(self.get(f"last_valid_{which}") or 0)
            if last != 0 and first > last:
                return f"first_valid_{which} can't be larger than last_valid_{which}"
        known = self.table.protocols
        for proto in self.protocols:
            if proto not in known:
                return f"protocols: Unknown protocol: {proto}"
        enabled = set(self.protocols)
        base_dir = self.get("base_dir").rstrip("/")
        seen: list[str] = []
        default_limit = int(self.get("default_process_limit") or 0)
        for name, entry in self.services().items():
            fields = entry["fields"]
            proto = fields.get("protocol", "")
            if proto and proto not in enabled:
                continue
            chroot = fields.get("chroot", "")
            if fields.get("drop_priv_before_exec") == "yes" and chroot:
                return f"service({name}): drop_priv_before_exec=yes can't be used with chroot"
            limit = int(fields.get("process_limit", "0") or 0) or default_limit
            if int(fields.get("process_min_avail", "0") or 0) > limit:
                return f"service({name}): process_min_avail is higher than process_limit"
            from mailsim.dovecot.settings import parse_size

            vsz = parse_size(fields.get("vsz_limit", "0").replace(" ", ""))
            if vsz != 0 and vsz < 1024 * 1024:
                return f"service({name}): vsz_limit is too low"
            for kind, lname, lfields, _section in entry["listeners"]:
                if kind == "inet_listener":
                    port = int(lfields.get("port", "0") or 0)
                    if port:
                        seen.append(f"{port}:{lfields.get('address', '')}")
                    continue
                path = lname
                if not path:
                    return f"service({name}): {kind}: path must not be empty"
                seen.append(path if path.startswith("/") else f"{base_dir}/{path}")
        seen.sort()
        for a, b in zip(seen, seen[1:], strict=False):
            if a == b:
                return f"duplicate listener: {b}"
        return None


_CACHE: dict[tuple[str, str, bool], tuple[list[tuple[str, object]], DovecotConfig]] = {}


def _stamps(machine: Machine, files: list[str]) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for path in files:
        try:
            host = str(machine.host_path(machine.resolve(path)))
            st = os.stat(host)
            out.append((path, (st.st_mtime_ns, st.st_size, st.st_ino)))
        except OSError:
            out.append((path, None))
    return out


def load(machine: Machine, path: str = DEFAULT_PATH, expand: bool = False) -> DovecotConfig:
    """The configuration rooted at ``path`` (parsed once while its files are unchanged).

    ``expand`` reads ``<file`` values and expands every ``$variable``, as
    ``doveconf -x`` and the starting daemon do.
    """
    key = (str(machine.root), path, expand)
    hit = _CACHE.get(key)
    if hit is not None and _stamps(machine, [p for p, _ in hit[0]]) == hit[0]:
        return hit[1]
    parsed = parse(machine, path, expand)
    config = DovecotConfig(parsed)
    files = list(dict.fromkeys([path, *parsed.files]))
    _CACHE[key] = (_stamps(machine, files), config)
    return config
