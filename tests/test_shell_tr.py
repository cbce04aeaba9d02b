"""tr: transcripts compared with GNU coreutils 9.1's tr, live when installed and recorded.

Regenerate the recording with ``python tests/test_shell_tr.py`` on a host with the real tr.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_ctx

from mailsim.machine.machine import Machine

RECORDED = Path(__file__).parent / "data" / "shell_tr" / "cases.json"
TEXT = b"Hello World 12\nmail  server\tfoo\\bar\n\x01\xe2\x80\x99zz\n"

CASES: list[list[str]] = [
    [],
    ["a"],
    ["-d"],
    ["-d", "a", "b"],
    ["-d", "a", "b", "c"],
    ["-s"],
    ["a", "b", "c"],
    ["-ds", "a"],
    ["-c", "a"],
    ["-x", "a"],
    ["--bogus", "a"],
    ["--help"],
    ["--version"],
    ["a-z", "A-Z"],
    ["[:lower:]", "[:upper:]"],
    ["[:upper:]", "[:lower:]"],
    ["[:upper:][:lower:]", "[:lower:][:upper:]"],
    ["x[:lower:]", "y[:upper:]"],
    ["[:lower:]x", "[:upper:]y"],
    ["abc", "x[:upper:]"],
    ["a", "[:upper:]"],
    ["[:digit:]", "[:upper:]"],
    ["a", "[:digit:]"],
    ["[:lower:]", "x[=a=]"],
    ["-d", "[:foo:]"],
    ["-d", "[::]"],
    ["-d", "[==]"],
    ["[=ab=]", "x"],
    ["-d", "[=e=]"],
    ["z-a", "x"],
    ["\\177-\\001", "x"],
    ["a[x*]", "b"],
    ["a[x*3]", "b"],
    ["a[x*9z]", "b"],
    ["abc", "[x*08]"],
    ["abc", "[x*010]"],
    ["a", "[x*]y[z*]"],
    ["-ds", "a", "[x*]"],
    ["abc", ""],
    ["-t", "abcdef", "xy"],
    ["abcdef", "xy"],
    ["-c", "[:digit:]", "ab"],
    ["-c", "[:digit:]", "a"],
    ["-c", "lo", "[x*]"],
    ["-C", "a-z\\n", "*"],
    ["-cd", "[:alpha:]\\n"],
    ["-c", "-d", "[:alnum:]"],
    ["-s", " "],
    ["-s", "[:lower:]"],
    ["-s", "[:space:]", "\\n"],
    ["-sc", "[:alnum:]", "\\n"],
    ["-ds", "[:digit:]", "[:lower:]"],
    ["[:lower:]", "[A*]"],
    ["[:upper:]", "x"],
    ["[:alnum:]", "[x*]"],
    ["[:punct:]", "_"],
    ["[:xdigit:]", "X"],
    ["[:cntrl:]", "?"],
    ["-d", "[:graph:]"],
    ["-d", "[:print:]"],
    ["-d", "[:blank:]"],
    ["\\", "x"],
    ["\\400", "x"],
    ["\\777", "x"],
    ["\\t\\n", "_="],
    ["a\\q", "xy"],
    ["\\-a", "x"],
    ["a-", "xy"],
    ["a-c-e", "xyz"],
    ["[:", "x"],
    ["[:abc", "x"],
    ["[a*", "x"],
    ["--", "-a", "x"],
    ["\\[a]", "xyz"],
    ["[\\a*3]", "x"],
    ["\\342\\200\\231", "'''"],
    ["'", '"'],
    ["-d", "[:*][:digit:]["],
    ["[:*:]", "x"],
    ["[=*=]", "x"],
    ["-t", "b[:lower:][:digit:]", "=[:lower:]"],
    ["ab", "xy[:upper:]"],
    ["", "\\0x[:upper:]"],
    ["[:=\\\\[:alpha:]", "x"],
    ["-d", "[:\\001:]"],
    ["[:lower:]", "[:lower:]"],
    ["-c", "[:lower:]", "[:upper:]"],
]


def _real(args: list[str]) -> dict[str, object]:
    proc = subprocess.run(
        ["tr", *args], input=TEXT, capture_output=True, env={**os.environ, "LC_ALL": "C.UTF-8"}
    )
    return {
        "args": args,
        "stdout": proc.stdout.decode("latin-1"),
        "stderr": proc.stderr.decode(),
        "status": proc.returncode,
    }


def _simulated(machine: Machine, args: list[str]) -> dict[str, object]:
    from mailsim.shell.commands.tr import tr

    ctx = make_ctx(machine, ["tr", *args], stdin=TEXT)
    status = tr(ctx)
    return {
        "args": args,
        "stdout": ctx.stdout.getvalue().decode("latin-1"),
        "stderr": ctx.stderr.getvalue().decode(),
        "status": status,
    }


def _recorded() -> list[dict[str, object]]:
    return json.loads(RECORDED.read_text(encoding="utf-8"))


def test_recording_covers_every_case() -> None:
    assert [case["args"] for case in _recorded()] == CASES


@pytest.mark.parametrize("expected", _recorded(), ids=lambda c: " ".join(c["args"]) or "none")
def test_tr_matches_recorded(machine: Machine, expected: dict[str, object]) -> None:
    assert _simulated(machine, expected["args"]) == expected  # type: ignore[arg-type]


@pytest.mark.skipif(shutil.which("tr") is None, reason="no real tr to compare with")
@pytest.mark.parametrize("args", CASES, ids=lambda a: " ".join(a) or "none")
def test_tr_matches_real(machine: Machine, args: list[str]) -> None:
    real = _real(args)
    if "9.1" not in _real(["--version"])["stdout"]:  # type: ignore[operator]
        pytest.skip("a tr other than coreutils 9.1")
    assert _simulated(machine, args) == real


def test_tr_in_a_pipeline(machine: Machine) -> None:
    from helpers import run

    line = "echo 'Mail Server' | tr '[:upper:]' '[:lower:]' | tr -s ' ' '\\n'"
    assert run(machine, line) == ("mail\nserver\n", "", 0)


if __name__ == "__main__":
    RECORDED.write_text(json.dumps([_real(a) for a in CASES], indent=1) + "\n", encoding="utf-8")
    sys.exit(0)
