"""Path arithmetic inside a simulated machine, chroot-style.

Simulated paths are POSIX strings rooted at the machine's ``/``. Nothing here
touches the host: symlinks are looked up through a callable that consults the
metadata manifest, so a link can never lead outside the machine directory.
"""

from __future__ import annotations

from collections.abc import Callable

MAX_LINK_HOPS = 40
"""Linux gives up with ELOOP after 40 links; so do we."""


class LinkLoopError(OSError):
    pass


def normalize(path: str, cwd: str = "/") -> str:
    """Absolute, with ``.``/``..`` folded lexically; ``..`` stops at ``/``."""
    if not path.startswith("/"):
        path = cwd.rstrip("/") + "/" + path
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/" + "/".join(parts)


def parent(path: str) -> str:
    head = path.rsplit("/", 1)[0]
    return head or "/"


def basename(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1] or "/"


def resolve(
    path: str,
    cwd: str,
    readlink: Callable[[str], str | None],
    follow_final: bool = True,
) -> str:
    """Follow symlinks component by component, never leaving the machine.

    ``readlink`` returns a link's target for a simulated absolute path, or None
    when the path is not a link. Absolute targets restart at the machine's root,
    relative ones at the link's directory, as the kernel does inside a chroot.
    """
    if not path.startswith("/"):
        path = cwd.rstrip("/") + "/" + path
    pending = [p for p in path.split("/") if p]
    done: list[str] = []
    hops = 0
    while pending:
        part = pending.pop(0)
        if part == ".":
            continue
        if part == "..":
            if done:
                done.pop()
            continue
        candidate = "/" + "/".join(done + [part])
        target = readlink(candidate) if (pending or follow_final) else None
        if target is None:
            done.append(part)
            continue
        hops += 1
        if hops > MAX_LINK_HOPS:
            raise LinkLoopError(40, "Too many levels of symbolic links", path)
        if target.startswith("/"):
            done = []
        pending = [p for p in target.split("/") if p] + pending
    return "/" + "/".join(done)
