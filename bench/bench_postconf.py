"""Time ``postconf -n`` on the default image in-process (goal: under 1 ms median).

Prints the simulated median next to the real ``postconf -n`` process time on
the same machine when Postfix is installed (the real one runs on a copy of the
image's /etc/postfix).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import make_ctx  # noqa: E402

from mailsim.machine.image import init_machine  # noqa: E402
from mailsim.postfix.postconf import main  # noqa: E402


def bench(runs: int = 500) -> float:
    """Median milliseconds of one simulated ``postconf -n``."""
    machine = init_machine(Path(tempfile.mkdtemp()) / "m")
    main(make_ctx(machine, ["postconf", "-n"]))  # first run loads the table and parses
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        main(make_ctx(machine, ["postconf", "-n"]))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench_real(runs: int = 50) -> float | None:
    """Median milliseconds of the real ``postconf -n`` process on the image's files."""
    if shutil.which("postconf") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        image = Path(__file__).resolve().parent.parent / "sandbox" / "root" / "etc" / "postfix"
        for name in ("main.cf", "master.cf"):
            shutil.copy(image / name, Path(tmp) / name)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(["postconf", "-c", tmp, "-n"], capture_output=True, check=False)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


if __name__ == "__main__":
    print(f"simulated postconf -n: {bench():.3f} ms median")
    real = bench_real()
    if real is not None:
        print(f"real postconf -n process: {real:.3f} ms median")
