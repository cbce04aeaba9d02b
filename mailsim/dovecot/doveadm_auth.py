"""``doveadm auth test|lookup`` and ``doveadm user``: the passdbs and userdbs of the
configuration, answered as the running auth process would.

Without a running Dovecot the real commands cannot reach the auth sockets and
say so; with it, passdbs are tried in order (pam and shadow against the
machine's /etc/shadow, passwd-file with ``{SCHEME}`` hashes, static) and userdbs
give uid, gid, home and mail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailsim.dovecot import doveadm_passdb as passdb
from mailsim.dovecot.doveadm import EX_NOPERM, EX_NOUSER, EX_TEMPFAIL, DoveadmExit
from mailsim.dovecot.doveadm_pw import PasswordReader
from mailsim.machine import services

if TYPE_CHECKING:
    from mailsim.dovecot.doveadm import Invocation


def _running(inv: Invocation) -> bool:
    return services.get_state(inv.ctx.machine, "dovecot").running


def _socket(inv: Invocation, given: str | None, name: str) -> str:
    if given is not None:
        return given
    return inv.setting("base_dir").rstrip("/") + "/" + name


def _auth_info(inv: Invocation, opts: list[tuple[str, str]]) -> dict[str, str]:
    info: dict[str, str] = {}
    for opt, value in opts:
        if opt in ("-x", "--auth-info"):
            key, _, val = value.partition("=")
            info[key] = val
    return info


def auth_test(inv: Invocation) -> int:
    ctx = inv.ctx
    opts, words = inv.getopt("a:x:M:", ["socket-path=", "auth-info=", "master-user="])
    if not words:
        raise inv.help()
    if len(words) > 2:
        raise inv.extraneous(words[2:])
    username = words[0]
    socket = _socket(
        inv, next((v for o, v in opts if o in ("-a", "--socket-path")), None), "auth-client"
    )
    if len(words) > 1:
        password = words[1].encode("utf-8", "surrogateescape")
    else:
        password = PasswordReader(ctx).read("Password: ")
    if not _running(inv):
        inv.error(
            f"auth-client: conn unix:{socket}: connect({socket}) failed: No such file or directory"
        )
        return EX_NOPERM
    result = passdb.authenticate(
        ctx.machine, inv.config(), username, password, _auth_info(inv, opts)
    )
    ctx.out(f"passdb: {username} auth {'succeeded' if result.success else 'failed'}\n")
    if result.extra:
        ctx.out("extra fields:\n" + "".join(f"  {field}\n" for field in result.extra))
    return 0 if result.success else EX_NOPERM


def _master_error(inv: Invocation, what: str, username: str, socket: str) -> None:
    """cmd_user_input() when the auth-master socket is missing."""
    inv.error(
        f"auth-master: {what}({username}): connect({socket}) failed: No such file or directory"
    )
    inv.error(f"{what} failed for {username}")


def auth_lookup(inv: Invocation) -> int:
    ctx = inv.ctx
    opts, words = inv.getopt("a:x:f:", ["socket-path=", "auth-info=", "field="])
    if not words:
        raise inv.help()
    socket = _socket(
        inv, next((v for o, v in opts if o in ("-a", "--socket-path")), None), "auth-userdb"
    )
    show_field = next((v for o, v in opts if o in ("-f", "--field")), None)
    status = 0
    for index, username in enumerate(words):
        if index:
            ctx.out("\n")
        if not _running(inv):
            _master_error(inv, "passdb lookup", username, socket)
            status = EX_TEMPFAIL
            continue
        found = passdb.lookup(ctx.machine, inv.config(), username)
        if found is None:
            text = f"passdb lookup: user {username} doesn't exist\n"
            ctx.out(text) if show_field is None else ctx.err(text)
            status = EX_NOUSER
            continue
        if show_field is not None:
            ctx.out("".join(f"{v}\n" for k, v in found if k == show_field and v is not None))
            continue
        ctx.out(f"passdb: {username}\n")
        for key, value in found:
            ctx.out(f"  {key:<10}: {value}\n" if value is not None else f"  {key:<10}\n")
    return status


def user(inv: Invocation) -> int:
    ctx = inv.ctx
    opts, words = inv.getopt(
        "a:x:f:e:u", ["socket-path=", "auth-info=", "field=", "expand-field=", "userdb-only"]
    )
    if not words:
        raise inv.help()
    show_field = expand_field = None
    userdb_only = False
    given_socket = None
    for opt, value in opts:
        if opt in ("-f", "--field"):
            show_field = value
        elif opt in ("-e", "--expand-field"):
            expand_field = value
        elif opt in ("-u", "--userdb-only"):
            userdb_only = True
        elif opt in ("-a", "--socket-path"):
            given_socket = value
    if expand_field is not None and userdb_only:
        inv.error("-e can't be used with -u")
        raise DoveadmExit(64)
    if expand_field is not None and show_field is not None:
        inv.error("-e can't be used with -f")
        raise DoveadmExit(64)
    socket = _socket(inv, given_socket, "auth-userdb")
    table = not userdb_only and show_field is None and expand_field is None
    # The table goes through doveadm's own output stream, flushed when the command
    # ends; plain printf() text is line-buffered on a terminal and otherwise
    # flushed at exit, after the table.
    rows: list[str] = ["field\tvalue\n"] if table else []
    stdio: list[str] = []
    early: list[str] = []
    status = 0
    for index, username in enumerate(words):
        if index:
            (early if ctx.stdout_is_tty else stdio).append("\n")
        if not _running(inv):
            if userdb_only:
                _master_error(inv, "userdb lookup", username, socket)
            else:
                pid = ctx.machine.allocate_pid()
                ctx.err(
                    f"doveadm({username})<{pid}><>: Error: auth-master: userdb lookup({username}): "
                    f"connect({socket}) failed: No such file or directory\n"
                )
            status = EX_TEMPFAIL
            continue
        found = passdb.user_lookup(ctx.machine, inv.config(), username)
        if found is None:
            text = f"\nuserdb lookup: user {username} doesn't exist\n"
            if show_field is not None or expand_field is not None:
                ctx.err(text)
            elif ctx.stdout_is_tty:
                early.append(text)
            else:
                stdio.append(text)
            status = EX_NOUSER
            continue
        if found.refused:
            status = EX_TEMPFAIL
            continue
        if userdb_only:
            lines = [f"userdb: {username}\n"]
            lines += [f"  {k:<10}: {v}\n" for k, v in found.userdb_fields]
            (early if ctx.stdout_is_tty else stdio).append("".join(lines))
        elif show_field is not None:
            shown = dict(found.fields).get(show_field)
            if shown is not None:
                (early if ctx.stdout_is_tty else stdio).append(shown + "\n")
        elif expand_field is not None:
            text = passdb.expand(expand_field, found.variables)
            (early if ctx.stdout_is_tty else stdio).append(text + "\n")
        else:
            rows += [f"{k}\t{v}\n" for k, v in found.fields]
    ctx.out("".join(early) + "".join(rows) + "".join(stdio))
    return status
