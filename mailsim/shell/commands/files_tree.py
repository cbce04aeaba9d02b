"""Creating and removing names: mkdir, rmdir, rm and touch (GNU coreutils 9.1).

Trees are walked in bytewise name order; a real disk's readdir order is
unspecified, so ``rm -rv`` may list the same names in another order there.
"""

from __future__ import annotations

import errno
import os

from mailsim.machine import paths
from mailsim.machine.machine import Stat
from mailsim.shell.commands.files_common import (
    check_access,
    check_parent_writable,
    claim,
    quote_always,
    quote_locale,
    strerror,
    try_help,
)
from mailsim.shell.commands.files_mode import UMASK, adjust_mode, compile_mode
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command


def _oserror(code: int, path: str) -> OSError:
    return OSError(code, os.strerror(code), path)


def _make_dir(ctx: Context, path: str, mode: int) -> None:
    full = ctx.abspath(path)
    try:
        parent = ctx.machine.stat(paths.parent(full))
    except OSError as exc:
        raise _oserror(exc.errno or errno.ENOENT, path) from None
    if not parent.is_dir:
        raise _oserror(errno.ENOTDIR, path)
    if ctx.machine.lexists(full):
        raise _oserror(errno.EEXIST, path)
    try:
        check_parent_writable(ctx, full)
    except OSError as exc:
        raise _oserror(exc.errno or errno.EACCES, path) from None
    ctx.machine.mkdir(full)
    claim(ctx, full, mode)


@command("mkdir", synopsis="mkdir [OPTION]... DIRECTORY...", summary="make directories")
def mkdir(ctx: Context) -> int:
    try:
        opts, operands = getopt(ctx.args, "m:pv", ["mode=", "parents", "verbose"])
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    parents = verbose = False
    mode = 0o777 & ~UMASK
    for flag, value in opts:
        if flag in ("-p", "--parents"):
            parents = True
        elif flag in ("-v", "--verbose"):
            verbose = True
        else:
            changes = compile_mode(value)
            if changes is None:
                ctx.error(f"invalid mode {quote_locale(value)}")
                return 1
            mode = adjust_mode(0o777, True, changes, umask=0)
    if not operands:
        return try_help(ctx, "missing operand")
    status = 0
    for operand in operands:
        try:
            if parents:
                _make_parents(ctx, operand, mode, verbose)
            else:
                _make_dir(ctx, operand, mode)
                if verbose:
                    ctx.out(f"mkdir: created directory {quote_always(operand)}\n")
        except OSError as exc:
            shown = exc.filename if isinstance(exc.filename, str) else operand
            ctx.error(f"cannot create directory {quote_locale(shown)}: {strerror(exc)}")
            status = 1
    return status


def _make_parents(ctx: Context, operand: str, mode: int, verbose: bool) -> None:
    """mkdir -p: parents get the default mode; only the last one gets ``-m``."""
    parts = [p for p in operand.split("/") if p]
    prefix = "/" if operand.startswith("/") else ""
    for index, part in enumerate(parts):
        prefix = prefix + part if prefix in ("", "/") else prefix + "/" + part
        if part in (".", "..") or ctx.machine.is_dir(ctx.abspath(prefix)):
            continue
        last = index == len(parts) - 1
        if not last and ctx.machine.lexists(ctx.abspath(prefix)):
            raise _oserror(errno.ENOTDIR, prefix)
        try:
            _make_dir(ctx, prefix, mode if last else 0o777 & ~UMASK)
        except OSError as exc:
            raise _oserror(exc.errno or errno.EIO, operand if last else prefix) from None
        if verbose:
            ctx.out(f"mkdir: created directory {quote_always(prefix)}\n")


