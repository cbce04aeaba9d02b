"""bash builtins: they change the shell itself (cwd, variables, logins, history)."""

from __future__ import annotations

import re

from mailsim.shell.context import Context
from mailsim.shell.registry import REGISTRY, command


def _shell(ctx: Context):  # type: ignore[no-untyped-def]
    if ctx.shell is None:
        raise RuntimeError("builtin run without a shell")
    return ctx.shell


@command("cd", synopsis="cd [-L|-P] [dir]", summary="Change the shell working directory.")
def cd(ctx: Context) -> int:
    shell = _shell(ctx)
    args = [a for a in ctx.args if a not in ("-L", "-P")]
    if len(args) > 1:
        ctx.err("bash: cd: too many arguments\n")
        return 1
    if not args:
        target = ctx.env.get("HOME")
        if not target:
            ctx.err("bash: cd: HOME not set\n")
            return 1
    elif args[0] == "-":
        target = ctx.env.get("OLDPWD")
        if not target:
            ctx.err("bash: cd: OLDPWD not set\n")
            return 1
        ctx.out(target + "\n")
    else:
        target = args[0]
    path = ctx.abspath(target)
    try:
        st = ctx.machine.stat(path)
    except OSError as exc:
        ctx.err(f"bash: cd: {target}: {exc.strerror}\n")
        return 1
    if not st.is_dir:
        ctx.err(f"bash: cd: {target}: Not a directory\n")
        return 1
    from mailsim.machine.access import may

    if not may(ctx.machine, path, ctx.user, "x"):
        ctx.err(f"bash: cd: {target}: Permission denied\n")
        return 1
    shell.cwd = path
    return 0


@command("pwd", synopsis="pwd [-LP]", summary="Print the name of the current working directory.")
def pwd(ctx: Context) -> int:
    if "-P" in ctx.args:
        ctx.out(ctx.machine.resolve(ctx.cwd) + "\n")
    else:
        ctx.out(ctx.cwd + "\n")
    return 0


_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
}


