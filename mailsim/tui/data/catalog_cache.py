"""The pack catalogue kept as JSON in the data directory, so a warm start skips loading
and validating every pack (about 80 ms for the built-in packs) and pays for a directory
walk and a few hundred ``stat`` calls instead.

The cache is keyed by every file of every pack folder found (path, mtime_ns, size),
by where the packs were looked for, and by the code that reads packs: any edit to a
pack, a pack added or removed, or a new mailsim rebuilds it. A cache that cannot be
read or does not have the expected shape is ignored and rewritten.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mailsim.tui.data.catalog import Pack

log = logging.getLogger("mailsim.tui")

FORMAT = 1
"""Bumped when the JSON shape of a pack changes."""


def cache_file() -> Path:
    from mailsim.locations import data_dir

    return data_dir() / "cache" / "catalog.json"


def _stamp(path: str | Path) -> list[Any]:
    try:
        st = os.stat(path)
    except OSError:
        try:
            st = os.lstat(path)  # a dangling link still counts as a file that is there
        except OSError:
            return [str(path), None, None]
    return [str(path), st.st_mtime_ns, st.st_size]


def _code_files() -> list[Path]:
    """The modules whose output is cached: the packs layer and this catalogue."""
    import mailsim.packs

    packs = Path(mailsim.packs.__file__).parent
    here = Path(__file__).parent
    return sorted(packs.glob("*.py")) + [here / "catalog.py", here / "catalog_cache.py"]


def key_of(folders: list[tuple[Path, str]]) -> dict[str, Any]:
    """What the catalogue built from ``folders`` depends on, as JSON-ready data."""
    from mailsim import __version__
    from mailsim.packs.resolver import pack_files

    return {
        "format": FORMAT,
        "version": __version__,
        "code": [_stamp(p) for p in _code_files()],
        "folders": [
            # The folder as given and as an absolute path: a relative --pack names
            # another folder from another working directory.
            [str(folder), os.path.abspath(folder), origin, [_stamp(f) for f in pack_files(folder)]]
            for folder, origin in folders
        ],
    }


def read(key: dict[str, Any]) -> list[Pack] | None:
    """The cached packs when the cache was built for ``key``; None otherwise."""
    try:
        data = json.loads(cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    try:
        return [_pack(item) for item in data["packs"]]
    except (KeyError, TypeError, ValueError, AttributeError):
        log.warning("ignoring a malformed pack catalogue cache %s", cache_file())
        return None


def write(key: dict[str, Any], packs: list[Pack]) -> None:
    """Keep ``packs`` for the next start; a cache that cannot be written is only a slower start."""
    file = cache_file()
    tmp = file.with_name(f"{file.name}.{os.getpid()}.tmp")
    try:
        text = json.dumps({"key": key, "packs": [_json(p) for p in packs]}, ensure_ascii=False)
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, file)  # readers see the old cache or the new one, never half of one
    except (OSError, TypeError, ValueError) as exc:
        log.warning("cannot cache the pack catalogue in %s: %s", file, exc)
        tmp.unlink(missing_ok=True)


def _json(pack: Pack) -> dict[str, Any]:
    return {
        "id": pack.id,
        "folder": str(pack.folder),
        "title": pack.title,
        "version": pack.version,
        "languages": list(pack.languages),
        "lessons": [
            {
                "id": lesson.id,
                "title": lesson.title,
                "folder": str(lesson.folder),
                "pages": [
                    {"id": p.id, "title": p.title, "files": [[lang, str(f)] for lang, f in p.files]}
                    for p in lesson.pages
                ],
                "labs": [
                    {"id": lab.id, "file": str(lab.file), "title": lab.title} for lab in lesson.labs
                ],
                "objectives": list(lesson.objectives),
            }
            for lesson in pack.lessons
        ],
        "banks": [str(b) for b in pack.banks],
        "objectives": list(pack.objectives),
        "error": pack.error,
        "origin": pack.origin,
    }


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of strings")
    return tuple(value)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def _pack(data: dict[str, Any]) -> Pack:
    from mailsim.tui.data.catalog import LabRef, Lesson, Pack, Page

    lessons = tuple(
        Lesson(
            _str(lesson["id"]),
            lesson["title"],
            Path(_str(lesson["folder"])),
            tuple(
                Page(
                    _str(p["id"]),
                    p["title"],
                    tuple((_str(lang), Path(_str(f))) for lang, f in p["files"]),
                )
                for p in lesson["pages"]
            ),
            tuple(
                LabRef(_str(lab["id"]), Path(_str(lab["file"])), lab["title"])
                for lab in lesson["labs"]
            ),
            _strings(lesson["objectives"]),
        )
        for lesson in data["lessons"]
    )
    return Pack(
        id=_str(data["id"]),
        folder=Path(_str(data["folder"])),
        title=data["title"],
        version=_str(data["version"]),
        languages=_strings(data["languages"]) or ("en",),
        lessons=lessons,
        banks=tuple(Path(b) for b in _strings(data["banks"])),
        objectives=_strings(data["objectives"]),
        error=_str(data["error"]),
        origin=_str(data["origin"]),
    )
