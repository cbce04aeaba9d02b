"""What the small utilities share: their --help/--version texts and usage errors.

The texts in ``utils_text/`` are the real tools' output (coreutils 9.1, findutils
4.9.0, diffutils 3.8, glibc 2.36), kept as files so the modules stay about logic.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from mailsim.shell.context import Context


@cache
def text(name: str) -> str:
    """``utils_text/NAME`` (``basename.help``, ``seq.version``)."""
    folder = resources.files("mailsim.shell.commands").joinpath("utils_text")
    return folder.joinpath(name).read_text("utf-8")


def curly(value: str) -> str:
    """coreutils' quote() in a UTF-8 locale: ‘value’ (control characters escaped)."""
    from mailsim.shell.commands.files_common import quote_locale

    return quote_locale(value)


def usage_error(ctx: Context, message: str, status: int = 1) -> int:
    """``NAME: message`` then coreutils' "Try 'NAME --help'" line."""
    if message:
        ctx.error(message)
    ctx.err(f"Try '{ctx.name} --help' for more information.\n")
    return status


def help_or_version(ctx: Context, opts: list[tuple[str, str]]) -> int | None:
    """Print the help or the version when asked; the first of the two given wins."""
    for flag, _ in opts:
        if flag == "--help":
            ctx.out(text(f"{ctx.name}.help"))
            return 0
        if flag == "--version":
            ctx.out(text(f"{ctx.name}.version"))
            return 0
    return None
