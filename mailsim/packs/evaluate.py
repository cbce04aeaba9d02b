"""Decide whether a check holds on a machine, and say why not.

An ``Evaluator`` serves one grading pass: it loads the Postfix and Dovecot
configurations once (they are memoised per file version anyway), reads the
event log once, and runs command checks on a throwaway copy of the machine,
remembering their results while the machine is unchanged. Values are compared
as the software reads them: Postfix lists item by item after ``$name``
expansion, so a harmless extra edit never fails a task unless the lab is strict.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from mailsim.machine.machine import Machine
from mailsim.packs.checks import Check, as_items, compile_regex, list_items
from mailsim.packs.dovecot_home import dovecot_home
from mailsim.packs.file_checks import file_problem
from mailsim.packs.messages import Msg

log = logging.getLogger("mailsim.packs")

CONFIG_FILES = {
    "postfix": ("/etc/postfix/main.cf", "/etc/postfix/master.cf"),
    "dovecot": ("/etc/dovecot/",),
}
"""What a service reads at start and reload (a path ending in / covers a tree)."""
CHANGE_KINDS = frozenset({"write", "remove", "rename", "symlink", "meta", "mkdir"})


@dataclass(frozen=True)
class Outcome:
    passed: bool
    reason: Msg | None = None


PASS = Outcome(True)


def shown(value: str | None) -> str | Msg:
    """A value as a message parameter: the empty value is said in words."""
    return value if value else Msg("packs.check.empty")


def output_shown(text: str) -> str | Msg:
    """Command output as a message parameter: one line, the rest counted, empty in words."""
    return first_line(text.strip()) if text.strip() else Msg("packs.check.empty")


def first_line(text: str) -> str | Msg:
    """A checklist reason is one line: a longer output shows its first line and a count."""
    lines = text.splitlines()
    if len(lines) <= 1:
        return text[:200]
    return Msg("packs.check.more_lines", first=lines[0].rstrip()[:200], count=len(lines) - 1)


def needs_value(value: str) -> Msg:
    """ "The task needs VALUE", where an empty VALUE is said in words, not left blank."""
    return Msg("packs.need.equals", value=value) if value else Msg("packs.need.empty")


_VIEWS: dict[str, Machine] = {}


def _view(machine: Machine) -> Machine:
    """The grader's own Machine on the same directory. ``Machine.cached`` keys by path
    alone, so sharing the learner's instance would let the grader's parse of main.cf
    and a command's different parse of it replace each other."""
    key = str(machine.root)
    view = _VIEWS.get(key)
    if view is None or view.clock is not machine.clock:
        if len(_VIEWS) > 16:
            _VIEWS.clear()
        view = _VIEWS[key] = Machine(machine.root, machine.clock)
    return view


