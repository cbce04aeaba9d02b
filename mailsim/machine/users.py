"""Users and groups as the machine's /etc/passwd and /etc/group describe them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class User:
    name: str
    uid: int
    gid: int
    gecos: str
    home: str
    shell: str


@dataclass
class Group:
    name: str
    gid: int
    members: list[str] = field(default_factory=list)


def parse_passwd(text: str) -> dict[str, User]:
    users: dict[str, User] = {}
    for line in text.splitlines():
        fields = line.split(":")
        if len(fields) < 7 or not fields[0]:
            continue
        try:
            uid, gid = int(fields[2]), int(fields[3])
        except ValueError:
            continue
        users.setdefault(fields[0], User(fields[0], uid, gid, fields[4], fields[5], fields[6]))
    return users


def parse_group(text: str) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for line in text.splitlines():
        fields = line.split(":")
        if len(fields) < 4 or not fields[0]:
            continue
        try:
            gid = int(fields[2])
        except ValueError:
            continue
        members = [m for m in fields[3].split(",") if m]
        groups.setdefault(fields[0], Group(fields[0], gid, members))
    return groups


ROOT = User("root", 0, 0, "root", "/root", "/bin/bash")
"""Used when /etc/passwd is missing or broken, so the machine stays usable."""
