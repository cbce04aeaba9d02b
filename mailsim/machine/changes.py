"""Changing a machine's files: writes, directories, removal, renames, links, metadata.

Each change keeps the manifest (owners, modes, symlinks) in step with the host
files and is recorded in the event log, which the grader and the TUI read.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable

from mailsim.machine import paths
from mailsim.machine.devices import device_at, write_error
from mailsim.machine.events import EventLog
from mailsim.machine.files import MachineFiles, host_errors, os_error
from mailsim.machine.manifest import Meta


class FileChanges(MachineFiles):
    """The changing half of ``Machine``'s file operations."""

    events: EventLog
    locked: Callable[[str], bool] | None
    """A lab's guard: paths the learner may not change answer "Permission denied"."""

    # -- changes ---------------------------------------------------------------

    def _guard(self, resolved: str, path: str) -> None:
        if self.locked is not None and self.locked(resolved):
            raise os_error(errno.EACCES, path)

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
        device = device_at(self.resolve(path, cwd))
        if device is not None:
            code = write_error(device)
            if code is not None:
                raise os_error(code, path)
            return self.resolve(path, cwd)
        resolved, host = self._host(path, cwd)
        self._guard(resolved, path)
        parent_host = os.path.dirname(host)
        if not os.path.isdir(parent_host):
            raise os_error(errno.ENOENT if not os.path.exists(parent_host) else errno.ENOTDIR, path)
        if os.path.isdir(host):
            raise os_error(errno.EISDIR, path)
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
        with host_errors(path):
            os.utime(host, (when, when))
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
            raise os_error(errno.EEXIST, path)
        with host_errors(path):
            os.mkdir(host)
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
            raise os_error(errno.ENOENT, path)
        if os.path.isdir(host):
            if not recursive:
                raise os_error(errno.EISDIR, path)
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
        except OSError as exc:  # ENOENT, ENOTDIR, ENOTEMPTY, …: the host's errno, our path
            raise os_error(exc.errno or errno.ENOTEMPTY, path) from None
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
            raise os_error(errno.ENOENT, src)
        try:
            os.replace(src_host, dst_host)
        except OSError as exc:  # ENOENT, EISDIR, ENOTEMPTY, …: the host's errno, our path
            raise os_error(exc.errno or errno.EIO, dst) from None
        self.manifest.refresh()
        self.manifest.forget(dst_res)
        self.manifest.move(src_res, dst_res)
        self.manifest.save()
        self.events.append("rename", path=dst_res, source=src_res)

    def symlink(self, target: str, path: str, cwd: str = "/") -> None:
        """Record a symlink in the manifest; nothing is created on the host."""
        resolved = self.resolve(path, cwd, follow=False)
        if "\0" in str(self.host_path(resolved)):
            raise os_error(errno.EACCES, path)  # /.mailsim stays out of reach
        if self.lexists(resolved):
            raise os_error(errno.EEXIST, path)
        parent = paths.parent(resolved)
        if not self.is_dir(parent):
            raise os_error(errno.ENOENT, path)
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
