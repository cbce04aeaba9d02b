"""Decide whether a check holds on a machine, and say why not.

An ``Evaluator`` serves one grading pass: it loads the Postfix and Dovecot
configurations once (they are memoised per file version anyway), reads the
event log once, and hands each check to the module for its kind:
``config_checks`` (postfix, dovecot), ``file_checks``, ``history_checks``
(command, service, ran) and ``table_checks`` (alias, table). Values are compared
as the software reads them (``check_values``).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mailsim.machine.machine import Machine
from mailsim.packs.checks import Check
from mailsim.packs.config_checks import dovecot_problem, postfix_problem
from mailsim.packs.file_checks import file_problem
from mailsim.packs.history_checks import command_problem, ran_problem, service_problem
from mailsim.packs.messages import Msg
from mailsim.packs.table_checks import alias_table, lookup_problem

if TYPE_CHECKING:
    from mailsim.dovecot.config import DovecotConfig
    from mailsim.postfix.config import PostfixConfig

log = logging.getLogger("mailsim.packs")


@dataclass(frozen=True)
class Outcome:
    passed: bool
    reason: Msg | None = None


PASS = Outcome(True)


def _outcome(reason: Msg | None) -> Outcome:
    return PASS if reason is None else Outcome(False, reason)


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

    def __init__(self, machine: Machine, strict: bool = False, since: int = 0) -> None:
        self.machine = _view(machine)
        self.strict = strict
        self.since = since
        """History checks see events after this sequence number: the lab's own, not
        the changes and service starts that put its start state in place."""
        self._postfix: PostfixConfig | Msg | None = None
        self._dovecot: DovecotConfig | None = None
        self._events: list[dict[str, Any]] | None = None

    # -- shared state ------------------------------------------------------------

    def postfix(self) -> PostfixConfig | Msg:
        """The PostfixConfig, or a Msg saying why main.cf cannot be used."""
        if self._postfix is None:
            from mailsim.postfix import config

            try:
                self._postfix = config.load(self.machine)
            except config.ConfigError as exc:
                self._postfix = Msg("packs.check.postfix.broken", error=str(exc))
        return self._postfix

    def dovecot(self) -> DovecotConfig:
        if self._dovecot is None:
            from mailsim.dovecot import config

            self._dovecot = config.load(self.machine)
        return self._dovecot

    def events(self) -> list[dict[str, Any]]:
        if self._events is None:
            self._events = [e for e in self.machine.events if e.get("seq", 0) > self.since]
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

    # -- checks by kind ---------------------------------------------------------------

    def _eval_postfix(self, check: Check) -> Outcome:
        return _outcome(postfix_problem(self.postfix(), check, self.strict))

    def _eval_dovecot(self, check: Check) -> Outcome:
        return _outcome(dovecot_problem(self.dovecot(), self.machine, check, self.strict))

    def _eval_file(self, check: Check) -> Outcome:
        return _outcome(file_problem(self.machine, check))

    def _eval_command(self, check: Check) -> Outcome:
        return _outcome(command_problem(self.machine, check))

    def _eval_service(self, check: Check) -> Outcome:
        return _outcome(service_problem(self.machine, check, self.events))

    def _eval_ran(self, check: Check) -> Outcome:
        return _outcome(ran_problem(check, self.events))

    def _eval_alias(self, check: Check) -> Outcome:
        table = alias_table(check, self.postfix())
        return _outcome(
            lookup_problem(self.machine, table, str(check.target), check, True, self.strict)
        )

    def _eval_table(self, check: Check) -> Outcome:
        spec, key = str(check.target), str(check.ops["key"])
        return _outcome(lookup_problem(self.machine, spec, key, check, False, self.strict))


def describe(check: Check) -> str:
    """A check as an instructor wrote it, for messages about ``not``."""
    if check.children:
        inner = "; ".join(describe(c) for c in check.children)
        return f"{check.kind}: [{inner}]"
    ops = ", ".join(f"{k}: {v}" for k, v in check.ops.items())
    return f"{check.kind}: {check.target}" + (f" ({ops})" if ops else "")
