"""bash builtins of the shell language: break, continue, return, shift, source/.,
read, alias/unalias, set and umask. They change the shell itself, so each one
reaches it through ``ctx.shell``."""

from __future__ import annotations

import re

from mailsim.machine import paths
from mailsim.shell.compound import LoopControl, ReturnSignal
from mailsim.shell.context import Context
from mailsim.shell.registry import command

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _shell(ctx: Context):  # type: ignore[no-untyped-def]
    if ctx.shell is None:
        raise RuntimeError("builtin run without a shell")
    return ctx.shell


def _loop_control(ctx: Context, is_break: bool) -> int:
    shell = _shell(ctx)
    name = ctx.name
    if shell.loop_depth == 0:
        ctx.err(f"bash: {name}: only meaningful in a `for', `while', or `until' loop\n")
        return 0
    levels = 1
    if ctx.args:
        arg = ctx.args[0]
        if not re.fullmatch(r"\s*[-+]?\d+\s*", arg):
            ctx.err(f"bash: {name}: {arg}: numeric argument required\n")
            raise LoopControl(shell.loop_depth, True, 128)  # bash leaves every loop
        levels = int(arg)
        if levels < 1:
            ctx.err(f"bash: {name}: {arg}: loop count out of range\n")
            return 1
    raise LoopControl(min(levels, shell.loop_depth), is_break)


@command("break", synopsis="break [n]", summary="Exit for, while, or until loops.")
def break_(ctx: Context) -> int:
    return _loop_control(ctx, True)


@command("continue", synopsis="continue [n]", summary="Resume for, while, or until loops.")
def continue_(ctx: Context) -> int:
    return _loop_control(ctx, False)


@command("return", synopsis="return [n]", summary="Return from a shell function.")
def return_(ctx: Context) -> int:
    shell = _shell(ctx)
    if shell.source_depth == 0 and shell.function_depth == 0:
        ctx.err("bash: return: can only `return' from a function or sourced script\n")
        return 2
    status = shell.last_status
    if ctx.args:
        try:
            status = int(ctx.args[0]) & 0xFF
        except ValueError:
            ctx.err(f"bash: return: {ctx.args[0]}: numeric argument required\n")
            status = 2
    raise ReturnSignal(status)


@command("shift", synopsis="shift [n]", summary="Shift positional parameters.")
def shift(ctx: Context) -> int:
    shell = _shell(ctx)
    if len(ctx.args) > 1:
        ctx.err("bash: shift: too many arguments\n")
        return 1
    count = 1
    if ctx.args:
        arg = ctx.args[0]
        if not re.fullmatch(r"\s*[-+]?\d+\s*", arg):
            ctx.err(f"bash: shift: {arg}: numeric argument required\n")
            return 1
        count = int(arg)
        if count < 0:
            ctx.err(f"bash: shift: {arg}: shift count out of range\n")
            return 1
    if count > len(shell.positional):
        return 1
    shell.positional = shell.positional[count:]
    return 0


@command(
    "source",
    synopsis="source filename [arguments]",
    summary="Execute commands from a file in the current shell.",
)
def source(ctx: Context) -> int:
    shell = _shell(ctx)
    name = ctx.name
    args = ctx.args[1:] if ctx.args[:1] == ["--"] else ctx.args
    if not args:
        ctx.err(f"bash: {name}: filename argument required\n")
        ctx.err(f"{name}: usage: {name} filename [arguments]\n")
        return 2
    filename = args[0]
    path = _find_sourced(ctx, filename)
    machine = ctx.machine
    if machine.is_dir(path):
        ctx.err(f"bash: {name}: {filename}: is a directory\n")
        return 1
    try:
        from mailsim.machine.access import may_read

        if machine.exists(path) and not may_read(machine, path, ctx.user):
            raise PermissionError(13, "Permission denied")
        text = machine.read_bytes(path).decode("utf-8", errors="replace")
    except OSError as exc:
        ctx.err(f"bash: {filename}: {exc.strerror or 'No such file or directory'}\n")
        return 1
    from mailsim.shell.sourcing import source_text

    return source_text(shell, text, filename, args[1:], ctx.stdin, ctx.stdout, ctx.stderr)


@command(
    ".",
    synopsis=". filename [arguments]",
    summary="Execute commands from a file in the current shell.",
)
def dot(ctx: Context) -> int:
    return source(ctx)


def _find_sourced(ctx: Context, filename: str) -> str:
    """bash looks a name without a slash up in PATH first, then in the cwd."""
    if "/" not in filename:
        for directory in ctx.env.get("PATH", "").split(":"):
            if not directory:
                continue
            candidate = paths.normalize(f"{directory}/{filename}", "/")
            if ctx.machine.is_file(candidate):
                return candidate
    return ctx.abspath(filename)


_READ_USAGE = (
    "read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] "
    "[-p prompt] [-t timeout] [-u fd] [name ...]\n"
)


