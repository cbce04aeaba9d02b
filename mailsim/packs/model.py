"""The pack model: typed, immutable, built by ``Pack.from_directory(path)``.

Layout of a pack folder (format 1)::

    pack.yaml                    id, version, title, languages, lessons, ...
    lessons/LESSON/PAGE.md       a page in the pack's first language
    lessons/LESSON/PAGE.ja.md    the same page in another language
    labs/LAB.yaml                a lab (its start files may name files beside it)
    quizzes/*.yaml               the pack's question banks (mailsim.quiz.bank's format)

Packs are untrusted: YAML is loaded safely, every path stays inside the pack
folder, sizes are bounded, and a broken pack raises ``PackError`` carrying every
problem (with file, line and column) instead of stopping the app.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mailsim.packs import schema
from mailsim.packs.checks import Check, dovecot_setting_known, parse_check, postfix_param_known
from mailsim.packs.problems import WARNING, Problem, has_errors
from mailsim.packs.text import pick
from mailsim.packs.variables import pick as pick_values
from mailsim.packs.variables import substitute, unknown_names
from mailsim.packs.yamlsrc import Location, YamlDoc, YamlSourceError, load_yaml

MAX_PACK_BYTES = 20_000_000
MAX_PACK_FILES = 2_000
MAX_PAGE_BYTES = 1_000_000
PACK_FILE = "pack.yaml"


class PackError(Exception):
    """A pack that cannot be used; ``problems`` lists why, with file and line."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        first = next((p for p in problems if p.is_error), problems[0] if problems else None)
        super().__init__(str(first) if first else f"{path}: not a valid pack")
        self.path = path
        self.problems = problems


@dataclass(frozen=True)
class Page:
    id: str
    title: Any
    lesson: str
    files: dict[str, Path] = field(default_factory=dict)
    """Language → Markdown file; the first language's file is ``PAGE.md``."""

    def file_for(self, lang: str, languages: tuple[str, ...]) -> Path | None:
        for candidate in (lang, *languages):
            if candidate in self.files:
                return self.files[candidate]
        return None


@dataclass(frozen=True)
class Lesson:
    id: str
    title: Any
    objectives: tuple[str, ...]
    pages: tuple[Page, ...]
    labs: tuple[str, ...]

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.pages if p.id == page_id), None)


@dataclass(frozen=True)
class StartFile:
    path: str
    content: str | None = None
    append: bool = False
    remove: bool = False
    mode: int | None = None
    owner: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Task:
    id: str
    title: Any
    checks: tuple[Check, ...]
    weight: int = 1
    facts: tuple[str, ...] = ()
    reason: Any = None
    hints: tuple[Any, ...] = ()
    link: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class WrongAnswer:
    name: str
    commands: tuple[str, ...]
    line: int | None = None


@dataclass(frozen=True)
class Lab:
    id: str
    title: Any
    file: str
    """The lab file as the pack names it (``labs/maildir.yaml``)."""
    tasks: tuple[Task, ...]
    solution: tuple[str, ...]
    description: Any = None
    mode: str = "final_state"
    strict: bool = False
    time_limit: int | None = None
    variables: dict[str, list[str]] = field(default_factory=dict)
    start_files: tuple[StartFile, ...] = ()
    start_commands: tuple[str, ...] = ()
    services: dict[str, str] = field(default_factory=dict)
    locked: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()
    must_fail: tuple[WrongAnswer, ...] = ()
    doc: YamlDoc | None = field(default=None, compare=False, repr=False)

    def values(self, seed: int) -> dict[str, str]:
        return pick_values(self.variables, seed)

    def task(self, task_id: str) -> Task | None:
        return next((t for t in self.tasks if t.id == task_id), None)

    @property
    def total_weight(self) -> int:
        return sum(t.weight for t in self.tasks)


@dataclass
class Pack:
    root: Path
    id: str
    version: str
    title: Any
    languages: tuple[str, ...]
    lessons: tuple[Lesson, ...]
    labs: dict[str, Lab]
    description: Any = None
    author: str = ""
    licence: str = ""
    objectives: tuple[str, ...] = ()
    quizzes: tuple[Path, ...] = ()
    warnings: list[Problem] = field(default_factory=list)
    doc: YamlDoc | None = field(default=None, repr=False)

    @classmethod
    def from_directory(cls, path: str | os.PathLike[str]) -> Pack:
        """Load a pack folder; raises PackError with every problem found."""
        pack, problems = load_pack(Path(path))
        if pack is None or has_errors(problems):
            raise PackError(Path(path), problems)
        return pack

    def text(self, value: Any, lang: str, values: dict[str, str] | None = None) -> str:
        """A text field in ``lang`` (falling back to the pack's languages), variables filled in."""
        shown = pick(value, lang, self.languages)
        return substitute(shown, values) if values else shown

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((item for item in self.lessons if item.id == lesson_id), None)

    def lab(self, lab_id: str) -> Lab | None:
        return self.labs.get(lab_id)

    def page_text(self, page: Page, lang: str) -> str:
        from mailsim.packs.text import clean

        file = page.file_for(lang, self.languages)
        if file is None:
            return ""
        return clean(file.read_text(encoding="utf-8", errors="replace"))

    def lesson_of_lab(self, lab_id: str) -> Lesson | None:
        return next((item for item in self.lessons if lab_id in item.labs), None)


