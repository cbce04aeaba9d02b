"""``postmap``: build, query, list and edit Postfix lookup tables.

postalias shares this machinery (``Tool``); only its source format and its
``key:<TAB>value`` listing differ.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

if TYPE_CHECKING:
    from mailsim.postfix.maps import Table
    from mailsim.shell.context import Context

USAGE = "usage: postmap [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [map_type:]file..."
BULK_ONLY = ("hash", "btree")
Parser = Callable[[str, str, Callable[[str], None], bool, str], dict[str, str]]


class Fatal(Exception):
    """Ends the command with ``NAME: fatal: …`` and status 1."""


class Tool:
    """One run of postmap or postalias: options, and the warning/fatal voice of the tool."""

    def __init__(self, ctx: Context, name: str) -> None:
        self.ctx, self.name = ctx, name
        self.fold = True
        self.dup = "warn"
        self.incremental = False
        self._pid: int | None = None

    def _log(self, text: str) -> None:
        machine = self.ctx.machine
        if self._pid is None:
            self._pid = machine.allocate_pid()
        machine.syslog(f"postfix/{self.name}", self._pid, text)

    def warn(self, message: str) -> None:
        self.ctx.err(f"{self.name}: warning: {message}\n")
        self._log(f"warning: {message}")

    def fatal(self, message: str, prefix: str = "") -> Fatal:
        if prefix:
            self.ctx.err(prefix)
        self.ctx.err(f"{self.name}: fatal: {message}\n")
        self._log(f"fatal: {message}")
        return Fatal(message)

    def open(self, spec: str) -> Table:
        from mailsim.postfix import maps

        kind, name = maps.split_spec(spec)
        try:
            return maps.open_table(self.ctx.machine, kind, name, self.warn, self.fold, self.ctx.cwd)
        except maps.MapFatal as exc:
            raise self.fatal(str(exc), exc.prefix) from None

    def query(self, key: str, specs: list[str]) -> int:
        for spec in specs:
            value = self.open(spec).get(key)
            if value is not None:
                self.ctx.out(value + "\n")
                return 0
        return 1

    def queries(self, specs: list[str], separator: str) -> int:
        tables: dict[str, Table] = {}
        found = False
        for raw in self.ctx.stdin:
            key = raw.decode("utf-8", "surrogateescape").rstrip("\n")
            for spec in specs:
                if spec not in tables:
                    tables[spec] = self.open(spec)
                value = tables[spec].get(key)
                if value is not None:
                    self.ctx.out(f"{key}{separator}{value}\n")
                    found = True
                    break
        return 0 if found else 1

    def sequence(self, spec: str, separator: str) -> int:
        from mailsim.postfix import maps

        table = self.open(spec)
        try:
            items = table.seq()
        except maps.MapFatal as exc:
            raise self.fatal(str(exc)) from None
        for key, value in items:
            self.ctx.out(f"{key}{separator}{value}\n")
        return 0

    def delete(self, keys: list[str], specs: list[str]) -> int:
        from mailsim.postfix import dbfile, maps

        found = False
        for spec in specs:
            kind, name = maps.split_spec(spec)
            if kind not in BULK_ONLY and kind in maps.SUPPORTED:
                raise self.fatal(f"{kind}:{name} map requires O_RDONLY access mode")
            table = self.open(spec)
            entries = dict(getattr(table, "entries", {}))
            for key in keys:
                folded = key.lower() if self.fold else key
                if folded in entries:
                    del entries[folded]
                    found = True
            dbfile.write(self.ctx.machine, name + ".db", kind, entries, cwd=self.ctx.cwd)
        return 0 if found else 1

    def build(self, spec: str, parse: Parser, extra: Callable[[dict[str, str]], None]) -> None:
        """Create ``spec``'s database from its source (or add stdin's lines with -i)."""
        from mailsim.postfix import dbfile, maps

        kind, name = maps.split_spec(spec)
        machine, cwd = self.ctx.machine, self.ctx.cwd
        if self.incremental:
            text, shown = self.ctx.stdin.read().decode("utf-8", "surrogateescape"), "stdin"
        else:
            try:
                text, shown = machine.read_text(name, cwd), name
            except OSError as exc:
                raise self.fatal(f"open {name}: {os.strerror(exc.errno or 2)}") from None
        if kind not in BULK_ONLY:
            if kind in maps.SUPPORTED:
                raise self.fatal(
                    f"unsupported dictionary type: {kind} does not support bulk-mode creation."
                )
            raise self.fatal(
                f"unsupported dictionary type: {kind}. Is the postfix-{kind} package installed?"
            )
        entries: dict[str, str] = {}
        if self.incremental:
            entries = dict(dbfile.read(machine, name + ".db", kind, cwd).entries)
        for key, value in parse(text, shown, self.warn, self.fold, name + ".db").items():
            if key in entries and self.incremental:
                if self.dup == "warn":
                    self.warn(f'{name}.db: duplicate entry: "{key}"')
                if self.dup != "replace":
                    continue
            entries[key] = value
        extra(entries)
        dbfile.write(
            machine, name + ".db", kind, entries, source=None if self.incremental else name, cwd=cwd
        )


def run_tool(
    ctx: Context,
    tool: Tool,
    optstring: str,
    usage: str,
    parse: Parser,
    separator: str,
    extra: Callable[[dict[str, str]], None],
) -> int:
    """The option handling both tools share."""
    try:
        opts, operands = getopt(ctx.args, optstring)
    except GetoptError as exc:
        ctx.err(f"{tool.name}: {exc}\n")
        try:
            raise tool.fatal(usage)
        except Fatal:
            return 1
    mode, key = "", ""
    try:
        for flag, value in opts:
            if flag in ("-q", "-d", "-s"):
                if mode:
                    raise tool.fatal("specify only one of -s -q or -d")
                mode, key = flag, value
            elif flag == "-f":
                tool.fold = False
            elif flag == "-i":
                tool.incremental = True
            elif flag == "-r":
                tool.dup = "replace"
            elif flag == "-w":
                tool.dup = "ignore"
        if mode == "-s":
            return tool.sequence(operands[0], separator) if operands else 1
        if not operands:
            raise tool.fatal(usage)
        if mode == "-q":
            return tool.queries(operands, separator) if key == "-" else tool.query(key, operands)
        if mode == "-d":
            keys = (
                [line.decode("utf-8", "surrogateescape").rstrip("\n") for line in ctx.stdin]
                if key == "-"
                else [key]
            )
            return tool.delete(keys, operands)
        for spec in operands:
            tool.build(spec, parse, extra)
        return 0
    except Fatal:
        return 1


def parse_postmap_source(
    text: str, path: str, warn: Callable[[str], None], fold: bool, db_path: str
) -> dict[str, str]:
    from mailsim.postfix import maps

    return maps.parse_source(text, path, warn, fold, db_path)


@command(
    "postmap", synopsis=USAGE.removeprefix("usage: "), summary="Postfix lookup table management"
)
def main(ctx: Context) -> int:
    tool = Tool(ctx, "postmap")
    return run_tool(
        ctx, tool, "bc:d:fFhimnNopq:rsuUvw", USAGE, parse_postmap_source, "\t", lambda entries: None
    )
