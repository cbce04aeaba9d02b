"""The ``postfix`` command: the front end that hands its command to postfix-script.

postfix-script speaks (on stderr) only when stderr is a terminal and always
logs; the ``postfix`` binary's own fatals (bad options, main.cf errors) go to
stderr whatever it is. The real tool sleeps a second after a fatal error; we don't.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

if TYPE_CHECKING:
    from mailsim.shell.context import Context

USAGE = "usage: postfix [-c config_dir] [-Dv] command"
COMMANDS = (
    "start",
    "stop",
    "reload",
    "abort",
    "flush",
    "check",
    "status",
    "set-permissions",
    "upgrade-configuration",
    "logrotate",
    "start-fg",
)
UNKNOWN = (
    "unknown command: '{}'. Usage: postfix start (or stop, reload, abort, flush, check, "
    "status, set-permissions, upgrade-configuration, logrotate)"
)


@command(
    "postfix",
    synopsis="postfix [-c config_dir] [-Dv] command",
    summary="Postfix control program",
    subcommands=COMMANDS,
    completes="none",
)
def main(ctx: Context) -> int:
    from mailsim.postfix import check, service

    try:
        opts, operands = getopt(ctx.args, "+c:Dv")
    except GetoptError as exc:
        ctx.err(f"postfix: {exc}\npostfix: fatal: {USAGE}\n")
        return 1
    config_dir = service.DEFAULT_CONFIG_DIR
    for flag, value in opts:
        if flag == "-c":
            config_dir = ctx.abspath(value)
    machine = ctx.machine
    try:
        settings = service.load_settings(machine, config_dir)
        # The postfix binary writes its own messages to stderr only when it is a tty.
        for warning in settings.warnings if ctx.stderr_is_tty else ():
            ctx.err(f"postfix: warning: {warning}\n")
        if settings.fatal:
            raise service.PostfixFatal(settings.fatal)
        _validate(ctx, settings)
    except service.PostfixFatal as exc:
        if ctx.stderr_is_tty:
            ctx.err(f"{exc.program}: fatal: {exc}\n")
        machine.syslog(f"postfix/{exc.program}", machine.allocate_pid(), f"fatal: {exc}")
        return exc.status

    action = operands[0] if operands else ""
    script = service.Script(ctx, via_systemd=False, settings=settings)
    check.replay_warnings(ctx, settings, action)
    if action == "start":
        return service.start(ctx, settings, script)
    if action in ("stop", "abort"):
        return service.stop(ctx, settings, script, abort=action == "abort")
    if action == "reload":
        status = service.reload(ctx, settings, script)
        if status == 0:
            for _ in range(2):
                for warning in settings.warnings:
                    ctx.err(f"postsuper: warning: {warning}\n")
        return status
    if action == "status":
        return service.status(ctx, settings, script)
    if action == "check":
        if not check.check_fatal(ctx, settings, script):
            return 1
        check.check_warn(ctx, settings, script)
        return 0
    if action == "flush":
        return flush(ctx)
    if action in ("set-permissions", "upgrade-configuration"):
        check.set_permissions(machine, settings)
        return 0
    if action == "logrotate":
        if len(operands) != 1:
            return script.fatal("usage postfix logrotate (no arguments)")
        if not settings.get("maillog_file"):
            return script.fatal("empty 'maillog_file' parameter value - logfile rotation failed")
        return 0
    return script.fatal(UNKNOWN.format(action))


def flush(ctx: Context) -> int:
    """``postqueue -f``: silent on a running system; refused when it is down."""
    from mailsim.postfix import service

    if service.is_running(ctx.machine):
        return 0
    message = "Cannot flush mail queue - mail system is down"
    ctx.err(f"postqueue: fatal: {message}\n")
    service.log(ctx.machine, "postfix/postqueue", f"fatal: {message}")
    return 69


def _validate(ctx: Context, settings: object) -> None:
    """What the postfix binary checks before it runs postfix-script."""
    from mailsim.postfix import service
    from mailsim.postfix.globals import first_bad_value

    assert isinstance(settings, service.Settings)
    machine = ctx.machine
    bad_value = first_bad_value(settings.get)
    if bad_value is not None:
        raise service.PostfixFatal(bad_value)
    queue = settings.get("queue_directory")
    if not machine.is_dir(queue):
        raise service.PostfixFatal(f"chdir({queue}): No such file or directory")
    owner = settings.get("mail_owner")
    if owner not in machine.users():
        raise service.PostfixFatal(
            f"file {settings.path}: parameter mail_owner: unknown user name value: {owner}"
        )
    protocols = settings.get("inet_protocols").replace(",", " ").split()
    for item in protocols:
        if item not in ("all", "ipv4", "ipv6"):
            raise service.PostfixFatal(
                f'unknown inet_protocols value "{item}" in "{settings.get("inet_protocols")}"'
            )
    interfaces = settings.get("inet_interfaces").replace(",", " ").split()
    known = {"all", "loopback-only", "localhost", "127.0.0.1", "::1", "[::1]"}
    for iface in machine.interfaces():
        for address in iface.addresses:
            known.update({address.ip, f"[{address.ip}]"})
    for item in interfaces:
        if item not in known and item != machine.hostname:
            raise service.PostfixFatal(
                f"parameter inet_interfaces: no local interface found for {item}"
            )
