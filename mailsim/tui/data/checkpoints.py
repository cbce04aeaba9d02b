"""Undo and "what changed since the start" for a machine the learner works on.

After every command line and every save, ``record()`` compares a cheap
fingerprint of the machine (sizes and mtimes) with the last checkpoint and,
when something changed, keeps a copy. ``undo()`` restores the previous copy;
``diff()`` compares the machine with the first one (the start state).
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from mailsim.machine.machine import STATE_DIR, Machine

if TYPE_CHECKING:
    from mailsim.machine.manifest import Manifest

MAX_UNDO = 20
KEEP_STATE = ("lab.json", "history")
"""``.mailsim/`` files an undo keeps: the lab binding (hints used) and the shell history."""
IGNORED_STATE = frozenset({"events.jsonl", "lock", "lab.json", "lab.tmp", "history"})
MAX_DIFF_BYTES = 200_000


class Checkpoints:
    def __init__(self, machine: Machine, folder: Path) -> None:
        self.machine = machine
        self.folder = folder
        self._last_fp: int | None = None

    def _points(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(
            (p for p in self.folder.iterdir() if p.name.isdigit()), key=lambda p: int(p.name)
        )

    @property
    def start(self) -> Path | None:
        points = self._points()
        return points[0] if points else None

    def mark_start(self) -> None:
        """Forget every checkpoint and take the current state as the start."""
        from mailsim.machine.snapshot import snapshot

        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        snapshot(self.machine, self.folder / "0")
        self._last_fp = self._fingerprint()

    def _fingerprint(self) -> int:
        return fingerprint(self.machine.root)

    def record(self) -> bool:
        """Keep a copy when the machine changed since the last checkpoint; True if it did."""
        from mailsim.machine.snapshot import snapshot

        points = self._points()
        if not points:
            self.mark_start()
            return False
        current = self._fingerprint()
        if self._last_fp is None:
            self._last_fp = fingerprint(points[-1])
        if current == self._last_fp:
            return False
        snapshot(self.machine, self.folder / str(int(points[-1].name) + 1))
        self._last_fp = current
        for old in points[1:-MAX_UNDO]:
            shutil.rmtree(old, ignore_errors=True)
        return True

    @property
    def can_undo(self) -> bool:
        return len(self._points()) > 1

    def undo(self) -> bool:
        """Go back to the state before the last change (never past the start)."""
        from mailsim.machine.snapshot import restore

        self.record()
        points = self._points()
        if len(points) < 2:
            return False
        restore(self.machine, points[-2], keep_state=KEEP_STATE)
        shutil.rmtree(points[-1], ignore_errors=True)
        self._last_fp = self._fingerprint()
        return True

    def reset(self) -> bool:
        """Back to the start state (checkpoints after it are dropped)."""
        from mailsim.machine.snapshot import restore

        start = self.start
        if start is None:
            return False
        restore(self.machine, start, keep_state=KEEP_STATE)
        for point in self._points()[1:]:
            shutil.rmtree(point, ignore_errors=True)
        self._last_fp = self._fingerprint()
        return True

    def changed_files(self) -> list[tuple[str, Path | None, Path | None]]:
        """(machine path, start copy or None, current file or None) of every changed file."""
        start = self.start
        if start is None:
            return []
        before = _files(start)
        after = _files(self.machine.root)
        changed = []
        for rel in sorted(set(before) | set(after)):
            a, b = before.get(rel), after.get(rel)
            if a is not None and b is not None and _same(a, b):
                continue
            changed.append(("/" + rel, a, b))
        return changed

    def diff(self) -> str:
        """A unified diff per changed file, machine paths as names, then the owners,
        modes and symlinks that changed (a lab on permissions changes nothing else)."""
        out: list[str] = []
        for path, a, b in self.changed_files():
            old, new = _lines(a), _lines(b)
            if old is None or new is None:
                before = "/dev/null" if a is None else f"a{path}"
                after = "/dev/null" if b is None else f"b{path}"
                out.append(f"Binary files {before} and {after} differ\n")
                continue
            out.extend(
                difflib.unified_diff(
                    old,
                    new,
                    "/dev/null" if a is None else f"a{path}",
                    "/dev/null" if b is None else f"b{path}",
                )
            )
            if out and not out[-1].endswith("\n"):
                out[-1] += "\n"
        start = self.start
        if start is not None:
            out.extend(_metadata_diff(start, self.machine.root))
        return "".join(out)


def fingerprint(root: Path) -> int:
    """Paths, sizes and mtimes of the machine, leaving out what is no change to it:
    the event log, the lock, the lab binding (a hint seen) and the shell history."""
    items: list[tuple[str, int, int]] = []
    state = root / STATE_DIR
    for path in root.rglob("*"):
        if path.parent == state and path.name in IGNORED_STATE:
            continue
        st = path.lstat()
        items.append(
            (
                str(path),
                st.st_size if path.is_file() else 0,
                st.st_mtime_ns if path.is_file() else 0,
            )
        )
    items.sort()
    return hash(tuple(items))


def _files(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if rel == STATE_DIR or rel.startswith(STATE_DIR + "/") or path.is_symlink():
            continue
        if path.is_file():
            found[rel] = path
    return found


def _same(a: Path, b: Path) -> bool:
    sa, sb = a.stat(), b.stat()
    if sa.st_size != sb.st_size:
        return False
    return a.read_bytes() == b.read_bytes()


def _lines(path: Path | None) -> list[str] | None:
    """The file's lines, or None for a binary file (a NUL byte, or one of mailsim's
    database files, whose inside is no more for reading than a real .db's)."""
    from mailsim.postfix.dbfile import MAGIC

    if path is None:
        return []
    data = path.read_bytes()[:MAX_DIFF_BYTES]
    if b"\0" in data or data.startswith(MAGIC.encode()):
        return None
    return data.decode("utf-8", errors="replace").splitlines(keepends=True)


def _manifest(root: Path) -> Manifest:
    from mailsim.machine.manifest import Manifest

    manifest = Manifest(root / STATE_DIR / "manifest.json")
    manifest.refresh()
    return manifest


def _describe(root: Path, manifest: Manifest, path: str) -> str | None:
    """The path as ``ls -ld`` shows it (type and mode, owner, group; a link's target),
    or None when it does not exist on that side."""
    import stat

    target = manifest.links.get(path)
    if target is not None:
        return f"lrwxrwxrwx root root {path} -> {target}"
    host = root / path.lstrip("/")
    if not host.exists():
        return None
    is_dir = host.is_dir()
    meta = manifest.get(path, is_dir)
    kind = stat.S_IFDIR if is_dir else stat.S_IFREG
    return f"{stat.filemode(kind | meta.mode)} {meta.owner} {meta.group} {path}"


def _metadata_diff(start: Path, root: Path) -> list[str]:
    """Owners, modes and symlinks that differ between the start copy and the machine,
    as one diff of ``ls -ld`` lines. Only paths the manifest records on either side can
    differ (a path without an entry has its defaults)."""
    from mailsim.i18n import t

    before, after = _manifest(start), _manifest(root)
    paths = set(before.meta) | set(before.links) | set(after.meta) | set(after.links)
    lines: list[str] = []
    for path in sorted(paths):
        old, new = _describe(start, before, path), _describe(root, after, path)
        if old == new:
            continue
        if old is not None:
            lines.append(f"-{old}\n")
        if new is not None:
            lines.append(f"+{new}\n")
    if not lines:
        return []
    return [f"--- {t('tuiux.diff.meta_start')}\n", f"+++ {t('tuiux.diff.meta_now')}\n", *lines]