@command("rmdir", synopsis="rmdir [OPTION]... DIRECTORY...", summary="remove empty directories")
def rmdir(ctx: Context) -> int:
    try:
        opts, operands = getopt(ctx.args, "pv", ["parents", "verbose", "ignore-fail-on-non-empty"])
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    flags = {f for f, _ in opts}
    parents = "-p" in flags or "--parents" in flags
    verbose = "-v" in flags or "--verbose" in flags
    ignore = "--ignore-fail-on-non-empty" in flags
    if not operands:
        return try_help(ctx, "missing operand")
    status = 0
    for operand in operands:
        chain = [operand]
        if parents:
            trimmed = operand.rstrip("/")
            while "/" in trimmed.strip("/"):
                trimmed = trimmed.rsplit("/", 1)[0].rstrip("/")
                chain.append(trimmed)
        for name in chain:
            if verbose:
                ctx.out(f"rmdir: removing directory, {quote_always(name)}\n")
            try:
                _remove_dir(ctx, name)
            except OSError as exc:
                if ignore and exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                    break
                ctx.error(f"failed to remove {quote_always(name)}: {strerror(exc)}")
                status = 1
                break
    return status


def _remove_dir(ctx: Context, name: str) -> None:
    full = ctx.abspath(name)
    st = ctx.machine.lstat(full)
    if not st.is_dir or (name.endswith("/") and st.is_link):
        raise _oserror(errno.ENOTDIR, name)
    if ctx.machine.listdir(full):
        raise _oserror(errno.ENOTEMPTY, name)
    _check_unlink(ctx, full, st)
    ctx.machine.rmdir(full)


def _check_unlink(ctx: Context, full: str, st: Stat) -> None:
    """Removing an entry: write access to its directory, and the sticky bit's rule."""
    if ctx.user.uid == 0:
        return
    check_parent_writable(ctx, full)
    parent = ctx.machine.stat(paths.parent(full))
    if parent.mode & 0o1000 and ctx.user.name not in (st.owner, parent.owner):
        raise _oserror(errno.EPERM, full)


def _describe(st: Stat) -> str:
    if st.is_dir:
        return "directory"
    if st.is_link:
        return "symbolic link"
    return "regular empty file" if st.size == 0 else "regular file"


def _ask(ctx: Context, question: str) -> bool:
    ctx.err(f"rm: {question}? ")
    answer = ctx.stdin.readline().decode(errors="replace")
    return answer[:1] in ("y", "Y")


class _Remover:
    def __init__(
        self,
        ctx: Context,
        force: bool,
        interactive: bool,
        recursive: bool,
        empty_dirs: bool,
        verbose: bool,
    ) -> None:
        self.ctx = ctx
        self.force = force
        self.interactive = interactive
        self.recursive = recursive
        self.empty_dirs = empty_dirs
        self.verbose = verbose

    def fail(self, name: str, exc: OSError) -> int:
        self.ctx.error(f"cannot remove {quote_always(name)}: {strerror(exc)}")
        return 1

    def remove(self, name: str) -> int:
        """Remove one operand (or a name inside a tree); prints its errors."""
        ctx = self.ctx
        full = ctx.abspath(name)
        try:
            st = ctx.machine.lstat(full)
        except OSError as exc:
            if self.force and exc.errno == errno.ENOENT:
                return 0
            return self.fail(name, exc)
        if st.is_dir:
            return self._remove_tree(name, full, st)
        if self._protected(st, full) and not _ask(
            ctx, f"remove write-protected {_describe(st)} {quote_always(name)}"
        ):
            return 0
        return self._unlink(name, full, st)

    def _unlink(self, name: str, full: str, st: Stat) -> int:
        """The last step for a file or an emptied directory: -i's question, the removal, -v."""
        ctx = self.ctx
        if self.interactive and not _ask(ctx, f"remove {_describe(st)} {quote_always(name)}"):
            return 0
        try:
            _check_unlink(ctx, full, st)
            if st.is_dir:
                ctx.machine.rmdir(full)
            else:
                ctx.machine.remove(full)
        except OSError as exc:
            return self.fail(name, exc)
        if self.verbose:
            what = "directory " if st.is_dir else ""
            ctx.out(f"removed {what}{quote_always(name)}\n")
        return 0

    def _protected(self, st: Stat, full: str) -> bool:
        """rm asks before removing a file the user cannot write, when stdin is a terminal."""
        if self.force or self.interactive or self.ctx.user.uid == 0 or st.is_link:
            return False
        if not self.ctx.stdin.interactive:
            return False
        from mailsim.machine.access import may

        return not may(self.ctx.machine, full, self.ctx.user, "w")

    def _remove_tree(self, name: str, full: str, st: Stat) -> int:
        ctx = self.ctx
        if not self.recursive:
            if not self.empty_dirs:
                return self.fail(name, _oserror(errno.EISDIR, name))
            try:
                if ctx.machine.listdir(full):
                    return self.fail(name, _oserror(errno.ENOTEMPTY, name))
            except OSError as exc:
                return self.fail(name, exc)
        status = 0
        if self.recursive:
            try:
                check_access(ctx, full, "r")
                children = ctx.machine.listdir(full)
            except OSError as exc:
                return self.fail(name, exc)
            if (
                children
                and self.interactive
                and not _ask(ctx, f"descend into directory {quote_always(name)}")
            ):
                return 0
            base = name if name.endswith("/") else name + "/"
            for child in children:
                ctx.terminal.check_cancelled()
                status = max(status, self.remove(base + child))
            if status:
                return status
        return self._unlink(name, full, st)


