"""Harness for the small utilities' transcripts (basename … diff), and its own checks.

Like test_shell_text's harness (whose runners it reuses: the same FILES in
/root/work, the real tools in a host directory with the same contents), but the
recordings live in tests/data/shell_utils/AREA.json and a module may bring its
own runner for the real tool (getent reads /etc, not the working directory).
``MAILSIM_RECORD=1 pytest tests/test_shell_utils_X.py -k record`` rewrites one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from test_shell_text import _bytes, _text, run_real, run_sim, tools_missing

from mailsim.machine.machine import Machine

DATA = Path(__file__).parent / "data" / "shell_utils"

Item = str | tuple[str, str]
"""A command line, alone or with its stdin."""
Result = tuple[bytes, bytes, int]
RealRunner = Callable[[Machine, str, str], Result]
"""Runs a line with the real tools (given the machine, for tools that read its files)."""
SimRunner = Callable[[Machine, str, str], Result]


def real_in_workdir(machine: Machine, line: str, stdin: str) -> Result:
    return run_real(line, stdin)


def sim_as_root(machine: Machine, line: str, stdin: str) -> Result:
    return run_sim(machine, line, stdin)


def load(area: str) -> list[dict]:
    path = DATA / f"{area}.json"
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def _split(item: Item) -> tuple[str, str]:
    return (item, "") if isinstance(item, str) else item


def transcript_tests(
    area: str,
    lines: list[Item],
    tools: tuple[str, ...],
    real: RealRunner = real_in_workdir,
    sim: SimRunner = sim_as_root,
    available: Callable[[], bool] | None = None,
) -> tuple[Callable[..., None], Callable[..., None], Callable[[], None], Callable[..., None]]:
    """(matches recording, matches real tool, recording covers every line, record).

    Assign them to ``test_*`` names; they use the module's ``shared_machine`` fixture.
    """
    missing = tools_missing(*tools) or (available is not None and not available())

    @pytest.mark.parametrize("case", load(area), ids=lambda c: c["line"])
    def matches_recording(shared_machine: Machine, case: dict) -> None:
        got = sim(shared_machine, case["line"], case.get("stdin", ""))
        want = (_bytes(case["stdout"]), _bytes(case["stderr"]), case["status"])
        assert got == want, case["line"]

    @pytest.mark.skipif(missing, reason=f"{' '.join(tools)} not usable here")
    @pytest.mark.parametrize("item", lines, ids=str)
    def matches_real(shared_machine: Machine, item: Item) -> None:
        line, stdin = _split(item)
        want = real(shared_machine, line, stdin)
        assert sim(shared_machine, line, stdin) == want, line

    def covers_every_line() -> None:
        assert [c["line"] for c in load(area)] == [_split(i)[0] for i in lines]

    @pytest.mark.skipif(os.environ.get("MAILSIM_RECORD") != "1", reason="recording on demand")
    def record_area(shared_machine: Machine) -> None:
        cases = []
        for item in lines:
            line, stdin = _split(item)
            out, err, status = real(shared_machine, line, stdin)
            cases.append(
                {
                    "line": line,
                    "stdin": stdin,
                    "stdout": _text(out),
                    "stderr": _text(err),
                    "status": status,
                }
            )
        DATA.mkdir(parents=True, exist_ok=True)
        text = json.dumps(cases, indent=1, ensure_ascii=False) + "\n"
        (DATA / f"{area}.json").write_text(text, encoding="utf-8")

    return matches_recording, matches_real, covers_every_line, record_area


def test_recordings_hold_no_unlisted_area() -> None:
    """Every recording belongs to a transcript module (a renamed area leaves none behind)."""
    here = Path(__file__).parent
    for path in DATA.glob("*.json"):
        area = path.stem.split("_")[0]
        assert list(here.glob(f"test_shell_utils_{area}*.py")), path.name
