"""Sandbox machines: free machines in the data directory, by name."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from mailsim.i18n import t
from mailsim.machine.machine import Machine

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class SandboxError(Exception):
    """Said to the learner as it is."""


def sandboxes_dir() -> Path:
    from mailsim.locations import machines_dir

    return machines_dir()


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise SandboxError(t("tui.sandbox.bad_name", name=name))
    return name


def list_sandboxes() -> list[str]:
    from mailsim.machine.image import is_machine

    base = sandboxes_dir()
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if is_machine(p))


def open_sandbox(name: str) -> Machine:
    """The named sandbox, created from the default image the first time."""
    from mailsim.machine.clock import Clock
    from mailsim.machine.image import InitError, init_machine, is_machine

    root = sandboxes_dir() / check_name(name)
    try:
        if is_machine(root):
            return Machine(root, Clock.from_env())
        return Machine(init_machine(root).root, Clock.from_env())
    except (InitError, OSError) as exc:
        raise SandboxError(t("tui.sandbox.cannot_open", name=name, error=str(exc))) from None


def reset_sandbox(name: str) -> Machine:
    from mailsim.machine.clock import Clock
    from mailsim.machine.image import InitError, init_machine

    root = sandboxes_dir() / check_name(name)
    try:
        return Machine(init_machine(root, force=True).root, Clock.from_env())
    except (InitError, OSError) as exc:
        raise SandboxError(t("tui.sandbox.cannot_open", name=name, error=str(exc))) from None


def duplicate_sandbox(name: str, new: str) -> None:
    from mailsim.machine.snapshot import copy_tree

    source = sandboxes_dir() / check_name(name)
    target = sandboxes_dir() / check_name(new)
    if target.exists():
        raise SandboxError(t("tui.sandbox.exists", name=new))
    try:
        copy_tree(source, target)
    except OSError as exc:
        raise SandboxError(t("tui.sandbox.cannot_open", name=new, error=str(exc))) from None


def name_problem(name: str) -> str:
    """Why ``name`` cannot be a new sandbox's name, or "" (for the name dialog)."""
    try:
        check_name(name)
    except SandboxError as exc:
        return str(exc)
    if (sandboxes_dir() / name).exists():
        return t("tui.sandbox.exists", name=name)
    return ""


def rename_sandbox(name: str, new: str) -> None:
    from mailsim.machine.image import is_machine

    source = sandboxes_dir() / check_name(name)
    target = sandboxes_dir() / check_name(new)
    if not is_machine(source):
        raise SandboxError(t("tui.sandbox.missing", name=name))
    if target.exists():
        raise SandboxError(t("tui.sandbox.exists", name=new))
    try:
        source.rename(target)
    except OSError as exc:
        raise SandboxError(t("tui.sandbox.cannot_open", name=new, error=str(exc))) from None
    from mailsim.tui.data.recent import sandbox_renamed

    sandbox_renamed(name, new, t("tui.sandbox.title", name=new))


def delete_sandbox(name: str) -> None:
    from mailsim.machine.image import is_machine

    root = sandboxes_dir() / check_name(name)
    if not is_machine(root):
        raise SandboxError(t("tui.sandbox.missing", name=name))
    shutil.rmtree(root, ignore_errors=True)
