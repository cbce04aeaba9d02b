"""chmod, chown and chgrp (GNU coreutils 9.1): metadata in the manifest, never host bits."""

from __future__ import annotations

from collections.abc import Iterator

from mailsim.machine.machine import Stat
from mailsim.shell.commands.files_common import (
    check_access,
    quote_always,
    quote_locale,
    strerror,
    try_help,
)
from mailsim.shell.commands.files_mode import adjust_mode, compile_mode, rwx
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

_MODE_CHARS = set("rwxXstugoa,+-=01234567")


def _walk(
    ctx: Context, operand: str, recursive: bool, post: bool = False
) -> Iterator[tuple[str, Stat | OSError]]:
    """The operand (links followed) and, with -R, what lies below it (links not followed).

    chmod changes a directory before its contents; chown and chgrp after them (``post``).
    """
    full = ctx.abspath(operand)
    try:
        check_access(ctx, full, "")
        st = ctx.machine.stat(full)
    except OSError as exc:
        yield operand, exc
        return
    if not post:
        yield operand, st
    if recursive and st.is_dir:
        yield from _below(ctx, operand, st.path, post)
    if post:
        yield operand, st


def _below(ctx: Context, shown: str, path: str, post: bool) -> Iterator[tuple[str, Stat | OSError]]:
    try:
        names = ctx.machine.listdir(path)
    except OSError as exc:
        yield shown, exc
        return
    for name in names:
        ctx.terminal.check_cancelled()
        child_shown = shown.rstrip("/") + "/" + name
        child = path.rstrip("/") + "/" + name
        try:
            st = ctx.machine.lstat(child)
        except OSError as exc:
            yield child_shown, exc
            continue
        if st.is_link:
            continue  # -R never follows links below the operands, and a link's own bits are fixed
        if not post:
            yield child_shown, st
        if st.is_dir:
            yield from _below(ctx, child_shown, child, post)
        if post:
            yield child_shown, st