def _backslash_escapes(text: str) -> tuple[str, bool]:
    """echo -e / printf %b escapes; the flag says \\c stopped the output."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "\\" or i + 1 >= len(text):
            out.append(ch)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "c":
            return "".join(out), True
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt == "0" or nxt in "1234567":
            m = re.match(r"0?([0-7]{1,3})", text[i + 1 :])
            assert m is not None
            out.append(chr(int(m.group(1), 8) & 0xFF))
            i += 1 + len(m.group(0))
        elif nxt == "x":
            m = re.match(r"[0-9a-fA-F]{1,2}", text[i + 2 :])
            if m:
                out.append(chr(int(m.group(0), 16)))
                i += 2 + len(m.group(0))
            else:
                out.append("\\x")
                i += 2
        else:
            out.append("\\" + nxt)
            i += 2
    return "".join(out), False


@command(
    "echo", synopsis="echo [-neE] [arg ...]", summary="Write arguments to the standard output."
)
def echo(ctx: Context) -> int:
    args = ctx.args
    newline, escapes = True, False
    while args and re.fullmatch(r"-[neE]+", args[0]):
        for flag in args[0][1:]:
            if flag == "n":
                newline = False
            elif flag == "e":
                escapes = True
            else:
                escapes = False
        args = args[1:]
    text = " ".join(args)
    if escapes:
        text, stop = _backslash_escapes(text)
        if stop:
            ctx.out(text)
            return 0
    ctx.out(text + ("\n" if newline else ""))
    return 0


_SPEC = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfgGcsbq%])")


@command(
    "printf",
    synopsis="printf [-v var] format [arguments]",
    summary="Formats and prints ARGUMENTS under control of the FORMAT.",
)
def printf(ctx: Context) -> int:
    args = list(ctx.args)
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        ctx.err("printf: usage: printf [-v var] format [arguments]\n")
        return 2
    fmt, values = args[0], args[1:]
    status = 0
    out: list[str] = []
    first = True
    while first or values:
        first = False
        consumed = False
        pos = 0
        for m in _SPEC.finditer(fmt):
            text, stop = _backslash_escapes(fmt[pos : m.start()])
            out.append(text)
            if stop:
                ctx.out("".join(out))
                return status
            pos = m.end()
            flags, width, prec, conv = m.groups()
            if conv == "%":
                out.append("%")
                continue
            if width == "*":
                width = values.pop(0) if values else "0"
            if prec == "*":
                prec = values.pop(0) if values else "0"
            value = values.pop(0) if values else None
            consumed = consumed or value is not None
            spec = "%" + flags + (width or "") + (f".{prec}" if prec is not None else "")
            if conv in "sq":
                out.append((spec + "s") % (value or ""))
            elif conv == "b":
                text, _ = _backslash_escapes(value or "")
                out.append((spec + "s") % text)
            elif conv == "c":
                out.append((spec + "s") % ((value or "")[:1]))
            else:
                raw = value or "0"
                try:
                    number: float = float(raw) if conv in "eEfgG" else int(raw, 0)
                except ValueError:
                    ctx.err(f"bash: printf: {raw}: invalid number\n")
                    status = 1
                    number = 0
                if conv == "u":
                    conv = "d"
                out.append((spec + conv) % number)
        text, stop = _backslash_escapes(fmt[pos:])
        out.append(text)
        if stop or not consumed:
            break
    ctx.out("".join(out))
    return status


def _exit_status(ctx: Context, name: str) -> int | None:
    shell = _shell(ctx)
    if not ctx.args:
        return shell.last_status
    try:
        return int(ctx.args[0]) & 0xFF
    except ValueError:
        ctx.err(f"bash: {name}: {ctx.args[0]}: numeric argument required\n")
        return 2


@command("exit", synopsis="exit [n]", summary="Exit the shell.")
def exit_(ctx: Context) -> int:
    from mailsim.shell.session import ExitShell

    shell = _shell(ctx)
    status = _exit_status(ctx, "exit")
    assert status is not None
    if shell.interactive:
        nested = len(shell.frames) > 1
        ctx.err("logout\n" if nested and shell.frame.login else "exit\n")
    if shell.pop_login():
        return status
    raise ExitShell(status)


@command("logout", synopsis="logout [n]", summary="Exit a login shell.")
def logout(ctx: Context) -> int:
    return exit_(ctx)


@command(
    "export",
    synopsis="export [-fn] [name[=value] ...] or export -p",
    summary="Set export attribute for shell variables.",
)
def export(ctx: Context) -> int:
    shell = _shell(ctx)
    args = [a for a in ctx.args if a not in ("-p", "--")]
    if not args:
        for name in sorted(shell.env):
            value = shell.env[name].replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
            ctx.out(f'declare -x {name}="{value}"\n')
        return 0
    status = 0
    for arg in args:
        name, eq, value = arg.partition("=")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            ctx.err(f"bash: export: `{arg}': not a valid identifier\n")
            status = 1
            continue
        if not eq:
            value = shell.frame.variables.pop(name, shell.env.get(name, ""))
        shell.frame.variables.pop(name, None)
        shell.env[name] = value
    return status


@command("unset", synopsis="unset [-f] [-v] [-n] [name ...]", summary="Unset values of variables.")
def unset(ctx: Context) -> int:
    shell = _shell(ctx)
    functions_only = "-f" in ctx.args
    for name in ctx.args:
        if name.startswith("-"):
            continue
        is_variable = name in shell.env or name in shell.frame.variables
        if functions_only or not is_variable:
            # bash: without -f, a name that is no variable unsets a function.
            shell.functions.pop(name, None)
        if not functions_only:
            shell.env.pop(name, None)
            shell.frame.variables.pop(name, None)
    return 0


@command(":", synopsis=":", summary="Null command.")
def colon(ctx: Context) -> int:
    # Arguments are expanded (and redirections done) by the shell; the command does nothing.
    return 0


@command("true", synopsis="true", summary="Return a successful result.")
def true(ctx: Context) -> int:
    return 0


@command("false", synopsis="false", summary="Return an unsuccessful result.")
def false(ctx: Context) -> int:
    return 1


@command("history", synopsis="history [-c] [n]", summary="Display or manipulate the history list.")
def history(ctx: Context) -> int:
    shell = _shell(ctx)
    if "-c" in ctx.args:
        shell.history.clear()
        return 0
    entries = list(enumerate(shell.history, 1))
    numbers = [a for a in ctx.args if a.isdigit()]
    if numbers:
        entries = entries[-int(numbers[0]) :] if int(numbers[0]) else []
    for number, line in entries:
        ctx.out(f"{number:5d}  {line}\n")
    return 0


@command(
    "type",
    synopsis="type [-afptP] name [name ...]",
    summary="Display information about command type.",
)
def type_(ctx: Context) -> int:
    from mailsim.shell.parser import RESERVED

    shell = _shell(ctx)
    status = 0
    terse = any(a.startswith("-") and "t" in a for a in ctx.args)
    for name in [a for a in ctx.args if not a.startswith("-")]:
        if name in shell.aliases:
            ctx.out("alias\n" if terse else f"{name} is aliased to `{shell.aliases[name]}'\n")
            continue
        if name in RESERVED - {"in"} or name in ("[[", "]]"):
            ctx.out("keyword\n" if terse else f"{name} is a shell keyword\n")
            continue
        if name in shell.functions:
            ctx.out("function\n" if terse else f"{name} is a function\n")
            continue
        found = shell.registry.find(name, ctx.env.get("PATH", ""))
        if found is None:
            if not terse:
                ctx.err(f"bash: type: {name}: not found\n")
            status = 1
        elif shell.registry.is_builtin(name):
            ctx.out("builtin\n" if terse else f"{name} is a shell builtin\n")
        else:
            ctx.out("file\n" if terse else f"{name} is {shell.registry.path_of(name)}\n")
    return status


HELP_GROUPS = [
    (
        "Postfix",
        "postconf postfix postmap postalias newaliases sendmail mailq postqueue postsuper",
    ),
    ("Dovecot", "doveconf dovecot doveadm"),
    ("Services", "systemctl service ss ip"),
    (
        "Files",
        "ls cat less cp mv rm mkdir touch chmod chown ln readlink find stat basename dirname",
    ),
    ("Text", "head tail grep sed awk tr wc sort uniq cut diff xargs"),
    ("Editing", "vi nano edit"),
    ("Shell", "if for while case test read source alias set umask seq expr"),
    ("Users", "id whoami su sudo useradd passwd getent"),
    ("System", "hostname date openssl man history clear exit"),
]
"""The groups ``help`` lists; a name this build does not have is left out."""

HELP_WIDTH = 79
"""help's lines fit an 80-column terminal (the TUI's narrowest)."""


@command(
    "help",
    synopsis="help",
    summary="mailsim: list the commands this machine knows.",
    mailsim_only=True,
)
def help_(ctx: Context) -> int:
    known = set(REGISTRY.names())
    import textwrap

    ctx.out(
        "mailsim's simulated shell. These commands work here (this `help` is\n"
        "mailsim's own; the real bash `help` lists builtins).\n"
        "Try `man postconf`, `man 5 postconf`.\n\n"
    )
    keywords = ("if", "for", "while", "case")
    for title, names in HELP_GROUPS:
        present = [n for n in names.split() if n in known or n in keywords]
        if present:
            lines = textwrap.wrap(
                " ".join(present),
                HELP_WIDTH,
                initial_indent=f"{title + ':':10}",
                subsequent_indent=" " * 10,
            )
            ctx.out("".join(line + "\n" for line in lines))
    return 0
