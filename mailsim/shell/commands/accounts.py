"""Accounts: id, whoami, su, sudo, useradd and passwd as Debian 12 has them
(coreutils 9.1, util-linux 2.38 su, sudo 1.9.13, shadow 4.13 with PAM's yescrypt)."""

from __future__ import annotations

import re

from mailsim.machine.users import User
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command


def _try(ctx: Context) -> None:
    ctx.err(f"Try '{ctx.name} --help' for more information.\n")


def groups_of(ctx: Context, user: User) -> list[tuple[int, str]]:
    """(gid, name) of the primary group, then supplementary groups in /etc/group order."""
    groups = ctx.machine.groups()
    by_gid = {g.gid: g.name for g in groups.values()}
    out = [(user.gid, by_gid.get(user.gid, str(user.gid)))]
    for group in groups.values():
        if user.name in group.members and group.gid != user.gid:
            out.append((group.gid, group.name))
    return out


def find_user(ctx: Context, spec: str) -> User | None:
    users = ctx.machine.users()
    if spec in users:
        return users[spec]
    if spec.isdigit():
        for user in users.values():
            if user.uid == int(spec):
                return user
    return None


@command(
    "id",
    synopsis="id [OPTION]... [USER]...",
    summary="print real and effective user and group IDs",
    completes="users",
)
def id_(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "agGnruzZ",
            ["context", "group", "groups", "name", "real", "user", "zero", "help", "version"],
        )
    except GetoptError as exc:
        ctx.err(f"id: {exc}\n")
        _try(ctx)
        return 1
    short = {
        "--group": "-g",
        "--groups": "-G",
        "--name": "-n",
        "--real": "-r",
        "--user": "-u",
        "--zero": "-z",
        "--context": "-Z",
    }
    flags = [short.get(o, o) for o, _ in opts]
    if "--version" in flags:
        ctx.out("id (GNU coreutils) 9.1\n")
        return 0
    if "-Z" in flags:
        ctx.err("id: --context (-Z) works only on an SELinux-enabled kernel\n")
        return 1
    choices = {f for f in flags if f in ("-u", "-g", "-G")}
    if len(choices) > 1:
        ctx.err('id: cannot print "only" of more than one choice\n')
        return 1
    if not choices and ({"-n", "-r"} & set(flags)):
        ctx.err("id: cannot print only names or real IDs in default format\n")
        return 1
    targets: list[User | None] = []
    status = 0
    for spec in operands or [""]:
        if not spec:
            targets.append(ctx.user)
            continue
        user = find_user(ctx, spec)
        if user is None:
            ctx.err(f"id: ‘{spec}’: no such user\n")
            status = 1
            continue
        targets.append(user)
    names = "-n" in flags
    end = "\0" if "-z" in flags else "\n"
    by_gid = {g.gid: g.name for g in ctx.machine.groups().values()}
    for user in targets:
        assert user is not None
        if "-u" in choices:
            ctx.out((user.name if names else str(user.uid)) + end)
        elif "-g" in choices:
            ctx.out((by_gid.get(user.gid, str(user.gid)) if names else str(user.gid)) + end)
        elif "-G" in choices:
            sep = "\0" if "-z" in flags else " "
            items = [name if names else str(gid) for gid, name in groups_of(ctx, user)]
            ctx.out(sep.join(items) + end)
        else:
            groups = ",".join(f"{gid}({name})" for gid, name in groups_of(ctx, user))
            primary = by_gid.get(user.gid, str(user.gid))
            ctx.out(f"uid={user.uid}({user.name}) gid={user.gid}({primary}) groups={groups}\n")
    return status


@command("whoami", synopsis="whoami [OPTION]...", summary="print effective user name")
def whoami(ctx: Context) -> int:
    if ctx.args and ctx.args[0].startswith("-") and ctx.args[0] not in ("--",):
        if ctx.args[0] == "--version":
            ctx.out("whoami (GNU coreutils) 9.1\n")
            return 0
        ctx.err(
            f"whoami: unrecognized option '{ctx.args[0]}'\n"
            if ctx.args[0].startswith("--")
            else f"whoami: invalid option -- '{ctx.args[0][1:2]}'\n"
        )
        _try(ctx)
        return 1
    operands = [a for a in ctx.args if a != "--"]
    if operands:
        ctx.err(f"whoami: extra operand ‘{operands[0]}’\n")
        _try(ctx)
        return 1
    ctx.out(ctx.user.name + "\n")
    return 0


