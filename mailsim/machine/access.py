"""Permission checks for non-root users, from the manifest's owners and modes.

root passes every check, as on Linux (DAC override); alice gets
"Permission denied" reading /etc/shadow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailsim.machine import paths

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine
    from mailsim.machine.users import User

_BITS = {"r": 4, "w": 2, "x": 1}


def group_names(machine: Machine, user: User) -> set[str]:
    names = set()
    for group in machine.groups().values():
        if group.gid == user.gid or user.name in group.members:
            names.add(group.name)
    return names


def may(machine: Machine, path: str, user: User, want: str, cwd: str = "/") -> bool:
    """Whether ``user`` has ``want`` ("r", "w" or "x") on an existing path."""
    if user.uid == 0:
        return True
    st = machine.stat(path, cwd)
    if st.owner == user.name:
        bits = (st.mode >> 6) & 7
    elif st.group in group_names(machine, user):
        bits = (st.mode >> 3) & 7
    else:
        bits = st.mode & 7
    return bool(bits & _BITS[want])


def may_read(machine: Machine, path: str, user: User, cwd: str = "/") -> bool:
    return may(machine, path, user, "r", cwd)


def may_write(machine: Machine, path: str, user: User, cwd: str = "/") -> bool:
    """Write an existing file, or create one in its directory."""
    if user.uid == 0:
        return True
    if machine.exists(path, cwd):
        return may(machine, path, user, "w", cwd)
    parent = paths.parent(paths.normalize(path, cwd))
    return may(machine, parent, user, "w") and may(machine, parent, user, "x")


def write_refusal(machine: Machine, path: str, user: User) -> str | None:
    """Why opening ``path`` for writing fails (the strerror text), or None when it may.

    The checks open(2) makes, in its order: the path is a directory, its parent is
    missing or not a directory, then the user's permission."""
    if machine.is_dir(path):
        return "Is a directory"
    parent = paths.parent(paths.normalize(path, "/"))
    if not machine.is_dir(parent):
        return "No such file or directory" if not machine.exists(parent) else "Not a directory"
    if not may_write(machine, path, user):
        return "Permission denied"
    return None
