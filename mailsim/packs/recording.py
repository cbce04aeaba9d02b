"""Which lab task outcomes go to the progress store, and when.

The checklist regrades after every command, so most gradings are the machine
changing under the learner, not answers. A task is stored when its outcome
means something:

- passed: the first time it passes in this session (a task that already held
  when the lab opened taught nothing and is not stored);
- failed: when the learner asks for a check (``checked=True``) and the task
  fails, once per failing streak. The store rates it Again and makes the
  questions sharing its facts due, so what the learner missed comes back in review.

A task that passed, then broke and was checked, is stored as failed; passing it
again is stored again. The TUI and ``mailsim lab`` feed ``LabRecorder`` the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mailsim.packs.grader import GradeResult
    from mailsim.progress.store import ProgressStore


@dataclass(frozen=True)
class TaskOutcome:
    """One task's state after a grading, as the recorder needs it."""

    task: str
    passed: bool
    facts: tuple[str, ...] = ()
    hints_used: int = 0


def outcomes_of(result: GradeResult) -> list[TaskOutcome]:
    """The outcomes of a grader result (hints from the machine's lab binding)."""
    hints = result.binding.hints if result.binding is not None else {}
    return [TaskOutcome(t.id, t.passed, t.facts, hints.get(t.id, 0)) for t in result.tasks]


@dataclass
class LabRecorder:
    """Stores a lab session's task outcomes in the progress store (see the module doc)."""

    store: ProgressStore | None
    pack: str
    lab: str
    objective: str = ""
    stored_pass: set[str] = field(default_factory=set)
    """Tasks whose pass is stored (or that already passed when the session began)."""
    stored_fail: set[str] = field(default_factory=set)
    """Tasks whose current failing streak is stored."""
    errors: list[str] = field(default_factory=list)
    """Why a write failed (the screen says so; the lab goes on)."""

    def baseline(self, outcomes: Iterable[TaskOutcome]) -> None:
        """The first grading of a session: tasks that already pass are not news."""
        self.stored_pass |= {o.task for o in outcomes if o.passed}

    def observe(
        self, outcomes: Iterable[TaskOutcome], checked: bool = False, solution_shown: bool = False
    ) -> list[TaskOutcome]:
        """Store what this grading means; returns the outcomes written to the store.
        ``checked`` is True when the learner asked for the check (the check action,
        ``mailsim lab check``), False for the automatic regrade after a change."""
        written: list[TaskOutcome] = []
        for outcome in outcomes:
            if outcome.passed:
                self.stored_fail.discard(outcome.task)
                if outcome.task in self.stored_pass:
                    continue
                self.stored_pass.add(outcome.task)
            else:
                if not checked or outcome.task in self.stored_fail:
                    continue
                self.stored_fail.add(outcome.task)
                self.stored_pass.discard(outcome.task)
            if self._write(outcome, solution_shown):
                written.append(outcome)
        return written

    def _write(self, outcome: TaskOutcome, solution_shown: bool) -> bool:
        if self.store is None:
            return False
        try:
            self.store.record_lab_task(
                self.pack,
                self.lab,
                outcome.task,
                outcome.passed,
                outcome.hints_used,
                solution_shown,
                self.objective,
                outcome.facts,
            )
        except Exception as exc:  # the lab goes on; the caller shows ``errors``
            self.errors.append(str(exc) or type(exc).__name__)
            return False
        return True
