"""Lab sessions: the API the TUI and ``mailsim lab`` use.

``LabSession.start(pack, lab, root)`` makes a fresh machine from the default
image, puts the lab's start state in place (files, commands, services, with the
learner's variables filled in) and binds the machine to the lab. Then
``grade()``, ``hint(task)``, ``solution()``, ``solve()`` and ``reset()``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mailsim.machine import paths
from mailsim.packs.binding import Binding
from mailsim.packs.grader import GradeResult, grade
from mailsim.packs.runner import LineResult, run_lines
from mailsim.packs.variables import substitute

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine
    from mailsim.packs.model import Lab, Pack
    from mailsim.packs.recording import LabRecorder
    from mailsim.progress.store import ProgressStore
    from mailsim.shell.session import Shell


class LabError(Exception):
    """A lab cannot be started or used on this machine (message for the user)."""


@dataclass(frozen=True)
class StartReport:
    """What putting the start state in place printed (the instructor sees failures)."""

    commands: tuple[LineResult, ...]
    errors: tuple[str, ...]


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31)


def apply_start(machine: Machine, lab: Lab, values: dict[str, str]) -> StartReport:
    """Put the lab's start files, commands and services in place on ``machine``."""
    errors: list[str] = []
    for item in lab.start_files:
        path = paths.normalize(substitute(item.path, values))
        try:
            if item.remove:
                if machine.lexists(path):
                    machine.remove(path, recursive=True)
                continue
            parent = paths.parent(path)
            if not machine.is_dir(parent):
                machine.mkdir(parent, parents=True)
            machine.write_text(path, substitute(item.content or "", values), append=item.append)
            if item.mode is not None or item.owner or item.group:
                machine.set_meta(path, owner=item.owner, group=item.group, mode=item.mode)
        except OSError as exc:
            errors.append(f"{path}: {exc.strerror or exc}")
    results = run_lines(machine, [substitute(line, values) for line in lab.start_commands])
    for result in results:
        if result.status != 0:
            errors.append(f"{result.line}: exit status {result.status}: {result.stderr.strip()}")
    for service, wanted in lab.services.items():
        error = set_service(machine, service, wanted == "running")
        if error:
            errors.append(error)
    return StartReport(tuple(results), tuple(errors))


