"""useradd (shadow 4.13 as Debian 12 builds it): it writes /etc/passwd, /etc/shadow,
/etc/group and /etc/gshadow as the real tool does, line for line, and fills the home
directory from /etc/skel. passwd is in ``passwd``."""

from __future__ import annotations

import os
import re

from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

USERADD_USAGE = """\
Usage: useradd [options] LOGIN
       useradd -D
       useradd -D [options]

Options:
      --badname                 do not check for bad names
  -b, --base-dir BASE_DIR       base directory for the home directory of the
                                new account
      --btrfs-subvolume-home    use BTRFS subvolume for home directory
  -c, --comment COMMENT         GECOS field of the new account
  -d, --home-dir HOME_DIR       home directory of the new account
  -D, --defaults                print or change default useradd configuration
  -e, --expiredate EXPIRE_DATE  expiration date of the new account
  -f, --inactive INACTIVE       password inactivity period of the new account
  -F, --add-subids-for-system   add entries to sub[ud]id even when adding a system user
  -g, --gid GROUP               name or ID of the primary group of the new
                                account
  -G, --groups GROUPS           list of supplementary groups of the new
                                account
  -h, --help                    display this help message and exit
  -k, --skel SKEL_DIR           use this alternative skeleton directory
  -K, --key KEY=VALUE           override /etc/login.defs defaults
  -l, --no-log-init             do not add the user to the lastlog and
                                faillog databases
  -m, --create-home             create the user's home directory
  -M, --no-create-home          do not create the user's home directory
  -N, --no-user-group           do not create a group with the same name as
                                the user
  -o, --non-unique              allow to create users with duplicate
                                (non-unique) UID
  -p, --password PASSWORD       encrypted password of the new account
  -r, --system                  create a system account
  -R, --root CHROOT_DIR         directory to chroot into
  -P, --prefix PREFIX_DIR       prefix directory where are located the /etc/* files
  -s, --shell SHELL             login shell of the new account
  -u, --uid UID                 user ID of the new account
  -U, --user-group              create a group with the same name as the user
  -Z, --selinux-user SEUSER     use a specific SEUSER for the SELinux user mapping

"""

USERADD_LONG = [
    "badname",
    "base-dir=",
    "btrfs-subvolume-home",
    "comment=",
    "home-dir=",
    "defaults",
    "expiredate=",
    "inactive=",
    "add-subids-for-system",
    "gid=",
    "groups=",
    "help",
    "skel=",
    "key=",
    "no-log-init",
    "create-home",
    "no-create-home",
    "no-user-group",
    "non-unique",
    "password=",
    "system",
    "root=",
    "prefix=",
    "shell=",
    "uid=",
    "user-group",
    "selinux-user=",
]
NAME_RE = re.compile(r"[a-z_][a-z0-9_-]*[$]?")
"""shadow's is_valid_user_name() as Debian builds it."""


def _settings(ctx: Context, path: str, sep: str) -> dict[str, str]:
    try:
        text = ctx.machine.read_text(path)
    except OSError:
        return {}
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if sep == "=":
            key, _, value = line.partition("=")
        else:
            key, _, value = line.partition(" ") if " " in line else line.partition("\t")
        out[key.strip()] = value.strip().strip('"')
    return out


def file_lines(ctx: Context, path: str) -> list[str]:
    """The lines of an account file (/etc/passwd, /etc/shadow...); none when it is missing."""
    try:
        return ctx.machine.read_text(path).splitlines()
    except OSError:
        return []


def write_lines(ctx: Context, path: str, lines: list[str]) -> None:
    ctx.machine.write_text(path, "".join(line + "\n" for line in lines))


def _next_id(used: set[int], low: int, high: int, system: bool) -> int:
    if system:
        # System accounts count down from SYS_*_MAX, as shadow allocates them.
        for candidate in range(high, low - 1, -1):
            if candidate not in used:
                return candidate
        return high
    above = [i for i in used if low <= i <= high]
    candidate = max(above) + 1 if above else low
    while candidate in used:
        candidate += 1
    return candidate


def _int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def _allocate(used: set[int], logindefs: dict[str, str], what: str, system: bool) -> int:
    """The next free UID or GID (``what``) in login.defs' range for a system or a user account."""
    key = ("SYS_" if system else "") + what
    low, high = (100, 999) if system else (1000, 60000)
    return _next_id(
        used,
        _int(logindefs.get(f"{key}_MIN", str(low)), low),
        _int(logindefs.get(f"{key}_MAX", str(high)), high),
        system,
    )


