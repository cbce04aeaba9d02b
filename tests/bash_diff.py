"""Differential runs of one line through mailsim's shell and the real `bash -c`.

Runtime errors of `bash -c` carry a ``line N:`` prefix that a terminal session
(mailsim's wording) does not print; it is removed before comparing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import run

from mailsim.machine.machine import Machine
from mailsim.shell.session import Shell

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def real_bash(line: str, cwd: Path, stdin: str = "") -> tuple[str, str, int]:
    env = {"HOME": "/root", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "USER": "root"}
    env["LANG"] = "C.UTF-8"
    proc = subprocess.run(
        ["bash", "-c", line],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=10,
    )
    return proc.stdout, proc.stderr, proc.returncode


def assert_same_as_bash(machine: Machine, tmp_path: Path, line: str, stdin: str = "") -> None:
    """``line`` prints and returns what `bash -c` does; ``/tmp/`` maps to ``tmp_path``."""
    scratch = tmp_path / "bash"
    scratch.mkdir(exist_ok=True)
    out, err, status = real_bash(line.replace("/tmp/", f"{scratch}/"), scratch, stdin)
    out = out.replace(f"{scratch}/", "/tmp/")
    err = re.sub(r"^bash: line \d+: ", "bash: ", err.replace(f"{scratch}/", "/tmp/"), flags=re.M)
    shell = Shell(machine, interactive=False)
    assert run(machine, line, stdin=stdin.encode(), shell=shell) == (out, err, status)


def transcript_lines(name: str) -> list[str]:
    """The non-empty lines of a transcript file beside the tests (one command line each)."""
    text = Path(__file__).with_name(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line]
