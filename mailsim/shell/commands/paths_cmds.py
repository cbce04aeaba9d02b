"""basename and dirname from GNU coreutils 9.1: the last part of a path, and the rest.

Both follow gnulib's base_name/dir_len rules on the string alone (no file is
looked at): trailing slashes are ignored, a name of only slashes is ``/``, and a
SUFFIX is removed only when it is a proper tail of a relative name.
"""

from __future__ import annotations

from mailsim.shell.commands.utils_common import curly, help_or_version, usage_error
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command


def base_name(name: str, suffix: str | None = None) -> str:
    """What ``basename NAME [SUFFIX]`` prints for one NAME."""
    stripped = name.rstrip("/")
    if not stripped:
        return "/" if name else ""
    base = stripped.rsplit("/", 1)[-1]
    if suffix and len(suffix) < len(base) and base.endswith(suffix):
        base = base[: -len(suffix)]
    return base


def dir_name(name: str) -> str:
    """What ``dirname NAME`` prints for one NAME."""
    start = len(name) - len(name.lstrip("/"))
    last = start
    saw_slash = False
    for i in range(start, len(name)):
        if name[i] == "/":
            saw_slash = True
        elif saw_slash:
            last, saw_slash = i, False
    prefix = 1 if name.startswith("/") else 0
    length = last
    while length > prefix and name[length - 1] == "/":
        length -= 1
    return name[:length] if length else "."


@command(
    "basename",
    synopsis="basename NAME [SUFFIX]",
    summary="strip directory and suffix from filenames",
)
def basename(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args, "+as:z", ["multiple", "suffix=", "zero", "help", "version"]
        )
    except GetoptError as exc:
        return usage_error(ctx, str(exc))
    done = help_or_version(ctx, opts)
    if done is not None:
        return done
    multiple = False
    suffix: str | None = None
    end = "\n"
    for opt, value in opts:
        if opt in ("-a", "--multiple"):
            multiple = True
        elif opt in ("-s", "--suffix"):
            multiple, suffix = True, value
        elif opt in ("-z", "--zero"):
            end = "\0"
    if not operands:
        return usage_error(ctx, "missing operand")
    if not multiple:
        if len(operands) > 2:
            return usage_error(ctx, f"extra operand {curly(operands[2])}")
        suffix = operands[1] if len(operands) == 2 else None
        operands = operands[:1]
    ctx.out("".join(base_name(name, suffix) + end for name in operands))
    return 0


@command(
    "dirname",
    synopsis="dirname [OPTION] NAME...",
    summary="strip last component from file name",
)
def dirname(ctx: Context) -> int:
    try:
        opts, operands = getopt(ctx.args, "z", ["zero", "help", "version"])
    except GetoptError as exc:
        return usage_error(ctx, str(exc))
    done = help_or_version(ctx, opts)
    if done is not None:
        return done
    end = "\0" if opts and any(o in ("-z", "--zero") for o, _ in opts) else "\n"
    if not operands:
        return usage_error(ctx, "missing operand")
    ctx.out("".join(dir_name(name) + end for name in operands))
    return 0


@command(
    "readlink",
    synopsis="readlink [OPTION]... FILE...",
    summary="print resolved symbolic links or canonical file names",
)
def readlink(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "efmnqsvz",
            [
                "canonicalize",
                "canonicalize-existing",
                "canonicalize-missing",
                "no-newline",
                "quiet",
                "silent",
                "verbose",
                "zero",
                "help",
                "version",
            ],
        )
    except GetoptError as exc:
        return usage_error(ctx, str(exc))
    done = help_or_version(ctx, opts)
    if done is not None:
        return done
    mode = ""
    verbose = False
    newline = True
    end = "\n"
    for opt, _ in opts:
        if opt in ("-f", "--canonicalize"):
            mode = "f"
        elif opt in ("-e", "--canonicalize-existing"):
            mode = "e"
        elif opt in ("-m", "--canonicalize-missing"):
            mode = "m"
        elif opt in ("-n", "--no-newline"):
            newline = False
        elif opt in ("-q", "-s", "--quiet", "--silent"):
            verbose = False
        elif opt in ("-v", "--verbose"):
            verbose = True
        elif opt in ("-z", "--zero"):
            end = "\0"
    if not operands:
        return usage_error(ctx, "missing operand")
    if not newline and len(operands) > 1:
        ctx.error("ignoring --no-newline with multiple arguments")
        newline = True
    status = 0
    for name in operands:
        try:
            value = _canonical(ctx, name, mode) if mode else ctx.machine.readlink(name, ctx.cwd)
        except OSError as exc:
            if verbose:
                ctx.error(f"{name}: {exc.strerror}")
            status = 1
            continue
        ctx.out(value + (end if newline else ""))
    return status


def _canonical(ctx: Context, name: str, mode: str) -> str:
    """readlink -f/-e/-m: every link followed; -f needs all but the last part, -e all."""
    import errno
    import os

    machine = ctx.machine
    resolved = machine.resolve(name, ctx.cwd)
    if mode == "e" and not machine.exists(resolved):
        raise OSError(errno.ENOENT, os.strerror(errno.ENOENT), name)
    if mode == "f":
        parent = resolved.rsplit("/", 1)[0] or "/"
        if not machine.is_dir(parent):
            code = errno.ENOTDIR if machine.exists(parent) else errno.ENOENT
            raise OSError(code, os.strerror(code), name)
    return resolved
