"""``doveadm``: Dovecot's administration tool, dispatching to its subcommands.

Global options, configuration reading, usage lists and exit statuses follow
doveadm 2.3.19: ``doveadm`` alone or an unknown command prints the usage list
(status 64), a command group without its subcommand prints the group's list, a
broken configuration stops every command except ``help CMD`` with doveconf's
fatal line (status 89). The subcommands live in ``doveadm_pw``, ``doveadm_auth``
and ``doveadm_admin``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

if TYPE_CHECKING:
    from mailsim.dovecot.config import DovecotConfig
    from mailsim.shell.context import Context

EX_USAGE = 64
EX_NOUSER = 67
EX_NOTFOUND = 68
EX_UNAVAILABLE = 69
EX_TEMPFAIL = 75
EX_NOPERM = 77
FATAL_DEFAULT = 89


class DoveadmExit(Exception):
    """Ends the command with a status after its message was written (i_fatal, lib_exit)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass
class Invocation:
    """What every subcommand gets: the context, its words and the global options."""

    ctx: Context
    name: str
    """The full command name, ``auth test``."""
    args: list[str]
    config_path: str
    overrides: dict[str, str] = field(default_factory=dict)
    debug: bool = False
    formatter: str | None = None
    _config: DovecotConfig | None = None

    @property
    def progname(self) -> str:
        """getopt's program name: the last word of the command (``test: invalid option``)."""
        return self.name.rsplit(" ", 1)[-1]

    def config(self) -> DovecotConfig:
        if self._config is None:
            from mailsim.dovecot import config as dconfig

            self._config = dconfig.load(self.ctx.machine, self.config_path)
        return self._config

    def setting(self, name: str) -> str:
        if name in self.overrides:
            return self.overrides[name]
        return self.config().get(name)

    def fatal(self, message: str, status: int = EX_TEMPFAIL) -> DoveadmExit:
        self.ctx.err(f"Fatal: {message}\n")
        return DoveadmExit(status)

    def error(self, message: str) -> None:
        self.ctx.err(f"Error: {message}\n")

    def getopt(self, short: str, long: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
        """Parse the command's own options as doveadm does (GNU getopt, options anywhere)."""
        try:
            return getopt(self.args, short, long)
        except GetoptError as exc:
            self.ctx.err(f"{self.progname}: {exc}\n")
            raise DoveadmExit(EX_USAGE) from None

    def extraneous(self, extra: list[str]) -> DoveadmExit:
        self.error("Extraneous arguments found: " + " ".join(extra))
        return DoveadmExit(EX_USAGE)

    def help(self) -> DoveadmExit:
        """``help_ver2()``: the command's own usage line on stderr, status 64."""
        self.ctx.err(f"doveadm {self.name} {command_usage(self.name)}\n")
        return DoveadmExit(EX_USAGE)


Handler = Callable[[Invocation], int]


def _handlers() -> dict[str, Handler]:
    from mailsim.dovecot import doveadm_admin, doveadm_auth, doveadm_pw

    return {
        "pw": doveadm_pw.run,
        "auth test": doveadm_auth.auth_test,
        "auth lookup": doveadm_auth.auth_lookup,
        "user": doveadm_auth.user,
        "who": doveadm_admin.who,
        "kick": doveadm_admin.kick,
        "reload": doveadm_admin.reload,
        "stop": doveadm_admin.stop,
        "log find": doveadm_admin.log_find,
        "log test": doveadm_admin.log_test,
        "log reopen": doveadm_admin.log_reopen,
        "log errors": doveadm_admin.log_errors,
        "help": doveadm_admin.help_cmd,
        "config": doveadm_admin.config,
    }


def _all_commands() -> dict[str, str]:
    """Every real command name → usage, from the recorded usage lists."""
    global _COMMANDS
    if _COMMANDS is None:
        from mailsim.dovecot.doveadm_usage import GROUP_USAGE, USAGE

        table: dict[str, str] = {}
        for line in USAGE.splitlines()[2:]:
            name, _, rest = line.strip().partition(" ")
            if name not in GROUP_USAGE:
                table[name] = rest.strip()
        for group, text in GROUP_USAGE.items():
            for line in text.splitlines()[1:]:
                name, _, rest = line.strip().partition(" ")
                rest = rest.strip()
                if _SUBCOMMANDS.fullmatch(rest):
                    # "cache flush", "ring add|remove|status": one more word
                    for sub in rest.split("|"):
                        table[f"{group} {name} {sub}"] = ""
                else:
                    table[f"{group} {name}"] = line.strip()[len(name) :].strip()
        _COMMANDS = table
    return _COMMANDS


_COMMANDS: dict[str, str] | None = None
_SUBCOMMANDS = re.compile(r"[a-z0-9-]+(\|[a-z0-9-]+)*")


def command_usage(name: str) -> str:
    return _all_commands().get(name, "")


def is_command(name: str) -> bool:
    return name in _all_commands()


def _find_command(words: list[str]) -> tuple[str, list[str]] | None:
    """The longest known command name that the words start with."""
    known = _all_commands()
    for size in (3, 2, 1):
        if len(words) >= size:
            name = " ".join(words[:size])
            if name in known:
                return name, words[size:]
    return None


def usage(ctx: Context, prefix: str = "") -> int:
    from mailsim.dovecot.doveadm_usage import GROUP_USAGE, USAGE

    ctx.err(GROUP_USAGE[prefix] if prefix else USAGE)
    return EX_USAGE


def _read_config(ctx: Context, path: str, given: str) -> int | None:
    """doveadm runs doveconf first: its warnings, and its fatal error stops the command."""
    from mailsim.dovecot import config as dconfig

    if not ctx.machine.exists(path):
        # doveadm stats the file itself before running doveconf, naming it as given
        ctx.err(
            f"Fatal: Error reading configuration: stat({given}) failed: No such file or directory\n"
        )
        return EX_TEMPFAIL
    cfg = dconfig.load(ctx.machine, path)

    def named(text: str) -> str:
        # doveconf names the file as it was given to -c
        return text.replace(f" {path} ", f" {given} ").replace(f" {path}:", f" {given}:")

    for warning in cfg.warnings:
        ctx.err(f"doveconf: Warning: {named(warning)}\n")
    if cfg.error is not None:
        ctx.err(f"doveconf: Fatal: {named(str(cfg.error))}\n")
        return FATAL_DEFAULT
    return None


@command(
    "doveadm",
    synopsis="doveadm [-Dv] [-f formatter] COMMAND [ARGS]",
    summary="Dovecot's administration utility",
    subcommands=("pw", "auth", "user", "who", "kick", "reload", "stop", "log", "help", "config"),
    completes="none",
)
def main(ctx: Context) -> int:
    from mailsim.dovecot import config as dconfig

    try:
        opts, words = getopt(ctx.args, "+c:i:ko:OLDf:hv")
    except GetoptError as exc:
        ctx.err(f"doveadm: {exc}\n")
        return FATAL_DEFAULT
    inv = Invocation(ctx, "", [], dconfig.DEFAULT_PATH)
    given = dconfig.DEFAULT_PATH
    for opt, value in opts:
        if opt == "-c":
            given, inv.config_path = value, ctx.abspath(value)
        elif opt == "-o":
            key, _, val = value.partition("=")
            inv.overrides[key] = val
        elif opt == "-D":
            inv.debug = True
        elif opt == "-f":
            inv.formatter = value
    cmd_name = words[0] if words else None
    quick = cmd_name == "help" and len(words) > 1
    if not quick:
        status = _read_config(ctx, inv.config_path, given)
        if status is not None:
            return status
    if cmd_name is None:
        return usage(ctx)
    found = _find_command(words)
    if found is None:
        from mailsim.dovecot.doveadm_usage import GROUP_USAGE

        return usage(ctx, cmd_name if cmd_name in GROUP_USAGE else "")
    inv.name, inv.args = found
    handler = _handlers().get(inv.name)
    if handler is None:
        ctx.err(f"doveadm: mailsim does not simulate 'doveadm {inv.name}'\n")
        return EX_UNAVAILABLE
    try:
        return handler(inv)
    except DoveadmExit as done:
        return done.status
