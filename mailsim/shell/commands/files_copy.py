"""cp, mv and ln (GNU coreutils 9.1) over the machine's API.

A machine directory holds plain files, so a hard link (``ln`` without ``-s``)
is simulated as a copy that keeps the source's owner, mode and time; the two
names do not share later changes, and ``ls -l`` shows a link count of 1.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable

from mailsim.machine import paths
from mailsim.machine.machine import Stat
from mailsim.shell.commands.files_common import (
    check_access,
    check_parent_writable,
    claim,
    quote_always,
    strerror,
    try_help,
)
from mailsim.shell.commands.files_mode import UMASK
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command


class _Failed(Exception):
    """A message already worded for the user (after ``NAME: ``)."""


def _oserror(code: int, path: str) -> OSError:
    return OSError(code, os.strerror(code), path)


def _join(directory: str, name: str) -> str:
    return (directory if directory.endswith("/") else directory + "/") + name


def _last_name(operand: str) -> str:
    return paths.basename(operand)


def _targets(
    ctx: Context, operands: list[str], no_deref_dest: bool = False
) -> list[tuple[str, str]] | int:
    """Pairs (source, destination) as cp/mv/ln work them out; prints usage errors."""
    if not operands:
        return try_help(ctx, "missing file operand")
    if len(operands) == 1:
        return try_help(ctx, f"missing destination file operand after {quote_always(operands[0])}")
    *sources, dest = operands
    full = ctx.abspath(dest)
    try:
        st = ctx.machine.lstat(full) if no_deref_dest else ctx.machine.stat(full)
        dest_is_dir = st.is_dir
    except OSError as exc:
        if len(sources) > 1:
            ctx.error(f"target {quote_always(dest)}: {strerror(exc)}")
            return 1
        dest_is_dir = False
    if len(sources) > 1 and not dest_is_dir:
        ctx.error(f"target {quote_always(dest)}: Not a directory")
        return 1
    if dest_is_dir:
        return [(src, _join(dest, _last_name(src))) for src in sources]
    return [(sources[0], dest)]


def _ask(ctx: Context, question: str) -> bool:
    ctx.err(f"{ctx.name}: {question}? ")
    return ctx.stdin.readline().decode(errors="replace")[:1] in ("y", "Y")


_PROMPTING = {
    "-i": (True, False),
    "--interactive": (True, False),
    "-n": (False, True),
    "--no-clobber": (False, True),
}
"""cp's and mv's -i and -n as (interactive, no_clobber): the last of them wins."""


def _spare(ctx: Context, dst: str, no_clobber: bool, interactive: bool) -> bool:
    """True when an existing destination stays: -n, or anything but yes to -i's question."""
    return no_clobber or (interactive and not _ask(ctx, f"overwrite {quote_always(dst)}"))


def _ends(
    ctx: Context,
    src: str,
    dst: str,
    stat_src: Callable[[str], Stat],
    stat_dst: Callable[[str], Stat],
) -> tuple[Stat, Stat | None] | None:
    """cp's and mv's first look at both ends: (source, destination or None when there is none).

    A source that cannot be looked at and a destination that is the source itself are
    reported (None); the callers say how each end is looked at (through links or not).
    """
    try:
        st = stat_src(ctx.abspath(src))
    except OSError as exc:
        ctx.error(f"cannot stat {quote_always(src)}: {strerror(exc)}")
        return None
    try:
        dst_st: Stat | None = stat_dst(ctx.abspath(dst))
    except OSError:
        dst_st = None
    if dst_st is not None and dst_st.path == st.path:
        ctx.error(f"{quote_always(src)} and {quote_always(dst)} are the same file")
        return None
    return st, dst_st


def _kinds_clash(ctx: Context, src: str, dst: str, st: Stat, dst_st: Stat | None) -> bool:
    """GNU's refusal to put a directory over a non-directory or the reverse (reported)."""
    if dst_st is None or st.is_dir == dst_st.is_dir:
        return False
    if st.is_dir:
        ctx.error(
            f"cannot overwrite non-directory {quote_always(dst)} with directory {quote_always(src)}"
        )
    else:
        ctx.error(f"cannot overwrite directory {quote_always(dst)} with non-directory")
    return True


