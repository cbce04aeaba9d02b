"""awk and mawk: Debian 12's /usr/bin/awk is mawk 1.3.4 (through /etc/alternatives)."""

from __future__ import annotations

from mailsim.shell.awk.runner import run
from mailsim.shell.context import Context
from mailsim.shell.registry import command

_SYNOPSIS = "{name} [-F fs] [-v var=value] [-f progfile | 'program'] [file ...]"
_SUMMARY = "pattern scanning and text processing language"


@command("awk", synopsis=_SYNOPSIS.format(name="awk"), summary=_SUMMARY)
def awk(ctx: Context) -> int:
    return run(ctx)


@command("mawk", synopsis=_SYNOPSIS.format(name="mawk"), summary=_SUMMARY)
def mawk(ctx: Context) -> int:
    return run(ctx)
