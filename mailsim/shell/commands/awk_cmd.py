"""awk and mawk: Debian 12's /usr/bin/awk is mawk 1.3.4 (through /etc/alternatives)."""

from __future__ import annotations

from mailsim.shell.awk.runner import run
from mailsim.shell.context import Context
from mailsim.shell.registry import command


@command(
    "awk",
    synopsis="awk [-F fs] [-v var=value] [-f progfile | 'program'] [file ...]",
    summary="pattern scanning and text processing language (mawk)",
)
def awk(ctx: Context) -> int:
    return run(ctx)


mawk = awk
