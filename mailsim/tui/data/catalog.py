"""Lesson packs as the home screen lists them: built-in, the user's pack folder, --pack DIRs.

The packs layer is the one reader of the pack format: ``mailsim.packs.resolver``
finds and loads the packs and decides which of two packs with the same id wins, so
the TUI offers the same pack as ``mailsim lab ...`` and lists a broken pack with the
error ``mailsim pack validate`` gives. This module keeps only the light view the
screens use, and caches it as JSON (see ``mailsim.tui.data.catalog_cache``): loading
every pack validates every lab, which a warm start should not pay for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mailsim.packs.resolver import PackEntry

log = logging.getLogger("mailsim.tui")


@dataclass(frozen=True)
class Page:
    id: str
    title: Any
    """A pack text: a string or a map language → string."""
    files: tuple[tuple[str, Path], ...] = ()
    """(language, Markdown file) as the loader found them, the pack's first language first."""


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
    """The question bank files in the pack's ``quizzes/`` folder."""
    objectives: tuple[str, ...] = ()
    error: str = ""
    """Why the pack cannot be used, as the packs layer reports it (``file:line:col: error:
    message``); the pack is still listed, with this message."""
    origin: str = "builtin"
    """builtin, user or extra (given with --pack)."""

    def text(self, value: Any, lang: str) -> str:
        from mailsim.packs.text import pick

        return pick(value, lang, self.languages)

    def page_markdown(self, lesson: Lesson, page: Page, lang: str) -> str:
        """The page's Markdown in ``lang``, else in the pack's languages (the loader's rule)."""
        from mailsim.packs.text import clean

        files = dict(page.files)
        for code in (lang, *self.languages):
            if code in files:
                try:
                    return clean(files[code].read_text(encoding="utf-8", errors="replace"))
                except OSError:
                    continue
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
    """The built-in packs (tests point this elsewhere to list only their own packs)."""
    from mailsim.packs.resolver import builtin_dir

    return builtin_dir()


LEARNING_ORDER = ("mailbasics", "postfix", "aliases", "dovecot", "tls", "sieve", "othermtas")
"""The built-in packs as a learner takes them (each builds on the ones before);
a built-in pack not named here comes after them, by name."""


def pack_folders(extra: list[str] | tuple[str, ...] = ()) -> list[tuple[Path, str]]:
    """(folder, origin) of every pack folder found, in the resolver's precedence order."""
    from mailsim.packs.resolver import pack_folders as found_in
    from mailsim.packs.resolver import places

    return found_in(places(builtin_lessons_dir(), extra))


def load_catalog(extra: list[str] | tuple[str, ...] = ()) -> Catalog:
    """Every pack offered, one per id as the resolver chooses it: built-in ones in
    learning order, then the learner's own and those given with --pack, by name.
    Reused from the cache while no file of any pack folder changed."""
    from mailsim.tui.data import catalog_cache

    folders = pack_folders(extra)
    key = catalog_cache.key_of(folders)
    cached = catalog_cache.read(key)
    if cached is not None:
        return Catalog(cached)
    packs = build(folders)
    catalog_cache.write(key, packs)
    return Catalog(packs)


def build(folders: list[tuple[Path, str]]) -> list[Pack]:
    """Load every folder through the packs layer and keep the resolver's choice per id."""
    from mailsim.packs.resolver import by_id, load_entry

    entries = [load_entry(folder, origin) for folder, origin in folders]
    first: dict[str, tuple[int, PackEntry]] = {}
    for index, entry in enumerate(entries):
        first.setdefault(entry.id, (index, entry))

    def shown_at(pack_id: str) -> tuple[int, int, str, int]:
        # A pack that replaces another is shown where the one it replaces was found.
        index, entry = first[pack_id]
        if entry.source == "builtin":
            name = entry.path.name
            rank = LEARNING_ORDER.index(name) if name in LEARNING_ORDER else len(LEARNING_ORDER)
            return (0, rank, name, index)
        return (1, 0, "", index)

    chosen = by_id(entries)
    return [from_entry(chosen[pack_id]) for pack_id in sorted(chosen, key=shown_at)]


def load_pack(folder: Path, origin: str = "extra") -> Pack:
    """One pack folder through the packs layer (no precedence, no cache)."""
    from mailsim.packs.resolver import load_entry

    return from_entry(load_entry(folder, origin))


def from_entry(entry: PackEntry) -> Pack:
    """The screens' view of a resolver entry; a broken pack keeps its first error."""
    model = entry.pack
    if model is None or not entry.ok:
        error = entry.error or f"{entry.path}: cannot be loaded"
        return Pack(entry.id, entry.path, entry.id, error=error, origin=entry.source)
    lessons = []
    for lesson in model.lessons:
        pages = tuple(
            Page(
                page.id,
                page.title,
                tuple((lang, page.files[lang]) for lang in model.languages if lang in page.files),
            )
            for page in lesson.pages
        )
        labs = tuple(
            LabRef(lab_id, model.root / "labs" / f"{lab_id}.yaml", _lab_title(model, lab_id))
            for lab_id in lesson.labs
        )
        lessons.append(
            Lesson(
                lesson.id,
                lesson.title,
                model.root / "lessons" / lesson.id,
                pages,
                labs,
                tuple(lesson.objectives),
            )
        )
    return Pack(
        id=model.id,
        folder=entry.path,
        title=model.title,
        version=str(model.version),
        languages=tuple(model.languages),
        lessons=tuple(lessons),
        banks=tuple(model.quizzes),
        objectives=tuple(model.objectives),
        origin=entry.source,
    )


def _lab_title(model: Any, lab_id: str) -> Any:
    lab = model.lab(lab_id)
    return lab.title if lab is not None else lab_id
