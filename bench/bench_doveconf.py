"""Time ``doveconf -n`` on the default image in-process (goal: well under 1-2 ms)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import make_ctx  # noqa: E402

from mailsim.dovecot.doveconf import main  # noqa: E402
from mailsim.machine.image import init_machine  # noqa: E402


def bench(runs: int = 500) -> float:
    machine = init_machine(Path(tempfile.mkdtemp()) / "m")
    main(make_ctx(machine, ["doveconf", "-n"]))  # parse once, as a session would
    start = time.perf_counter()
    for _ in range(runs):
        main(make_ctx(machine, ["doveconf", "-n"]))
    return (time.perf_counter() - start) / runs * 1000


if __name__ == "__main__":
    print(f"doveconf -n: {bench():.3f} ms per run")
