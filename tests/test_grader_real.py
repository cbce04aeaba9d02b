"""The grader reads values as Postfix and Dovecot do: compared with the real tools.

On the solved 20-task lab, every parameter and setting the lab checks is read
through the grader's Evaluator and through the real ``postconf -c DIR -xh`` /
``doveconf -c FILE -h`` on the same files. The real values are recorded in
tests/data/packs/expected/ so the comparison still runs where the tools are not
installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mailsim.packs.evaluate import Evaluator
from mailsim.packs.model import Pack
from mailsim.packs.session import LabSession

DATA = Path(__file__).parent / "data" / "packs"
RECORDED = DATA / "expected" / "bench_twenty_seed1.json"
SEED = 1


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    pack = Pack.from_directory(DATA / "bench")
    lab = pack.labs["twenty"]
    session = LabSession.start(pack, lab, tmp_path_factory.mktemp("real") / "m", seed=SEED)
    session.solve()
    assert session.grade().all_passed
    targets: dict[str, list[str]] = {"postfix": [], "dovecot": []}
    for task in lab.tasks:
        for check in task.checks:
            if check.kind in targets:
                targets[check.kind].append(str(check.target))
    return session.machine, targets


def simulated(machine, targets) -> dict[str, dict[str, str]]:
    evaluator = Evaluator(machine)
    postfix = evaluator.postfix()
    dovecot = evaluator.dovecot()
    return {
        "postfix": {name: postfix.expand(name) for name in targets["postfix"]},
        "dovecot": {name: dovecot.get(name) for name in targets["dovecot"]},
    }


def test_grader_matches_recorded_real_values(solved):
    machine, targets = solved
    assert simulated(machine, targets) == json.loads(RECORDED.read_text())


@pytest.mark.skipif(shutil.which("postconf") is None, reason="Postfix is not installed")
def test_grader_matches_real_postconf(solved):
    machine, targets = solved
    config_dir = str(machine.root / "etc" / "postfix")
    real = {}
    for name in targets["postfix"]:
        out = subprocess.run(
            ["postconf", "-c", config_dir, "-xh", name], capture_output=True, text=True, check=True
        ).stdout
        real[name] = out.rstrip("\n")
    assert simulated(machine, targets)["postfix"] == real


@pytest.mark.skipif(shutil.which("doveconf") is None, reason="Dovecot is not installed")
def test_grader_matches_real_doveconf(solved):
    machine, targets = solved
    conf = str(machine.root / "etc" / "dovecot" / "dovecot.conf")
    real = {}
    for name in targets["dovecot"]:
        out = subprocess.run(
            ["doveconf", "-c", conf, "-h", name], capture_output=True, text=True, check=True
        ).stdout
        real[name] = out.rstrip("\n")
    assert simulated(machine, targets)["dovecot"] == real