@command(
    "read",
    synopsis="read [-rs] [-p prompt] [name ...]",
    summary="Read a line from the standard input and split it into fields.",
)
def read(ctx: Context) -> int:
    shell = _shell(ctx)
    raw = secret = False
    prompt: str | None = None
    args = list(ctx.args)
    while args and args[0].startswith("-") and args[0] != "-":
        arg = args.pop(0)
        if arg == "--":
            break
        for i, flag in enumerate(arg[1:], 1):
            if flag == "r":
                raw = True
            elif flag == "s":
                secret = True
            elif flag == "p":
                rest = arg[i + 1 :]
                if not rest and not args:
                    ctx.err("bash: read: -p: option requires an argument\n" + _READ_USAGE)
                    return 2
                prompt = rest or args.pop(0)
                break
            else:
                ctx.err(f"bash: read: -{flag}: invalid option\n" + _READ_USAGE)
                return 2
    for name in args:
        if not _NAME.fullmatch(name):
            ctx.err(f"bash: read: `{name}': not a valid identifier\n")
            return 1
    line, complete = _read_line(ctx, raw, secret, prompt)
    if line is None:
        for name in args or ["REPLY"]:
            shell.assign(name, "")
        return 1
    _assign_fields(shell, line, args, ctx.env.get("IFS", shell.lookup("IFS")))
    return 0 if complete else 1


def _read_line(
    ctx: Context, raw: bool, secret: bool, prompt: str | None
) -> tuple[str | None, bool]:
    """One logical line (backslash-newline joins lines unless -r) and whether a
    newline ended it."""
    parts: list[str] = []
    first = True
    while True:
        if ctx.stdin.interactive and (secret or prompt is not None):
            # The terminal shows the prompt on the input row (and hides typing for -s).
            shown = (prompt or "") if first else ""
            text = ctx.terminal.read_secret(shown) if secret else ctx.terminal.read_line(shown)
            data = None if text is None else text + "\n"
        else:
            chunk = ctx.stdin.readline()
            data = chunk.decode("utf-8", errors="replace") if chunk else None
        first = False
        if data is None:
            return ("".join(parts) if parts else None), False
        complete = data.endswith("\n")
        body = data[:-1] if complete else data
        if not raw:
            if complete and _odd_backslashes(body):
                parts.append(body[:-1])
                continue
            body = re.sub(r"\\(.)", r"\1", body)
            body = body.removesuffix("\\")
        parts.append(body)
        return "".join(parts), complete