def inside(root: Path, relative: str) -> Path | None:
    """``root/relative`` if it stays inside ``root`` (no absolute path, no escaping link)."""
    if not relative or relative.startswith("/") or "\\" in relative or "\0" in relative:
        return None
    parts = Path(relative).parts
    if ".." in parts:
        return None
    candidate = root / relative
    try:
        real_root = root.resolve()
        real = candidate.resolve()
    except (OSError, RuntimeError):
        return None
    if real != real_root and real_root not in real.parents:
        return None
    return candidate


def _size_problems(root: Path) -> list[Problem]:
    total = 0
    count = 0
    for here, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            count += 1
            try:
                total += os.lstat(os.path.join(here, name)).st_size
            except OSError:
                continue
        if count > MAX_PACK_FILES:
            return [
                Problem(PACK_FILE, None, None, f"the pack has more than {MAX_PACK_FILES} files")
            ]
        if total > MAX_PACK_BYTES:
            return [
                Problem(PACK_FILE, None, None, f"the pack is larger than {MAX_PACK_BYTES} bytes")
            ]
    return []


def load_pack(root: Path) -> tuple[Pack | None, list[Problem]]:
    """Load a pack, collecting every problem instead of stopping at the first."""
    root = Path(root)
    problems: list[Problem] = []
    if not (root / PACK_FILE).is_file():
        return None, [Problem(str(root), None, None, f"not a lesson pack (no {PACK_FILE})")]
    problems.extend(_size_problems(root))
    if problems:
        return None, problems
    try:
        doc = load_yaml(root / PACK_FILE, display=PACK_FILE)
    except YamlSourceError as exc:
        return None, [exc.problem]
    problems.extend(doc.duplicate_problems())
    problems.extend(schema.validate(doc, "pack"))
    data = doc.data
    if has_errors(problems) or not isinstance(data, dict):
        return None, problems
    languages = tuple(data["languages"])
    lessons: list[Lesson] = []
    seen_lessons: set[str] = set()
    referenced: list[tuple[str, tuple[Any, ...]]] = []
    for li, raw in enumerate(data["lessons"]):
        where: Location = ("lessons", li)
        if raw["id"] in seen_lessons:
            problems.append(doc.problem((*where, "id"), f"lesson id '{raw['id']}' is used twice"))
        seen_lessons.add(raw["id"])
        pages: list[Page] = []
        seen_pages: set[str] = set()
        for pi, praw in enumerate(raw["pages"]):
            if praw["id"] in seen_pages:
                problems.append(
                    doc.problem(
                        (*where, "pages", pi, "id"), f"page id '{praw['id']}' is used twice"
                    )
                )
            seen_pages.add(praw["id"])
            files = _page_files(root, raw["id"], praw["id"], languages)
            if languages[0] not in files:
                expected = f"lessons/{raw['id']}/{praw['id']}.md"
                problems.append(
                    doc.problem((*where, "pages", pi, "id"), f"page file {expected} is missing")
                )
            for file in files.values():
                if file.stat().st_size > MAX_PAGE_BYTES:
                    rel = file.relative_to(root)
                    problems.append(
                        Problem(str(rel), None, None, f"page is larger than {MAX_PAGE_BYTES} bytes")
                    )
            pages.append(Page(praw["id"], praw["title"], raw["id"], files))
        for ai, lab_id in enumerate(raw.get("labs", [])):
            referenced.append((lab_id, (*where, "labs", ai)))
        lessons.append(
            Lesson(
                raw["id"],
                raw["title"],
                tuple(raw.get("objectives", [])),
                tuple(pages),
                tuple(raw.get("labs", [])),
            )
        )
    labs: dict[str, Lab] = {}
    for lab_id, where in referenced:
        if lab_id in labs:
            problems.append(doc.problem(where, f"lab '{lab_id}' is listed twice"))
            continue
        file = root / "labs" / f"{lab_id}.yaml"
        if not file.is_file():
            problems.append(doc.problem(where, f"lab file labs/{lab_id}.yaml is missing"))
            continue
        lab = load_lab(root, file, problems)
        if lab is not None:
            labs[lab_id] = lab
    lab_dir = root / "labs"
    if lab_dir.is_dir():
        for file in sorted(lab_dir.glob("*.yaml")):
            if file.stem not in {lab_id for lab_id, _ in referenced}:
                problems.append(
                    Problem(f"labs/{file.name}", None, None, "this lab is in no lesson", WARNING)
                )
    quizzes = _bank_files(root)
    pack = Pack(
        root=root,
        id=data["id"],
        version=data["version"],
        title=data["title"],
        languages=languages,
        lessons=tuple(lessons),
        labs=labs,
        description=data.get("description"),
        author=data.get("author", ""),
        licence=data.get("licence", ""),
        objectives=tuple(data.get("objectives", [])),
        quizzes=tuple(quizzes),
        warnings=[p for p in problems if not p.is_error],
        doc=doc,
    )
    return pack, problems


