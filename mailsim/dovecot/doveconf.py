"""``doveconf``: Dovecot's configuration dumper, as Dovecot 2.3.19 prints it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailsim.dovecot import config as dconfig
from mailsim.dovecot import export
from mailsim.dovecot.parser import Filter, Parsed, Section, _parse_net
from mailsim.dovecot.settings import table
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine
    from mailsim.shell.context import Context

FATAL = 89
"""Dovecot's FATAL_DEFAULT exit status."""

OS_LINE = "OS: Linux 6.1.0-28-amd64 x86_64 Debian 12.8 ext4"
"""sysinfo of the simulated host: a Debian 12 kernel, release and the mail filesystem."""

OPTIONS = "adf:hHm:nNpPexsSc:i:ko:OL"


def host_fqdn(machine: Machine) -> str:
    """my_hostdomain(): the running name resolved through /etc/hosts, as glibc does."""
    name = machine.hostname
    try:
        text = machine.read_text("/etc/hosts")
    except OSError:
        return name
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and name in words[1:]:
            return words[1]
    return name


def header(machine: Machine, path: str) -> tuple[str, str]:
    """The lines printed before parsing, and the two printed after it."""
    tbl = table()
    first = f"# {tbl.version}: {path}\n" + "".join(f"# {b}\n" for b in tbl.banners)
    second = f"# {OS_LINE}\n# Hostname: {host_fqdn(machine)}\n"
    return first, second


def _filter_arg(want: Filter, arg: str) -> str | None:
    key, eq, value = arg.partition("=")
    if key in ("service", "protocol"):
        want.protocol = value
    elif key == "lname":
        want.local_name = value
    elif key in ("local", "remote"):
        net = _parse_net(value)
        if net is None:
            return f"{key} filter: Invalid network mask: {value}"
        if key == "local":
            want.local, want.local_bits = net
        else:
            want.remote, want.remote_bits = net
    else:
        return f"Unknown filter argument: {arg}"
    return None


def _all_strings(
    cfg: dconfig.DovecotConfig,
    scope: str,
    want: Filter | None,
    modules: frozenset[str] | None,
    defaults: bool,
) -> list[str]:
    settings = {} if defaults else export.merged_settings(cfg, want)
    from mailsim.dovecot.parser import Section

    root = Section("", "", "", 0) if defaults else cfg.root
    return export.export_root(root, settings, scope, modules, True, want is not None)


def dump_one(ctx: Context, strings: list[str], name: str, hide_key: bool, hide: bool) -> None:
    """config_dump_one: ``NAME = value``, or the section under a path."""
    section = False
    for item in strings:
        if not item.startswith(name):
            continue
        rest = item[len(name) :]
        if rest.startswith("="):
            ctx.out(f"{rest[1:]}\n" if hide_key else f"{name} = {rest[1:]}\n")
            section = False
            break
        if rest.startswith("/"):
            section = True
    if section:
        text, _ = export.render(strings, 0, name, hide)
        ctx.out(text)


@command(
    "doveconf",
    synopsis="doveconf [-adnNPx] [-c CONFIG] [-f FILTER] [-m MODULE] [SETTING...]",
    summary="Dovecot configuration parser",
    completes="dovecot-settings",
)
def main(ctx: Context) -> int:
    try:
        opts, args = getopt(ctx.args, OPTIONS)
    except GetoptError as exc:
        ctx.error(str(exc))
        return FATAL
    path = dconfig.DEFAULT_PATH
    scope = "all"
    defaults = hide_key = expand = False
    hide = True
    modules: list[str] = []
    want = Filter()
    have_filter = False
    exec_mode = False
    for opt, value in opts:
        flag = opt[1]
        if flag == "e":
            exec_mode = True
            break
        if flag == "c":
            path = ctx.abspath(value)
        elif flag == "d":
            defaults = True
        elif flag == "f":
            have_filter = True
            problem = _filter_arg(want, value)
            if problem:
                ctx.err(f"doveconf: Fatal: {problem}\n")
                return FATAL
        elif flag == "h":
            hide_key = True
        elif flag == "m":
            modules.append(value)
        elif flag == "n":
            scope = "changed"
        elif flag == "N":
            scope = "set"
        elif flag == "P":
            hide = False
        elif flag == "s":
            scope = "all_hidden"
        elif flag == "x":
            expand = True
        elif flag == "i":
            ctx.err(f"doveconf: Fatal: Unknown instance name: {value}\n")
            return FATAL
    if exec_mode:
        ctx.err("doveconf: Fatal: Missing command for -e\n")
        return FATAL
    tbl = table()
    wanted: frozenset[str] | None = None
    if modules:
        names: set[str] = set()
        for module in modules:
            names |= tbl.modules.get(module, frozenset())
        wanted = frozenset(names)
    machine = ctx.machine
    first, second = header(machine, path)
    if args:
        if scope == "all":
            scope = "all_hidden"
    else:
        ctx.out(first)
    if defaults:
        cfg = None
    else:
        cfg = dconfig.load(machine, path, expand)
        for warning in cfg.warnings:
            ctx.err(f"doveconf: Warning: {warning}\n")
        if cfg.error is not None and (
            cfg.error.line is not None or not cfg.error.message.startswith("Missing '}'")
        ):
            message = str(cfg.error)
            if cfg.error.message.startswith("open("):
                message = cfg.error.message
            ctx.err(f"doveconf: Fatal: {message}\n")
            return FATAL
    if cfg is None:
        empty = dconfig.DovecotConfig(_empty_parse(path))
        strings = _all_strings(empty, scope, None, wanted, True)
    elif args or (
        scope,
        hide,
        wanted,
        have_filter and want.key(),
        defaults,
    ) not in cfg.__dict__.get("_dumps", {}):
        strings = _all_strings(cfg, scope, want if have_filter else None, wanted, False)
    else:
        strings = []  # the dump below is memoised on the cached configuration
    if args:
        for name in args:
            dump_one(ctx, strings, name, hide_key, hide)
        return 0
    ctx.out(second)
    if scope == "all":
        ctx.out("# NOTE: Send doveconf -n output instead when asking for help.\n")
    memo_key = (scope, hide, wanted, have_filter and want.key(), defaults)
    memo = cfg.__dict__.setdefault("_dumps", {}) if cfg is not None else {}
    if memo_key not in memo:
        text, _ = export.render(strings, 0, None, hide)
        out: list[str] = [text]
        if cfg is not None:
            export.dump_filters(cfg, want if have_filter else None, wanted, hide, out.append)
        memo[memo_key] = "".join(out)
    ctx.out(memo[memo_key])
    if cfg is not None:
        problem = cfg.check_error()
        if problem is not None:
            ctx.err(f"doveconf: Error: {problem}\n")
        delayed = cfg.error.message if cfg.error is not None else problem
        if delayed is not None:
            ctx.err(f"doveconf: Fatal: Error in configuration file {path}: {delayed}\n")
            return FATAL
    return 0


def _empty_parse(path: str) -> Parsed:
    return Parsed(path, Section("", "", path, 0), [], [], [])
