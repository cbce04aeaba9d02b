"""Grade the 20-task test lab in-process (goal: under 5 ms median, issue #7).

Two states are timed: the start state (most tasks failing, so every reason is
built) and the solved state (every check passes), each after one warm-up
grading, as the TUI grades after every command.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "tests" / "data" / "packs" / "bench"


def median_ms(session: object, runs: int) -> float:
    session.grade()  # type: ignore[attr-defined]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.grade()  # type: ignore[attr-defined]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench(runs: int = 200) -> dict[str, float]:
    from mailsim.packs.model import Pack
    from mailsim.packs.session import LabSession

    pack = Pack.from_directory(PACK)
    lab = pack.labs["twenty"]
    with tempfile.TemporaryDirectory() as tmp:
        session = LabSession.start(pack, lab, Path(tmp) / "m", seed=1)
        result = {"start state": median_ms(session, runs)}
        session.solve()
        result["solved"] = median_ms(session, runs)
    return result


if __name__ == "__main__":
    results = bench()
    for name, ms in results.items():
        print(f"grade 20 tasks, {name}: {ms:.3f} ms median")
    sys.exit(0 if max(results.values()) < 5 else 1)
