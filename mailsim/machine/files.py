"""Reading a machine's files: path resolution, stat, directory listings, reads.

The reading half of ``Machine`` (``changes.FileChanges`` builds on it, and
``machine.Machine`` on that). Every simulated path is resolved chroot-style and
a host symlink planted inside the machine directory is never followed.
"""

from __future__ import annotations

import errno
import os
import stat as statmod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mailsim.machine import paths
from mailsim.machine.clock import Clock
from mailsim.machine.devices import DEVICE_LINKS, DEVICES, device_at, read_device
from mailsim.machine.manifest import Manifest

STATE_DIR = ".mailsim"
"""The machine's own bookkeeping below its root; no simulated path reaches it."""


@dataclass(frozen=True)
class Stat:
    """What ``stat(2)`` would say of a simulated path."""

    path: str
    kind: str  # "file", "dir", "link" or "char" (a character device)
    owner: str
    group: str
    mode: int  # permission bits incl. setuid/setgid/sticky
    size: int
    mtime: float
    nlink: int = 1
    target: str | None = None
    rdev: tuple[int, int] | None = None
    """(major, minor) of a character device, as ``ls -l`` shows in place of the size."""

    @property
    def is_dir(self) -> bool:
        return self.kind == "dir"

    @property
    def is_file(self) -> bool:
        return self.kind == "file"

    @property
    def is_link(self) -> bool:
        return self.kind == "link"


def os_error(code: int, path: str) -> OSError:
    """The OSError a real system call would raise for ``path``."""
    return OSError(code, os.strerror(code), path)


@contextmanager
def host_errors(path: str) -> Iterator[None]:
    """A failed host call fails as the simulated one: the same errno, the simulated
    path (a host path never reaches the learner), no host traceback chained."""
    try:
        yield
    except FileNotFoundError:
        raise os_error(errno.ENOENT, path) from None
    except NotADirectoryError:
        raise os_error(errno.ENOTDIR, path) from None
    except IsADirectoryError:
        raise os_error(errno.EISDIR, path) from None


