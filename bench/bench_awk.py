"""Time awk programs run in-process through ``Shell.run_line`` on a 1000-line mail log.

The goal for ``awk '{print $1}'`` over 1000 lines is well under 20 ms; the other
lines show what field splitting, regex patterns, arrays and printf cost.

    .venv/bin/python bench/bench_awk.py [--runs N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from mailsim.machine.image import init_machine
from mailsim.shell.session import Shell
from mailsim.shell.streams import InputStream, OutputStream

LOG = "/root/bench-mail.log"

LINES = [
    f"awk '{{print $1}}' {LOG}",
    f"awk '/status=sent/ {{n++}} END {{print n}}' {LOG}",
    f"awk '{{a[$5]++}} END {{for (k in a) print k, a[k]}}' {LOG}",
    f"awk -F': ' '{{print $NF}}' {LOG}",
    f"awk '{{printf \"%-20s %s\\n\", $5, $7}}' {LOG}",
    f"awk '{{gsub(/[0-9]/, \"#\"); print}}' {LOG}",
    "awk 'BEGIN {for (i = 0; i < 100000; i++) s += i; print s}'",
]


def make_log(lines: int = 1000) -> bytes:
    out = []
    for i in range(lines):
        pid = 900 + i % 50
        out.append(
            f"Nov 25 08:{i // 60 % 60:02d}:{i % 60:02d} mail postfix/smtpd[{pid}]: "
            f"{i:010X}: to=<user{i % 17}@example.org>, relay=local, status="
            f"{'sent' if i % 3 else 'bounced'} (delivered to mailbox)\n"
        )
    return "".join(out).encode()


def bench(line: str, runs: int) -> float:
    """Milliseconds per run of ``line`` (after one warm-up run)."""
    machine = init_machine(Path(tempfile.mkdtemp()) / "m")
    machine.write_bytes(LOG, make_log())
    shell = Shell(machine, interactive=False)

    def once() -> None:
        shell.run_line(line, InputStream(b""), OutputStream(), OutputStream())

    once()
    start = time.perf_counter()
    for _ in range(runs):
        once()
    return (time.perf_counter() - start) / runs * 1000


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    for line in LINES:
        print(f"{bench(line, args.runs):8.2f} ms  {line}")
