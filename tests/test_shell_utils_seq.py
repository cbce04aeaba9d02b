"""seq: transcripts against coreutils 9.1, and random ranges against it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import make_ctx
from hypothesis import given, settings
from hypothesis import strategies as st
from test_shell_text import shared_machine  # noqa: F401 - the fixture
from test_shell_utils_harness import transcript_tests

from mailsim.machine.machine import Machine
from mailsim.shell.commands.seq import seq

LINES: list[str | tuple[str, str]] = [
    "seq",
    "seq 1 2 3 4",
    "seq a",
    "seq 1 0 5",
    "seq 1 0.0 5",
    "seq -f %g -w 1 3",
    "seq -f %d 3",
    "seq -f abc 3",
    "seq -f %g%g 3",
    "seq -f % 3",
    "seq -f %%%g 3",
    "seq -f 'x%gx' 2",
    "seq -f %5.1f 3",
    "seq -f %e 1 3",
    "seq -f %.2f 1 0.25 2",
    "seq -f '%03g' 8 11",
    "seq -s, 5",
    "seq -s ' ' 3",
    "seq -s '' 3",
    "seq --separator=: 1 3",
    "seq -w 8 11",
    "seq -w -3 1",
    "seq -w 1 10 100",
    "seq -w .5 2",
    "seq -w 1e1 12",
    "seq -w 0.5 -0.5 -2",
    "seq 5",
    "seq 0",
    "seq 5 1",
    "seq 5 -1 1",
    "seq 10 -3 -5",
    "seq 1 0.5 3",
    "seq 0.1 0.1 0.5",
    "seq 0 0.1 1",
    "seq 1.5 3",
    "seq 1 1.0000000001 2",
    "seq 1e2 1e2",
    "seq -f %g 1e5 1e5 3e5",
    "seq 1e-2 0.5e-1 0.1",
    "seq -- -1 1",
    "seq -1 1",
    "seq -s , -1 1",
    "seq -.5 1",
    "seq nan",
    "seq inf 1",
    "seq 0x10 0x12",
    "seq ' 3'",
    "seq +3",
    "seq 99999999999999999998 100000000000000000001",
    "seq -x",
    "seq --help",
    "seq --version",
    "seq -w",
    "for i in $(seq 3); do echo user$i; done",
    "seq 3 | tail -n 1",
]

(
    test_seq_matches_recording,
    test_seq_matches_real_tool,
    test_seq_recording_covers_every_line,
    test_record_seq,
) = transcript_tests("seq", LINES, ("seq",))


def _sim(machine: Machine, args: list[str]) -> tuple[bytes, bytes, int]:
    ctx = make_ctx(machine, ["seq", *args], tty=False)
    status = seq(ctx)
    return ctx.stdout.getvalue(), ctx.stderr.getvalue(), status


def _real(args: list[str]) -> tuple[bytes, bytes, int]:
    done = subprocess.run(["seq", *args], capture_output=True, env={"LC_ALL": "C.UTF-8"})
    return done.stdout, done.stderr, done.returncode


_DECIMALS = st.sampled_from(["0", "1", "2", "0.5", "0.25", "1.5", "-1", "-0.5", "3", "10", "0.1"])


@pytest.mark.skipif(shutil.which("seq") is None, reason="GNU seq not installed")
@settings(max_examples=120, deadline=None)
@given(
    first=st.integers(-20, 20),
    step=st.integers(-7, 7).filter(bool),
    last=st.integers(-20, 20),
    width=st.booleans(),
)
def test_random_integer_ranges(
    shared_machine: Machine,  # noqa: F811
    first: int,
    step: int,
    last: int,
    width: bool,
) -> None:
    args = (["-w"] if width else []) + ["--", str(first), str(step), str(last)]
    assert _sim(shared_machine, args) == _real(args)


@pytest.mark.skipif(shutil.which("seq") is None, reason="GNU seq not installed")
@settings(max_examples=120, deadline=None)
@given(first=_DECIMALS, step=_DECIMALS.filter(lambda s: float(s) != 0), last=_DECIMALS)
def test_random_decimal_ranges(shared_machine: Machine, first: str, step: str, last: str) -> None:  # noqa: F811
    args = ["--", first, step, last]
    assert _sim(shared_machine, args) == _real(args)
    assert _sim(shared_machine, ["-w", *args]) == _real(["-w", *args])
