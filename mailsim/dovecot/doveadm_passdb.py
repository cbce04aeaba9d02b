"""What the auth process answers: passdb authentication and userdb lookups.

Passdbs are tried in configuration order and a failed one falls through to the
next (Dovecot's default ``result_failure = continue``): ``pam`` and ``shadow``
check the machine's /etc/shadow through crypt(3) (yescrypt on Debian 12),
``passwd-file`` reads ``user:{SCHEME}hash:uid:gid:gecos:home:shell:extra`` lines,
``static`` compares with its ``password=``. Userdbs give uid, gid, home and mail
(``passwd`` from /etc/passwd, ``passwd-file`` entries that have a uid, ``static``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mailsim.dovecot import schemes

if TYPE_CHECKING:
    from mailsim.dovecot.config import DovecotConfig
    from mailsim.dovecot.parser import Section
    from mailsim.machine.machine import Machine


@dataclass
class AuthResult:
    success: bool
    extra: list[str] = field(default_factory=list)


@dataclass
class UserdbResult:
    fields: list[tuple[str, str]]
    """``doveadm user``'s table rows: uid, gid, home, mail, then extra fields."""
    userdb_fields: list[tuple[str, str]]
    """``doveadm user -u``: what the userdb itself returned."""
    variables: dict[str, str]
    refused: bool = False
    """UID below first_valid_uid: the mail process refuses the user."""


_VAR = re.compile(r"%(?:\{([a-z_]+)\}|([LUT]*)([a-zA-Z%]))")
_SHORT = {"u": "user", "n": "username", "d": "domain", "h": "home", "s": "service", "%": "%"}


def variables(user: str, **more: str) -> dict[str, str]:
    name, at, domain = user.partition("@")
    values = {"user": user, "username": name, "domain": domain if at else "", "%": "%"}
    values.update(more)
    return values


def expand(text: str, values: dict[str, str]) -> str:
    """Dovecot's %-variables (``%u``, ``%Lu``, ``%{user}``, ``%d``…); unknown ones stay."""

    def repl(match: re.Match[str]) -> str:
        if match.group(1):
            key = match.group(1)
            return values.get(key, match.group(0))
        mods, letter = match.group(2), match.group(3)
        key = _SHORT.get(letter)
        if key is None or key not in values:
            return match.group(0)
        value = values[key]
        if "L" in mods:
            value = value.lower()
        if "U" in mods:
            value = value.upper()
        return value

    return _VAR.sub(repl, text)


def _args(section: Section) -> tuple[dict[str, str], str]:
    """``args = scheme=CRYPT username_format=%u /etc/dovecot/users`` → options, path."""
    value = section.settings.get("args")
    words = value.text.split() if value is not None else []
    opts: dict[str, str] = {}
    rest: list[str] = []
    for word in words:
        key, eq, val = word.partition("=")
        if eq and not rest and "/" not in key:
            opts[key] = val
        else:
            rest.append(word)
    return opts, " ".join(rest)


def _driver(section: Section) -> str:
    value = section.settings.get("driver")
    return value.text if value is not None else ""


def _read(machine: Machine, path: str) -> str | None:
    try:
        return machine.read_text(path)
    except (OSError, UnicodeDecodeError):
        return None


def _passwd_file_entry(machine: Machine, path: str, user: str) -> list[str] | None:
    text = _read(machine, path)
    if text is None:
        return None
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split(":")
        if parts[0] == user:
            # the 8th field (extra fields) may itself contain ':'
            return parts[:7] + [":".join(parts[7:])] if len(parts) > 8 else parts
    return None


def _shadow_hash(machine: Machine, user: str) -> str | None:
    text = _read(machine, "/etc/shadow")
    if text is None:
        return None
    for line in text.splitlines():
        parts = line.split(":")
        if len(parts) > 1 and parts[0] == user:
            return parts[1]
    return None


def _check_crypt(password: bytes, stored: str) -> bool:
    if not stored:
        return password == b""  # Debian's pam_unix is configured with nullok
    if stored[0] in "!*":
        return False  # locked or no password
    try:
        schemes.check(password, stored, schemes.Params(), "CRYPT")
    except schemes.SchemeError:
        return False
    return True


def _check_static(password: bytes, wanted: str, user: str) -> bool:
    try:
        schemes.check(password, wanted, schemes.Params(user=user), "PLAIN")
    except schemes.SchemeError:
        return False
    return True


def login_name(config: DovecotConfig, username: str) -> str:
    """The name the auth process works with (``auth_username_format``, %Lu on Debian)."""
    return expand(config.get("auth_username_format") or "%u", variables(username))


