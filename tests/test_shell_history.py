"""A command typed over several lines is one history entry, joined as bash joins it."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from mailsim.shell.history import history_line

# (lines as typed, the entry bash 5.2 keeps): recorded with `bash --norc -i` and `history`.
CASES = [
    ("if true\nthen echo y\nfi", "if true; then echo y; fi"),
    ("for i in 1 2\ndo\n echo $i\ndone", "for i in 1 2; do  echo $i; done"),
    ("f() {\necho a\n}", "f() { echo a; }"),
    ("echo a |\ncat", "echo a | cat"),
    ("while false; do\n:\ndone", "while false; do :; done"),
    ("case x in\nx) echo x;;\nesac", "case x in x) echo x;; esac"),
    ("echo a &&\necho b", "echo a && echo b"),
    ("echo a ||\necho b", "echo a || echo b"),
    ("if true; then\necho a\nelse\necho b\nfi", "if true; then echo a; else echo b; fi"),
    ("echo a \\\nb", "echo a b"),
    ("{\necho a\n}", "{ echo a; }"),
    ("(\necho sub\n)", "( echo sub; )"),
    ("for x in a b; do echo $x\ndone", "for x in a b; do echo $x; done"),
    (
        "if false; then :; elif true\nthen echo e; fi",
        "if false; then :; elif true; then echo e; fi",
    ),
    ('echo "a\nb"', 'echo "a\nb"'),
    ("echo 'x\ny' in", "echo 'x\ny' in"),
    ("echo then in &&\necho z", "echo then in && echo z"),
    ("cat <<EOF\nbody\nEOF", "cat <<EOF\nbody\nEOF"),
]


@pytest.mark.parametrize(("typed", "entry"), CASES)
def test_history_entry_as_recorded(typed: str, entry: str) -> None:
    assert history_line(typed) == entry


def _bash_entry(typed: str) -> str:
    out = subprocess.run(
        ["bash", "--norc", "-i"],
        input=typed + "\nhistory\n",
        capture_output=True,
        text=True,
        env={"HISTFILE": "/dev/null", "PATH": os.defpath, "TERM": "dumb"},
        timeout=10,
    ).stdout
    listing = out[out.rindex("    1  ") + 7 :]
    return listing[: listing.rindex("\n    2  ")]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize(("typed", "entry"), CASES)
def test_history_entry_as_bash_keeps_it(typed: str, entry: str) -> None:
    if "<<" in typed:
        pytest.skip("bash lists a here-document's entry with its lines; compared as recorded")
    assert _bash_entry(typed) == entry
