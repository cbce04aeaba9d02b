"""Time the shell language: loops, tests and arithmetic dispatched in-process.

A simple command's dispatch (``bench_shell.py``) must stay well under 1 ms; these
lines show what a loop costs per pass.

    .venv/bin/python bench/bench_shell_lang.py
"""

from __future__ import annotations

from bench_shell import bench

LINES = [
    "true",
    "echo $((1+2*3))",
    "[ -f /etc/postfix/main.cf ]",
    "[[ $HOME == /r* ]]",
    "i=0; while [ $i -lt 100 ]; do i=$((i+1)); done",
    "for f in /etc/postfix/*.cf; do case $f in *main*) : ;; esac; done",
]

if __name__ == "__main__":
    for line in LINES:
        print(f"{bench(line, runs=50):8.3f} ms  {line}")
