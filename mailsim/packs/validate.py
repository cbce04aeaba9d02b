"""``mailsim pack validate``: content CI for a pack.

In order: the schema (every problem with file, line and column, a YAML error
too); references (lab files, pages, links, objectives, languages); the pack's
question banks (``mailsim.quiz.bank``); then every lab is replayed for seeds
that between them use every value of every variable pool: the start state must
score below 100 %, the solution exactly 100 %, each ``must_fail`` below 100 %;
then the command transcripts in the lesson pages are re-run and compared; and
the untranslated strings are counted per language.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mailsim.packs.model import Lab, Pack, load_pack
from mailsim.packs.problems import WARNING, Problem, has_errors
from mailsim.packs.text import languages_of
from mailsim.packs.transcripts import check_transcripts
from mailsim.packs.variables import covering_seeds, substitute


@dataclass
class Report:
    path: Path
    pack: Pack | None = None
    problems: list[Problem] = field(default_factory=list)
    untranslated: dict[str, int] = field(default_factory=dict)
    seeds: dict[str, list[int]] = field(default_factory=dict)
    """Lab id → the seeds replayed."""

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def validate_path(path: str | Path, replay: bool = True) -> Report:
    """A pack folder, a bank folder (like the top-level ``quizzes/``) or one bank file."""
    target = Path(path)
    if (target / "pack.yaml").is_file():
        return validate_pack(target, replay=replay)
    report = Report(target)
    if target.is_dir() or target.suffix in (".yaml", ".yml"):
        report.problems.extend(_banks(target, ""))
    else:
        report.problems.append(
            Problem(str(target), None, None, "not a pack, a bank folder or a bank file")
        )
    return report


def validate_pack(root: Path, replay: bool = True) -> Report:
    report = Report(root)
    pack, problems = load_pack(root)
    report.problems.extend(problems)
    if pack is None or has_errors(problems):
        return report
    report.pack = pack
    report.problems.extend(_languages(pack, report.untranslated))
    report.problems.extend(_links(pack))
    if (root / "quizzes").is_dir():
        report.problems.extend(_banks(root / "quizzes", "quizzes/"))
    if replay:
        for lab in pack.labs.values():
            seeds = covering_seeds(lab.variables)
            report.seeds[lab.id] = seeds
            report.problems.extend(replay_lab(pack, lab, seeds))
        report.problems.extend(check_transcripts(pack))
    return report


def _banks(folder: Path, prefix: str) -> list[Problem]:
    try:
        from mailsim.quiz.bank import validate_collection, validate_file
    except ImportError:
        return [
            Problem(
                str(folder), None, None, "question banks cannot be checked in this build", WARNING
            )
        ]
    found = validate_file(folder, folder.name) if folder.is_file() else validate_collection(folder)
    return [dataclasses.replace(p, file=prefix + p.file) if prefix else p for p in found]


# -- languages -----------------------------------------------------------------------


def _texts(pack: Pack) -> Iterator[tuple[Any, Any, tuple[Any, ...]]]:
    """(value, the YamlDoc it is in, its location) of every translatable field."""
    doc = pack.doc
    yield pack.title, doc, ("title",)
    if pack.description is not None:
        yield pack.description, doc, ("description",)
    for li, lesson in enumerate(pack.lessons):
        yield lesson.title, doc, ("lessons", li, "title")
        for pi, page in enumerate(lesson.pages):
            yield page.title, doc, ("lessons", li, "pages", pi, "title")
    for lab in pack.labs.values():
        yield lab.title, lab.doc, ("title",)
        if lab.description is not None:
            yield lab.description, lab.doc, ("description",)
        for ti, task in enumerate(lab.tasks):
            yield task.title, lab.doc, ("tasks", ti, "title")
            if task.reason is not None:
                yield task.reason, lab.doc, ("tasks", ti, "reason")
            for hi, hint in enumerate(task.hints):
                yield hint, lab.doc, ("tasks", ti, "hints", hi)


def _languages(pack: Pack, untranslated: dict[str, int]) -> list[Problem]:
    problems: list[Problem] = []
    declared = set(pack.languages)
    others = pack.languages[1:]
    for lang in others:
        untranslated[lang] = 0
    for value, doc, where in _texts(pack):
        langs = languages_of(value)
        if "*" in langs:
            if isinstance(value, str) and others and any(c.isalpha() for c in value):
                for lang in others:
                    untranslated[lang] += 1
            continue
        for lang in sorted(langs - declared):
            problems.append(
                doc.problem(
                    (*where, lang), f"language '{lang}' is not in the pack's languages", at_key=True
                )
            )
        if pack.languages[0] not in langs:
            problems.append(
                doc.problem(where, f"no text in the pack's first language '{pack.languages[0]}'")
            )
        for lang in others:
            if lang not in langs:
                untranslated[lang] += 1
                problems.append(doc.problem(where, f"untranslated ({lang})", WARNING))
    for lesson in pack.lessons:
        for page in lesson.pages:
            for lang in others:
                if lang not in page.files:
                    untranslated[lang] += 1
                    problems.append(
                        Problem(
                            f"lessons/{lesson.id}/{page.id}.{lang}.md",
                            None,
                            None,
                            f"untranslated page ({lang})",
                            WARNING,
                        )
                    )
    return problems


# -- links -----------------------------------------------------------------------------


def _links(pack: Pack) -> list[Problem]:
    from mailsim.packs.resolver import PackEntry, Resolver

    resolver: Resolver | None = None
    problems: list[Problem] = []
    for lab in pack.labs.values():
        for ti, task in enumerate(lab.tasks):
            link = task.link
            if not link or link.startswith(("man:", "https://", "http://")):
                continue
            where = ("tasks", ti, "link")
            assert lab.doc is not None
            body = link.partition("#")[0]
            pack_id = body.split("/", 1)[0] if "/" in body else pack.id
            if pack_id == pack.id:
                local = Resolver([PackEntry(pack.root, "extra", pack)])
                if local.resolve(link, pack) is None:
                    problems.append(
                        lab.doc.problem(where, f"link '{link}' leads nowhere in this pack")
                    )
                continue
            if resolver is None:
                resolver = Resolver.discover()
            if resolver.resolve(link) is None:
                problems.append(
                    lab.doc.problem(
                        where, f"link '{link}': pack '{pack_id}' is not installed here", WARNING
                    )
                )
    return problems


# -- replaying labs --------------------------------------------------------------------


def _values_text(lab: Lab, seed: int) -> str:
    values = lab.values(seed)
    shown = ", ".join(f"{k}={v}" for k, v in values.items())
    return f"seed {seed}" + (f": {shown}" if shown else "")


def _first_failure(result: Any) -> str:
    for task in result.tasks:
        if not task.passed:
            reason = task.reason.render("en") if task.reason else "fails"
            return f"task '{task.id}': {reason}"
    return ""


def replay_lab(pack: Pack, lab: Lab, seeds: list[int]) -> list[Problem]:
    """Start state < 100 %, solution = 100 %, every must_fail < 100 %, for every seed."""
    from mailsim.machine.image import init_machine
    from mailsim.machine.machine import Machine
    from mailsim.packs.binding import Binding
    from mailsim.packs.grader import grade
    from mailsim.packs.session import apply_start

    doc = lab.doc
    assert doc is not None
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="mailsim-validate-") as tmp:
        for seed in seeds:
            start_root = Path(tmp) / f"start-{seed}"
            machine = init_machine(start_root)
            values = lab.values(seed)
            report = apply_start(machine, lab, values)
            for error in report.errors:
                problems.append(
                    doc.problem(("start",), f"start state ({_values_text(lab, seed)}): {error}")
                )
            Binding(pack.id, lab.id, pack.version, seed, start_seq=machine.events.last_seq()).save(
                machine
            )
            start = grade(pack, lab, Machine(start_root, machine.clock), seed=seed, record=False)
            if start.score >= 100:
                problems.append(
                    doc.problem(
                        ("tasks",),
                        f"the start state already scores 100% ({_values_text(lab, seed)})",
                    )
                )

            solved, results = _trial(
                pack, lab, Path(tmp), start_root, seed, "solution", lab.solution
            )
            if solved.score < 100:
                problems.append(
                    doc.problem(
                        ("solution",),
                        f"the solution scores {solved.score:.0f}% ({_values_text(lab, seed)}); {_first_failure(solved)}",
                    )
                )
            for index, result in enumerate(results):
                if result.status != 0:
                    problems.append(
                        doc.problem(
                            ("solution", index),
                            f"'{result.line}' exits with status {result.status}: {result.stderr.strip()[:200]}",
                            WARNING,
                        )
                    )
            for index, wrong in enumerate(lab.must_fail):
                scored, _ = _trial(
                    pack, lab, Path(tmp), start_root, seed, f"wrong{index}", wrong.commands
                )
                if scored.score >= 100:
                    problems.append(
                        doc.problem(
                            ("must_fail", index),
                            f"the wrong answer '{wrong.name}' scores 100% ({_values_text(lab, seed)})",
                        )
                    )
    return problems


def _trial(
    pack: Pack, lab: Lab, tmp: Path, start_root: Path, seed: int, name: str, lines: tuple[str, ...]
) -> tuple[Any, list[Any]]:
    """Run ``lines`` on a copy of the start machine and grade the result."""
    from mailsim.machine.machine import Machine
    from mailsim.machine.snapshot import copy_tree
    from mailsim.packs.grader import grade
    from mailsim.packs.runner import run_lines

    values = lab.values(seed)
    root = tmp / f"{name}-{seed}"
    copy_tree(start_root, root)
    run = Machine(root)
    results = []
    for line in lines:
        results.extend(run_lines(run, [substitute(line, values)]))
        if lab.mode == "milestones":
            grade(pack, lab, Machine(root, run.clock), seed=seed, record=True)
    # A fresh Machine: nothing the commands memoised can leak into the grading.
    return grade(pack, lab, Machine(root, run.clock), seed=seed, record=False), results
