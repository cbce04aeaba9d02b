"""``*.db`` files (hash: and btree: tables) in a format of our own.

Real Postfix writes Berkeley DB files, which the Python standard library cannot
write (the ``dbm`` modules are other formats, and optional). So a simulated
``/etc/aliases.db`` is a small text file: one header line naming the format and
the table type, then JSON with the entries in insertion order. What matters to a
learner is kept: the file exists on the machine with its own owner, mode and
modification time, so "edited /etc/aliases but did not run newaliases" shows as
a database older than its source, and a lookup reads the stale entries, as the
real local(8) does.
"""

from __future__ import annotations

import errno
import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine

MAGIC = "mailsim-db 1"


@dataclass
class DbFile:
    """The content of one database file."""

    kind: str
    """"hash" or "btree"."""
    entries: dict[str, str]


def encode(kind: str, entries: dict[str, str]) -> str:
    body = json.dumps({"entries": [[k, v] for k, v in entries.items()]}, ensure_ascii=False)
    return f"{MAGIC} {kind}\n{body}\n"


def decode(text: str) -> DbFile | None:
    """The database in ``text``, or None when it is not one of ours."""
    header, _, body = text.partition("\n")
    words = header.split()
    if " ".join(words[:2]) != MAGIC or len(words) != 3:
        return None
    try:
        data = json.loads(body)
        entries = {str(k): str(v) for k, v in data["entries"]}
    except (ValueError, KeyError, TypeError):
        return None
    return DbFile(words[2], entries)


def read(machine: Machine, db_path: str, kind: str, cwd: str = "/") -> DbFile:
    """Open ``db_path`` as a ``kind`` table; raises MapFatal with the real message."""
    from mailsim.postfix.maps import MapFatal

    try:
        db = machine.cached(db_path, decode, cwd)
    except OSError as exc:
        raise MapFatal(
            f"open database {db_path}: {os.strerror(exc.errno or errno.ENOENT)}"
        ) from None
    if db is None or db.kind != kind:
        shown = db_path if db_path.startswith("/") else "./" + db_path
        prefix = f"BDB0641 __db_meta_setup: {shown}: unexpected file type or format\n"
        raise MapFatal(f"open database {db_path}: Invalid argument", prefix=prefix)
    return db


def write(
    machine: Machine,
    db_path: str,
    kind: str,
    entries: dict[str, str],
    source: str | None = None,
    cwd: str = "/",
) -> None:
    """Write a database; like postmap/postalias, it is owned as its source is, and keeps
    the source's read restrictions (group/other bits the source lacks stay off)."""
    machine.write_text(db_path, encode(kind, entries), cwd)
    if source is None:
        return
    try:
        st = machine.stat(source, cwd)
    except OSError:
        return
    machine.set_meta(db_path, cwd, owner=st.owner, group=st.group, mode=0o644 & (st.mode | 0o600))


def db_path_of(source: str) -> str:
    return source + ".db"


def is_stale(machine: Machine, source_path: str, kind: str = "hash") -> bool:
    """True when ``source_path.db`` is missing or older than ``source_path`` (or not a
    ``kind`` database): the state after editing a table without running postmap/newaliases."""
    try:
        source = machine.stat(source_path)
    except OSError:
        return False
    try:
        db = machine.stat(db_path_of(source_path))
    except OSError:
        return True
    if db.mtime < source.mtime:
        return True
    if db.mtime == source.mtime and _written_after(machine, source.path, db.path):
        return True
    try:
        found = decode(machine.read_text(db_path_of(source_path)))
    except OSError:
        return True
    return found is None or found.kind != kind


def _written_after(machine: Machine, source: str, db: str) -> bool:
    """Equal times (a fixed clock, or one second): the event log's order decides."""
    last: dict[str, int] = {}
    for event in machine.events:
        if event.get("kind") in ("write", "rename") and event.get("path") in (source, db):
            last[event["path"]] = int(event.get("seq", 0))
    return last.get(source, 0) > last.get(db, 0)


def lookup(machine: Machine, spec: str, key: str) -> str | None:
    """``lookup(machine, "hash:/etc/aliases", "postmaster")`` → the value the table gives now."""
    from mailsim.postfix import maps

    return maps.lookup(machine, spec, key)
