"""``mailsim pack install ZIP|DIR``: copy a pack into the user's pack folder, safely.

A ZIP is untrusted: member names must stay inside the target (no absolute
paths, no ``..``), links and special files are refused, and the number and
total size of files are bounded before anything is written. The pack must load
without errors before it replaces an installed one. Learner results are kept
by the progress store under pack, lab and task ids, so a newer version keeps
the results of every task whose id remains.
"""

from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from mailsim.packs.model import MAX_PACK_BYTES, MAX_PACK_FILES, PACK_FILE, Pack, PackError


class InstallError(Exception):
    pass


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _extract(archive: Path, dest: Path) -> Path:
    try:
        zf = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InstallError(f"{archive}: not a readable ZIP file ({exc})") from None
    with zf:
        members = zf.infolist()
        if len(members) > MAX_PACK_FILES:
            raise InstallError(f"{archive}: more than {MAX_PACK_FILES} files")
        if sum(m.file_size for m in members) > MAX_PACK_BYTES:
            raise InstallError(f"{archive}: larger than {MAX_PACK_BYTES} bytes unpacked")
        for member in members:
            name = PurePosixPath(member.filename)
            mode = member.external_attr >> 16
            if name.is_absolute() or ".." in name.parts or "\\" in member.filename:
                raise InstallError(f"{archive}: unsafe member name '{member.filename}'")
            if mode and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                raise InstallError(f"{archive}: '{member.filename}' is not a plain file")
        for member in members:
            target = dest / member.filename
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
    if (dest / PACK_FILE).is_file():
        return dest
    inner = [p for p in dest.iterdir() if p.is_dir() and (p / PACK_FILE).is_file()]
    if len(inner) == 1:
        return inner[0]
    raise InstallError(f"{archive}: no {PACK_FILE} at the top (or in one top folder)")


def install(source: Path, packs_dir: Path, force: bool = False) -> tuple[Pack, Path]:
    """Install ``source`` (a ZIP or a pack folder); returns the pack and where it went."""
    from mailsim.machine.snapshot import copy_tree

    with tempfile.TemporaryDirectory(prefix="mailsim-install-") as tmp:
        staging = Path(tmp) / "pack"
        if source.is_dir():
            if not (source / PACK_FILE).is_file():
                raise InstallError(f"{source}: not a lesson pack (no {PACK_FILE})")
            copy_tree(source, staging)
            root = staging
        elif source.is_file():
            staging.mkdir()
            root = _extract(source, staging)
        else:
            raise InstallError(f"{source}: No such file or directory")
        try:
            pack = Pack.from_directory(root)
        except PackError as exc:
            raise InstallError(f"{source}: {exc}") from None
        dest = packs_dir / pack.id
        if (dest / PACK_FILE).is_file() and not force:
            try:
                installed = Pack.from_directory(dest)
            except PackError:
                installed = None
            if installed is not None and _version_key(installed.version) > _version_key(
                pack.version
            ):
                raise InstallError(
                    f"{pack.id} {installed.version} is installed; {pack.version} is older (use --force)"
                )
        packs_dir.mkdir(parents=True, exist_ok=True)
        swap = packs_dir / f".{pack.id}.new"
        if swap.exists():
            shutil.rmtree(swap)
        copy_tree(root, swap)
        if dest.exists():
            shutil.rmtree(dest)
        swap.rename(dest)
    return Pack.from_directory(dest), dest
