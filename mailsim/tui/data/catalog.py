"""Lesson packs as the home screen lists them: built-in, the user's pack folder, --pack DIRs.

A small read-only view of ``pack.yaml`` (lessons, pages, labs, banks) until the
packs layer offers its own loader; a malformed pack is listed with its error,
never dropped and never fatal. Pack strings are cleaned by ``mailsim.packs.text``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("mailsim.tui")


@dataclass(frozen=True)
class Page:
    id: str
    title: Any
    """A pack text: a string or a map language → string."""


@dataclass(frozen=True)
class LabRef:
    id: str
    file: Path
    title: Any = ""


@dataclass(frozen=True)
class Lesson:
    id: str
    title: Any
    folder: Path
    pages: tuple[Page, ...] = ()
    labs: tuple[LabRef, ...] = ()
    objectives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pack:
    id: str
    folder: Path
    title: Any = ""
    version: str = ""
    languages: tuple[str, ...] = ("en",)
    lessons: tuple[Lesson, ...] = ()
    banks: tuple[Path, ...] = ()
    objectives: tuple[str, ...] = ()
    error: str = ""
    """Why the pack cannot be used (it is still listed, with this message)."""
    origin: str = "builtin"
    """builtin, user or extra (given with --pack)."""

    def text(self, value: Any, lang: str) -> str:
        from mailsim.packs.text import pick

        return pick(value, lang, self.languages)

    def page_markdown(self, lesson: Lesson, page: Page, lang: str) -> str:
        """The page's Markdown in ``lang``, else in the pack's languages, else a note."""
        from mailsim.packs.text import clean

        for code in (lang, *self.languages):
            for name in (
                f"{page.id}.{code}.md",
                f"{page.id}.md" if code == self.languages[0] else "",
            ):
                if not name:
                    continue
                path = lesson.folder / name
                try:
                    return clean(path.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    continue
        try:
            return clean((lesson.folder / f"{page.id}.md").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return ""

    def lab(self, lab_id: str) -> tuple[Lesson, LabRef] | None:
        for lesson in self.lessons:
            for lab in lesson.labs:
                if lab.id == lab_id:
                    return lesson, lab
        return None

    @property
    def all_labs(self) -> list[tuple[Lesson, LabRef]]:
        return [(lesson, lab) for lesson in self.lessons for lab in lesson.labs]


@dataclass(eq=False)
class Catalog:
    """Hashed by identity: search indexes are cached per loaded catalogue."""

    packs: list[Pack] = field(default_factory=list)

    def find(self, pack_id: str) -> Pack | None:
        return next((p for p in self.packs if p.id == pack_id), None)


def builtin_lessons_dir() -> Path | None:
    package = Path(__file__).resolve().parents[2]
    for candidate in (package / "_data" / "lessons", package.parent / "lessons"):
        if candidate.is_dir():
            return candidate
    return None


LEARNING_ORDER = ("mailbasics", "postfix", "aliases", "dovecot", "tls", "sieve", "othermtas")
"""The built-in packs as a learner takes them (each builds on the ones before);
a built-in pack not named here comes after them, by name."""


def _learning_order(folder: Path) -> tuple[int, str]:
    name = folder.name
    return (LEARNING_ORDER.index(name) if name in LEARNING_ORDER else len(LEARNING_ORDER), name)


def pack_folders(extra: list[str] | tuple[str, ...] = ()) -> list[tuple[Path, str]]:
    """(folder, origin) of every pack to offer: built-in ones in learning order, then
    the learner's own and those given with --pack, by name."""
    from mailsim.locations import packs_dir

    found: list[tuple[Path, str]] = []
    for base, origin in ((builtin_lessons_dir(), "builtin"), (packs_dir(), "user")):
        if base is None or not base.is_dir():
            continue
        key = _learning_order if origin == "builtin" else None
        for folder in sorted(base.iterdir(), key=key):
            if (folder / "pack.yaml").is_file():
                found.append((folder, origin))
    for spec in extra:
        folder = Path(spec)
        if (folder / "pack.yaml").is_file():
            found.append((folder, "extra"))
        elif folder.is_dir():
            found.extend(
                (sub, "extra") for sub in sorted(folder.iterdir()) if (sub / "pack.yaml").is_file()
            )
    return found


def load_catalog(extra: list[str] | tuple[str, ...] = ()) -> Catalog:
    catalog = Catalog()
    seen: set[str] = set()
    for folder, origin in pack_folders(extra):
        pack = load_pack(folder, origin)
        if pack.id in seen:
            continue
        seen.add(pack.id)
        catalog.packs.append(pack)
    return catalog


def load_pack(folder: Path, origin: str = "extra") -> Pack:
    try:
        from mailsim.packs.yamlsrc import YamlSourceError, load_yaml

        try:
            data = load_yaml(folder / "pack.yaml").data
        except YamlSourceError as exc:
            return Pack(folder.name, folder, folder.name, error=str(exc), origin=origin)
        return _build(folder, data, origin)
    except Exception as exc:  # a malformed pack is listed with its error, never fatal
        log.exception("cannot read pack %s", folder)
        return Pack(
            folder.name, folder, folder.name, error=f"{type(exc).__name__}: {exc}", origin=origin
        )


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _build(folder: Path, data: Any, origin: str) -> Pack:
    if not isinstance(data, dict):
        return Pack(
            folder.name, folder, folder.name, error="pack.yaml is not a mapping", origin=origin
        )
    pack_id = str(data.get("id") or folder.name)
    lessons = []
    for item in data.get("lessons") or []:
        if not isinstance(item, dict) or "id" not in item:
            continue
        lesson_id = str(item["id"])
        lesson_dir = folder / "lessons" / lesson_id
        pages = tuple(
            Page(str(p["id"]), p.get("title", p["id"]))
            for p in item.get("pages") or []
            if isinstance(p, dict) and "id" in p
        )
        labs = tuple(_lab_ref(folder, str(lab_id)) for lab_id in item.get("labs") or [])
        lessons.append(
            Lesson(
                lesson_id,
                item.get("title", lesson_id),
                lesson_dir,
                pages,
                labs,
                _strings(item.get("objectives")),
            )
        )
    banks = tuple(folder / str(b) for b in data.get("quizzes") or [])
    if not banks and (folder / "quizzes").is_dir():
        banks = (folder / "quizzes",)
    return Pack(
        id=pack_id,
        folder=folder,
        title=data.get("title", pack_id),
        version=str(data.get("version", "")),
        languages=_strings(data.get("languages")) or ("en",),
        lessons=tuple(lessons),
        banks=banks,
        objectives=_strings(data.get("objectives")),
        origin=origin,
    )


def _lab_ref(folder: Path, lab_id: str) -> LabRef:
    file = folder / "labs" / f"{lab_id}.yaml"
    title: Any = lab_id
    try:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (safe loader)
        if isinstance(data, dict):
            title = data.get("title", lab_id)
    except Exception:  # the lab screen reports a broken lab when it is opened
        pass
    return LabRef(lab_id, file, title)
