"""A simulated host whose whole state is one directory.

``Machine(DIR)`` treats ``DIR`` as the simulated ``/``. Every operation takes a
simulated path, resolves it chroot-style (symlinks come from the manifest, so
nothing on the host is ever followed), and acts on the plain host file below
``DIR``. ``DIR/.mailsim`` holds what a disk keeps outside file contents; no
simulated path can reach it.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat as statmod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mailsim.machine import paths
from mailsim.machine.clock import Clock
from mailsim.machine.events import EventLog
from mailsim.machine.host import Interface, parse_interfaces
from mailsim.machine.manifest import Manifest, Meta
from mailsim.machine.users import ROOT, Group, User, parse_group, parse_passwd

STATE_DIR = ".mailsim"


class NotAMachineError(Exception):
    """The directory is not a mailsim machine (no ``.mailsim/version``)."""


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


# The character devices every Debian host has, known without any host file:
# path -> (major, minor, mode, group). Reads of /dev/null and the terminal give
# nothing, /dev/zero and /dev/full give zeros; writes go nowhere (/dev/full: ENOSPC).
DEVICES: dict[str, tuple[int, int, int, str]] = {
    "/dev/null": (1, 3, 0o666, "root"),
    "/dev/zero": (1, 5, 0o666, "root"),
    "/dev/full": (1, 7, 0o666, "root"),
    "/dev/random": (1, 8, 0o666, "root"),
    "/dev/urandom": (1, 9, 0o666, "root"),
    "/dev/tty": (5, 0, 0o666, "tty"),
}
# udev's links to the process's own descriptors; on a terminal they lead to its pty.
DEVICE_LINKS = {
    "/dev/stdin": "/proc/self/fd/0",
    "/dev/stdout": "/proc/self/fd/1",
    "/dev/stderr": "/proc/self/fd/2",
}
_PTY = (136, 0, 0o620, "tty")
# What a read of an endless device returns: enough for head -c and od, bounded.
_ENDLESS = 65536


def _device(resolved: str) -> tuple[int, int, int, str] | None:
    """The device at a resolved path (a descriptor link leads to the terminal)."""
    if not resolved.startswith("/dev/"):
        return None
    return DEVICES.get(resolved) or (_PTY if resolved in DEVICE_LINKS else None)


def _err(code: int, path: str) -> OSError:
    return OSError(code, os.strerror(code), path)


class Machine:
    """One simulated Debian host rooted at a host directory."""

    def __init__(self, root: str | os.PathLike[str], clock: Clock | None = None) -> None:
        self.root = Path(root).resolve()
        self.state = self.root / STATE_DIR
        self.clock = clock or Clock.from_env()
        self.manifest = Manifest(self.state / "manifest.json")
        self.events = EventLog(self.state / "events.jsonl", self.clock.now)
        self._root_str = str(self.root)
        self._cache: dict[tuple[str, Any], tuple[tuple[int, ...], Any]] = {}
        self.locked: Callable[[str], bool] | None = None
        """A lab's guard: paths the learner may not change answer "Permission denied"."""
        self._inside: dict[str, tuple[int, int, int]] = {}

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
            raise _err(errno.ENOENT, path)
        if os.path.islink(host) or (
            resolved != "/" and not os.path.realpath(host).startswith(self._root_str + "/")
        ):
            # A host symlink planted inside DIR: never follow it out of the machine.
            raise _err(errno.EACCES, path)
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
        device = _device(resolved)
        if device is not None:
            major, minor, mode, group = device
            stamp = self._link_time()
            return Stat(resolved, "char", "root", group, mode, 0, stamp, 1, None, (major, minor))
        host = str(self.host_path(resolved))
        if "\0" in host:
            raise _err(errno.ENOENT, path)
        try:
            st = os.stat(host, follow_symlinks=False)
        except FileNotFoundError:
            raise _err(errno.ENOENT, path) from None
        except NotADirectoryError:
            raise _err(errno.ENOTDIR, path) from None
        if statmod.S_ISLNK(st.st_mode) or (resolved != "/" and not self._parent_inside(host)):
            # A host symlink planted inside DIR, as the file or on the way to it.
            raise _err(errno.EACCES, path)
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
            raise _err(errno.EINVAL if self.lexists(path, cwd) else errno.ENOENT, path)
        return target

    def listdir(self, path: str, cwd: str = "/") -> list[str]:
        """Names in a directory, links included, sorted bytewise."""
        resolved, host = self._host(path, cwd)
        try:
            names = set(os.listdir(host))
        except FileNotFoundError:
            raise _err(errno.ENOENT, path) from None
        except NotADirectoryError:
            raise _err(errno.ENOTDIR, path) from None
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
        device = _device(self.resolve(path, cwd))
        if device is not None:
            return self._read_device(device)
        resolved, host = self._host(path, cwd)
        try:
            with open(host, "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            raise _err(errno.ENOENT, path) from None
        except IsADirectoryError:
            raise _err(errno.EISDIR, path) from None
        except NotADirectoryError:
            raise _err(errno.ENOTDIR, path) from None

    @staticmethod
    def _read_device(device: tuple[int, int, int, str]) -> bytes:
        major, minor = device[0], device[1]
        if major != 1 or minor == 3:
            return b""  # /dev/null; the terminal has no input for a file read
        if minor in (8, 9):
            return os.urandom(_ENDLESS)
        return bytes(_ENDLESS)

    def read_text(self, path: str, cwd: str = "/") -> str:
        return self.read_bytes(path, cwd).decode("utf-8", errors="surrogateescape")

    def cached(self, path: str, build: Any, cwd: str = "/") -> Any:
        """``build(text)`` of a file, reused while the file is unchanged (config models)."""
        resolved, host = self._host(path, cwd)
        try:
            st = os.stat(host)
        except FileNotFoundError:
            raise _err(errno.ENOENT, path) from None
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

    # -- changes ---------------------------------------------------------------

    def _guard(self, resolved: str, path: str) -> None:
        if self.locked is not None and self.locked(resolved):
            raise _err(errno.EACCES, path)

    def _touch_time(self, host: str) -> None:
        if self.clock.fixed:
            now = self.clock.now()
            os.utime(host, (now, now))

    def write_bytes(
        self, path: str, data: bytes, cwd: str = "/", append: bool = False, record: bool = True
    ) -> str:
        """Write a file (atomically unless appending); returns the resolved path.

        ``record=False`` keeps routine writes (log lines) out of the event log.
        Writes to a character device are discarded (/dev/full: "No space left").
        """
        device = _device(self.resolve(path, cwd))
        if device is not None:
            if device[:2] == (1, 7):
                raise _err(errno.ENOSPC, path)
            return self.resolve(path, cwd)
        resolved, host = self._host(path, cwd)
        self._guard(resolved, path)
        parent_host = os.path.dirname(host)
        if not os.path.isdir(parent_host):
            raise _err(errno.ENOENT if not os.path.exists(parent_host) else errno.ENOTDIR, path)
        if os.path.isdir(host):
            raise _err(errno.EISDIR, path)
        if append:
            with open(host, "ab") as fh:
                fh.write(data)
        else:
            tmp = f"{parent_host}/.#mailsim-{os.getpid()}-{os.path.basename(host)}"
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, host)
        self._touch_time(host)
        if record:
            self.events.append("write", path=resolved)
        return resolved

    def write_text(
        self, path: str, text: str, cwd: str = "/", append: bool = False, record: bool = True
    ) -> str:
        data = text.encode("utf-8", errors="surrogateescape")
        return self.write_bytes(path, data, cwd, append, record)

    def touch(self, path: str, cwd: str = "/") -> None:
        resolved, host = self._host(path, cwd)
        if os.path.exists(host):
            now = self.clock.now()
            os.utime(host, (now, now))
            self.events.append("write", path=resolved)
        else:
            self.write_bytes(path, b"", cwd)

    def set_mtime(self, path: str, when: float, cwd: str = "/") -> None:
        """Set a file's modification time (touch -d, cp -p); links keep the manifest's."""
        resolved, host = self._host(path, cwd)
        try:
            os.utime(host, (when, when))
        except FileNotFoundError:
            raise _err(errno.ENOENT, path) from None
        self.events.append("write", path=resolved)

    def mkdir(
        self, path: str, cwd: str = "/", parents: bool = False, mode: int | None = None
    ) -> None:
        resolved = paths.normalize(path, cwd)
        if parents:
            current = ""
            for part in [p for p in resolved.split("/") if p]:
                current += "/" + part
                if not self.is_dir(current):
                    self.mkdir(current, mode=mode)
            return
        resolved, host = self._host(path, cwd, follow=False)
        if self.manifest.links.get(resolved) is not None or os.path.lexists(host):
            raise _err(errno.EEXIST, path)
        try:
            os.mkdir(host)
        except FileNotFoundError:
            raise _err(errno.ENOENT, path) from None
        except NotADirectoryError:
            raise _err(errno.ENOTDIR, path) from None
        if mode is not None:
            self.manifest.refresh()
            self.manifest.set(resolved, Meta("root", "root", mode), True)
            self.manifest.save()
        self.events.append("mkdir", path=resolved)

    def remove(self, path: str, cwd: str = "/", recursive: bool = False) -> None:
        """Remove a file or link (or a tree when ``recursive``)."""
        resolved = self.resolve(path, cwd, follow=False)
        self._guard(resolved, path)
        if resolved in self.manifest.links:
            self.manifest.forget(resolved)
            self.manifest.save()
            self.events.append("remove", path=resolved)
            return
        resolved, host = self._host(path, cwd, follow=False)
        if not os.path.lexists(host):
            raise _err(errno.ENOENT, path)
        if os.path.isdir(host):
            if not recursive:
                raise _err(errno.EISDIR, path)
            shutil.rmtree(host)
        else:
            os.unlink(host)
        self.manifest.refresh()
        self.manifest.forget(resolved)
        self.manifest.save()
        self.events.append("remove", path=resolved)

    def rmdir(self, path: str, cwd: str = "/") -> None:
        resolved, host = self._host(path, cwd, follow=False)
        try:
            os.rmdir(host)
        except FileNotFoundError:
            raise _err(errno.ENOENT, path) from None
        except NotADirectoryError:
            raise _err(errno.ENOTDIR, path) from None
        except OSError as exc:
            raise _err(exc.errno or errno.ENOTEMPTY, path) from None
        self.manifest.forget(resolved)
        self.manifest.save()
        self.events.append("remove", path=resolved)

    def rename(self, src: str, dst: str, cwd: str = "/") -> None:
        src_res = self.resolve(src, cwd, follow=False)
        dst_res = self.resolve(dst, cwd, follow=False)
        self._guard(src_res, src)
        self._guard(dst_res, dst)
        if src_res in self.manifest.links:
            if self.lexists(dst_res) and not self.is_dir(dst_res):
                self.remove(dst_res)
            self.manifest.move(src_res, dst_res)
            self.manifest.save()
            self.events.append("rename", path=dst_res, source=src_res)
            return
        _, src_host = self._host(src_res, follow=False)
        _, dst_host = self._host(dst_res, follow=False)
        if not os.path.lexists(src_host):
            raise _err(errno.ENOENT, src)
        try:
            os.replace(src_host, dst_host)
        except FileNotFoundError:
            raise _err(errno.ENOENT, dst) from None
        except IsADirectoryError:
            raise _err(errno.EISDIR, dst) from None
        except OSError as exc:
            raise _err(exc.errno or errno.EIO, dst) from None
        self.manifest.refresh()
        self.manifest.forget(dst_res)
        self.manifest.move(src_res, dst_res)
        self.manifest.save()
        self.events.append("rename", path=dst_res, source=src_res)

    def symlink(self, target: str, path: str, cwd: str = "/") -> None:
        """Record a symlink in the manifest; nothing is created on the host."""
        resolved = self.resolve(path, cwd, follow=False)
        if "\0" in str(self.host_path(resolved)):
            raise _err(errno.EACCES, path)  # /.mailsim stays out of reach
        if self.lexists(resolved):
            raise _err(errno.EEXIST, path)
        parent = paths.parent(resolved)
        if not self.is_dir(parent):
            raise _err(errno.ENOENT, path)
        self.manifest.refresh()
        self.manifest.links[resolved] = target
        self.manifest.save()
        self.events.append("symlink", path=resolved, target=target)

    def set_meta(
        self,
        path: str,
        cwd: str = "/",
        owner: str | None = None,
        group: str | None = None,
        mode: int | None = None,
    ) -> None:
        """chmod/chown: the manifest changes, the host file's bits never do."""
        st = self.stat(path, cwd)
        self._guard(st.path, path)
        self.manifest.refresh()
        meta = Meta(owner or st.owner, group or st.group, st.mode if mode is None else mode)
        self.manifest.set(st.path, meta, st.is_dir)
        self.manifest.save()
        self.events.append("meta", path=st.path)

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