def authenticate(
    machine: Machine, config: DovecotConfig, username: str, password: bytes, info: dict[str, str]
) -> AuthResult:
    user = login_name(config, username)
    renamed = [f"original_user={username}"] if user != username else []
    for section in config.root.all("passdb"):
        driver = _driver(section)
        opts, path = _args(section)
        name = expand(opts.get("username_format", "%u"), variables(user))
        extra: list[str] = []
        if driver in ("pam", "shadow"):
            if machine.user(name) is None:
                continue
            stored = _shadow_hash(machine, name)
            ok = stored is not None and _check_crypt(password, stored)
        elif driver == "passwd-file":
            entry = _passwd_file_entry(machine, expand(path, variables(name)), name)
            if entry is None or len(entry) < 2:
                continue
            try:
                schemes.check(
                    password, entry[1], schemes.Params(user=name), opts.get("scheme", "CRYPT")
                )
                ok = True
            except schemes.SchemeError:
                ok = False
            if len(entry) > 7 and entry[7]:
                for item in entry[7].split():
                    # userdb_ fields are kept for the userdb and come back empty here
                    extra.append("" if item.startswith("userdb_") else item)
        elif driver == "static":
            wanted = expand(opts.get("password", ""), variables(name))
            ok = (
                "nopassword" in opts
                or "nopassword" in path.split()
                or _check_static(password, wanted, name)
            )
        else:
            continue
        if ok:
            return AuthResult(True, [f"user={user}", *renamed, *extra])
    return AuthResult(False, [f"user={user}", *renamed])


def lookup(
    machine: Machine, config: DovecotConfig, username: str
) -> list[tuple[str, str | None]] | None:
    """``doveadm auth lookup``: the fields a passdb returns for a user (never the
    password), or None. PAM cannot look users up without authenticating."""
    user = login_name(config, username)
    for section in config.root.all("passdb"):
        driver = _driver(section)
        opts, path = _args(section)
        name = expand(opts.get("username_format", "%u"), variables(user))
        if driver == "passwd-file":
            entry = _passwd_file_entry(machine, expand(path, variables(name)), name)
            if entry is None:
                continue
            fields: list[tuple[str, str | None]] = [("user", user)]
            if len(entry) > 7:
                for item in entry[7].split():
                    key, _, value = item.partition("=")
                    fields.append(("", None) if key.startswith("userdb_") else (key, value))
            return fields
        if driver == "shadow" and machine.user(name) is not None:
            return [("user", user)]
    return None


def user_lookup(machine: Machine, config: DovecotConfig, username: str) -> UserdbResult | None:
    """``doveadm user``: the first userdb that knows the user, or None."""
    user = login_name(config, username)
    for section in config.root.all("userdb"):
        driver = _driver(section)
        opts, path = _args(section)
        uid = gid = home = ""
        extra: list[tuple[str, str]] = []
        if driver == "passwd":
            found = machine.user(user)
            if found is None:
                continue
            uid, gid, home = str(found.uid), str(found.gid), found.home
            extra = [("system_groups_user", user)]
        elif driver == "passwd-file":
            entry = _passwd_file_entry(machine, expand(path, variables(user)), user)
            if entry is None or len(entry) < 3 or not entry[2]:
                continue
            uid = entry[2]
            gid = entry[3] if len(entry) > 3 else ""
            home = entry[5] if len(entry) > 5 else ""
            if len(entry) > 7:
                for item in entry[7].split():
                    key, _, value = item.partition("=")
                    extra.append((key.removeprefix("userdb_"), value))
        elif driver == "static":
            values = variables(user)
            uid = expand(opts.get("uid", ""), values)
            gid = expand(opts.get("gid", ""), values)
            home = expand(opts.get("home", ""), values)
        else:
            continue
        values = variables(user, home=home)
        mail = dict(extra).get("mail")
        if mail is None:
            mail = expand(config.get("mail_location"), values)
        fields = [("user", user)] if user != username else []
        fields += [("uid", uid), ("gid", gid)]
        if home:
            fields.append(("home", home))
        if mail:
            fields.append(("mail", mail))
        fields += [(k, v) for k, v in extra if k not in ("mail", "uid", "gid", "home")]
        userdb_fields = [("user", user)]
        userdb_fields += [(k, v) for k, v in extra if k == "system_groups_user"]
        userdb_fields += [("uid", uid), ("gid", gid)] + ([("home", home)] if home else [])
        userdb_fields += [(k, v) for k, v in extra if k != "system_groups_user"]
        first_uid = int(config.get("first_valid_uid") or 0)
        refused = uid.isdigit() and int(uid) < first_uid
        return UserdbResult(fields, userdb_fields, values, refused)
    return None