class _Copier:
    def __init__(
        self,
        ctx: Context,
        recursive: bool,
        preserve: bool,
        deref: bool,
        verbose: bool,
        interactive: bool,
        no_clobber: bool,
    ) -> None:
        self.ctx = ctx
        self.recursive = recursive
        self.preserve = preserve
        self.deref = deref
        self.verbose = verbose
        self.interactive = interactive
        self.no_clobber = no_clobber

    def _stat_source(self, path: str) -> Stat:
        machine = self.ctx.machine
        st = machine.stat(path) if self.deref else machine.lstat(path)
        check_access(self.ctx, path, "")
        return st

    def copy(self, src: str, dst: str, top: bool = True) -> int:
        ctx, machine = self.ctx, self.ctx.machine
        sfull, dfull = ctx.abspath(src), ctx.abspath(dst)
        ends = _ends(ctx, src, dst, self._stat_source, machine.stat)
        if ends is None:
            return 1
        st, dst_st = ends
        if st.is_dir:
            return self._copy_dir(src, dst, st, dst_st, top)
        if _kinds_clash(ctx, src, dst, st, dst_st):
            return 1
        if dst_st is not None or machine.lexists(dfull):
            if _spare(ctx, dst, self.no_clobber, self.interactive):
                return 0
        try:
            if st.is_link:
                if machine.lexists(dfull):
                    machine.remove(dfull)
                machine.symlink(st.target or "", dfull)
            else:
                self._copy_file(src, sfull, dst, dfull, st, dst_st)
        except _Failed as exc:
            ctx.error(str(exc))
            return 1
        if self.verbose:
            ctx.out(f"{quote_always(src)} -> {quote_always(dst)}\n")
        return 0

    def _copy_file(
        self, src: str, sfull: str, dst: str, dfull: str, st: Stat, dst_st: Stat | None
    ) -> None:
        ctx, machine = self.ctx, self.ctx.machine
        try:
            check_access(ctx, sfull, "r")
            data = machine.read_bytes(sfull)
        except OSError as exc:
            raise _Failed(f"cannot open {quote_always(src)} for reading: {strerror(exc)}") from None
        try:
            if dst_st is None:
                check_parent_writable(ctx, dfull)
            else:
                check_access(ctx, dfull, "w")
            machine.write_bytes(dfull, data)
        except OSError as exc:
            verb = "create regular file" if dst_st is None else "open"
            how = "" if dst_st is None else " for writing"
            raise _Failed(f"cannot {verb} {quote_always(dst)}{how}: {strerror(exc)}") from None
        self._finish(dfull, st, created=dst_st is None)

    def _finish(self, dfull: str, st: Stat, created: bool) -> None:
        ctx, machine = self.ctx, self.ctx.machine
        if self.preserve:
            owner, group = (st.owner, st.group) if ctx.user.uid == 0 else (None, None)
            if owner is None:
                claim(ctx, dfull, st.mode)
            else:
                machine.set_meta(dfull, owner=owner, group=group, mode=st.mode)
            machine.set_mtime(dfull, st.mtime)
        elif created:
            claim(ctx, dfull, st.mode & 0o777 & ~UMASK)

    def _copy_dir(self, src: str, dst: str, st: Stat, dst_st: Stat | None, top: bool) -> int:
        ctx, machine = self.ctx, self.ctx.machine
        if not self.recursive:
            ctx.error(f"-r not specified; omitting directory {quote_always(src)}")
            return 1
        dfull = ctx.abspath(dst)
        if _kinds_clash(ctx, src, dst, st, dst_st):
            return 1
        real_dst = machine.resolve(paths.parent(dfull)) + "/" + paths.basename(dfull)
        if (real_dst + "/").startswith(st.path.rstrip("/") + "/"):
            ctx.error(
                f"cannot copy a directory, {quote_always(src)}, into itself, {quote_always(dst)}"
            )
            return 1
        if dst_st is None:
            try:
                check_parent_writable(ctx, dfull)
                machine.mkdir(dfull)
            except OSError as exc:
                ctx.error(f"cannot create directory {quote_always(dst)}: {strerror(exc)}")
                return 1
            claim(ctx, dfull, st.mode & ~UMASK if not self.preserve else st.mode)
            if self.verbose:
                ctx.out(f"{quote_always(src)} -> {quote_always(dst)}\n")
        try:
            check_access(ctx, st.path, "r")
            names = machine.listdir(st.path)
        except OSError as exc:
            ctx.error(f"cannot access {quote_always(src)}: {strerror(exc)}")
            return 1
        status = 0
        for name in names:
            ctx.terminal.check_cancelled()
            status = max(status, self.copy(_join(src, name), _join(dst, name), top=False))
        if self.preserve:
            self._finish(dfull, st, created=dst_st is None)
        return status