class Evaluator:
    """Evaluates checks against one machine state."""

    def __init__(self, machine: Machine, strict: bool = False) -> None:
        self.machine = _view(machine)
        self.strict = strict
        self._postfix: Any = None
        self._dovecot: Any = None
        self._events: list[dict[str, Any]] | None = None

    # -- shared state ------------------------------------------------------------

    def postfix(self) -> Any:
        """The PostfixConfig, or a Msg saying why main.cf cannot be used."""
        if self._postfix is None:
            from mailsim.postfix import config

            try:
                self._postfix = config.load(self.machine)
            except config.ConfigError as exc:
                self._postfix = Msg("packs.check.postfix.broken", error=str(exc))
        return self._postfix

    def dovecot(self) -> Any:
        if self._dovecot is None:
            from mailsim.dovecot import config

            self._dovecot = config.load(self.machine)
        return self._dovecot

    def events(self) -> list[dict[str, Any]]:
        if self._events is None:
            self._events = list(self.machine.events)
        return self._events

    # -- dispatch ------------------------------------------------------------------

    def evaluate(self, check: Check) -> Outcome:
        handler = getattr(self, "_eval_" + check.kind)
        try:
            return handler(check)
        except OSError as exc:
            return Outcome(
                False,
                Msg(
                    "packs.check.io_error",
                    file=exc.filename or "",
                    error=os.strerror(exc.errno or 5),
                ),
            )
        except Exception:  # a bug below the grader must not take the checklist down
            log.exception("check %s failed", describe(check))
            return Outcome(False, Msg("packs.check.internal_error", what=describe(check)))

    def _eval_all(self, check: Check) -> Outcome:
        for child in check.children:
            result = self.evaluate(child)
            if not result.passed:
                return result
        return PASS

    def _eval_any(self, check: Check) -> Outcome:
        first: Outcome | None = None
        for child in check.children:
            result = self.evaluate(child)
            if result.passed:
                return PASS
            first = first or result
        return first or PASS

    def _eval_not(self, check: Check) -> Outcome:
        result = self.evaluate(check.children[0])
        if result.passed:
            return Outcome(False, Msg("packs.check.not", what=describe(check.children[0])))
        return PASS

    # -- values --------------------------------------------------------------------

    def compare(self, have: str, ops: dict[str, Any]) -> Msg | None:
        """None when ``have`` satisfies every value operator, else what the task needs."""
        items = list_items(have)
        if "equals" in ops and items != as_items(str(ops["equals"])):
            return needs_value(str(ops["equals"]))
        if "any_of" in ops and not any(items == as_items(str(v)) for v in ops["any_of"]):
            return Msg("packs.need.any_of", values=[str(v) for v in ops["any_of"]])
        if "matches" in ops:
            pattern = compile_regex(str(ops["matches"]))
            if isinstance(pattern, str) or not pattern.search(have):
                return Msg("packs.need.matches", pattern=str(ops["matches"]))
        if "contains_item" in ops:
            wanted = as_items(ops["contains_item"])
            missing = [w for w in wanted if w not in items]
            if missing:
                return Msg("packs.need.contains_item", items=missing)
            if self.strict and sorted(set(items)) != sorted(set(wanted)):
                return Msg("packs.need.only_items", items=wanted)
        if "lacks_item" in ops:
            present = [w for w in as_items(ops["lacks_item"]) if w in items]
            if present:
                return Msg("packs.need.lacks_item", items=present)
        return None

    def _eval_postfix(self, check: Check) -> Outcome:
        cfg = self.postfix()
        if isinstance(cfg, Msg):
            return Outcome(False, cfg)
        name = str(check.target)
        origin = cfg.value_origin(name)
        ops = check.ops
        if "is_set" in ops and bool(ops["is_set"]) != (origin is not None):
            if origin is None:
                return Outcome(
                    False, Msg("packs.check.postfix.must_be_set", param=name, file=cfg.main_path)
                )
            return Outcome(
                False,
                Msg(
                    "packs.check.postfix.must_be_unset", param=name, file=origin[0], line=origin[1]
                ),
            )
        have = cfg.expand(name)
        need = self.compare(have, ops)
        if need is None:
            return PASS
        if origin is None:
            # The default in effect, as `postconf -x` shows it: relay_domains' raw
            # default is a compatibility-level expression no learner should decode.
            default = have
            return Outcome(
                False,
                Msg(
                    "packs.check.postfix.unset",
                    param=name,
                    default=shown(default),
                    need=need,
                    file=cfg.main_path,
                ),
            )
        raw = cfg.setting(name) or ""
        params = {
            "param": name,
            "have": shown(raw),
            "need": need,
            "file": origin[0],
            "line": origin[1],
        }
        if raw != have:
            return Outcome(
                False, Msg("packs.check.postfix.wrong_expanded", expanded=shown(have), **params)
            )
        return Outcome(False, Msg("packs.check.postfix.wrong", **params))

    def _eval_dovecot(self, check: Check) -> Outcome:
        cfg = self.dovecot()
        if cfg.error is not None:
            return Outcome(False, Msg("packs.check.dovecot.broken", error=str(cfg.error)))
        path = str(check.target)
        protocol = check.ops.get("protocol")
        protocol = str(protocol) if protocol else None
        value = cfg.protocol_value(path, protocol) if protocol and "/" not in path else None
        if value is None:
            value = cfg.value(path)

        def where() -> str | Msg:
            """Where to add the setting: inside the protocol's block when the task names one."""
            file = dovecot_home(self.machine, path, protocol)
            if protocol and "/" not in path:
                return Msg("packs.where.protocol", protocol=protocol, file=file)
            return file

        if "is_set" in check.ops and bool(check.ops["is_set"]) != (value is not None):
            if value is None:
                return Outcome(
                    False, Msg("packs.check.dovecot.must_be_set", setting=path, file=where())
                )
            return Outcome(
                False,
                Msg(
                    "packs.check.dovecot.must_be_unset",
                    setting=path,
                    file=value.file,
                    line=value.line,
                ),
            )
        if "/" in path:
            have = cfg.lookup(path)
        else:
            have = cfg.get(path, protocol=protocol)
        if have is None:
            return Outcome(False, Msg("packs.check.dovecot.unknown", setting=path))
        need = self.compare(have, check.ops)
        if need is None:
            return PASS
        if value is None:
            return Outcome(
                False,
                Msg(
                    "packs.check.dovecot.unset",
                    setting=path,
                    default=shown(have),
                    need=need,
                    file=where(),
                ),
            )
        return Outcome(
            False,
            Msg(
                "packs.check.dovecot.wrong",
                setting=path,
                have=shown(value.text),
                need=need,
                file=value.file,
                line=value.line,
            ),
        )

    def _eval_file(self, check: Check) -> Outcome:
        reason = file_problem(self.machine, check)
        return PASS if reason is None else Outcome(False, reason)

    # -- commands, services, history ---------------------------------------------

    def _eval_command(self, check: Check) -> Outcome:
        from mailsim.packs.runner import run_on_copy

        command = str(check.target)
        out, err, status = run_on_copy(self.machine, command, str(check.ops.get("stdin", "")))
        ops = check.ops
        if "status" in ops and status != int(ops["status"]):
            said = err.strip()
            return Outcome(
                False,
                Msg(
                    "packs.check.command.status_stderr" if said else "packs.check.command.status",
                    command=command,
                    have=status,
                    need=int(ops["status"]),
                    stderr=first_line(said),
                ),
            )
        for stream, text in (("stdout", out), ("stderr", err)):
            if f"{stream}_contains" in ops and str(ops[f"{stream}_contains"]) not in text:
                return Outcome(
                    False,
                    Msg(
                        "packs.check.command.output",
                        command=command,
                        stream=stream,
                        have=output_shown(text),
                        need=Msg("packs.need.contains_text", text=str(ops[f"{stream}_contains"])),
                    ),
                )
            if f"{stream}_equals" in ops and text != str(ops[f"{stream}_equals"]):
                return Outcome(
                    False,
                    Msg(
                        "packs.check.command.output",
                        command=command,
                        stream=stream,
                        have=output_shown(text),
                        need=needs_value(str(ops[f"{stream}_equals"]).strip()),
                    ),
                )
        if "stdout_matches" in ops:
            pattern = compile_regex(str(ops["stdout_matches"]))
            if isinstance(pattern, str) or not pattern.search(out):
                return Outcome(
                    False,
                    Msg(
                        "packs.check.command.output",
                        command=command,
                        stream="stdout",
                        have=output_shown(out),
                        need=Msg("packs.need.matches", pattern=str(ops["stdout_matches"])),
                    ),
                )
        return PASS

    def _eval_service(self, check: Check) -> Outcome:
        from mailsim.machine.services import get_state

        name = str(check.target)
        state = get_state(self.machine, name)
        wanted = check.ops.get("state")
        if wanted == "running" and not state.running:
            return Outcome(False, Msg("packs.check.service.not_running", service=name))
        if wanted == "stopped" and state.running:
            return Outcome(False, Msg("packs.check.service.running", service=name))
        if check.ops.get("reloaded_after_change"):
            if not state.running:
                return Outcome(False, Msg("packs.check.service.not_running", service=name))
            config = tuple(check.ops.get("config") or CONFIG_FILES.get(name, ()))
            loaded = 0
            changed: tuple[int, str] | None = None
            for event in self.events():
                kind = event.get("kind")
                if (
                    kind == "service"
                    and event.get("service") == name
                    and event.get("action") in ("start", "reload")
                ):
                    loaded = event.get("seq", 0)
                elif kind in CHANGE_KINDS and _covers(config, str(event.get("path", ""))):
                    changed = (event.get("seq", 0), str(event.get("path")))
            if changed is not None and changed[0] > loaded:
                return Outcome(
                    False, Msg("packs.check.service.stale", service=name, file=changed[1])
                )
            stale = self._changed_on_disk(config, state.reloaded)
            if stale:
                return Outcome(False, Msg("packs.check.service.stale", service=name, file=stale))
        return PASS

    def _changed_on_disk(self, config: tuple[str, ...], loaded_at: float | None) -> str | None:
        """A config file written from outside after the last (re)load (no event for it)."""
        if loaded_at is None or self.machine.clock.fixed:
            # A fixed clock (tests) says nothing about files written from outside.
            return None
        for path in config:
            if path.endswith("/"):
                continue
            try:
                if self.machine.stat(path).mtime > loaded_at + 1:
                    return path
            except OSError:
                continue
        return None

    def _eval_ran(self, check: Check) -> Outcome:
        commands = check.target if isinstance(check.target, list) else [check.target]
        patterns = [str(c).split() for c in commands]
        path = str(check.ops["after_change_of"])
        changed = 0
        ran = 0
        for event in self.events():
            kind = event.get("kind")
            if kind in CHANGE_KINDS and event.get("path") == path:
                changed = event.get("seq", 0)
            elif kind == "command" and event.get("status") == 0:
                argv = event.get("argv") or []
                if any(_argv_matches(argv, words) for words in patterns):
                    ran = event.get("seq", 0)
        if ran and ran > changed:
            return PASS
        return Outcome(False, Msg("packs.check.ran.missing", command=str(commands[0]), file=path))

    # -- lookup tables -------------------------------------------------------------

    def _alias_table(self, check: Check) -> str:
        if "table" in check.ops:
            return str(check.ops["table"])
        cfg = self.postfix()
        if not isinstance(cfg, Msg):
            for item in list_items(cfg.expand("alias_maps")):
                if item.split(":", 1)[0] in (
                    "hash",
                    "btree",
                    "texthash",
                    "inline",
                    "regexp",
                    "pcre",
                    "cidr",
                ):
                    return item
        return "hash:/etc/aliases"

    def _eval_alias(self, check: Check) -> Outcome:
        return self._lookup(self._alias_table(check), str(check.target), check, alias=True)

    def _eval_table(self, check: Check) -> Outcome:
        return self._lookup(str(check.target), str(check.ops["key"]), check, alias=False)

    def _lookup(self, spec: str, key: str, check: Check, alias: bool) -> Outcome:
        from mailsim.postfix import dbfile, maps

        kind, name = maps.split_spec(spec)
        try:
            have = maps.open_table(self.machine, kind, name, lambda _m: None).get(key)
        except maps.MapFatal as exc:
            if kind in maps.DB_TYPES and self.machine.is_file(name):
                # The source exists but was never built: say which command builds it.
                have = None
            else:
                return Outcome(
                    False, Msg("packs.check.table.unreadable", table=spec, error=str(exc))
                )
        stale = kind in maps.DB_TYPES and dbfile.is_stale(self.machine, name, kind)
        rebuild = "newaliases" if alias else f"postmap {spec}"
        if "exists" in check.ops and bool(check.ops["exists"]) != (have is not None):
            if have is None:
                msg = Msg("packs.check.table.key_missing", key=key, table=spec)
            else:
                msg = Msg("packs.check.table.key_present", key=key, table=spec, have=have)
            return Outcome(
                False,
                Msg("packs.check.table.stale", file=name, command=rebuild, detail=msg)
                if stale
                else msg,
            )
        if not (set(check.ops) & {"equals", "any_of", "matches", "contains_item", "lacks_item"}):
            return PASS
        if have is None:
            msg = Msg("packs.check.table.key_missing", key=key, table=spec)
        else:
            need = self.compare(have, check.ops)
            if need is None:
                return PASS
            msg = Msg("packs.check.table.wrong", key=key, table=spec, have=shown(have), need=need)
        return Outcome(
            False,
            Msg("packs.check.table.stale", file=name, command=rebuild, detail=msg)
            if stale
            else msg,
        )


def _covers(config: tuple[str, ...], path: str) -> bool:
    return any(path == c or (c.endswith("/") and path.startswith(c)) for c in config)


def _argv_matches(argv: list[str], words: list[str]) -> bool:
    if not argv or not words or len(argv) < len(words):
        return False
    return os.path.basename(argv[0]) == words[0] and argv[1 : len(words)] == words[1:]


def describe(check: Check) -> str:
    """A check as an instructor wrote it, for messages about ``not``."""
    if check.children:
        inner = "; ".join(describe(c) for c in check.children)
        return f"{check.kind}: [{inner}]"
    ops = ", ".join(f"{k}: {v}" for k, v in check.ops.items())
    return f"{check.kind}: {check.target}" + (f" ({ops})" if ops else "")