def set_service(machine: Machine, name: str, running: bool) -> str | None:
    """Start or stop a service as systemd would; None, or what went wrong."""
    from mailsim.machine import services
    from mailsim.machine.users import ROOT
    from mailsim.shell.context import Context
    from mailsim.shell.streams import InputStream, OutputStream
    from mailsim.shell.terminal import PlainTerminal

    controller = services.controller(name)
    if controller is None:
        return f"{name}: no such service"
    if services.get_state(machine, name).running == running:
        return None
    out, err = OutputStream(isatty=False), OutputStream(isatty=False)
    ctx = Context(
        ["systemctl", "start" if running else "stop", name],
        InputStream(b""),
        out,
        err,
        machine,
        {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"},
        "/root",
        ROOT,
        PlainTerminal(),
        None,
    )
    try:
        status = controller.start(ctx, True) if running else controller.stop(ctx, True)
    except Exception as exc:  # a controller bug must not stop a lab from starting
        return f"{name}: {exc}"
    if status != 0:
        return f"{name}: {'start' if running else 'stop'} failed: {err.getvalue().decode(errors='replace').strip()}"
    return None


class LabSession:
    """One machine bound to one lab."""

    def __init__(self, pack: Pack, lab: Lab, machine: Machine, binding: Binding) -> None:
        self.pack = pack
        self.lab = lab
        self.machine = machine
        self.binding = binding
        self.start_report: StartReport | None = None

    # -- lifecycle -----------------------------------------------------------------

    @classmethod
    def start(
        cls,
        pack: Pack,
        lab: Lab,
        root: str | Path,
        seed: int | None = None,
        force: bool = False,
        clock: object = None,
    ) -> LabSession:
        """A fresh machine in ``root`` with the lab's start state, bound to the lab."""
        from mailsim.machine.image import InitError, init_machine
        from mailsim.machine.machine import Machine

        try:
            made = init_machine(root, force=force)
        except (InitError, OSError) as exc:
            raise LabError(str(exc)) from None
        machine = Machine(made.root, clock) if clock is not None else made  # type: ignore[arg-type]
        seed = new_seed() if seed is None else seed
        report = apply_start(machine, lab, lab.values(seed))
        binding = Binding(
            pack.id,
            lab.id,
            pack.version,
            seed,
            machine.clock.now(),
            start_seq=machine.events.last_seq(),
        )
        binding.save(machine)
        session = cls(pack, lab, machine, binding)
        session.start_report = report
        return session

    @classmethod
    def open(cls, pack: Pack, lab: Lab, machine: Machine) -> LabSession:
        """The session of a machine already bound to ``lab``."""
        binding = Binding.load(machine)
        if binding is None:
            raise LabError(
                f"{machine.root}: this machine is not bound to a lab (use 'mailsim lab start')"
            )
        if binding.pack != pack.id or binding.lab != lab.id:
            raise LabError(f"{machine.root}: this machine is bound to {binding.pack}/{binding.lab}")
        return cls(pack, lab, machine, binding)

    def reset(self) -> None:
        """Back to the start state with the same variables; hints and solution stay recorded."""
        from mailsim.machine.image import init_machine

        kept = self.binding
        init_machine(self.machine.root, force=True)
        self.machine.manifest._stamp = None  # a rebuilt manifest may keep the old stamp
        self.machine.manifest.refresh()
        self.machine._cache.clear()
        self.start_report = apply_start(self.machine, self.lab, self.values)
        kept.milestones = []
        kept.start_seq = self.machine.events.last_seq()
        kept.save(self.machine)

    # -- what the learner sees -------------------------------------------------------

    @property
    def values(self) -> dict[str, str]:
        return self.lab.values(self.binding.seed)

    def text(self, value: object, lang: str | None = None) -> str:
        from mailsim.i18n import language

        return self.pack.text(value, lang or language(), self.values)

    def grade(self, lang: str | None = None, record: bool = True) -> GradeResult:
        self.binding = Binding.load(self.machine) or self.binding
        return grade(self.pack, self.lab, self.machine, lang=lang, record=record)

    def objective(self) -> str:
        """The exam objective lab results count towards: the lab's lesson's, else the pack's."""
        lesson = self.pack.lesson_of_lab(self.lab.id)
        return ((lesson.objectives if lesson else ()) or self.pack.objectives or ("",))[0]

    def recorder(self, store: ProgressStore | None) -> LabRecorder:
        """A ``LabRecorder`` for this lab, baselined on the machine as it is now (tasks
        that already pass are not stored as learnt)."""
        from mailsim.packs.recording import LabRecorder, outcomes_of

        recorder = LabRecorder(store, self.pack.id, self.lab.id, self.objective())
        recorder.baseline(outcomes_of(self.grade(record=False)))
        return recorder

    def check(self, recorder: LabRecorder, lang: str | None = None) -> GradeResult:
        """The learner asked for a check: grade, and store passed and failed tasks."""
        from mailsim.packs.recording import outcomes_of

        result = self.grade(lang)
        recorder.observe(
            outcomes_of(result),
            checked=True,
            solution_shown=bool(result.binding and result.binding.solution_shown),
        )
        return result

    def hint(self, task_id: str, lang: str | None = None) -> str | None:
        """The next hint of a task (progressive), recorded in the binding; None when none is left."""
        task = self.lab.task(task_id)
        if task is None or not task.hints:
            return None
        self.binding = Binding.load(self.machine) or self.binding
        shown = self.binding.hints.get(task_id, 0)
        index = min(shown, len(task.hints) - 1)
        if shown < len(task.hints):
            self.binding.hints[task_id] = shown + 1
            self.binding.save(self.machine)
        return self.text(task.hints[index], lang)

    def solution(self) -> list[str]:
        """The solution's command lines (variables filled in); recorded as shown."""
        self.binding = Binding.load(self.machine) or self.binding
        if not self.binding.solution_shown:
            self.binding.solution_shown = True
            self.binding.save(self.machine)
        return [substitute(line, self.values) for line in self.lab.solution]

    def solve(self) -> list[LineResult]:
        """Run the solution on the machine (counts as the solution shown)."""
        return run_lines(self.machine, self.solution())

    # -- the learner's shell -------------------------------------------------------

    def shell(self, terminal: object = None) -> Shell:
        """A login shell on the lab machine with the lab's disabled commands."""
        from mailsim.shell.session import Shell

        shell = Shell(self.machine, terminal)  # type: ignore[arg-type]
        shell.disabled |= set(self.lab.disabled)
        # Every change goes through the machine, so one guard covers redirections,
        # sed -i, postconf -e and the editor alike.
        self.machine.locked = self.is_locked
        return shell

    def is_locked(self, path: str) -> bool:
        """A path the lab does not let the learner edit (the editor refuses to save it)."""
        resolved = paths.normalize(path)
        for locked in self.lab.locked:
            target = paths.normalize(substitute(locked, self.values))
            if resolved == target or resolved.startswith(target.rstrip("/") + "/"):
                return True
        return False
