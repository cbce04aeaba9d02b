"""Where question banks are: the built-in ``quizzes/`` collection and the packs' banks.

``quizzes/`` sits beside the package in a checkout and in ``mailsim/_data`` when
installed (as the machine image does). A pack keeps its banks in its own
``quizzes/`` folder. ``--pack P`` names a bank file, a bank folder, a pack folder,
or the id of an installed pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BUILTIN = "quizzes"


@dataclass(frozen=True)
class BankSource:
    name: str
    """The bank's name: part of every question key, so stable across versions."""
    path: Path


def _package_root() -> Path:
    return Path(__file__).resolve().parent.parent


def builtin_quizzes_dir() -> Path | None:
    package = _package_root()
    for candidate in (package / "_data" / "quizzes", package.parent / "quizzes"):
        if candidate.is_dir():
            return candidate
    return None


def installed_packs() -> dict[str, Path]:
    """Pack id → folder of every installed pack, found where the packs layer looks
    (built-in, then the learner's folder); for one id the later one wins, as
    everywhere else in mailsim, so a learner's override brings its own banks."""
    from mailsim.packs.resolver import builtin_dir, pack_folders, places

    chosen: dict[str, Path] = {}
    for folder, _source in pack_folders(places(builtin_dir())):
        chosen[_pack_id(folder)] = folder
    return chosen


def _pack_id(folder: Path) -> str:
    try:
        import yaml

        data = yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            return data["id"]
    except Exception:  # a broken pack.yaml is the pack validator's to report, not ours
        pass
    return folder.name


def _from_pack(folder: Path) -> BankSource | None:
    banks = folder / "quizzes"
    return BankSource(_pack_id(folder), banks) if banks.is_dir() else None


def resolve(spec: str) -> BankSource | None:
    """A ``--pack`` argument → its banks (None when it names nothing)."""
    path = Path(spec)
    if path.is_file():
        return BankSource(path.stem, path)
    if path.is_dir():
        if (path / "pack.yaml").is_file():
            return _from_pack(path)
        return BankSource(path.name, path)
    installed = installed_packs()
    if spec in installed:
        return _from_pack(installed[spec])
    for folder in installed.values():
        if folder.name == spec:
            return _from_pack(folder)
    return None


def all_sources() -> list[BankSource]:
    """The built-in collection and every installed pack's banks."""
    sources: list[BankSource] = []
    builtin = builtin_quizzes_dir()
    if builtin is not None:
        sources.append(BankSource(BUILTIN, builtin))
    for folder in installed_packs().values():
        source = _from_pack(folder)
        if source is not None:
            sources.append(source)
    return sources
