"""Grade a lab on a machine: per-task pass/fail, score by weight, and why each task fails.

The grader runs after every command and every save, so it is built to be cheap:
checks bound to the learner's variables are memoised per (lab, seed), the
configurations are parsed once per file version, and command checks reuse their
result while the machine is unchanged. Milestones and hints live in the
machine's lab binding (``.mailsim/lab.json``), so grading a copied machine
elsewhere gives the same answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mailsim.packs.binding import Binding
from mailsim.packs.checks import Check
from mailsim.packs.evaluate import Evaluator
from mailsim.packs.messages import Msg

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine
    from mailsim.packs.model import Lab, Pack

_BOUND: dict[tuple[int, int], tuple[Lab, list[tuple[Check, ...]]]] = {}


@dataclass(frozen=True)
class TaskResult:
    id: str
    title: str
    weight: int
    passed: bool
    """The task counts as done (met now, or met once in milestones mode)."""
    met_now: bool
    reason: Msg | None = None
    """Why the machine fails the task now ("you have X, the task needs Y", with file and line)."""
    author_reason: str = ""
    """The lab's own explanation of the failure, in the learner's language."""
    hints_shown: int = 0
    hints_total: int = 0
    link: str | None = None
    facts: tuple[str, ...] = ()

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "weight": self.weight,
            "passed": self.passed,
            "met_now": self.met_now,
            "reason": self.reason.render(lang) if self.reason else None,
            "reason_id": self.reason.to_json() if self.reason else None,
            "author_reason": self.author_reason or None,
            "hints_shown": self.hints_shown,
            "link": self.link,
            "facts": list(self.facts),
        }


@dataclass(frozen=True)
class GradeResult:
    pack: str
    lab: str
    mode: str
    seed: int
    tasks: tuple[TaskResult, ...]
    elapsed_ms: float = 0.0
    binding: Binding | None = field(default=None, compare=False)

    @property
    def total_weight(self) -> int:
        return sum(t.weight for t in self.tasks)

    @property
    def score(self) -> float:
        """Percentage of the weight of passed tasks (0–100)."""
        total = self.total_weight
        if not total:
            return 0.0
        return 100.0 * sum(t.weight for t in self.tasks if t.passed) / total

    @property
    def done(self) -> int:
        return sum(1 for t in self.tasks if t.passed)

    @property
    def all_passed(self) -> bool:
        return all(t.passed for t in self.tasks)

    def task(self, task_id: str) -> TaskResult | None:
        return next((t for t in self.tasks if t.id == task_id), None)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "lab": self.lab,
            "mode": self.mode,
            "seed": self.seed,
            "score": round(self.score, 2),
            "done": self.done,
            "total": len(self.tasks),
            "passed": self.all_passed,
            "hints_used": dict(self.binding.hints) if self.binding else {},
            "solution_shown": bool(self.binding and self.binding.solution_shown),
            "tasks": [t.to_json(lang) for t in self.tasks],
        }


def bound_checks(lab: Lab, seed: int) -> list[tuple[Check, ...]]:
    """The checks of every task with the learner's variable values filled in."""
    key = (id(lab), seed)
    hit = _BOUND.get(key)
    if hit is not None and hit[0] is lab:
        return hit[1]
    values = lab.values(seed)
    checks = [tuple(c.bind(values) for c in task.checks) for task in lab.tasks]
    if len(_BOUND) > 64:
        _BOUND.clear()
    _BOUND[key] = (lab, checks)
    return checks


def grade(
    pack: Pack,
    lab: Lab,
    machine: Machine,
    seed: int | None = None,
    lang: str | None = None,
    record: bool = True,
) -> GradeResult:
    """Grade ``lab`` on ``machine``. The seed and milestones come from the machine's
    binding when it is bound to this lab; ``record`` saves newly met milestones."""
    started = time.perf_counter()
    binding = Binding.load(machine)
    if binding is None or binding.lab != lab.id or binding.pack != pack.id:
        binding = None
    if seed is None:
        seed = binding.seed if binding else 0
    values = lab.values(seed)
    lang = lang or _lang()
    evaluator = Evaluator(
        machine, strict=lab.strict, since=binding.start_seq if binding is not None else 0
    )
    milestones = set(binding.milestones) if binding else set()
    newly_met: list[str] = []
    results: list[TaskResult] = []
    for task, checks in zip(lab.tasks, bound_checks(lab, seed), strict=True):
        reason: Msg | None = None
        for check in checks:
            outcome = evaluator.evaluate(check)
            if not outcome.passed:
                reason = outcome.reason
                break
        met = reason is None
        passed = met or (lab.mode == "milestones" and task.id in milestones)
        if met and lab.mode == "milestones" and task.id not in milestones:
            newly_met.append(task.id)
        results.append(
            TaskResult(
                id=task.id,
                title=pack.text(task.title, lang, values),
                weight=task.weight,
                passed=passed,
                met_now=met,
                reason=None if met else reason,
                author_reason=""
                if met or task.reason is None
                else pack.text(task.reason, lang, values),
                hints_shown=binding.hints.get(task.id, 0) if binding else 0,
                hints_total=len(task.hints),
                link=task.link,
                facts=task.facts,
            )
        )
    if binding is not None and record and newly_met:
        binding.milestones = sorted(milestones | set(newly_met))
        binding.save(machine)
    elapsed = (time.perf_counter() - started) * 1000
    return GradeResult(pack.id, lab.id, lab.mode, seed, tuple(results), elapsed, binding)


def _lang() -> str:
    from mailsim.i18n import language

    return language()
