"""A lab on a machine: start it, grade it, hints, solution, reset, undo and diff.

This is the TUI's adapter over the packs layer's pieces (``parse_check``,
``Evaluator``, variables, the runner): one object per open lab, owned by the
lab screen. The binding of the machine to its lab (pack, lab, version, seed,
milestones met, hints used, solution shown) lives in the machine's
``.mailsim/lab.json`` so it travels with the machine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mailsim.machine.machine import Machine
from mailsim.tui.data.catalog import LabRef, Lesson, Pack
from mailsim.tui.data.checkpoints import Checkpoints

log = logging.getLogger("mailsim.tui")
BINDING = "lab"


class LabError(Exception):
    """The lab file cannot be used: the message names the file and line."""


@dataclass
class Task:
    id: str
    title: str
    weight: int
    checks: list[Any]
    reason: str = ""
    hints: list[str] = field(default_factory=list)
    facts: tuple[str, ...] = ()
    link: str = ""


@dataclass(frozen=True)
class TaskStatus:
    task: Task
    passed: bool
    reason: str = ""
    """Why it fails: the pack's reason and what the grader saw (have X, need Y)."""
    hints_shown: int = 0


@dataclass(frozen=True)
class LabResult:
    tasks: tuple[TaskStatus, ...]

    @property
    def done(self) -> int:
        return sum(1 for s in self.tasks if s.passed)

    @property
    def total(self) -> int:
        return len(self.tasks)

    @property
    def percent(self) -> int:
        weights = sum(s.task.weight for s in self.tasks)
        if not weights:
            return 100 if self.done == self.total else 0
        return round(100 * sum(s.task.weight for s in self.tasks if s.passed) / weights)

    @property
    def complete(self) -> bool:
        return self.done == self.total


