"""The Sendmail-compatible front ends that need no mail flow yet.

``sendmail -bi`` (newaliases), ``sendmail -bp``/``mailq``/``postqueue -p`` on the
(for now always empty) queue, ``postqueue -f/-i/-s/-j`` and ``postsuper``'s
queue operations. Sending a message arrives with the mail-flow layer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

if TYPE_CHECKING:
    from mailsim.shell.context import Context

EMPTY = "Mail queue is empty\n"
DOWN = (
    "Mail system is down -- accessing queue directly (Connect to the Postfix showq service: "
    "Connection refused)"
)
POSTQUEUE_USAGE = (
    "usage: postqueue -f | postqueue -i queueid | postqueue -j | postqueue -p | postqueue -s site"
)
POSTSUPER_USAGE = (
    "usage: postsuper [-c config_dir] [-d queue_id (delete)] [-e queue_id (expire)] "
    "[-f queue_id (expire and/or un-hold)] [-h queue_id (hold)] [-H queue_id (un-hold)] "
    "[-p (purge temporary files)] [-r queue_id (requeue)] [-s (structure fix)] "
    "[-S (redundant structure fix)][-v (verbose)] [queue...]"
)
QUEUE_NAMES = (
    "hold",
    "incoming",
    "active",
    "deferred",
    "maildrop",
    "defer",
    "bounce",
    "trace",
    "saved",
    "corrupt",
    "flush",
)
QUEUE_ID = re.compile(r"^[0-9A-Za-z]+$")
EX_UNAVAILABLE, EX_TEMPFAIL = 69, 75


class _Voice:
    """A Postfix program's messages: stderr plus a mail.log line under one pid."""

    def __init__(self, ctx: Context, name: str) -> None:
        self.ctx, self.name = ctx, name
        self.pid: int | None = None

    def _log(self, text: str) -> None:
        if self.pid is None:
            self.pid = self.ctx.machine.allocate_pid()
        self.ctx.machine.syslog(f"postfix/{self.name}", self.pid, text)

    def say(self, text: str) -> None:
        self.ctx.err(f"{self.name}: {text}\n")
        self._log(text)

    def fatal(self, text: str, status: int) -> int:
        self.say(f"fatal: {text}")
        return status


def _running(ctx: Context) -> bool:
    from mailsim.postfix import service

    return service.is_running(ctx.machine)


def show_queue(ctx: Context, voice: _Voice, json: bool = False) -> int:
    """``postqueue -p`` / ``-j``: the queue is empty until mail can flow."""
    if not _running(ctx):
        voice.say(f"warning: {DOWN}")
    if not json:
        ctx.out(EMPTY)
    return 0


@command(
    "postqueue",
    synopsis="postqueue [-v] [-c config_dir] -f | -i queueid | -j | -p | -s site",
    summary="Postfix user interface for queue management",
)
def postqueue(ctx: Context) -> int:
    voice = _Voice(ctx, "postqueue")
    try:
        opts, _ = getopt(ctx.args, "c:fi:jps:v")
    except GetoptError as exc:
        ctx.err(f"postqueue: {exc}\n")
        return voice.fatal(POSTQUEUE_USAGE, EX_UNAVAILABLE)
    modes = [(flag, value) for flag, value in opts if flag in ("-f", "-i", "-j", "-p", "-s")]
    if not modes:
        return voice.fatal(POSTQUEUE_USAGE, EX_UNAVAILABLE)
    flag, value = modes[0]
    if flag == "-p":
        return show_queue(ctx, voice)
    if flag == "-j":
        return show_queue(ctx, voice, json=True)
    if flag == "-s":
        return voice.fatal(
            f'Flush service is not configured for destination "{value}"', EX_UNAVAILABLE
        )
    if _running(ctx):
        return 0
    if flag == "-i":
        voice.say("warning: connect to public/flush: Connection refused")
    return voice.fatal("Cannot flush mail queue - mail system is down", EX_UNAVAILABLE)


@command("mailq", synopsis="mailq", summary="list the mail queue (Postfix's sendmail -bp)")
def mailq(ctx: Context) -> int:
    return show_queue(ctx, _Voice(ctx, "postqueue"))


@command(
    "sendmail",
    synopsis="sendmail [options] [recipient ...]",
    summary="Postfix to Sendmail compatibility interface",
)
def sendmail(ctx: Context) -> int:
    from mailsim.postfix import service
    from mailsim.postfix.postalias import rebuild_aliases

    config_dir = service.DEFAULT_CONFIG_DIR
    mode = "m"
    args = ctx.args
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--" or not arg.startswith("-"):
            break
        if arg.startswith("-C"):
            value = arg[2:] or (args[i] if i < len(args) else "")
            i += 0 if arg[2:] else 1
            config_dir = ctx.abspath(value)
        elif arg.startswith("-b"):
            mode = arg[2:]
        elif (
            arg.startswith(("-F", "-f", "-N", "-O", "-o", "-q", "-R", "-r", "-V", "-X"))
            and len(arg) == 2
        ):
            i += 1
    if mode == "i":
        return rebuild_aliases(ctx, config_dir)
    if mode == "p":
        return show_queue(ctx, _Voice(ctx, "postqueue"))
    if mode not in ("m", "s", "d", "v"):
        return _Voice(ctx, "sendmail").fatal(f"unsupported: -b{mode}", EX_TEMPFAIL)
    ctx.err("sendmail: mailsim: sending mail is not simulated yet; nothing was queued\n")
    return EX_TEMPFAIL


@command(
    "postsuper",
    synopsis="postsuper [-psSv] [-c config_dir] [-d queue_id] [-e queue_id] "
    "[-f queue_id] [-h queue_id] [-H queue_id] [-r queue_id] [queue...]",
    summary="Postfix superintendent",
)
def postsuper(ctx: Context) -> int:
    voice = _Voice(ctx, "postsuper")
    try:
        opts, queues = getopt(ctx.args, "c:d:e:f:h:H:pr:sSv")
    except GetoptError as exc:
        ctx.err(f"postsuper: {exc}\n")
        return voice.fatal(POSTSUPER_USAGE, 1)
    for name in queues:
        if name not in QUEUE_NAMES:
            return voice.fatal(f"invalid directory name: {name}", 1)
    actions: dict[str, bool] = {}
    for flag, value in opts:
        if flag in ("-d", "-e", "-f", "-h", "-H", "-r"):
            if value != "ALL" and value != "-" and not QUEUE_ID.match(value):
                voice.say(f"warning: invalid mail queue id: {value}")
            actions[flag] = True
    # Counts are reported in postsuper's fixed order, whatever order the options came in.
    reports = (
        ("-e", "Force-expired"),
        ("-f", "Force-expired"),
        ("-d", "Deleted"),
        ("-h", "Placed on hold"),
        ("-H", "Released from hold"),
        ("-f", "Released from hold"),
        ("-r", "Requeued"),
    )
    said: set[str] = set()
    for flag, label in reports:
        if flag in actions and label not in said:
            said.add(label)
            voice.say(f"{label}: 0 messages")
    return 0