def shadow_hash(ctx: Context, name: str) -> str:
    try:
        text = ctx.machine.read_text("/etc/shadow")
    except OSError:
        return "*"
    for line in text.splitlines():
        fields = line.split(":")
        if fields[0] == name and len(fields) > 1:
            return fields[1]
    return "*"


def ask_password(ctx: Context, prompt: str) -> str | None:
    """Hidden input; the terminal's newline follows, as PAM's conversation prints it."""
    answer = ctx.terminal.read_secret(prompt)
    ctx.err("\n")
    return answer


def check_password(ctx: Context, user: User, prompt: str = "Password: ") -> bool:
    from mailsim.shell.commands.passwords import verify

    answer = ask_password(ctx, prompt)
    return answer is not None and verify(answer, shadow_hash(ctx, user.name))


def run_as(
    ctx: Context, user: User, login: bool, command_line: str | None, keep_env: bool = False
) -> int:
    """Switch the shell to ``user`` (a new login frame), or run one line as that user."""
    shell = ctx.shell
    if shell is None:
        ctx.err(f"{ctx.name}: cannot run a shell here\n")
        return 1
    if user.shell.endswith(("nologin", "/false")):
        if user.shell.endswith("nologin"):
            ctx.out("This account is currently not available.\n")
        return 1
    before = list(shell.frames)
    caller_cwd, caller_env = shell.cwd, dict(shell.env)
    shell.push_login(user)
    shell.frame.login = login
    if not login:
        frame = shell.frame
        frame.cwd = caller_cwd
        frame.env = caller_env
        if not keep_env:
            frame.env.update(HOME=user.home, SHELL=user.shell or "/bin/sh")
            if user.uid != 0:
                frame.env.update(USER=user.name, LOGNAME=user.name)
    if command_line is None:
        return 0
    from mailsim.shell.session import ExitShell

    try:
        status = shell.run_line(command_line, ctx.stdin, ctx.stdout, ctx.stderr)
    except ExitShell as exc:
        status = exc.status
    finally:
        shell.frames[:] = before
    return status


SU_OPTIONS = (
    "+c:fg:G:lmpPs:w:",
    [
        "command=",
        "session-command=",
        "fast",
        "group=",
        "supp-group=",
        "login",
        "preserve-environment",
        "pty",
        "shell=",
        "whitelist-environment=",
        "help",
        "version",
    ],
)


@command(
    "su",
    synopsis="su [options] [-] [<user> [<argument>...]]",
    summary="run a command with substitute user and group ID",
    completes="users",
)
def su(ctx: Context) -> int:
    args = list(ctx.args)
    login = False
    command_line: str | None = None
    keep_env = False
    # util-linux permutes options, but a lone "-" means --login wherever it stands.
    if "-" in args:
        login = True
        args.remove("-")
    try:
        opts, operands = getopt(args, SU_OPTIONS[0].lstrip("+"), SU_OPTIONS[1])
    except GetoptError as exc:
        ctx.err(f"su: {exc}\n")
        _try(ctx)
        return 1
    for opt, value in opts:
        if opt in ("-l", "--login"):
            login = True
        elif opt in ("-c", "--command", "--session-command"):
            command_line = value
        elif opt in ("-m", "-p", "--preserve-environment"):
            keep_env = True
        elif opt == "--version":
            ctx.out("su from util-linux 2.38.1\n")
            return 0
    name = operands[0] if operands else "root"
    user = ctx.machine.users().get(name)
    if user is None:
        ctx.err(
            f"su: user {name} does not exist or the user entry does not contain all the "
            "required fields\n"
        )
        return 1
    if not ctx.is_root and not check_password(ctx, user):
        ctx.err("su: Authentication failure\n")
        return 1
    return run_as(ctx, user, login, command_line, keep_env)


