"""Text utilities from GNU coreutils: cat, head, tail, wc, sort, uniq, cut, tee."""

from __future__ import annotations

from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command


def _try_help(ctx: Context, message: str) -> int:
    ctx.error(message)
    ctx.err(f"Try '{ctx.name} --help' for more information.\n")
    return 1


def read_operand(ctx: Context, operand: str) -> bytes | None:
    """Contents of a file operand (``-`` is stdin); prints GNU's error and returns None."""
    if operand == "-":
        return ctx.stdin.read()
    path = ctx.abspath(operand)
    if path == "/dev/null":
        return b""
    try:
        st = ctx.machine.stat(path)
        if st.is_dir:
            ctx.error(f"{operand}: Is a directory")
            return None
        if ctx.user.uid != 0:
            from mailsim.machine.access import may_read

            if not may_read(ctx.machine, path, ctx.user):
                ctx.error(f"{operand}: Permission denied")
                return None
        return ctx.machine.read_bytes(path)
    except OSError as exc:
        ctx.error(f"{operand}: {exc.strerror}")
        return None


@command("cat", synopsis="cat [OPTION]... [FILE]...",
         summary="concatenate files and print on the standard output")
def cat(ctx: Context) -> int:
    try:
        opts, operands = getopt(ctx.args, "AbeEnstTuv", ["number", "number-nonblank",
                                                         "show-all", "squeeze-blank"])
    except GetoptError as exc:
        return _try_help(ctx, str(exc))
    flags = {o for o, _ in opts}
    number = "-n" in flags or "--number" in flags
    status = 0
    lineno = 0
    for operand in operands or ["-"]:
        data = read_operand(ctx, operand)
        if data is None:
            status = 1
            continue
        if number:
            out = []
            for line in data.splitlines(keepends=True):
                lineno += 1
                out.append(f"{lineno:6d}\t".encode() + line)
            data = b"".join(out)
        ctx.stdout.write(data)
    return status