class MachineFiles:
    """Queries on a machine's files; ``Machine.__init__`` sets the attributes below."""

    root: Path
    clock: Clock
    manifest: Manifest
    _root_str: str
    _cache: dict[tuple[str, Any], tuple[tuple[int, ...], Any]]
    _inside: dict[str, tuple[int, int, int]]

    # -- paths -----------------------------------------------------------------

    def _readlink_meta(self, path: str) -> str | None:
        return self.manifest.links.get(path)

    def resolve(self, path: str, cwd: str = "/", follow: bool = True) -> str:
        """The simulated absolute path after following symlinks inside the machine."""
        self.manifest.refresh()
        return paths.resolve(path, cwd, self._readlink_meta, follow_final=follow)

    def host_path(self, resolved: str) -> Path:
        """Host path of an already-resolved simulated path (never outside root)."""
        if resolved == "/" or resolved == "":
            return self.root
        if resolved.split("/", 2)[1] == STATE_DIR:
            # .mailsim is invisible inside the machine: map it to a name that cannot exist.
            return self.root / "\0hidden"
        return Path(self._root_str + resolved)

    def _host(self, path: str, cwd: str = "/", follow: bool = True) -> tuple[str, str]:
        """(resolved simulated path, host path string), refusing host symlinks."""
        resolved = self.resolve(path, cwd, follow)
        host = str(self.host_path(resolved))
        if "\0" in host:
            raise os_error(errno.ENOENT, path)
        if os.path.islink(host) or (
            resolved != "/" and not os.path.realpath(host).startswith(self._root_str + "/")
        ):
            # A host symlink planted inside DIR: never follow it out of the machine.
            raise os_error(errno.EACCES, path)
        return resolved, host

    # -- queries ---------------------------------------------------------------

    def lstat(self, path: str, cwd: str = "/") -> Stat:
        return self.stat(path, cwd, follow=False)

    def stat(self, path: str, cwd: str = "/", follow: bool = True) -> Stat:
        resolved = self.resolve(path, cwd, follow)
        target = self.manifest.links.get(resolved) if not follow else None
        if target is None and not follow:
            target = DEVICE_LINKS.get(resolved)
        if target is not None:
            return Stat(
                resolved, "link", "root", "root", 0o777, len(target), self._link_time(), 1, target
            )
        device = device_at(resolved)
        if device is not None:
            major, minor, mode, group = device
            stamp = self._link_time()
            return Stat(resolved, "char", "root", group, mode, 0, stamp, 1, None, (major, minor))
        host = str(self.host_path(resolved))
        if "\0" in host:
            raise os_error(errno.ENOENT, path)
        with host_errors(path):
            st = os.stat(host, follow_symlinks=False)
        if statmod.S_ISLNK(st.st_mode) or (resolved != "/" and not self._parent_inside(host)):
            # A host symlink planted inside DIR, as the file or on the way to it.
            raise os_error(errno.EACCES, path)
        is_dir = statmod.S_ISDIR(st.st_mode)
        meta = self.manifest.get(resolved, is_dir)
        nlink = st.st_nlink if is_dir else 1
        return Stat(
            resolved,
            "dir" if is_dir else "file",
            meta.owner,
            meta.group,
            meta.mode,
            st.st_size if not is_dir else 4096,
            st.st_mtime,
            nlink,
        )

    def _parent_inside(self, host: str) -> bool:
        """Whether a host path's directory really lies inside the machine.

        realpath costs a dozen system calls, so a directory once found inside is
        remembered by its identity: if a host symlink later replaces it (or one of
        its parents), the identity seen through that path changes and it is checked again.
        """
        parent = os.path.dirname(host)
        try:
            st = os.lstat(parent)
        except OSError:
            return True  # nothing there to follow; the caller's stat already failed or will
        identity = (st.st_dev, st.st_ino, st.st_mode)
        if self._inside.get(parent) == identity:
            return True
        real = os.path.realpath(parent)
        if real != self._root_str and not real.startswith(self._root_str + "/"):
            return False
        self._inside[parent] = identity
        return True

    def _link_time(self) -> float:
        try:
            return os.stat(self.manifest._file).st_mtime
        except OSError:
            return self.clock.now()

    def exists(self, path: str, cwd: str = "/") -> bool:
        try:
            self.stat(path, cwd)
            return True
        except OSError:
            return False

    def lexists(self, path: str, cwd: str = "/") -> bool:
        try:
            self.lstat(path, cwd)
            return True
        except OSError:
            return False

    def is_dir(self, path: str, cwd: str = "/") -> bool:
        try:
            return self.stat(path, cwd).is_dir
        except OSError:
            return False

    def is_file(self, path: str, cwd: str = "/") -> bool:
        try:
            return self.stat(path, cwd).is_file
        except OSError:
            return False

    def readlink(self, path: str, cwd: str = "/") -> str:
        resolved = self.resolve(path, cwd, follow=False)
        target = self.manifest.links.get(resolved) or DEVICE_LINKS.get(resolved)
        if target is None:
            raise os_error(errno.EINVAL if self.lexists(path, cwd) else errno.ENOENT, path)
        return target

    def listdir(self, path: str, cwd: str = "/") -> list[str]:
        """Names in a directory, links included, sorted bytewise."""
        resolved, host = self._host(path, cwd)
        with host_errors(path):
            names = set(os.listdir(host))
        if resolved == "/":
            names.discard(STATE_DIR)
        elif resolved == "/dev":
            names.update(name[5:] for name in (*DEVICES, *DEVICE_LINKS))
        prefix = resolved.rstrip("/") + "/"
        for link in self.manifest.links:
            if link.startswith(prefix) and "/" not in link[len(prefix) :]:
                names.add(link[len(prefix) :])
        return sorted(names)

    def read_bytes(self, path: str, cwd: str = "/") -> bytes:
        device = device_at(self.resolve(path, cwd))
        if device is not None:
            return read_device(device)
        resolved, host = self._host(path, cwd)
        with host_errors(path), open(host, "rb") as fh:
            return fh.read()

    def read_text(self, path: str, cwd: str = "/") -> str:
        return self.read_bytes(path, cwd).decode("utf-8", errors="surrogateescape")

    def cached(self, path: str, build: Any, cwd: str = "/") -> Any:
        """``build(text)`` of a file, reused while the file is unchanged (config models)."""
        resolved, host = self._host(path, cwd)
        with host_errors(path):
            st = os.stat(host)
        # ctime and inode too: under a fixed clock every write has the same mtime.
        stamp = (st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_size)
        # Keyed by the builder too: two layers may parse the same file into different models.
        key = (resolved, build)
        hit = self._cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = build(self.read_text(resolved))
        self._cache[key] = (stamp, value)
        return value
