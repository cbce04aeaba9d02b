"""A lab on a machine, as the lab screen uses it: the packs layer's ``LabSession`` and
grader, plus what only the screen needs (undo checkpoints, results shaped for the
checklist with reasons rendered in the learner's language).

The binding of the machine to its lab lives in the machine's ``.mailsim/lab.json``
(written by the packs layer), so it travels with the machine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mailsim.machine.machine import Machine
from mailsim.tui.data.catalog import LabRef, Lesson, Pack
from mailsim.tui.data.checkpoints import Checkpoints

if TYPE_CHECKING:
    from mailsim.packs.session import LabSession

log = logging.getLogger("mailsim.tui")


class LabError(Exception):
    """The lab cannot be used: the message names the file and line."""


@dataclass
class Task:
    id: str
    title: str
    weight: int
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


@lru_cache(maxsize=16)
def _engine_pack(folder: Path, stamp: float) -> Any:
    """The packs layer's model of a pack, loaded once per version of its pack.yaml."""
    from mailsim.packs.model import Pack as EnginePack
    from mailsim.packs.model import PackError

    try:
        return EnginePack.from_directory(folder)
    except PackError as exc:
        raise LabError(str(exc)) from None


def engine_pack(folder: Path) -> Any:
    try:
        stamp = (folder / "pack.yaml").stat().st_mtime
    except OSError as exc:
        raise LabError(f"{folder}: {exc.strerror}") from None
    return _engine_pack(folder, stamp)


class LabRun:
    """One lab on one machine."""

    def __init__(
        self, pack: Pack, lesson: Lesson, ref: LabRef, session: LabSession, lang: str
    ) -> None:
        self.pack = pack
        self.lesson = lesson
        self.ref = ref
        self.session = session
        self.machine: Machine = session.machine
        self.lang = lang
        self.checkpoints = Checkpoints(self.machine, self.machine.root.parent / "checkpoints")
        # Locked paths: every write goes through the machine, so the editor and the
        # shell alike refuse them.
        self.machine.locked = session.is_locked
        lab = session.lab
        self.tasks = [
            Task(
                t.id,
                session.text(t.title, lang),
                t.weight,
                [session.text(h, lang) for h in t.hints],
                tuple(t.facts),
                t.link or "",
            )
            for t in lab.tasks
        ]

    @property
    def title(self) -> str:
        return self.session.text(self.session.lab.title, self.lang)

    @property
    def disabled(self) -> tuple[str, ...]:
        return tuple(self.session.lab.disabled)

    def grade(self) -> LabResult:
        result = self.session.grade(self.lang)
        by_id = {task.id: task for task in self.tasks}
        statuses = []
        for item in result.tasks:
            seen = item.reason.render(self.lang) if item.reason is not None else ""
            reason = "\n".join(x for x in (item.author_reason, seen) if x)
            statuses.append(TaskStatus(by_id[item.id], item.passed, reason, item.hints_shown))
        return LabResult(tuple(statuses))

    def next_hint(self, result: LabResult) -> tuple[Task, str] | None:
        """The next hint of the first failing task that has one left (progressive)."""
        for status in result.tasks:
            if not status.passed and status.hints_shown < len(status.task.hints):
                hint = self.session.hint(status.task.id, self.lang)
                if hint is not None:
                    return status.task, hint
        return None

    def hints_used(self, task_id: str) -> int:
        return int(self.session.binding.hints.get(task_id, 0))

    @property
    def solution_shown(self) -> bool:
        return bool(self.session.binding.solution_shown)

    def solution(self) -> list[str]:
        """The solution's commands; showing them marks the lab solved-after-seeing."""
        return self.session.solution()

    def reset(self) -> None:
        """Back to the start state; hints and the solution stay seen."""
        self.session.reset()
        self.machine.locked = self.session.is_locked
        self.checkpoints.mark_start()


def lab_machine_dir(pack_id: str, lab_id: str) -> Path:
    from mailsim.locations import data_dir

    return data_dir() / "labs" / pack_id / lab_id / "machine"


def open_lab(pack: Pack, lesson: Lesson, ref: LabRef, lang: str, seed: int) -> LabRun:
    """The learner's machine for this lab: resumed when it is already bound to it,
    else a fresh one in the lab's start state."""
    from mailsim.machine.clock import Clock
    from mailsim.machine.image import is_machine
    from mailsim.packs.binding import Binding
    from mailsim.packs.session import LabError as SessionError
    from mailsim.packs.session import LabSession

    model = engine_pack(pack.folder)
    lab = model.lab(ref.id)
    if lab is None:
        raise LabError(f"{pack.folder}: no lab '{ref.id}'")
    root = lab_machine_dir(pack.id, ref.id)
    clock = Clock.from_env()
    try:
        if is_machine(root):
            machine = Machine(root, clock)
            binding = Binding.load(machine)
            if binding is not None and (binding.pack, binding.lab) == (pack.id, ref.id):
                run = LabRun(pack, lesson, ref, LabSession.open(model, lab, machine), lang)
                if run.checkpoints.start is None:
                    run.checkpoints.mark_start()
                return run
        session = LabSession.start(model, lab, root, seed=seed, force=is_machine(root), clock=clock)
    except SessionError as exc:
        raise LabError(str(exc)) from None
    run = LabRun(pack, lesson, ref, session, lang)
    run.checkpoints.mark_start()
    return run