class LabRun:
    """One lab on one machine."""

    def __init__(
        self, pack: Pack, lesson: Lesson, ref: LabRef, machine: Machine, lang: str, seed: int = 0
    ) -> None:
        self.pack = pack
        self.lesson = lesson
        self.ref = ref
        self.machine = machine
        self.lang = lang
        self.checkpoints = Checkpoints(machine, machine.root.parent / "checkpoints")
        self.spec = self._load()
        binding = machine.load_state(BINDING)
        if binding.get("pack") == pack.id and binding.get("lab") == ref.id:
            self.binding = binding
        else:
            self.binding = {
                "pack": pack.id,
                "lab": ref.id,
                "version": pack.version,
                "seed": seed,
                "milestones": [],
                "hints": {},
                "solution_shown": False,
            }
        from mailsim.packs.variables import pick

        pools = self.spec.get("variables") or {}
        self.values: dict[str, str] = pick(pools, int(self.binding["seed"])) if pools else {}
        self.tasks = self._tasks()

    # -- loading -------------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        from mailsim.packs.yamlsrc import YamlSourceError, load_yaml

        try:
            self.doc = load_yaml(self.ref.file)
        except YamlSourceError as exc:
            raise LabError(str(exc)) from None
        if not isinstance(self.doc.data, dict):
            raise LabError(f"{self.ref.file}: a lab is a mapping")
        return self.doc.data

    def text(self, value: Any) -> str:
        from mailsim.packs.variables import substitute

        return substitute(self.pack.text(value, self.lang), self.values)

    def _tasks(self) -> list[Task]:
        from mailsim.packs.checks import dovecot_setting_known, parse_check, postfix_param_known

        problems: list[Any] = []
        tasks = []
        for i, item in enumerate(self.spec.get("tasks") or []):
            if not isinstance(item, dict):
                continue
            checks = []
            for j, raw in enumerate(item.get("checks") or []):
                check = parse_check(
                    raw,
                    self.doc,
                    ("tasks", i, "checks", j),
                    problems,
                    postfix_param_known,
                    dovecot_setting_known,
                )
                if check is not None:
                    checks.append(check.bind(self.values))
            tasks.append(
                Task(
                    id=str(item.get("id", i)),
                    title=self.text(item.get("title", "")),
                    weight=int(item.get("weight", 1)),
                    checks=checks,
                    reason=self.text(item.get("reason", "")),
                    hints=[self.text(h) for h in item.get("hints") or []],
                    facts=tuple(str(f) for f in item.get("facts") or []),
                    link=str(item.get("link", "")),
                )
            )
        errors = [p for p in problems if getattr(p, "is_error", True)]
        if errors:
            raise LabError("\n".join(str(p) for p in errors))
        return tasks

    @property
    def title(self) -> str:
        return self.text(self.spec.get("title", self.ref.id))

    @property
    def description(self) -> str:
        return self.text(self.spec.get("description", ""))

    @property
    def disabled(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.spec.get("disabled") or [])

    # -- life cycle ----------------------------------------------------------------

    def start(self) -> None:
        """Put the machine in the lab's start state and remember it for reset and diff."""
        from mailsim.packs.runner import run_lines
        from mailsim.packs.variables import substitute

        start = self.spec.get("start") or {}
        for item in start.get("files") or []:
            self._place(item)
        commands = [substitute(str(c), self.values) for c in start.get("commands") or []]
        for name, state in (start.get("services") or {}).items():
            if state == "running":
                commands.append("postfix start" if name == "postfix" else "dovecot")
        if commands:
            run_lines(self.machine, commands, stop_on_exit=False)
        self.save_binding()
        self.checkpoints.mark_start()

    def _place(self, item: dict[str, Any]) -> None:
        from mailsim.packs.variables import substitute

        path = str(item.get("path", ""))
        if item.get("remove"):
            if self.machine.exists(path):
                self.machine.remove(path)
            return
        if "source" in item:
            source = (self.ref.file.parent / str(item["source"])).resolve()
            if not source.is_relative_to(self.pack.folder.resolve()):
                raise LabError(f"{self.ref.file}: {item['source']}: outside the pack")
            content = source.read_text(encoding="utf-8")
        else:
            content = str(item.get("content", ""))
        self.machine.write_text(
            path, substitute(content, self.values), append=bool(item.get("append"))
        )
        meta = {k: item[k] for k in ("owner", "group") if k in item}
        if "mode" in item:
            meta["mode"] = int(str(item["mode"]), 8)
        if meta:
            self.machine.set_meta(path, **meta)

    def save_binding(self) -> None:
        self.machine.save_state(BINDING, self.binding)

    def grade(self) -> LabResult:
        from mailsim.packs.evaluate import Evaluator

        evaluator = Evaluator(self.machine, strict=bool(self.spec.get("strict")))
        milestones = self.spec.get("mode") == "milestones"
        met = set(self.binding.get("milestones") or [])
        hints = self.binding.get("hints") or {}
        statuses = []
        for task in self.tasks:
            passed, reason = True, ""
            if not (milestones and task.id in met):
                for check in task.checks:
                    outcome = evaluator.evaluate(check)
                    if not outcome.passed:
                        passed = False
                        seen = outcome.reason.render(self.lang) if outcome.reason else ""
                        reason = "\n".join(x for x in (task.reason, seen) if x)
                        break
            if passed and milestones and task.id not in met:
                met.add(task.id)
                self.binding["milestones"] = sorted(met)
                self.save_binding()
            statuses.append(TaskStatus(task, passed, reason, int(hints.get(task.id, 0))))
        return LabResult(tuple(statuses))

    def next_hint(self, result: LabResult) -> tuple[Task, str] | None:
        """The next hint of the first failing task that has one left (progressive)."""
        hints = self.binding.setdefault("hints", {})
        for status in result.tasks:
            if status.passed:
                continue
            shown = int(hints.get(status.task.id, 0))
            if shown < len(status.task.hints):
                hints[status.task.id] = shown + 1
                self.save_binding()
                return status.task, status.task.hints[shown]
        return None

    def hints_used(self, task_id: str) -> int:
        return int((self.binding.get("hints") or {}).get(task_id, 0))

    @property
    def solution_shown(self) -> bool:
        return bool(self.binding.get("solution_shown"))

    def solution(self) -> list[str]:
        """The solution's commands; showing them marks the lab solved-after-seeing."""
        from mailsim.packs.variables import substitute

        self.binding["solution_shown"] = True
        self.save_binding()
        return [substitute(str(c), self.values) for c in self.spec.get("solution") or []]

    def reset(self) -> None:
        """Back to the start state; hints and the solution stay seen."""
        if not self.checkpoints.reset():
            self.start()
        self.binding["milestones"] = []
        self.save_binding()


def lab_machine_dir(pack_id: str, lab_id: str) -> Path:
    from mailsim.locations import data_dir

    return data_dir() / "labs" / pack_id / lab_id / "machine"


def open_lab(pack: Pack, lesson: Lesson, ref: LabRef, lang: str, seed: int) -> LabRun:
    """The learner's machine for this lab: resumed when it is already bound to it,
    else a fresh one in the lab's start state."""
    from mailsim.machine.clock import Clock
    from mailsim.machine.image import init_machine, is_machine

    root = lab_machine_dir(pack.id, ref.id)
    clock = Clock.from_env()
    if is_machine(root):
        machine = Machine(root, clock)
        binding = machine.load_state(BINDING)
        if binding.get("pack") == pack.id and binding.get("lab") == ref.id:
            run = LabRun(pack, lesson, ref, machine, lang, seed)
            if run.checkpoints.start is None:
                run.checkpoints.mark_start()
            return run
    machine = Machine(init_machine(root, force=is_machine(root)).root, clock)
    run = LabRun(pack, lesson, ref, machine, lang, seed)
    run.start()
    return run