def _split_mode(args: list[str]) -> tuple[list[str], str | None]:
    """chmod takes ``-w`` or ``-rwx`` as a mode, not as options: find it first."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if len(arg) > 1 and arg[0] == "-" and set(arg[1:]) <= _MODE_CHARS and arg[1] != "-":
            return args[:i] + args[i + 1 :], arg
    return args, None


@command(
    "chmod", synopsis="chmod [OPTION]... MODE[,MODE]... FILE...", summary="change file mode bits"
)
def chmod(ctx: Context) -> int:
    args, dash_mode = _split_mode(ctx.args)
    try:
        opts, operands = getopt(
            args, "cfvR", ["changes", "silent", "quiet", "verbose", "recursive", "reference="]
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    verbose = changes_only = quiet = recursive = False
    reference = None
    for flag, value in opts:
        if flag in ("-v", "--verbose"):
            verbose = True
        elif flag in ("-c", "--changes"):
            changes_only = True
        elif flag in ("-f", "--silent", "--quiet"):
            quiet = True
        elif flag in ("-R", "--recursive"):
            recursive = True
        else:
            reference = value
    if dash_mode is not None:
        operands.insert(0, dash_mode)
    if reference is None:
        if not operands:
            return try_help(ctx, "missing operand")
        spec = operands.pop(0)
        if not operands:
            return try_help(ctx, f"missing operand after {quote_locale(spec)}")
        changes = compile_mode(spec)
        if changes is None:
            return try_help(ctx, f"invalid mode: {quote_locale(spec)}")
    else:
        try:
            ref_mode = ctx.machine.stat(ctx.abspath(reference)).mode
        except OSError as exc:
            ctx.error(f"failed to get attributes of {quote_always(reference)}: {strerror(exc)}")
            return 1
        changes = compile_mode(f"{ref_mode:05o}")
        if not operands:
            return try_help(ctx, "missing operand")
    assert changes is not None
    status = 0
    for operand in operands:
        for shown, st in _walk(ctx, operand, recursive):
            if isinstance(st, OSError):
                if not quiet:
                    ctx.error(f"cannot access {quote_always(shown)}: {strerror(st)}")
                status = 1
                continue
            new = adjust_mode(st.mode, st.is_dir, changes)
            if ctx.user.uid != 0 and st.owner != ctx.user.name:
                if not quiet:
                    ctx.error(
                        f"changing permissions of {quote_always(shown)}: Operation not permitted"
                    )
                status = 1
                continue
            if new != st.mode:
                ctx.machine.set_meta(st.path, mode=new)
            if verbose or (changes_only and new != st.mode):
                ctx.out(_describe_mode(shown, st.mode, new))
    return status


def _describe_mode(shown: str, old: int, new: int) -> str:
    if old == new:
        return f"mode of {quote_always(shown)} retained as {new:04o} ({rwx(new)})\n"
    return (
        f"mode of {quote_always(shown)} changed from {old:04o} ({rwx(old)}) "
        f"to {new:04o} ({rwx(new)})\n"
    )


def _user_name(ctx: Context, spec: str) -> tuple[str, int] | None:
    """A user by name, or by number (a number nobody has is kept as the number)."""
    users = ctx.machine.users()
    if spec in users:
        return spec, users[spec].gid
    if spec.isdigit():
        for user in users.values():
            if user.uid == int(spec):
                return user.name, user.gid
        return spec, -1
    return None


def _group_name(ctx: Context, spec: str) -> str | None:
    groups = ctx.machine.groups()
    if spec in groups:
        return spec
    if spec.isdigit():
        for group in groups.values():
            if group.gid == int(spec):
                return group.name
        return spec
    return None


def _parse_owner(ctx: Context, spec: str) -> tuple[str | None, str | None] | str:
    """(owner, group) from ``user[:group]``, ``user:``, ``:group``; or an error message."""
    sep = ":" if ":" in spec else ""
    if not sep and "." in spec and _user_name(ctx, spec) is None:
        user_part, _, group_part = spec.partition(".")
        if _user_name(ctx, user_part) is not None and _group_name(ctx, group_part):
            ctx.error(f"warning: '.' should be ':': {quote_locale(spec)}")
            sep = "."
    if sep:
        user_part, _, group_part = spec.partition(sep)
    else:
        user_part, group_part = spec, ""
    owner = group = None
    login_gid = -1
    if user_part:
        found = _user_name(ctx, user_part)
        if found is None:
            return f"invalid {'spec' if sep and not group_part else 'user'}: {quote_locale(spec)}"
        owner, login_gid = found
    if group_part:
        group = _group_name(ctx, group_part)
        if group is None:
            return f"invalid group: {quote_locale(spec)}"
    elif sep and owner is not None:
        names = [g.name for g in ctx.machine.groups().values() if g.gid == login_gid]
        group = names[0] if names else str(login_gid)
    return owner, group


def _change_owner(
    ctx: Context,
    operands: list[str],
    owner: str | None,
    group: str | None,
    opts: set[str],
    chgrp: bool,
) -> int:
    verbose = bool(opts & {"-v", "--verbose"})
    changes_only = bool(opts & {"-c", "--changes"})
    quiet = bool(opts & {"-f", "--silent", "--quiet"})
    recursive = bool(opts & {"-R", "--recursive"})
    status = 0
    member_of = _groups_of(ctx)
    for operand in operands:
        for shown, st in _walk(ctx, operand, recursive, post=True):
            if isinstance(st, OSError):
                if not quiet:
                    ctx.error(f"cannot access {quote_always(shown)}: {strerror(st)}")
                status = 1
                continue
            new_owner = owner or st.owner
            new_group = group or st.group
            changed = (new_owner, new_group) != (st.owner, st.group)
            allowed = ctx.user.uid == 0 or (
                st.owner == ctx.user.name
                and new_owner == st.owner
                and (group is None or group in member_of)
            )
            if not allowed:
                if not quiet:
                    what = "group" if chgrp else "ownership"
                    ctx.error(f"changing {what} of {quote_always(shown)}: Operation not permitted")
                status = 1
                continue
            if changed:
                ctx.machine.set_meta(st.path, owner=new_owner, group=new_group)
            if verbose or (changes_only and changed):
                ctx.out(_describe_owner(shown, st, owner, group, changed, chgrp))
    return status


def _groups_of(ctx: Context) -> set[str]:
    from mailsim.machine.access import group_names

    return group_names(ctx.machine, ctx.user)


def _describe_owner(
    shown: str, st: Stat, owner: str | None, group: str | None, changed: bool, chgrp: bool
) -> str:
    name = quote_always(shown)
    if chgrp:
        if changed:
            return f"changed group of {name} from {st.group} to {group}\n"
        return f"group of {name} retained as {group}\n"
    new = (owner or "") + (f":{group}" if group is not None else "")
    if not changed:
        return f"ownership of {name} retained as {new}\n"
    old = st.owner + (f":{st.group}" if group is not None else "")
    return f"changed ownership of {name} from {old} to {new}\n"


_CHOWN_LONG = [
    "changes",
    "silent",
    "quiet",
    "verbose",
    "recursive",
    "no-dereference",
    "dereference",
    "reference=",
    "from=",
]


@command(
    "chown",
    synopsis="chown [OPTION]... [OWNER][:[GROUP]] FILE...",
    summary="change file owner and group",
)
def chown(ctx: Context) -> int:
    parsed_args = _owner_args(ctx)
    if isinstance(parsed_args, int):
        return parsed_args
    flags, spec, files = parsed_args
    parsed = _parse_owner(ctx, spec)
    if isinstance(parsed, str):
        ctx.error(parsed)
        return 1
    owner, group = parsed
    return _change_owner(ctx, files, owner, group, flags, chgrp=False)


@command("chgrp", synopsis="chgrp [OPTION]... GROUP FILE...", summary="change group ownership")
def chgrp(ctx: Context) -> int:
    parsed_args = _owner_args(ctx)
    if isinstance(parsed_args, int):
        return parsed_args
    flags, spec, files = parsed_args
    group = _group_name(ctx, spec)
    if group is None:
        ctx.error(f"invalid group: {quote_locale(spec)}")
        return 1
    return _change_owner(ctx, files, None, group, flags, chgrp=True)


def _owner_args(ctx: Context) -> tuple[set[str], str, list[str]] | int:
    """chown's and chgrp's command line: (option flags, OWNER or GROUP, files), or a status."""
    try:
        opts, operands = getopt(ctx.args, "cfhvRHLP", _CHOWN_LONG)
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    if not operands:
        return try_help(ctx, "missing operand")
    spec = operands.pop(0)
    if not operands:
        return try_help(ctx, f"missing operand after {quote_locale(spec)}")
    return {f for f, _ in opts}, spec, operands
