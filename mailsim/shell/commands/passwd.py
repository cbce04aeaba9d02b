"""passwd (shadow 4.13 with Debian 12's PAM): status, lock/unlock/delete and a new
password, rewriting the user's /etc/shadow line as the real tool does."""

from __future__ import annotations

from mailsim.shell.commands.useradd import file_lines, write_lines
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

PASSWD_USAGE = """\
Usage: passwd [options] [LOGIN]

Options:
  -a, --all                     report password status on all accounts
  -d, --delete                  delete the password for the named account
  -e, --expire                  force expire the password for the named account
  -h, --help                    display this help message and exit
  -k, --keep-tokens             change password only if expired
  -i, --inactive INACTIVE       set password inactive after expiration
                                to INACTIVE
  -l, --lock                    lock the password of the named account
  -n, --mindays MIN_DAYS        set minimum number of days before password
                                change to MIN_DAYS
  -q, --quiet                   quiet mode
  -r, --repository REPOSITORY   change password in REPOSITORY repository
  -R, --root CHROOT_DIR         directory to chroot into
  -S, --status                  report password status on the named account
  -u, --unlock                  unlock the password of the named account
  -w, --warndays WARN_DAYS      set expiration warning days to WARN_DAYS
  -x, --maxdays MAX_DAYS        set maximum number of days before password
                                change to MAX_DAYS

"""
TOKEN_ERROR = "passwd: Authentication token manipulation error\npasswd: password unchanged\n"


def _set_shadow(ctx: Context, name: str, change: object) -> None:
    """Rewrite one /etc/shadow line; ``change(fields)`` edits the field list in place."""
    lines = file_lines(ctx, "/etc/shadow")
    for index, line in enumerate(lines):
        fields = line.split(":")
        if fields[0] == name:
            while len(fields) < 9:
                fields.append("")
            change(fields)  # type: ignore[operator]
            lines[index] = ":".join(fields)
    write_lines(ctx, "/etc/shadow", lines)


@command(
    "passwd", synopsis="passwd [options] [LOGIN]", summary="change user password", completes="users"
)
def passwd(ctx: Context) -> int:
    from mailsim.shell.commands.accounts import ask_password, shadow_hash
    from mailsim.shell.commands.passwords import HashUnavailable, hash_password, verify

    try:
        opts, operands = getopt(
            ctx.args,
            "adehi:kln:qr:R:Suw:x:",
            [
                "all",
                "delete",
                "expire",
                "help",
                "inactive=",
                "keep-tokens",
                "lock",
                "mindays=",
                "quiet",
                "repository=",
                "root=",
                "status",
                "unlock",
                "warndays=",
                "maxdays=",
            ],
        )
    except GetoptError as exc:
        ctx.err(f"passwd: {exc}\n{PASSWD_USAGE}")
        return 6
    flags = {o.lstrip("-")[:1] if not o.startswith("--") else o for o, _ in opts}
    if "h" in flags or "--help" in flags:
        ctx.out(PASSWD_USAGE)
        return 0
    name = operands[0] if operands else ctx.user.name
    if name not in ctx.machine.users():
        ctx.err(f"passwd: user '{name}' does not exist\n")
        return 1
    if not ctx.is_root and name != ctx.user.name:
        ctx.err(f"passwd: You may not view or modify password information for {name}.\n")
        return 1
    if "S" in flags or "--status" in flags:
        stored = shadow_hash(ctx, name)
        state = "L" if stored.startswith("!") else ("NP" if stored == "" else "P")
        fields = next(
            (
                line.split(":")
                for line in file_lines(ctx, "/etc/shadow")
                if line.split(":")[0] == name
            ),
            [],
        )
        day = int(fields[2]) if len(fields) > 2 and fields[2].isdigit() else 0
        from datetime import UTC, datetime

        when = datetime.fromtimestamp(day * 86400, tz=UTC).strftime("%m/%d/%Y")
        rest = " ".join(
            (fields[i] if len(fields) > i and fields[i] else "-1") for i in (3, 4, 5, 6)
        )
        ctx.out(f"{name} {state} {when} {rest}\n")
        return 0
    if flags & {"l", "u", "d", "--lock", "--unlock", "--delete"}:
        if not ctx.is_root:
            ctx.err("passwd: Permission denied.\n")
            return 1

        def edit(fields: list[str]) -> None:
            if flags & {"l", "--lock"} and not fields[1].startswith("!"):
                fields[1] = "!" + fields[1]
            elif flags & {"u", "--unlock"}:
                fields[1] = fields[1][1:] if fields[1].startswith("!") else fields[1]
            elif flags & {"d", "--delete"}:
                fields[1] = ""

        _set_shadow(ctx, name, edit)
        ctx.out(
            "passwd: password changed.\n"
            if flags & {"d", "--delete"}
            else "passwd: password expiry information changed.\n"
        )
        return 0
    if not ctx.is_root:
        ctx.out(f"Changing password for {name}.\n")
        current = ask_password(ctx, "Current password: ")
        if current is None or not verify(current, shadow_hash(ctx, name)):
            ctx.err(TOKEN_ERROR)
            return 10
    for _attempt in range(3 if not ctx.is_root else 1):
        first = ask_password(ctx, "New password: ")
        if first is None:
            ctx.err(TOKEN_ERROR)
            return 10
        if first == "":
            ctx.err("No password has been supplied.\n")
            continue
        second = ask_password(ctx, "Retype new password: ")
        if second != first:
            ctx.err("Sorry, passwords do not match.\n")
            ctx.err(TOKEN_ERROR)
            return 10
        if not ctx.is_root and len(first) < 6:
            ctx.err("You must choose a longer password.\n")
            continue
        break
    else:
        ctx.err(TOKEN_ERROR)
        return 10
    try:
        hashed = hash_password(first)
    except HashUnavailable:
        ctx.err(TOKEN_ERROR)
        return 10
    today = str(int(ctx.machine.clock.now() // 86400))

    def store(fields: list[str]) -> None:
        fields[1], fields[2] = hashed, today

    _set_shadow(ctx, name, store)
    ctx.err("passwd: password updated successfully\n")
    return 0
