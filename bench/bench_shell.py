"""Time command lines dispatched in-process through ``Shell.run_line``.

The goal for ``cat /etc/hostname`` (parse, expand, look up, run, record the
event) is well under 1 ms; the other lines show what the text tools cost on the
default image's configuration files.

    .venv/bin/python bench/bench_shell.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from mailsim.machine.image import init_machine
from mailsim.shell.session import Shell
from mailsim.shell.streams import InputStream, OutputStream

LINES = [
    "cat /etc/hostname",
    "grep -v '^#' /etc/postfix/main.cf",
    "grep -E '^(myhostname|mydestination) *=' /etc/postfix/main.cf",
    "sed -n 's/^myhostname *= *//p' /etc/postfix/main.cf",
    "sort /etc/passwd | cut -d: -f1 | head -n 3",
    "wc -l /etc/postfix/master.cf",
]


def bench(line: str, runs: int = 300) -> float:
    """Milliseconds per run of ``line`` on a fresh default machine (after one warm-up)."""
    machine = init_machine(Path(tempfile.mkdtemp()) / "m")
    shell = Shell(machine, interactive=False)

    def once() -> None:
        shell.run_line(line, InputStream(b""), OutputStream(), OutputStream())

    once()  # first use imports the command's module, as the first run in a session does
    start = time.perf_counter()
    for _ in range(runs):
        once()
    return (time.perf_counter() - start) / runs * 1000


if __name__ == "__main__":
    for line in LINES:
        print(f"{bench(line):7.3f} ms  {line}")
