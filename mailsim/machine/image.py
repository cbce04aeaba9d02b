"""The default machine image and ``mailsim init``.

The image ships as plain files plus a text MANIFEST (empty directories,
symlinks, owners, modes), because wheels and git carry none of those.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from mailsim.machine.machine import STATE_DIR, Machine
from mailsim.machine.manifest import Manifest, Meta, parse_image_manifest


class InitError(Exception):
    """``mailsim init`` refused (non-empty directory, missing image)."""


def image_dir() -> Path:
    """The ``sandbox/`` image: beside the package in a checkout, inside it when installed."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_data" / "sandbox", package.parent / "sandbox"):
        if (candidate / "VERSION").is_file():
            return candidate
    raise InitError("the default machine image (sandbox/) is missing from this installation")


def image_version() -> str:
    return (image_dir() / "VERSION").read_text(encoding="utf-8").strip()


def is_machine(path: Path) -> bool:
    return (path / STATE_DIR / "version").is_file()


def init_machine(target: str | os.PathLike[str], force: bool = False) -> Machine:
    """Materialise the image into ``target``; refuses a non-empty directory unless ``force``
    and it is already a machine."""
    dest = Path(target)
    if dest.exists() and not dest.is_dir():
        raise InitError(f"{target}: not a directory")
    if dest.is_dir() and any(dest.iterdir()):
        if not force:
            raise InitError(f"{target}: directory is not empty (use --force to replace a machine)")
        if not is_machine(dest):
            raise InitError(f"{target}: not a mailsim machine; refusing to overwrite it")
        for child in dest.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    src = image_dir()
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src / "root", dest, dirs_exist_ok=True, symlinks=True)
    state = dest / STATE_DIR
    state.mkdir(exist_ok=True)
    manifest = Manifest(state / "manifest.json")
    text = (src / "MANIFEST").read_text(encoding="utf-8")
    for kind, path, fields in parse_image_manifest(text, str(src / "MANIFEST")):
        if kind == "link":
            manifest.links[path] = fields[0]
            continue
        host = Path(str(dest) + path)
        if kind == "dir":
            host.mkdir(parents=True, exist_ok=True)
        owner, _, group = fields[0].partition(":")
        manifest.set(path, Meta(owner, group or owner, int(fields[1], 8)), kind == "dir")
    manifest.save()
    (state / "version").write_text(image_version() + "\n", encoding="utf-8")
    (state / "events.jsonl").write_text("", encoding="utf-8")
    machine = Machine(dest)
    machine.events.append("init", image=image_version())
    return machine