SUDO_USAGE = """\
usage: sudo -h | -K | -k | -V
usage: sudo -v [-ABknS] [-g group] [-h host] [-p prompt] [-u user]
usage: sudo -l [-ABknS] [-g group] [-h host] [-p prompt] [-U user] [-u user]
            [command [arg ...]]
usage: sudo [-ABbEHknPS] [-r role] [-t type] [-C num] [-D directory] [-g
            group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user]
            [VAR=value] [-i | -s] [command [arg ...]]
usage: sudo -e [-ABknS] [-r role] [-t type] [-C num] [-D directory] [-g
            group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user]
            file ...
"""


def in_sudo_group(ctx: Context, user: User) -> bool:
    return user.uid == 0 or any(name == "sudo" for _, name in groups_of(ctx, user))


@command(
    "sudo",
    synopsis="sudo [-u user] [-i | -s] [command [arg ...]]",
    summary="execute a command as another user",
    completes="commands",
)
def sudo(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "+bEHiklnsSu:vV",
            ["user=", "login", "shell", "list", "validate", "version", "help"],
        )
    except GetoptError as exc:
        ctx.err(f"sudo: {exc}\n{SUDO_USAGE}")
        return 1
    flags = {o for o, _ in opts}
    target_name = next((v for o, v in opts if o in ("-u", "--user")), "root")
    if flags & {"-V", "--version"}:
        ctx.out("Sudo version 1.9.13p3\n")
        return 0
    if flags & {"-k"} and not operands:
        return 0
    if not operands and not flags & {
        "-i",
        "--login",
        "-s",
        "--shell",
        "-l",
        "--list",
        "-v",
        "--validate",
    }:
        ctx.err(SUDO_USAGE)
        return 1
    target = find_user(ctx, target_name.lstrip("#"))
    if target is None:
        ctx.err(
            f"sudo: unknown user {target_name}\nsudo: error initializing audit plugin "
            "sudoers_audit\n"
        )
        return 1
    caller = ctx.user
    if caller.uid != 0:
        if "-n" in flags:
            ctx.err("sudo: a password is required\n")
            return 1
        for attempt in range(3):
            answer = ask_password(ctx, f"[sudo] password for {caller.name}: ")
            from mailsim.shell.commands.passwords import verify

            if answer is not None and verify(answer, shadow_hash(ctx, caller.name)):
                break
            if answer is None:
                ctx.err("sudo: a password is required\n")
                return 1
            if attempt < 2:
                ctx.err("Sorry, try again.\n")
        else:
            ctx.err("sudo: 3 incorrect password attempts\n")
            return 1
        if not in_sudo_group(ctx, caller):
            ctx.err(f"{caller.name} is not in the sudoers file.\n")
            return 1
    if flags & {"-v", "--validate"}:
        return 0
    if flags & {"-l", "--list"}:
        ctx.out(
            f"Matching Defaults entries for {caller.name} on {ctx.machine.hostname}:\n"
            "    env_reset, mail_badpass,\n"
            "    secure_path=/usr/local/sbin\\:/usr/local/bin\\:/usr/sbin\\:/usr/bin\\:/sbin\\:/bin,\n"
            "    use_pty\n\n"
            f"User {caller.name} may run the following commands on {ctx.machine.hostname}:\n"
            "    (ALL : ALL) ALL\n"
        )
        return 0
    if not operands:
        return run_as(ctx, target, bool(flags & {"-i", "--login"}), None)
    line = " ".join(_quote(word) for word in operands)
    if (
        ctx.shell is not None
        and "/" not in operands[0]
        and ctx.shell.registry.find(
            operands[0], "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        )
        is None
    ):
        ctx.err(f"sudo: {operands[0]}: command not found\n")
        return 1
    return run_as(ctx, target, bool(flags & {"-i", "--login"}), line, keep_env=False)


def _quote(word: str) -> str:
    if word and re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


from mailsim.shell.commands.passwd import passwd  # noqa: E402,F401
from mailsim.shell.commands.useradd import useradd  # noqa: E402,F401
