"""Small process utilities: which, env, clear and sleep, with GNU coreutils 9.1 /
debianutils / ncurses wording as on Debian 12.

date lives in ``system_date``, hostname and uname in ``system_host`` and ps in
``processes``; they are re-exported here, where the command table points.
"""

from __future__ import annotations

import re
import time

from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import REGISTRY, command


def _try(ctx: Context, name: str) -> None:
    ctx.err(f"Try '{name} --help' for more information.\n")


EXTRA_LINKS = {"ip": ("/usr/sbin/ip", "/sbin/ip")}
"""Debian's iproute2 also ships /sbin/ip → /bin/ip, so `which -a ip` finds four."""


def _command_paths(name: str) -> list[str]:
    path = REGISTRY.path_of(name)
    if not path:
        return []
    found = [path]
    if path.startswith("/usr/"):
        found.append(path[4:])  # merged /usr: /bin is /usr/bin
    found.extend(EXTRA_LINKS.get(name, ()))
    return found


@command("which", synopsis="which [-a] filename ...", summary="locate a command")
def which(ctx: Context) -> int:
    args = list(ctx.args)
    show_all = False
    while args and args[0].startswith("-") and args[0] != "-":
        if args[0] == "--":
            args.pop(0)
            break
        for flag in args[0][1:]:
            if flag != "a":
                ctx.err(f"Illegal option -{flag}\n")
                ctx.out("Usage: /usr/bin/which [-a] args\n")
                return 2
        show_all = True
        args.pop(0)
    if not args:
        return 1
    status = 0
    for name in args:
        candidates = [name] if "/" in name else []
        if not candidates:
            known = _command_paths(name) if not REGISTRY.is_builtin(name) else []
            for directory in ctx.env.get("PATH", "").split(":"):
                directory = directory.rstrip("/") or "/"
                candidates.extend(p for p in known if p.rsplit("/", 1)[0] == directory)
        else:
            target = ctx.abspath(name)
            found_name = REGISTRY.name_for_path(target)
            candidates = [name] if found_name else []
        if not candidates:
            status = 1
            continue
        for path in candidates if show_all else candidates[:1]:
            ctx.out(path + "\n")
    return status


@command(
    "env",
    synopsis="env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]",
    summary="run a program in a modified environment",
)
def env(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "+iu:0C:",
            ["ignore-environment", "unset=", "null", "chdir=", "help", "version"],
        )
    except GetoptError as exc:
        ctx.err(f"env: {exc}\n")
        _try(ctx, "env")
        return 125
    environ = dict(ctx.env)
    end = "\n"
    for opt, value in opts:
        if opt in ("-i", "--ignore-environment"):
            environ = {}
        elif opt in ("-u", "--unset"):
            environ.pop(value, None)
        elif opt in ("-0", "--null"):
            end = "\0"
        elif opt == "--version":
            ctx.out("env (GNU coreutils) 9.1\n")
            return 0
    if operands and operands[0] == "-":
        environ = {}
        operands = operands[1:]
    while operands and "=" in operands[0] and not operands[0].startswith("="):
        name, _, value = operands.pop(0).partition("=")
        environ[name] = value
    if not operands:
        for name, value in environ.items():
            ctx.out(f"{name}={value}{end}")
        return 0
    # execvp searches /bin:/usr/bin when PATH is unset; the command gets the environment as is.
    name = operands[0]
    found = None
    if ctx.shell is not None:
        found = (
            name
            if "/" in name
            else ctx.shell.registry.find(name, environ.get("PATH", "/bin:/usr/bin"))
        )
    if ctx.shell is None or found is None:
        ctx.err(f"env: ‘{name}’: No such file or directory\n")
        return 127
    if "/" not in name:
        operands = [ctx.shell.registry.path_of(found) or name] + operands[1:]
    return ctx.shell.dispatch(operands, ctx.stdin, ctx.stdout, ctx.stderr, environ)


CLEAR_SEQUENCE = "\x1b[H\x1b[2J\x1b[3J"
"""What ncurses' clear writes for TERM=xterm-256color (home, erase screen, erase scrollback)."""


@command("clear", synopsis="clear [-Tterminal-type] [-V] [-x]", summary="clear the terminal screen")
def clear(ctx: Context) -> int:
    keep_scrollback = "-x" in ctx.args
    ctx.terminal.clear()
    ctx.out("\x1b[H\x1b[2J" if keep_scrollback else CLEAR_SEQUENCE)
    return 0


@command(
    "sleep", synopsis="sleep NUMBER[SUFFIX]...", summary="delay for a specified amount of time"
)
def sleep(ctx: Context) -> int:
    if not ctx.args:
        ctx.err("sleep: missing operand\n")
        _try(ctx, "sleep")
        return 1
    total = 0.0
    factors = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
    for arg in ctx.args:
        m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)", arg)
        if not m:
            ctx.err(f"sleep: invalid time interval ‘{arg}’\n")
            _try(ctx, "sleep")
            return 1
        total += float(m.group(1)) * factors[m.group(2)]
    deadline = time.monotonic() + total
    while True:
        ctx.terminal.check_cancelled()
        left = deadline - time.monotonic()
        if left <= 0:
            break
        # Wake often enough that Ctrl+C answers at once.
        ctx.terminal.cancel_event.wait(min(left, 0.1))
    return 0


# The command table names system:date, system:hostname, system:uname and system:ps.
from mailsim.shell.commands.processes import ps  # noqa: E402,F401
from mailsim.shell.commands.system_date import date, parse_date, strftime  # noqa: E402,F401
from mailsim.shell.commands.system_host import fqdn, hostname, hosts_entry, uname  # noqa: E402,F401