def _odd_backslashes(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _assign_fields(shell, line: str, names: list[str], ifs: str | None) -> None:  # type: ignore[no-untyped-def]
    """Split as bash's read does: IFS white space trims and separates, any other
    IFS character ends one field; the last name takes the rest of the line."""
    if not names:
        shell.assign("REPLY", line)
        return
    ifs = " \t\n" if ifs is None else ifs
    blank = "".join(c for c in ifs if c in " \t\n")
    rest = line.lstrip(blank)
    for name in names[:-1]:
        end = 0
        while end < len(rest) and rest[end] not in ifs:
            end += 1
        shell.assign(name, rest[:end])
        rest = rest[end:].lstrip(blank)
        if rest and rest[0] in ifs:
            rest = rest[1:].lstrip(blank)
    last = rest.rstrip(blank)
    if last and last[-1] in ifs and not any(c in ifs for c in last[:-1].rstrip(blank)):
        last = last[:-1].rstrip(blank)  # one field and its closing separator
    shell.assign(names[-1], last)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


@command("alias", synopsis="alias [-p] [name[=value] ... ]", summary="Define or display aliases.")
def alias(ctx: Context) -> int:
    shell = _shell(ctx)
    args = [a for a in ctx.args if a != "-p"]
    if not args:
        for name in sorted(shell.aliases):
            ctx.out(f"alias {name}={_quote(shell.aliases[name])}\n")
        return 0
    status = 0
    for arg in args:
        name, eq, value = arg.partition("=")
        if not eq:
            if name in shell.aliases:
                ctx.out(f"alias {name}={_quote(shell.aliases[name])}\n")
            else:
                ctx.err(f"bash: alias: {name}: not found\n")
                status = 1
            continue
        if not name or re.search(r"[\s/$`=<>|&;()\\'\"]", name):
            ctx.err(f"bash: alias: `{name}': invalid alias name\n")
            status = 1
            continue
        shell.aliases[name] = value
    return status


@command("unalias", synopsis="unalias [-a] name [name ...]", summary="Remove alias definitions.")
def unalias(ctx: Context) -> int:
    shell = _shell(ctx)
    if not ctx.args:
        ctx.err("unalias: usage: unalias [-a] name [name ...]\n")
        return 2
    if "-a" in ctx.args:
        shell.aliases.clear()
        return 0
    status = 0
    for name in ctx.args:
        if shell.aliases.pop(name, None) is None:
            ctx.err(f"bash: unalias: {name}: not found\n")
            status = 1
    return status


OPTION_LETTERS = {"e": "errexit", "u": "nounset", "x": "xtrace", "C": "noclobber"}
OPTION_NAMES = ("errexit", "noclobber", "nounset", "pipefail", "xtrace")
_SET_USAGE = "set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n"


@command(
    "set",
    synopsis="set [-eux] [-o option-name] [--] [arg ...]",
    summary="Set or unset values of shell options and positional parameters.",
)
def set_(ctx: Context) -> int:
    shell = _shell(ctx)
    args = list(ctx.args)
    if not args:
        _list_variables(ctx, shell)
        return 0
    while args:
        arg = args[0]
        if arg == "--":
            shell.positional = args[1:]
            return 0
        if arg == "-" or arg[:1] not in "-+" or len(arg) < 2:
            break
        args.pop(0)
        on = arg[0] == "-"
        for flag in arg[1:]:
            if flag == "o":
                if not args:
                    _print_options(ctx, shell, on)
                    continue
                option = args.pop(0)
                if option not in OPTION_NAMES:
                    ctx.err(f"bash: set: {option}: invalid option name\n")
                    return 2
                _set_option(shell, option, on)
            elif flag in OPTION_LETTERS:
                _set_option(shell, OPTION_LETTERS[flag], on)
            else:
                ctx.err(f"bash: set: {arg[0]}{flag}: invalid option\n{_SET_USAGE}")
                return 2
    if args:
        shell.positional = args[1:] if args[0] == "-" else args
    return 0


def _set_option(shell, option: str, on: bool) -> None:  # type: ignore[no-untyped-def]
    if on:
        shell.options.add(option)
    else:
        shell.options.discard(option)


def _print_options(ctx: Context, shell, on: bool) -> None:  # type: ignore[no-untyped-def]
    for option in OPTION_NAMES:
        state = option in shell.options
        if on:
            ctx.out(f"{option:<15}\t{'on' if state else 'off'}\n")
        else:
            ctx.out(f"set {'-' if state else '+'}o {option}\n")


def _list_variables(ctx: Context, shell) -> None:  # type: ignore[no-untyped-def]
    merged = dict(shell.env)
    merged.update(shell.frame.variables)
    for name in sorted(merged):
        value = merged[name]
        if value == "" or re.search(r"[^A-Za-z0-9_./:,+@%=-]", value):
            value = _quote(value)
        ctx.out(f"{name}={value}\n")


_SYMBOLIC = re.compile(r"([ugoa]*)([-+=])([rwx]*)$")


@command("umask", synopsis="umask [-p] [-S] [mode]", summary="Display or set file mode mask.")
def umask(ctx: Context) -> int:
    shell = _shell(ctx)
    args = list(ctx.args)
    symbolic = portable = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        for flag in args.pop(0)[1:]:
            if flag == "S":
                symbolic = True
            elif flag == "p":
                portable = True
            else:
                ctx.err(
                    f"bash: umask: -{flag}: invalid option\numask: usage: umask [-p] [-S] [mode]\n"
                )
                return 2
    if not args:
        if symbolic:
            ctx.out(_symbolic(shell.umask) + "\n")
        else:
            ctx.out(f"{'umask ' if portable else ''}{shell.umask:04o}\n")
        return 0
    mode = args[0]
    if mode[:1].isdigit():
        if not re.fullmatch(r"[0-7]+", mode) or int(mode, 8) > 0o777:
            ctx.err(f"bash: umask: {mode}: octal number out of range\n")
            return 1
        shell.umask = int(mode, 8)
        return 0
    allowed = 0o777 & ~shell.umask
    for clause in mode.split(","):
        m = _SYMBOLIC.match(clause)
        if m is None:
            bad = re.match(r"[ugoa]*", clause)
            offending = clause[bad.end() if bad else 0 : (bad.end() if bad else 0) + 1]
            if offending and offending not in "-+=":
                ctx.err(f"bash: umask: `{offending}': invalid symbolic mode operator\n")
            else:
                ctx.err(f"bash: umask: `{clause[-1:]}': invalid symbolic mode character\n")
            return 1
        who, op, perms = m.groups()
        mask = 0
        for w in who or "a":
            mask |= {"u": 0o700, "g": 0o070, "o": 0o007, "a": 0o777}[w]
        bits = 0
        for perm in perms:
            bits |= {"r": 0o444, "w": 0o222, "x": 0o111}[perm]
        bits &= mask
        if op == "+":
            allowed |= bits
        elif op == "-":
            allowed &= ~bits
        else:
            allowed = (allowed & ~mask) | bits
    shell.umask = 0o777 & ~allowed
    return 0


def _symbolic(mask: int) -> str:
    allowed = 0o777 & ~mask
    parts = []
    for who, shift in (("u", 6), ("g", 3), ("o", 0)):
        bits = (allowed >> shift) & 7
        parts.append(who + "=" + "".join(c for c, b in (("r", 4), ("w", 2), ("x", 1)) if bits & b))
    return ",".join(parts)