@command("rm", synopsis="rm [OPTION]... [FILE]...", summary="remove files or directories")
def rm(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args,
            "dfirRv",
            [
                "dir",
                "force",
                "interactive=?",
                "recursive",
                "verbose",
                "no-preserve-root",
                "preserve-root=?",
            ],
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    force = interactive = recursive = empty_dirs = verbose = False
    preserve_root = True
    for flag, _ in opts:
        if flag in ("-f", "--force"):
            force, interactive = True, False
        elif flag in ("-i", "--interactive"):
            interactive, force = True, False
        elif flag in ("-r", "-R", "--recursive"):
            recursive = True
        elif flag in ("-d", "--dir"):
            empty_dirs = True
        elif flag in ("-v", "--verbose"):
            verbose = True
        elif flag == "--no-preserve-root":
            preserve_root = False
    if not operands:
        return 0 if force else try_help(ctx, "missing operand")
    remover = _Remover(ctx, force, interactive, recursive, empty_dirs, verbose)
    status = 0
    for operand in operands:
        base = operand.rstrip("/").rsplit("/", 1)[-1]
        if recursive and base in (".", ".."):
            ctx.error(f"refusing to remove '.' or '..' directory: skipping {quote_always(operand)}")
            status = 1
            continue
        if recursive and preserve_root and ctx.machine.resolve(ctx.abspath(operand)) == "/":
            ctx.error(f"it is dangerous to operate recursively on {quote_always(operand)}")
            ctx.error("use --no-preserve-root to override this failsafe")
            status = 1
            continue
        status = max(status, remover.remove(operand))
    return status


@command("touch", synopsis="touch [OPTION]... FILE...", summary="change file timestamps")
def touch(ctx: Context) -> int:
    try:
        opts, operands = getopt(
            ctx.args, "acmd:r:t:", ["no-create", "date=", "reference=", "time="]
        )
    except GetoptError as exc:
        return try_help(ctx, str(exc))
    no_create = False
    when: float | None = None
    for flag, value in opts:
        if flag in ("-c", "--no-create"):
            no_create = True
        elif flag in ("-d", "--date"):
            from mailsim.shell.commands.files_dates import parse_date

            when = parse_date(value, ctx.machine.clock.now())
            if when is None:
                ctx.error(f"invalid date format {quote_locale(value)}")
                return 1
        elif flag in ("-r", "--reference"):
            try:
                when = ctx.machine.stat(ctx.abspath(value)).mtime
            except OSError as exc:
                ctx.error(f"failed to get attributes of {quote_always(value)}: {strerror(exc)}")
                return 1
    if not operands:
        return try_help(ctx, "missing file operand")
    status = 0
    for operand in operands:
        full = ctx.abspath(operand)
        try:
            if ctx.machine.exists(full):
                _check_touch(ctx, full)
                ctx.machine.touch(full)
            elif no_create:
                continue
            else:
                check_parent_writable(ctx, full)
                ctx.machine.touch(full)
                claim(ctx, full, 0o666 & ~UMASK)
            if when is not None:
                ctx.machine.set_mtime(full, when)
        except OSError as exc:
            ctx.error(f"cannot touch {quote_always(operand)}: {strerror(exc)}")
            status = 1
    return status


def _check_touch(ctx: Context, full: str) -> None:
    if ctx.user.uid == 0:
        return
    st = ctx.machine.stat(full)
    if st.owner != ctx.user.name:
        check_access(ctx, full, "w")
