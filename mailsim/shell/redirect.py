"""Redirections: bash opens (and truncates) each target before the command runs,
in order, so ``2>&1 >file`` and ``>file 2>&1`` differ as they do in bash."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from mailsim.machine import paths
from mailsim.shell import parser as p
from mailsim.shell.streams import InputStream, OutputStream

if TYPE_CHECKING:
    from mailsim.shell.expand import Expander
    from mailsim.shell.session import Shell


def apply_redirects(
    shell: Shell,
    redirects: list[p.Redirect],
    stdin: InputStream,
    stdout: OutputStream,
    stderr: OutputStream,
    expander: Expander | None = None,
) -> tuple[InputStream, OutputStream, OutputStream, Callable[[], None]] | None:
    """Apply redirections in order. Returns the streams and a closer that writes files."""
    fds: dict[int, object] = {0: stdin, 1: stdout, 2: stderr}
    pending: list[tuple[OutputStream, str, bool]] = []
    expander = expander or shell.expander()
    for r in redirects:
        if r.op in ("<<", "<<-", "<<<"):
            if r.op == "<<<":
                text = " ".join(expander.fields(r.target, glob=False)) + "\n" if r.target else "\n"
            else:
                body = r.heredoc or ""
                text = expander.expand_heredoc(body) if r.heredoc_expand else body
            fds[r.fd] = InputStream(text.encode("utf-8", errors="surrogateescape"))
            continue
        assert r.target is not None
        words = expander.fields(r.target)
        if r.op in (">&", "<&") and len(words) == 1 and words[0].isdigit():
            source = fds.get(int(words[0]))
            if source is None:
                stderr.write(f"bash: {words[0]}: Bad file descriptor\n")
                return None
            fds[r.fd] = source
            continue
        if r.op in (">&", "<&") and words == ["-"]:
            fds[r.fd] = OutputStream()
            continue
        if len(words) != 1:
            stderr.write(f"bash: {r.target.source}: ambiguous redirect\n")
            return None
        target = words[0]
        path = paths.normalize(target, shell.cwd)
        if r.op == "<":
            try:
                data = shell.machine.read_bytes(path)  # the machine knows /dev/null
            except OSError as exc:
                stderr.write(f"bash: {target}: {os.strerror(exc.errno or errno.EIO)}\n")
                return None
            stream = InputStream(data)
            stream.file_size = len(data)  # wc pads as for a regular file
            fds[r.fd] = stream
            continue
        append = r.op in (">>", "&>>")
        # set -C (noclobber) refuses to truncate an existing file; >| still may.
        clobber = r.op == ">|" or "noclobber" not in shell.options
        sink = OutputStream(isatty=False)
        error = _open_for_write(shell, path, append, clobber)
        if error is not None:
            stderr.write(f"bash: {target}: {error}\n")
            return None
        if path == "/dev/stderr":
            sink = stderr
        elif path == "/dev/stdout":
            sink = stdout
        else:
            pending.append((sink, path, append))  # the machine discards /dev/null
        if r.op in ("&>", "&>>", ">&"):
            fds[1] = sink
            fds[2] = sink
        else:
            fds[r.fd] = sink

    def close() -> None:
        for sink, path, append in pending:
            data = sink.getvalue()
            if data or (not append and not _is_device(shell, path)):
                try:
                    shell.machine.write_bytes(path, data, append=append)
                except OSError as exc:
                    stderr.write(f"bash: {path}: {os.strerror(exc.errno or errno.EIO)}\n")

    cmd_in = fds[0] if isinstance(fds[0], InputStream) else InputStream(b"")
    cmd_out = fds[1] if isinstance(fds[1], OutputStream) else stdout
    cmd_err = fds[2] if isinstance(fds[2], OutputStream) else stderr
    return cmd_in, cmd_out, cmd_err, close


def _open_for_write(shell: Shell, path: str, append: bool, clobber: bool) -> str | None:
    """Truncate now, as bash does before the command runs; None when writable."""
    if path in ("/dev/stdout", "/dev/stderr", "/dev/tty"):
        return None
    from mailsim.machine.access import write_refusal

    refusal = write_refusal(shell.machine, path, shell.user)
    if refusal is not None:
        return refusal
    if not append and not clobber and shell.machine.is_file(path):
        return "cannot overwrite existing file"
    if not append and not _is_device(shell, path):
        # O_TRUNC empties a file; a device, /dev/full too, just opens.
        try:
            shell.machine.write_bytes(path, b"")
        except OSError as exc:
            return os.strerror(exc.errno or errno.EIO)
    return None


def _is_device(shell: Shell, path: str) -> bool:
    from mailsim.machine.devices import device_at

    return device_at(shell.machine.resolve(path)) is not None
