"""A simulated host whose whole state is one directory.

``Machine(DIR)`` treats ``DIR`` as the simulated ``/``. Every operation takes a
simulated path, resolves it chroot-style (symlinks come from the manifest, so
nothing on the host is ever followed), and acts on the plain host file below
``DIR``. ``DIR/.mailsim`` holds what a disk keeps outside file contents; no
simulated path can reach it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from mailsim.machine.changes import FileChanges
from mailsim.machine.clock import Clock
from mailsim.machine.devices import DEVICE_LINKS, DEVICES
from mailsim.machine.events import EventLog
from mailsim.machine.files import STATE_DIR, Stat
from mailsim.machine.host import Interface, parse_interfaces
from mailsim.machine.manifest import Manifest
from mailsim.machine.users import ROOT, Group, User, parse_group, parse_passwd

__all__ = ["DEVICES", "DEVICE_LINKS", "STATE_DIR", "Machine", "NotAMachineError", "Stat"]


class NotAMachineError(Exception):
    """The directory is not a mailsim machine (no ``.mailsim/version``)."""


class Machine(FileChanges):
    """One simulated Debian host rooted at a host directory.

    File queries come from ``files.MachineFiles``, file changes from
    ``changes.FileChanges``; this class adds identity, users and small state.
    """

    def __init__(self, root: str | os.PathLike[str], clock: Clock | None = None) -> None:
        self.root = Path(root).resolve()
        self.state = self.root / STATE_DIR
        self.clock = clock or Clock.from_env()
        self.manifest = Manifest(self.state / "manifest.json")
        self.events = EventLog(self.state / "events.jsonl", self.clock.now)
        self._root_str = str(self.root)
        self._cache = {}
        self.locked = None
        self._inside = {}

    @classmethod
    def open(cls, root: str | os.PathLike[str], clock: Clock | None = None) -> Machine:
        """Open an existing machine; raises NotAMachineError with a one-line reason."""
        base = Path(root)
        if not base.is_dir():
            raise NotAMachineError(f"{root}: no such directory")
        if not (base / STATE_DIR / "version").is_file():
            raise NotAMachineError(f"{root}: not a mailsim machine (run 'mailsim init {root}')")
        return cls(base, clock)

    @property
    def image_version(self) -> str:
        return (self.state / "version").read_text(encoding="utf-8").strip()

    # -- identity --------------------------------------------------------------

    def _state_file(self, name: str) -> Path:
        return self.state / name

    @property
    def hostname(self) -> str:
        """The running host name: ``hostname NEW`` wins, else /etc/hostname as it is now."""
        override = self._state_file("hostname")
        if override.is_file():
            return override.read_text(encoding="utf-8").strip() or "localhost"
        try:
            text = self.read_text("/etc/hostname")
        except OSError:
            return "localhost"
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                return line
        return "localhost"

    def set_hostname(self, name: str) -> None:
        self._state_file("hostname").write_text(name + "\n", encoding="utf-8")
        self.events.append("hostname", name=name)

    def interfaces(self) -> list[Interface]:
        try:
            text = self.read_text("/etc/network/interfaces")
        except OSError:
            text = ""
        return parse_interfaces(text)

    def users(self) -> dict[str, User]:
        try:
            users = parse_passwd(self.read_text("/etc/passwd"))
        except OSError:
            users = {}
        users.setdefault("root", ROOT)
        return users

    def groups(self) -> dict[str, Group]:
        try:
            return parse_group(self.read_text("/etc/group"))
        except OSError:
            return {"root": Group("root", 0)}

    def user(self, name: str) -> User | None:
        return self.users().get(name)

    # -- small persistent state --------------------------------------------------

    def load_state(self, name: str) -> dict[str, Any]:
        """A JSON document in ``.mailsim/NAME.json`` (services, pids, lab binding, …)."""
        try:
            return json.loads(self._state_file(name + ".json").read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def save_state(self, name: str, data: dict[str, Any]) -> None:
        file = self._state_file(name + ".json")
        tmp = file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, file)

    def allocate_pid(self) -> int:
        """A fresh simulated process id; grows like a real kernel's, wrapping at 32768."""
        state = self.load_state("pids")
        pid = int(state.get("next", 1024))
        state["next"] = pid + 1 if pid < 32767 else 300
        self.save_state("pids", state)
        return pid

    def reserve_pids(self, last: int) -> None:
        """Keep pids up to ``last`` from later processes (children a daemon forked)."""
        state = self.load_state("pids")
        if int(state.get("next", 1024)) <= last < 32767:
            state["next"] = last + 1
            self.save_state("pids", state)

    def syslog(
        self, tag: str, pid: int | None, message: str, log: str = "/var/log/mail.log"
    ) -> None:
        """Append one line to a log in rsyslog's traditional format (as Debian's image sets)."""
        stamp = self.clock.datetime()
        when = f"{stamp:%b} {stamp.day:2d} {stamp:%H:%M:%S}"
        who = f"{tag}[{pid}]" if pid is not None else tag
        line = f"{when} {self.hostname} {who}: {message}\n"
        try:
            self.write_text(log, line, append=True, record=False)
        except OSError:
            pass