@command("cp", synopsis="cp [OPTION]... SOURCE... DEST", summary="copy files and directories")
def cp(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "adfHiLnpPrRv",
            [
                "archive",
                "force",
                "interactive",
                "no-clobber",
                "recursive",
                "verbose",
                "dereference",
                "no-dereference",
                "preserve=?",
                "no-preserve=",
            ],
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    recursive = preserve = verbose = interactive = no_clobber = False
    deref: bool | None = None
    for flag, _ in opts:
        if flag in ("-a", "--archive"):
            recursive, preserve, deref = True, True, False
        elif flag in ("-r", "-R", "--recursive"):
            recursive = True
        elif flag in ("-p", "--preserve"):
            preserve = True
        elif flag in ("-d", "-P", "--no-dereference"):
            deref = False
        elif flag in ("-L", "-H", "--dereference"):
            deref = True
        elif flag in ("-v", "--verbose"):
            verbose = True
        elif flag in _PROMPTING:
            interactive, no_clobber = _PROMPTING[flag]
        elif flag in ("-f", "--force"):
            interactive = False
    pairs = _targets(ctx, operands)
    if isinstance(pairs, int):
        return pairs
    copier = _Copier(
        ctx,
        recursive,
        preserve,
        deref if deref is not None else not recursive,
        verbose,
        interactive,
        no_clobber,
    )
    status = 0
    for src, dst in pairs:
        status = max(status, copier.copy(src, dst))
    return status


@command("mv", synopsis="mv [OPTION]... SOURCE... DEST", summary="move (rename) files")
def mv(ctx: Context) -> int:
    try:
        opts, operands = getopt(ctx.args, "finv", ["force", "interactive", "no-clobber", "verbose"])
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    verbose = interactive = no_clobber = False
    for flag, _ in opts:
        if flag in ("-v", "--verbose"):
            verbose = True
        elif flag in _PROMPTING:
            interactive, no_clobber = _PROMPTING[flag]
        elif flag in ("-f", "--force"):
            interactive = no_clobber = False
    pairs = _targets(ctx, operands)
    if isinstance(pairs, int):
        return pairs
    status = 0
    for src, dst in pairs:
        status = max(status, _move(ctx, src, dst, verbose, interactive, no_clobber))
    return status


def _move(
    ctx: Context, src: str, dst: str, verbose: bool, interactive: bool, no_clobber: bool
) -> int:
    machine = ctx.machine
    sfull, dfull = ctx.abspath(src), ctx.abspath(dst)
    ends = _ends(ctx, src, dst, machine.lstat, machine.lstat)
    if ends is None:
        return 1
    st, dst_st = ends
    if st.is_dir:
        real_parent = machine.resolve(paths.parent(dfull))
        if (real_parent + "/").startswith(st.path.rstrip("/") + "/"):
            ctx.error(
                f"cannot move {quote_always(src)} to a subdirectory of itself, {quote_always(dst)}"
            )
            return 1
    if dst_st is not None:
        if _kinds_clash(ctx, src, dst, st, dst_st):
            return 1
        if _spare(ctx, dst, no_clobber, interactive):
            return 0
    try:
        check_parent_writable(ctx, sfull)
        check_parent_writable(ctx, dfull)
        if dst_st is not None and dst_st.is_dir and machine.listdir(dfull):
            raise _oserror(errno.ENOTEMPTY, dst)
        if dst_st is not None and dst_st.is_dir:
            machine.rmdir(dfull)
        if not machine.is_dir(paths.parent(dfull)):
            raise _oserror(errno.ENOENT, dst)
        machine.rename(sfull, dfull)
    except OSError as exc:
        ctx.error(f"cannot move {quote_always(src)} to {quote_always(dst)}: {strerror(exc)}")
        return 1
    if verbose:
        ctx.out(f"renamed {quote_always(src)} -> {quote_always(dst)}\n")
    return 0


@command("ln", synopsis="ln [OPTION]... TARGET... LINK_NAME", summary="make links between files")
def ln(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "finsTv",
            [
                "force",
                "interactive",
                "no-dereference",
                "symbolic",
                "verbose",
                "no-target-directory",
            ],
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    flags = {f for f, _ in opts}
    symbolic = bool(flags & {"-s", "--symbolic"})
    force = bool(flags & {"-f", "--force"})
    no_deref = bool(flags & {"-n", "--no-dereference"})
    verbose = bool(flags & {"-v", "--verbose"})
    if not operands:
        return try_help(ctx, "missing file operand")
    if len(operands) == 1:
        operands = [operands[0], "."]
    pairs = _targets(ctx, operands, no_deref_dest=no_deref)
    if isinstance(pairs, int):
        return pairs
    status = 0
    for target, link in pairs:
        status = max(status, _link(ctx, target, link, symbolic, force, verbose))
    return status


def _link(ctx: Context, target: str, link: str, symbolic: bool, force: bool, verbose: bool) -> int:
    machine = ctx.machine
    lfull = ctx.abspath(link)
    kind = "symbolic link" if symbolic else "hard link"
    source: Stat | None = None
    if not symbolic:
        try:
            source = machine.stat(ctx.abspath(target))
        except OSError as exc:
            ctx.error(f"failed to access {quote_always(target)}: {strerror(exc)}")
            return 1
        if source.is_dir:
            ctx.error(f"{target}: hard link not allowed for directory")
            return 1
    shown = quote_always(link) if symbolic else f"{quote_always(link)} => {quote_always(target)}"
    try:
        if machine.lexists(lfull):
            existing = machine.lstat(lfull)
            if not force or existing.is_dir:
                raise _oserror(
                    errno.EEXIST if not existing.is_dir or not force else errno.EISDIR, link
                )
            check_parent_writable(ctx, lfull)
            machine.remove(lfull)
        check_parent_writable(ctx, lfull)
        if symbolic:
            machine.symlink(target, lfull)
        else:
            assert source is not None
            machine.write_bytes(lfull, machine.read_bytes(source.path))
            machine.set_meta(lfull, owner=source.owner, group=source.group, mode=source.mode)
            machine.set_mtime(lfull, source.mtime)
    except OSError as exc:
        ctx.error(f"failed to create {kind} {shown}: {strerror(exc)}")
        return 1
    if verbose:
        arrow = "->" if symbolic else "=>"
        ctx.out(f"{quote_always(link)} {arrow} {quote_always(target)}\n")
    return 0
