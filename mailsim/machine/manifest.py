"""File metadata that a plain directory cannot carry: owners, modes, symlinks.

The host files of a machine stay plain files owned by whoever runs mailsim;
what the simulated ``ls -l`` shows comes from here. Only paths that differ from
their path's defaults are stored, so a file written into the machine directory
from outside simply has its defaults.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

FILE, DIR, LINK = "file", "dir", "link"
_V = TypeVar("_V")


@dataclass
class Meta:
    """Owner, group and permission bits (with setuid/setgid/sticky) of one path."""

    owner: str
    group: str
    mode: int


def default_meta(path: str, is_dir: bool) -> Meta:
    """The metadata a path has unless the manifest says otherwise (the image's rules)."""
    parts = path.split("/")
    if len(parts) >= 3 and parts[1] == "home" and parts[2]:
        user = parts[2]
        if len(parts) == 3:
            return Meta(user, user, 0o700)
        return Meta(user, user, 0o755 if is_dir else 0o644)
    if len(parts) == 4 and parts[1] == "var" and parts[2] == "mail" and parts[3] and not is_dir:
        return Meta(parts[3], "mail", 0o660)
    if path.startswith("/etc/ssl/private/") and not is_dir:
        return Meta("root", "ssl-cert", 0o640)
    if not is_dir and (
        path.startswith(("/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/usr/lib/postfix/"))
    ):
        return Meta("root", "root", 0o755)
    return Meta("root", "root", 0o755 if is_dir else 0o644)


class Manifest:
    """The ``.mailsim/manifest.json`` of one machine, loaded lazily and saved on change."""

    def __init__(self, file: Path) -> None:
        self._file = file
        self._stamp: tuple[int, ...] | None = None
        self.links: dict[str, str] = {}
        self.meta: dict[str, Meta] = {}

    def _current_stamp(self) -> tuple[int, ...] | None:
        try:
            st = os.stat(self._file)
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_ino, st.st_size)

    def refresh(self) -> None:
        """Reload when another process (another `mailsim exec`, the TUI) saved it."""
        stamp = self._current_stamp()
        if stamp == self._stamp:
            return
        self._stamp = stamp
        self.links, self.meta = {}, {}
        if stamp is None:
            return
        data = json.loads(self._file.read_text(encoding="utf-8") or "{}")
        for path, entry in data.items():
            if "link" in entry:
                self.links[path] = entry["link"]
            else:
                self.meta[path] = Meta(entry["owner"], entry["group"], int(entry["mode"], 8))

    def save(self) -> None:
        data: dict[str, dict[str, str]] = {}
        for path in sorted(set(self.links) | set(self.meta)):
            if path in self.links:
                data[path] = {"link": self.links[path]}
            else:
                m = self.meta[path]
                data[path] = {"owner": m.owner, "group": m.group, "mode": f"{m.mode:04o}"}
        tmp = self._file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, self._file)
        self._stamp = self._current_stamp()

    def get(self, path: str, is_dir: bool) -> Meta:
        found = self.meta.get(path)
        return found if found is not None else default_meta(path, is_dir)

    def set(self, path: str, meta: Meta, is_dir: bool) -> None:
        if meta == default_meta(path, is_dir):
            self.meta.pop(path, None)
        else:
            self.meta[path] = meta

    def forget(self, path: str) -> None:
        """Drop a path and everything below it (after rm)."""
        prefix = path.rstrip("/") + "/"
        for table in (self.links, self.meta):
            for key in [k for k in table if k == path or k.startswith(prefix)]:
                del table[key]

    def move(self, src: str, dst: str) -> None:
        """Carry metadata along with a rename."""
        _rekey(self.links, src, dst)
        _rekey(self.meta, src, dst)


def _rekey(table: dict[str, _V], src: str, dst: str) -> None:
    """Move the entries of ``src`` and everything below it to ``dst``."""
    prefix = src.rstrip("/") + "/"
    moved: dict[str, _V] = {}
    for key in [k for k in table if k == src or k.startswith(prefix)]:
        moved[dst + key[len(src) :]] = table.pop(key)
    table.update(moved)


def parse_image_manifest(text: str, where: str = "MANIFEST") -> list[tuple[str, str, list[str]]]:
    """Entries of the image's text MANIFEST: ``(kind, path, fields)``.

    Lines are ``dir PATH OWNER:GROUP MODE``, ``file PATH OWNER:GROUP MODE`` or
    ``link PATH TARGET``; ``#`` starts a comment.
    """
    entries = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split()
        kind = fields[0]
        expected = {"dir": 4, "file": 4, "link": 3}.get(kind)
        if expected is None or len(fields) != expected or not fields[1].startswith("/"):
            raise ValueError(f"{where}:{lineno}: malformed entry: {raw.strip()}")
        entries.append((kind, fields[1], fields[2:]))
    return entries
