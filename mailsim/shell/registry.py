"""The one registry of simulated commands.

Each provider (core utilities, Postfix, Dovecot, later mail-flow) declares a
table ``name -> (path, "module:function")``; the module is imported only when
the command first runs, which keeps `mailsim exec` and the TUI's start fast.
Metadata (synopsis, summary, subcommands) sits beside the function, declared
with ``@command``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mailsim.shell.context import Context

CommandFunc = Callable[["Context"], int]

PROVIDERS = [
    "mailsim.shell.commands:TABLE",
    "mailsim.postfix.registry:COMMANDS",
    "mailsim.dovecot.registry:COMMANDS",
]
"""Where command tables live. A later layer appends its own here."""

BUILTIN = ""
"""The path of a shell builtin: found whatever PATH says."""


@dataclass(frozen=True)
class CommandInfo:
    """Declared metadata of a command, for help, completion and `which`."""

    name: str
    synopsis: str = ""
    summary: str = ""
    subcommands: tuple[str, ...] = ()
    completes: str = "paths"
    """What TAB completes after the name: "paths", "postfix-params", "dovecot-settings",
    "users", "services", "commands" or "none"."""
    mailsim_only: bool = False
    """Commands the real system lacks (help, edit) say so in their help."""
    aliases: tuple[str, ...] = field(default_factory=tuple)


def command(name: str, **meta: object) -> Callable[[CommandFunc], CommandFunc]:
    """Attach metadata to a command function: ``@command("cat", synopsis="cat [FILE]...")``."""

    def wrap(func: CommandFunc) -> CommandFunc:
        func.command_info = CommandInfo(name, **meta)  # type: ignore[attr-defined, arg-type]
        return func

    return wrap


class Registry:
    """Name → path and implementation, loaded lazily."""

    def __init__(self, providers: list[str] | None = None) -> None:
        self._providers = providers if providers is not None else PROVIDERS
        self._table: dict[str, tuple[str, str]] | None = None
        self._by_path: dict[str, str] = {}
        self._funcs: dict[str, CommandFunc] = {}

    def table(self) -> dict[str, tuple[str, str]]:
        if self._table is None:
            table: dict[str, tuple[str, str]] = {}
            for provider in self._providers:
                module, _, attr = provider.partition(":")
                try:
                    table.update(getattr(importlib.import_module(module), attr))
                except (ImportError, AttributeError):
                    continue  # a layer not built yet
            self._table = table
            self._by_path = {path: name for name, (path, _) in table.items() if path}
        return self._table

    def names(self) -> list[str]:
        return sorted(self.table())

    def path_of(self, name: str) -> str | None:
        entry = self.table().get(name)
        return entry[0] if entry else None

    def is_builtin(self, name: str) -> bool:
        entry = self.table().get(name)
        return entry is not None and entry[0] == BUILTIN

    def name_for_path(self, path: str) -> str | None:
        """``/usr/sbin/postconf`` → ``postconf`` (with Debian's merged /usr)."""
        self.table()
        for candidate in (path, "/usr" + path if path.startswith(("/bin/", "/sbin/")) else path):
            if candidate in self._by_path:
                return self._by_path[candidate]
        return None

    def find(self, name: str, search_path: str) -> str | None:
        """The command a bare name runs under PATH (bash's lookup), or None."""
        entry = self.table().get(name)
        if entry is None:
            return None
        path = entry[0]
        if path == BUILTIN:
            return name
        directory = path.rsplit("/", 1)[0]
        for item in search_path.split(":"):
            item = item.rstrip("/") or "/"
            if item == directory or (item in ("/bin", "/sbin") and "/usr" + item == directory):
                return name
        return None

    def func(self, name: str) -> CommandFunc:
        found = self._funcs.get(name)
        if found is None:
            module, _, attr = self.table()[name][1].partition(":")
            found = getattr(importlib.import_module(module), attr)
            self._funcs[name] = found
        return found

    def info(self, name: str) -> CommandInfo:
        func = self.func(name)
        return getattr(func, "command_info", None) or CommandInfo(name)


REGISTRY = Registry()
