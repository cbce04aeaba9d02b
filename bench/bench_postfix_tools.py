"""In-process timings of the Postfix control and table tools on the default image.

Run: ``.venv/bin/python bench/bench_postfix_tools.py``. Prints the median time of
each command line (called directly, without the shell), in milliseconds.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import make_ctx  # noqa: E402

from mailsim.machine.clock import Clock  # noqa: E402
from mailsim.machine.image import init_machine  # noqa: E402
from mailsim.machine.machine import Machine  # noqa: E402
from mailsim.shell.registry import REGISTRY  # noqa: E402

LINES = [
    ["postfix", "status"],
    ["postfix", "check"],
    ["postmap", "-q", "postmaster", "/etc/aliases"],
    ["postalias", "-q", "postmaster", "/etc/aliases"],
    ["postmap", "-q", "192.0.2.7", "inline:{192.0.2.7=OK}"],
    ["newaliases"],
    ["mailq"],
]


def main(rounds: int = 200) -> None:
    root = Path(tempfile.mkdtemp()) / "m"
    machine = Machine(init_machine(root).root, Clock.from_env({"MAILSIM_NOW": "2026-11-25"}))
    REGISTRY.func("newaliases")(make_ctx(machine, ["newaliases"]))
    for argv in LINES:
        func = REGISTRY.func(argv[0])
        samples = []
        for _ in range(rounds):
            ctx = make_ctx(machine, argv)
            start = time.perf_counter()
            func(ctx)
            samples.append(time.perf_counter() - start)
        print(f"{' '.join(argv):50} {statistics.median(samples) * 1000:7.3f} ms")


if __name__ == "__main__":
    main()