def _usage_error(ctx: Context, message: str) -> int:
    ctx.err(f"useradd: {message}\n{USERADD_USAGE}")
    return 2


@command(
    "useradd", synopsis="useradd [options] LOGIN", summary="create a new user", completes="users"
)
def useradd(ctx: Context) -> int:
    try:
        opts, operands = getopt(ctx.args, "b:c:d:De:f:Fg:G:hk:K:lmMNop:rR:P:s:u:UZ:", USERADD_LONG)
    except GetoptError as exc:
        return _usage_error(ctx, str(exc))
    values: dict[str, str] = {}
    for opt, value in opts:
        key = {
            "--comment": "-c",
            "--home-dir": "-d",
            "--gid": "-g",
            "--groups": "-G",
            "--create-home": "-m",
            "--no-create-home": "-M",
            "--no-user-group": "-N",
            "--password": "-p",
            "--system": "-r",
            "--shell": "-s",
            "--uid": "-u",
            "--user-group": "-U",
            "--help": "-h",
            "--base-dir": "-b",
            "--skel": "-k",
            "--non-unique": "-o",
            "--badname": "--badname",
        }.get(opt, opt)
        values[key] = value
    if "-h" in values:
        ctx.out(USERADD_USAGE)
        return 0
    if len(operands) != 1:
        ctx.err(USERADD_USAGE)
        return 2
    name = operands[0]
    if not ctx.is_root:
        ctx.err("useradd: Permission denied.\nuseradd: cannot lock /etc/passwd; try again later.\n")
        return 1
    if "--badname" not in values and (not NAME_RE.fullmatch(name) or len(name) > 32):
        ctx.err(f"useradd: invalid user name '{name}': use --badname to ignore\n")
        return 3
    machine = ctx.machine
    users = machine.users()
    groups = machine.groups()
    if name in users:
        ctx.err(f"useradd: user '{name}' already exists\n")
        return 9
    defaults = _settings(ctx, "/etc/default/useradd", "=")
    logindefs = _settings(ctx, "/etc/login.defs", " ")
    system = "-r" in values
    user_group = (
        "-g" not in values
        and "-N" not in values
        and ("-U" in values or logindefs.get("USERGROUPS_ENAB", "yes") == "yes")
    )
    if user_group and name in groups:
        ctx.err(
            f"useradd: group {name} exists - if you want to add this user to that group, use -g.\n"
        )
        return 9

    def group_by_spec(spec: str) -> int | None:
        if spec in groups:
            return groups[spec].gid
        if spec.isdigit() and any(g.gid == int(spec) for g in groups.values()):
            return int(spec)
        return None

    supplementary: list[str] = []
    for spec in [s for s in values.get("-G", "").split(",") if s]:
        gid = group_by_spec(spec)
        if gid is None:
            ctx.err(f"useradd: group '{spec}' does not exist\n")
            return 6
        supplementary.append(next(g.name for g in groups.values() if g.gid == gid))
    primary_gid: int | None = None
    if "-g" in values:
        primary_gid = group_by_spec(values["-g"])
        if primary_gid is None:
            ctx.err(f"useradd: group '{values['-g']}' does not exist\n")
            return 6
    used_uids = {u.uid for u in users.values()}
    if "-u" in values:
        if not values["-u"].isdigit():
            ctx.err(f"useradd: invalid user ID '{values['-u']}'\n")
            return 3
        uid = int(values["-u"])
        if uid in used_uids and "-o" not in values:
            ctx.err(f"useradd: UID {uid} is not unique\n")
            return 4
    else:
        uid = _allocate(used_uids, logindefs, "UID", system)
    used_gids = {g.gid for g in groups.values()}
    if primary_gid is None and user_group:
        if system or uid in used_gids:
            primary_gid = _allocate(used_gids, logindefs, "GID", system)
        else:
            primary_gid = uid
    if primary_gid is None:
        primary_gid = _int(defaults.get("GROUP", "100"), 100)
    base = values.get("-b", defaults.get("HOME", "/home"))
    home = values.get("-d", f"{base.rstrip('/')}/{name}")
    # shadow's built-in default when /etc/default/useradd is missing (Debian ships SHELL=/bin/sh).
    shell = values.get("-s", defaults.get("SHELL", "/bin/bash"))
    comment = values.get("-c", "")
    password = values.get("-p", "!")
    day = int(machine.clock.now() // 86400)

    passwd_lines = file_lines(ctx, "/etc/passwd") + [
        f"{name}:x:{uid}:{primary_gid}:{comment}:{home}:{shell}"
    ]
    aging = (
        "::::::"
        if system
        else f":{logindefs.get('PASS_MIN_DAYS', '0')}:"
        f"{logindefs.get('PASS_MAX_DAYS', '99999')}:{logindefs.get('PASS_WARN_AGE', '7')}:::"
    )
    shadow_lines = file_lines(ctx, "/etc/shadow") + [f"{name}:{password}:{day}{aging}"]
    group_lines = _add_members(file_lines(ctx, "/etc/group"), supplementary, name, 3)
    gshadow_lines = _add_members(file_lines(ctx, "/etc/gshadow"), supplementary, name, 3)
    if user_group:
        group_lines.append(f"{name}:x:{primary_gid}:")
        gshadow_lines.append(f"{name}:!::")
    write_lines(ctx, "/etc/passwd", passwd_lines)
    write_lines(ctx, "/etc/shadow", shadow_lines)
    write_lines(ctx, "/etc/group", group_lines)
    if machine.exists("/etc/gshadow"):
        write_lines(ctx, "/etc/gshadow", gshadow_lines)
    create_home = "-m" in values or (
        "-M" not in values
        and not system
        and defaults.get("CREATE_HOME", logindefs.get("CREATE_HOME", "no")).lower() == "yes"
    )
    if create_home:
        group_name = (
            name
            if user_group
            else next((g.name for g in groups.values() if g.gid == primary_gid), str(primary_gid))
        )
        _create_home(
            ctx,
            home,
            name,
            group_name,
            values.get("-k", defaults.get("SKEL", "/etc/skel")),
            logindefs,
        )
    machine.syslog(
        "useradd",
        machine.allocate_pid(),
        f"new user: name={name}, UID={uid}, GID={primary_gid}, home={home}, "
        f"shell={shell}, from=/dev/pts/0",
        log="/var/log/auth.log",
    )
    return 0


def _add_members(lines: list[str], wanted: list[str], user: str, field: int) -> list[str]:
    out = []
    for line in lines:
        fields = line.split(":")
        if len(fields) > field and fields[0] in wanted:
            members = [m for m in fields[field].split(",") if m]
            if user not in members:
                members.append(user)
            fields[field] = ",".join(members)
            line = ":".join(fields)
        out.append(line)
    return out


def _create_home(
    ctx: Context, home: str, owner: str, group: str, skel: str, logindefs: dict[str, str]
) -> None:
    machine = ctx.machine
    if machine.exists(home):
        ctx.err(
            f"useradd: warning: the home directory {home} already exists.\n"
            "useradd: Not copying any file from skel directory into it.\n"
        )
        return
    umask = int(logindefs.get("UMASK", "022"), 8)
    mode = int(logindefs["HOME_MODE"], 8) if "HOME_MODE" in logindefs else 0o777 & ~umask
    try:
        machine.mkdir(home, parents=True)
        machine.set_meta(home, owner=owner, group=group, mode=mode)
        _copy_tree(ctx, skel, home, owner, group)
    except OSError as exc:
        ctx.err(
            f"useradd: cannot create directory {home}\n"
            if exc.filename == home
            else f"useradd: {exc.filename}: {os.strerror(exc.errno or 5)}\n"
        )


def _copy_tree(ctx: Context, src: str, dst: str, owner: str, group: str) -> None:
    machine = ctx.machine
    if not machine.is_dir(src):
        return
    for entry in machine.listdir(src):
        source, target = f"{src.rstrip('/')}/{entry}", f"{dst.rstrip('/')}/{entry}"
        st = machine.lstat(source)
        if st.is_link:
            machine.symlink(machine.readlink(source), target)
            continue
        if st.is_dir:
            machine.mkdir(target)
            _copy_tree(ctx, source, target, owner, group)
        else:
            machine.write_bytes(target, machine.read_bytes(source))
        machine.set_meta(target, owner=owner, group=group, mode=st.mode)
