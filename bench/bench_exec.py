"""How fast a simulated command answers, in-process and as a whole `mailsim exec`.

Goals: dispatching one cheap command (`cat` of a small file) well under 1 ms
in-process; `mailsim exec` as a whole process under 150 ms.
Run: .venv/bin/python bench/bench_exec.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mailsim.machine.image import init_machine
from mailsim.machine.machine import Machine
from mailsim.shell.session import Shell
from mailsim.shell.streams import InputStream, OutputStream


def in_process(root: Path, line: str, rounds: int = 2000) -> float:
    shell = Shell(Machine(root), interactive=False)
    shell.run_line(line, InputStream(b""), OutputStream(), OutputStream())  # warm caches
    samples = []
    for _ in range(rounds):
        out, err = OutputStream(), OutputStream()
        start = time.perf_counter()
        shell.run_line(line, InputStream(b""), out, err)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def whole_process(root: Path, rounds: int = 20) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "mailsim",
                "exec",
                "--root",
                str(root),
                "--",
                "cat",
                "/etc/hostname",
            ],
            check=True,
            capture_output=True,
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = init_machine(Path(tmp) / "m").root
        for line in ("cat /etc/hostname", "echo hello", "true"):
            print(f"in-process  {line!r:24} median {in_process(root, line):.3f} ms")
        print(f"mailsim exec cat /etc/hostname   median {whole_process(root):.1f} ms")


if __name__ == "__main__":
    main()
