"""The grader's ``alias:`` and ``table:`` checks: a key in a Postfix lookup table.

The table is read as Postfix reads it (the built ``.db`` for hash and btree), and
a source edited after the last build is reported with the command that rebuilds it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailsim.packs.check_values import VALUE_OPS, compare, shown
from mailsim.packs.checks import Check, list_items
from mailsim.packs.messages import Msg

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine
    from mailsim.postfix.config import PostfixConfig


def alias_table(check: Check, cfg: PostfixConfig | Msg) -> str:
    """The alias table a check means: its ``table``, else the first local one in alias_maps."""
    if "table" in check.ops:
        return str(check.ops["table"])
    if not isinstance(cfg, Msg):
        for item in list_items(cfg.expand("alias_maps")):
            if item.split(":", 1)[0] in (
                "hash",
                "btree",
                "texthash",
                "inline",
                "regexp",
                "pcre",
                "cidr",
            ):
                return item
    return "hash:/etc/aliases"


def lookup_problem(
    machine: Machine, spec: str, key: str, check: Check, alias: bool, strict: bool
) -> Msg | None:
    """Why looking ``key`` up in the table ``spec`` fails the check, or None."""
    from mailsim.postfix import dbfile, maps

    kind, name = maps.split_spec(spec)
    try:
        have = maps.open_table(machine, kind, name, lambda _m: None).get(key)
    except maps.MapFatal as exc:
        if kind in maps.DB_TYPES and machine.is_file(name):
            # The source exists but was never built: say which command builds it.
            have = None
        else:
            return Msg("packs.check.table.unreadable", table=spec, error=str(exc))
    stale = kind in maps.DB_TYPES and dbfile.is_stale(machine, name, kind)
    rebuild = "newaliases" if alias else f"postmap {spec}"
    if "exists" in check.ops and bool(check.ops["exists"]) != (have is not None):
        if have is None:
            msg = Msg("packs.check.table.key_missing", key=key, table=spec)
        else:
            msg = Msg("packs.check.table.key_present", key=key, table=spec, have=have)
        return (
            Msg("packs.check.table.stale", file=name, command=rebuild, detail=msg) if stale else msg
        )
    if not (set(check.ops) & VALUE_OPS):
        return None
    if have is None:
        msg = Msg("packs.check.table.key_missing", key=key, table=spec)
    else:
        need = compare(have, check.ops, strict)
        if need is None:
            return None
        msg = Msg("packs.check.table.wrong", key=key, table=spec, have=shown(have), need=need)
    return Msg("packs.check.table.stale", file=name, command=rebuild, detail=msg) if stale else msg
