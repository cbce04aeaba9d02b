"""doveconf -n over Debian's files and the edits learners make, against Dovecot 2.3.

Each case of ``tests/data/dovecot/edits.py`` is applied to the default image and
run through the simulated ``doveconf -n``. The result must equal the output
recorded from the real Dovecot 2.3.19 (``tests/data/dovecot/corpus/NAME.json``)
and, where Dovecot is installed, the real tool's output for the same files.
Set ``MAILSIM_RECORD=1`` (with Dovecot installed) to re-record.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mailsim.dovecot.doveconf import main as doveconf
from mailsim.machine.machine import Machine

sys.path.insert(0, str(Path(__file__).parent / "data" / "dovecot"))
from conftest import make_ctx  # noqa: E402
from edits import EDITS  # noqa: E402

DATA = Path(__file__).parent / "data" / "dovecot" / "corpus"
HAVE_DOVECOT = shutil.which("doveconf") is not None
HEADER = ("# 2.3", "# Pigeonhole", "# OS:", "# Hostname:")


def apply_edits(machine: Machine, changes: list) -> None:
    for file, old, new in changes:
        path = f"/etc/dovecot/{file}"
        text = machine.read_text(path) if machine.exists(path) else ""
        if old is None:
            text = text + ("" if text.endswith("\n") or not text else "\n") + new + "\n"
        else:
            assert old in text, f"{old!r} not in {path}"
            text = text.replace(old, new, 1)
        machine.write_text(path, text)


def strip_header(text: str) -> str:
    return "".join(line for line in text.splitlines(True) if not line.startswith(HEADER))


def run_sim(machine: Machine, args: list[str]) -> dict:
    ctx = make_ctx(machine, ["doveconf", *args])
    status = doveconf(ctx)
    return {
        "stdout": strip_header(ctx.stdout.getvalue().decode()),
        "stderr": ctx.stderr.getvalue().decode(),
        "status": status,
    }


def run_real(machine: Machine, scratch: Path, args: list[str]) -> dict:
    """The real doveconf over a copy of the machine's Dovecot files."""
    if scratch.exists():
        shutil.rmtree(scratch)
    for part in ("etc/dovecot", "usr/share/dovecot"):
        shutil.copytree(machine.root / part, scratch / part)
    conf = scratch / "etc/dovecot/dovecot.conf"
    conf.write_text(
        conf.read_text().replace("/usr/share/dovecot/", f"{scratch}/usr/share/dovecot/")
    )
    proc = subprocess.run(
        ["doveconf", "-c", str(conf), *args], capture_output=True, text=True, check=False
    )
    return {
        "stdout": strip_header(proc.stdout),
        "stderr": proc.stderr.replace(str(scratch), ""),
        "status": proc.returncode,
    }


@pytest.mark.parametrize("name,changes", EDITS, ids=[e[0] for e in EDITS])
def test_doveconf_n_matches_recorded(
    machine: Machine, tmp_path: Path, name: str, changes: list
) -> None:
    apply_edits(machine, changes)
    sim = run_sim(machine, ["-n"])
    record = DATA / f"{name}.json"
    if os.environ.get("MAILSIM_RECORD") and HAVE_DOVECOT:
        real = run_real(machine, tmp_path / "real", ["-n"])
        record.write_text(json.dumps(real, indent=1) + "\n")
    expected = json.loads(record.read_text())
    assert sim == expected


@pytest.mark.skipif(not HAVE_DOVECOT, reason="Dovecot's doveconf is not installed")
@pytest.mark.parametrize("name,changes", EDITS, ids=[e[0] for e in EDITS])
def test_doveconf_n_matches_real(
    machine: Machine, tmp_path: Path, name: str, changes: list
) -> None:
    apply_edits(machine, changes)
    assert run_sim(machine, ["-n"]) == run_real(machine, tmp_path / "real", ["-n"])
