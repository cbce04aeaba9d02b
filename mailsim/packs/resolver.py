"""Finding packs and what links point at: one resolver for ids and paths.

Packs come from three places, later ones taking precedence for the same id:
the built-in ``lessons/`` (``mailsim/_data/lessons`` when installed), the
user's pack folder (``mailsim.locations.packs_dir()``), and ``--pack DIR``
folders (a pack, or a folder of packs). A pack that fails to load is still
listed, with its problems, so one broken pack never hides the others.

References take one form: ``pack-id/lesson-id#page`` for a page,
``pack-id/lab-id`` for a lab (``lesson-id#page`` inside the same pack), and a
path to a pack folder wherever a pack id is accepted (``/tmp/p/lab-id``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mailsim.packs.problems import Problem, has_errors

if TYPE_CHECKING:
    from mailsim.packs.model import Lab, Lesson, Pack, Page

PACK_FILE = "pack.yaml"
"""The same name as ``mailsim.packs.model.PACK_FILE``: repeated so that listing pack
folders (the TUI's warm start does it) never imports the loader and its schema."""


def builtin_dir() -> Path | None:
    """The built-in lessons: beside the package in a checkout, inside it when installed."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_data" / "lessons", package.parent / "lessons"):
        if candidate.is_dir():
            return candidate
    return None


@dataclass
class PackEntry:
    """One pack folder found, loaded or not."""

    path: Path
    source: str
    """``builtin``, ``user`` or ``extra``."""
    pack: Pack | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.pack.id if self.pack is not None else self.path.name

    @property
    def ok(self) -> bool:
        return self.pack is not None and not has_errors(self.problems)

    @property
    def error(self) -> str | None:
        """The first error, as ``file:line:col: error: message`` (None when the pack loads)."""
        first = next((p for p in self.problems if p.is_error), None)
        return str(first) if first else None


@dataclass(frozen=True)
class Target:
    """What a reference resolved to."""

    pack: Pack
    lesson: Lesson | None = None
    page: Page | None = None
    lab: Lab | None = None


def _pack_folders(base: Path) -> list[Path]:
    if (base / PACK_FILE).is_file():
        return [base]
    if not base.is_dir():
        return []
    return sorted(
        p for p in base.iterdir() if p.is_dir() and not p.is_symlink() and (p / PACK_FILE).is_file()
    )


def places(
    builtin: Path | None, extra: Iterable[str] = (), include_user: bool = True
) -> list[tuple[Path, str]]:
    """Where packs are looked for, with their source, in precedence order (later wins)."""
    from mailsim.locations import packs_dir

    found: list[tuple[Path, str]] = []
    if builtin is not None:
        found.append((builtin, "builtin"))
    if include_user:
        found.append((packs_dir(), "user"))
    found.extend((Path(p), "extra") for p in extra)
    return found


def pack_folders(where: Iterable[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """Every pack folder in ``where`` (a place is a pack, or a folder of packs), by name
    within a place; no file is parsed."""
    return [(folder, source) for base, source in where for folder in _pack_folders(base)]


def pack_files(folder: Path) -> list[str]:
    """Every file a pack may be built from, as the loader's size check walks them
    (hidden folders skipped, links not followed), sorted. One directory walk and no
    parsing: enough to tell whether a pack changed since it was last loaded. Plain
    strings, which cost far less to build than paths for a few hundred files."""
    found: list[str] = []
    for here, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(here, name) for name in sorted(files))
    return found


def by_id(entries: Iterable[PackEntry]) -> dict[str, PackEntry]:
    """One entry per pack id: the last one found wins (--pack DIR over the user's folder
    over the built-in packs) and keeps the place where that id was first found."""
    chosen: dict[str, PackEntry] = {}
    for entry in entries:
        chosen[entry.id] = entry
    return chosen


def load_entry(path: Path, source: str) -> PackEntry:
    from mailsim.packs.model import load_pack

    try:
        pack, problems = load_pack(path)
    except Exception as exc:  # a pack must never stop the app, whatever it holds
        return PackEntry(
            path, source, None, [Problem(str(path), None, None, f"cannot be loaded: {exc}")]
        )
    return PackEntry(path, source, pack if not has_errors(problems) else None, problems)


def discover(extra: list[str] | tuple[str, ...] = (), include_user: bool = True) -> list[PackEntry]:
    """Every pack folder, each loaded (or carrying the problems that stopped it)."""
    where = places(builtin_dir(), extra, include_user)
    return [load_entry(folder, source) for folder, source in pack_folders(where)]


class Resolver:
    """Resolves pack ids, paths and links over a set of discovered packs."""

    def __init__(self, entries: list[PackEntry]) -> None:
        self.entries = entries
        self._by_id = by_id(entries)

    @classmethod
    def discover(
        cls, extra: list[str] | tuple[str, ...] = (), include_user: bool = True
    ) -> Resolver:
        return cls(discover(extra, include_user))

    def packs(self) -> list[Pack]:
        return [e.pack for e in self._by_id.values() if e.pack is not None]

    def entry(self, ref: str) -> PackEntry | None:
        """A pack by id, or by the path of its folder (loaded on demand)."""
        if ref in self._by_id:
            return self._by_id[ref]
        if os.sep in ref or ref.startswith(".") or Path(ref).is_dir():
            path = Path(ref)
            if (path / PACK_FILE).is_file():
                resolved = path.resolve()
                for entry in self.entries:
                    if entry.path.resolve() == resolved:
                        return entry
                entry = load_entry(path, "extra")
                self.entries.append(entry)
                return entry
        return None

    def pack(self, ref: str) -> Pack | None:
        entry = self.entry(ref)
        return entry.pack if entry is not None else None

    def split(self, ref: str) -> tuple[str, str]:
        """``PACK/ITEM`` → (pack ref, item); the pack part may be a path with slashes."""
        head, slash, tail = ref.rstrip("/").rpartition("/")
        if not slash:
            return ref, ""
        return head, tail

    def lab(self, ref: str) -> tuple[Pack, Lab] | None:
        """``pack-id/lab-id`` or ``PATH/lab-id``."""
        pack_ref, lab_id = self.split(ref)
        pack = self.pack(pack_ref)
        if pack is None or not lab_id:
            return None
        lab = pack.lab(lab_id)
        return (pack, lab) if lab is not None else None

    def resolve(self, ref: str, context: Pack | None = None) -> Target | None:
        """A link: ``pack/lesson#page``, ``pack/lesson``, ``pack/lab`` or ``pack``;
        ``lesson#page`` resolves inside ``context``."""
        body, _, page_id = ref.partition("#")
        if "/" in body:
            pack_ref, item = self.split(body)
            pack = self.pack(pack_ref)
        else:
            pack, item = context, body
            if context is None or (
                item and context.lesson(item) is None and context.lab(item) is None
            ):
                found = self.pack(body)
                if found is not None and not page_id:
                    return Target(found)
        if pack is None:
            return None
        if not item:
            return Target(pack)
        return resolve_in(pack, item, page_id)


def resolve_in(pack: Pack, item: str, page_id: str = "") -> Target | None:
    """``lesson#page``, ``lesson`` or ``lab`` inside one pack."""
    lesson = pack.lesson(item)
    if lesson is not None:
        if not page_id:
            return Target(pack, lesson, lesson.pages[0] if lesson.pages else None)
        page = lesson.page(page_id)
        return Target(pack, lesson, page) if page is not None else None
    lab = pack.lab(item)
    if lab is not None and not page_id:
        return Target(pack, pack.lesson_of_lab(item), None, lab)
    return None