def _bank_files(root: Path) -> list[Path]:
    """The question banks in the pack's ``quizzes/`` folder (host symlinks are ignored)."""
    folder = root / "quizzes"
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = []
    for here, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(here) / name
            if path.suffix in (".yaml", ".yml") and not path.is_symlink():
                found.append(path)
    return found


def _page_files(root: Path, lesson: str, page: str, languages: tuple[str, ...]) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for index, lang in enumerate(languages):
        name = f"{page}.md" if index == 0 else f"{page}.{lang}.md"
        found = inside(root, f"lessons/{lesson}/{name}")
        if found is not None and found.is_file():
            files[lang] = found
    return files


def load_lab(root: Path, file: Path, problems: list[Problem]) -> Lab | None:
    """Load ``labs/LAB.yaml``; problems are appended (None when the lab is unusable)."""
    display = str(file.relative_to(root))
    try:
        doc = load_yaml(file, display=display)
    except YamlSourceError as exc:
        problems.append(exc.problem)
        return None
    found = doc.duplicate_problems() + schema.validate(doc, "lab")
    problems.extend(found)
    data = doc.data
    if has_errors(found) or not isinstance(data, dict):
        return None
    before = len(problems)
    if data["id"] != file.stem:
        problems.append(
            doc.problem(("id",), f"the lab id '{data['id']}' differs from its file name")
        )
    variables = {k: [str(v) for v in pool] for k, pool in data.get("variables", {}).items()}
    known = set(variables)
    for key in ("title", "description", "start", "tasks", "solution", "must_fail", "locked"):
        if key in data:
            for name in dict.fromkeys(unknown_names(data[key], known)):
                problems.append(doc.problem((key,), f"unknown variable {{{{{name}}}}}"))
    start = data.get("start", {})
    start_files: list[StartFile] = []
    for fi, raw in enumerate(start.get("files", [])):
        where: Location = ("start", "files", fi)
        given = [k for k in ("content", "source", "remove") if k in raw]
        if len(given) != 1:
            problems.append(
                doc.problem(where, "a start file needs exactly one of: content, source, remove")
            )
            continue
        content = raw.get("content")
        if "source" in raw:
            src = inside(root, str(Path(display).parent / raw["source"]))
            if src is None or not src.is_file():
                problems.append(
                    doc.problem(
                        (*where, "source"),
                        f"source file '{raw['source']}' is missing or outside the pack",
                    )
                )
                continue
            if src.stat().st_size > MAX_PAGE_BYTES:
                problems.append(doc.problem((*where, "source"), "source file is too large"))
                continue
            content = src.read_text(encoding="utf-8", errors="surrogateescape")
        mode = int(raw["mode"], 8) if "mode" in raw else None
        start_files.append(
            StartFile(
                raw["path"],
                content,
                bool(raw.get("append")),
                bool(raw.get("remove")),
                mode,
                raw.get("owner"),
                raw.get("group"),
            )
        )
    tasks: list[Task] = []
    seen: set[str] = set()
    for ti, raw in enumerate(data["tasks"]):
        where = ("tasks", ti)
        if raw["id"] in seen:
            problems.append(doc.problem((*where, "id"), f"task id '{raw['id']}' is used twice"))
        seen.add(raw["id"])
        checks = [
            parse_check(
                c, doc, (*where, "checks", ci), problems, postfix_param_known, dovecot_setting_known
            )
            for ci, c in enumerate(raw["checks"])
        ]
        tasks.append(
            Task(
                raw["id"],
                raw["title"],
                tuple(c for c in checks if c is not None),
                raw.get("weight", 1),
                tuple(raw.get("facts", [])),
                raw.get("reason"),
                tuple(raw.get("hints", [])),
                raw.get("link"),
                doc.line_of(where),
            )
        )
    if tasks and sum(t.weight for t in tasks) == 0:
        problems.append(doc.problem(("tasks",), "every task has weight 0: nothing can be scored"))
    must_fail = tuple(
        WrongAnswer(raw["name"], tuple(raw["commands"]), doc.line_of(("must_fail", i)))
        for i, raw in enumerate(data.get("must_fail", []))
    )
    if has_errors(problems[before:]):
        return None
    return Lab(
        id=data["id"],
        title=data["title"],
        file=display,
        tasks=tuple(tasks),
        solution=tuple(data["solution"]),
        description=data.get("description"),
        mode=data.get("mode", "final_state"),
        strict=bool(data.get("strict", False)),
        time_limit=data.get("time_limit"),
        variables=variables,
        start_files=tuple(start_files),
        start_commands=tuple(start.get("commands", [])),
        services=dict(start.get("services", {})),
        locked=tuple(data.get("locked", [])),
        disabled=tuple(data.get("disabled", [])),
        must_fail=must_fail,
        doc=doc,
    )
