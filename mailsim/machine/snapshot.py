"""Copies of a machine directory: throwaway copies for checks, snapshots for reset and undo.

Host-side code that copies a machine never follows anything out of it: a host
symlink planted inside the directory is skipped (simulated symlinks live in the
manifest, which is copied as a file), special files are skipped, and only
regular files and directories are recreated. The lock file is never copied.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat as statmod
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mailsim.machine.clock import Clock
from mailsim.machine.machine import STATE_DIR, Machine

SKIP_STATE = frozenset({"lock"})
"""Files of ``.mailsim/`` that belong to the running process, not to the machine."""


def copy_tree(src: Path, dest: Path) -> None:
    """Copy the regular files and directories under ``src`` into ``dest`` (created)."""
    dest.mkdir(parents=True, exist_ok=True)
    stack = [(src, dest)]
    while stack:
        here, there = stack.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                if here == src / STATE_DIR and entry.name in SKIP_STATE:
                    continue
                st = entry.stat(follow_symlinks=False)
                target = there / entry.name
                if statmod.S_ISDIR(st.st_mode):
                    target.mkdir(exist_ok=True)
                    stack.append((Path(entry.path), target))
                elif statmod.S_ISREG(st.st_mode):
                    shutil.copyfile(entry.path, target, follow_symlinks=False)
                    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
                # Host symlinks, sockets, fifos and devices are never part of a machine.


def clear_tree(root: Path, keep_state: frozenset[str] = SKIP_STATE) -> None:
    """Remove everything under ``root`` except the given ``.mailsim/`` entries."""
    for entry in os.scandir(root):
        path = Path(entry.path)
        if entry.name == STATE_DIR and entry.is_dir(follow_symlinks=False):
            for inner in os.scandir(path):
                if inner.name in keep_state:
                    continue
                _remove(Path(inner.path))
            continue
        _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def snapshot(machine: Machine, dest: str | os.PathLike[str]) -> Path:
    """Copy the machine into ``dest`` (which must not exist yet); returns its path."""
    target = Path(dest)
    if target.exists():
        raise FileExistsError(str(target))
    copy_tree(machine.root, target)
    return target


def restore(
    machine: Machine, source: str | os.PathLike[str], keep_state: tuple[str, ...] = ()
) -> None:
    """Make the machine exactly the snapshot in ``source`` again.

    ``keep_state`` names ``.mailsim/`` files the machine keeps across the restore
    (a lab binding that records hints used, say).
    """
    src = Path(source)
    kept = {
        name: (machine.state / name).read_bytes()
        for name in keep_state
        if (machine.state / name).is_file()
    }
    clear_tree(machine.root, SKIP_STATE)
    copy_tree(src, machine.root)
    for name, data in kept.items():
        (machine.state / name).write_bytes(data)
    # Under a fixed clock the restored files can have the very mtime and size of the
    # versions read last: forget what was parsed so nothing stale is reused.
    machine.manifest._stamp = None
    machine.manifest.refresh()
    machine._cache.clear()


@contextlib.contextmanager
def throwaway(machine: Machine, clock: Clock | None = None) -> Iterator[Machine]:
    """A temporary copy of ``machine`` that disappears afterwards: a check may run
    commands on it without touching the learner's files, history or logs."""
    with tempfile.TemporaryDirectory(prefix="mailsim-check-") as tmp:
        copy_tree(machine.root, Path(tmp) / "m")
        yield Machine(Path(tmp) / "m", clock or machine.clock)
