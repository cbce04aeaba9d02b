"""The grader's checks on what happened: a command's result, a service's state, a command run.

``command:`` runs on a throwaway copy of the machine; ``service:`` and ``ran:`` read
the event log (which command ran when, which file changed when) so that "reloaded
after the last change" and "ran newaliases after editing /etc/aliases" can be told.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mailsim.packs.check_values import first_line, needs_value, output_shown
from mailsim.packs.checks import Check, compile_regex
from mailsim.packs.messages import Msg

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine

CONFIG_FILES = {
    "postfix": ("/etc/postfix/main.cf", "/etc/postfix/master.cf"),
    "dovecot": ("/etc/dovecot/",),
}
"""What a service reads at start and reload (a path ending in / covers a tree)."""
CHANGE_KINDS = frozenset({"write", "remove", "rename", "symlink", "meta", "mkdir"})

Events = Callable[[], list[dict[str, Any]]]
"""The event log, read once per grading pass and only when a check needs it."""


def command_problem(machine: Machine, check: Check) -> Msg | None:
    """Why a ``command:`` check fails (run on a copy of the machine), or None."""
    from mailsim.packs.runner import run_on_copy

    command = str(check.target)
    out, err, status = run_on_copy(machine, command, str(check.ops.get("stdin", "")))
    ops = check.ops
    if "status" in ops and status != int(ops["status"]):
        said = err.strip()
        return Msg(
            "packs.check.command.status_stderr" if said else "packs.check.command.status",
            command=command,
            have=status,
            need=int(ops["status"]),
            stderr=first_line(said),
        )

    def output(stream: str, text: str, need: Msg) -> Msg:
        """One stream's output is not what the task needs."""
        return Msg(
            "packs.check.command.output",
            command=command,
            stream=stream,
            have=output_shown(text),
            need=need,
        )

    for stream, text in (("stdout", out), ("stderr", err)):
        if f"{stream}_contains" in ops and str(ops[f"{stream}_contains"]) not in text:
            wanted = str(ops[f"{stream}_contains"])
            return output(stream, text, Msg("packs.need.contains_text", text=wanted))
        if f"{stream}_equals" in ops and text != str(ops[f"{stream}_equals"]):
            return output(stream, text, needs_value(str(ops[f"{stream}_equals"]).strip()))
    if "stdout_matches" in ops:
        pattern = compile_regex(str(ops["stdout_matches"]))
        if isinstance(pattern, str) or not pattern.search(out):
            return output(
                "stdout", out, Msg("packs.need.matches", pattern=str(ops["stdout_matches"]))
            )
    return None


def service_problem(machine: Machine, check: Check, events: Events) -> Msg | None:
    """Why a ``service:`` check fails (state, reloaded after the last change), or None."""
    from mailsim.machine.services import get_state

    name = str(check.target)
    state = get_state(machine, name)
    wanted = check.ops.get("state")
    if wanted == "running" and not state.running:
        return Msg("packs.check.service.not_running", service=name)
    if wanted == "stopped" and state.running:
        return Msg("packs.check.service.running", service=name)
    if check.ops.get("reloaded_after_change"):
        if not state.running:
            return Msg("packs.check.service.not_running", service=name)
        config = tuple(check.ops.get("config") or CONFIG_FILES.get(name, ()))
        loaded = 0
        changed: tuple[int, str] | None = None
        for event in events():
            kind = event.get("kind")
            if (
                kind == "service"
                and event.get("service") == name
                and event.get("action") in ("start", "reload")
            ):
                loaded = event.get("seq", 0)
            elif kind in CHANGE_KINDS and _covers(config, str(event.get("path", ""))):
                changed = (event.get("seq", 0), str(event.get("path")))
        if changed is None and not loaded:
            # Neither changed nor (re)loaded since the lab began: "the running service
            # uses the new settings" is not yet true of the settings it started with.
            return Msg("packs.check.service.unchanged", service=name)
        if changed is not None and changed[0] > loaded:
            return Msg("packs.check.service.stale", service=name, file=changed[1])
        stale = _changed_on_disk(machine, config, state.reloaded)
        if stale:
            return Msg("packs.check.service.stale", service=name, file=stale)
    return None


def _changed_on_disk(
    machine: Machine, config: tuple[str, ...], loaded_at: float | None
) -> str | None:
    """A config file written from outside after the last (re)load (no event for it)."""
    if loaded_at is None or machine.clock.fixed:
        # A fixed clock (tests) says nothing about files written from outside.
        return None
    for path in config:
        if path.endswith("/"):
            continue
        try:
            if machine.stat(path).mtime > loaded_at + 1:
                return path
        except OSError:
            continue
    return None


def ran_problem(check: Check, events: Events) -> Msg | None:
    """Why a ``ran:`` check fails (no successful run after the file's last change), or None."""
    commands = check.target if isinstance(check.target, list) else [check.target]
    patterns = [str(c).split() for c in commands]
    path = str(check.ops["after_change_of"])
    changed = 0
    ran = 0
    for event in events():
        kind = event.get("kind")
        if kind in CHANGE_KINDS and event.get("path") == path:
            changed = event.get("seq", 0)
        elif kind == "command" and event.get("status") == 0:
            argv = event.get("argv") or []
            if any(_argv_matches(argv, words) for words in patterns):
                ran = event.get("seq", 0)
    if ran and ran > changed:
        return None
    return Msg("packs.check.ran.missing", command=str(commands[0]), file=path)


def _covers(config: tuple[str, ...], path: str) -> bool:
    return any(path == c or (c.endswith("/") and path.startswith(c)) for c in config)


def _argv_matches(argv: list[str], words: list[str]) -> bool:
    if not argv or not words or len(argv) < len(words):
        return False
    return os.path.basename(argv[0]) == words[0] and argv[1 : len(words)] == words[1:]
