"""``dovecot``: the master process (start, ``stop``, ``reload``, ``-n``/``-a``, ``--version``)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from mailsim.dovecot import config as dconfig
from mailsim.dovecot.settings import table
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

if TYPE_CHECKING:
    from collections.abc import Callable

    from mailsim.shell.context import Context

USAGE = (
    "Usage: dovecot [-F] [-c <config file>] [-p] [-n] [-a] [--help] [--version]\n"
    "       [--build-options] [--hostdomain] [reload] [stop]\n"
)
BUILD_OPTIONS = (
    "Build options: ioloop=epoll notify=inotify openssl io_block_size=8192\n"
    "SQL driver plugins: mysql postgresql sqlite\n"
    "Passdb: checkpassword ldap pam passwd passwd-file shadow sql\n"
    "Userdb: checkpassword ldap(plugin) passwd prefetch passwd-file sql\n"
)
LONG = ["help", "version", "build-options", "hostdomain"]


def _doveconf(ctx: Context, args: list[str]) -> int:
    from mailsim.dovecot.doveconf import main as doveconf

    return _run_as(ctx, "doveconf", doveconf, args)


def _run_as(ctx: Context, name: str, main: Callable[[Context], int], args: list[str]) -> int:
    """Run another program's main on this context, as the master execs it."""
    saved = ctx.argv
    ctx.argv = [name, *args]
    try:
        return main(ctx)
    finally:
        ctx.argv = saved


@command(
    "dovecot",
    synopsis="dovecot [-F] [-c CONFIG] [-n] [-a] [--version] [reload] [stop]",
    summary="Dovecot IMAP and POP3 server",
    subcommands=("reload", "stop"),
)
def main(ctx: Context) -> int:
    from mailsim.dovecot.service import CONTROLLER

    try:
        opts, args = getopt(ctx.args, "+Fc:pnai:", LONG)
    except GetoptError as exc:
        ctx.error(str(exc))
        ctx.err(USAGE)
        return 89
    path = dconfig.DEFAULT_PATH
    dump: str | None = None
    for opt, value in opts:
        if opt == "-c":
            path = ctx.abspath(value)
        elif opt in ("-n", "-a"):
            dump = opt
        elif opt == "--help":
            ctx.out(USAGE)
            return 0
        elif opt == "--version":
            ctx.out(table().version + "\n")
            return 0
        elif opt == "--hostdomain":
            from mailsim.dovecot.doveconf import host_fqdn

            ctx.out(host_fqdn(ctx.machine) + "\n")
            return 0
        elif opt == "--build-options":
            ctx.out(BUILD_OPTIONS)
            return 0
    if dump is not None:
        return _doveconf(ctx, ["-c", path, dump] if dump == "-n" else ["-c", path])
    if args:
        if args[0] in ("stop", "reload"):
            if len(args) > 1:
                ctx.err(f"Error: Extraneous arguments found: {' '.join(args[1:])}\n")
                return 64
            if not ctx.is_root:
                ctx.err("Fatal: Dovecot is not running (read from /run/dovecot/master.pid)\n")
                return 75
            if args[0] == "stop":
                return CONTROLLER.stop(ctx, False)
            return CONTROLLER.reload(ctx, False)
        # anything else is a doveadm command, as the real master execs doveadm
        try:
            doveadm = importlib.import_module("mailsim.dovecot.doveadm").main
        except (ImportError, AttributeError):
            ctx.err("dovecot: doveadm is not available\n")
            return 127
        return _run_as(ctx, "doveadm", doveadm, args)
    if not ctx.is_root:
        ctx.err("Fatal: chdir(/run/dovecot) failed: Permission denied\n")
        return 89
    return CONTROLLER.start(ctx, False, path)
