"""doveconf's options (-a, -N, -P, -d, -h, -f, -m, -x, SETTING and section paths, usage
errors) against the real Dovecot 2.3.19: recorded in tests/data/dovecot/options/,
and compared live where Dovecot is installed (MAILSIM_RECORD=1 re-records)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mailsim.machine.machine import Machine

sys.path.insert(0, str(Path(__file__).parent / "data" / "dovecot"))
from edits import OPTION_CASES  # noqa: E402
from test_doveconf_corpus import apply_edits, run_sim, strip_header  # noqa: E402

DATA = Path(__file__).parent / "data" / "dovecot" / "options"
HAVE_DOVECOT = shutil.which("doveconf") is not None


def run_real(machine: Machine, scratch: Path, args: list[str]) -> dict:
    """The real doveconf over a copy whose absolute paths point into the copy."""
    for part in ("etc/dovecot", "etc/ssl", "usr/share/dovecot"):
        if (machine.root / part).is_dir():
            shutil.copytree(machine.root / part, scratch / part, symlinks=True)
    for file in scratch.rglob("*"):
        if file.is_file() and (file.suffix in (".conf", ".ext", ".protocol")):
            text = file.read_text()
            text = text.replace("/usr/share/dovecot/", f"{scratch}/usr/share/dovecot/")
            file.write_text(text.replace("</etc/", f"<{scratch}/etc/"))
    conf = scratch / "etc/dovecot/dovecot.conf"
    proc = subprocess.run(
        ["doveconf", "-c", str(conf), *args], capture_output=True, text=True, check=False
    )
    return {
        "stdout": strip_header(proc.stdout.replace(str(scratch), "")),
        "stderr": proc.stderr.replace(str(scratch), ""),
        "status": proc.returncode,
    }


@pytest.mark.parametrize("name,changes,args", OPTION_CASES, ids=[c[0] for c in OPTION_CASES])
def test_option_matches_recorded(
    machine: Machine, tmp_path: Path, name: str, changes: list, args: list[str]
) -> None:
    apply_edits(machine, changes)
    sim = run_sim(machine, args)
    record = DATA / f"{name}.json"
    if os.environ.get("MAILSIM_RECORD") and HAVE_DOVECOT:
        DATA.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps(run_real(machine, tmp_path / "real", args), indent=1) + "\n")
    assert sim == json.loads(record.read_text())


@pytest.mark.skipif(not HAVE_DOVECOT, reason="Dovecot's doveconf is not installed")
@pytest.mark.parametrize("name,changes,args", OPTION_CASES, ids=[c[0] for c in OPTION_CASES])
def test_option_matches_real(
    machine: Machine, tmp_path: Path, name: str, changes: list, args: list[str]
) -> None:
    apply_edits(machine, changes)
    assert run_sim(machine, args) == run_real(machine, tmp_path / "real", args)
