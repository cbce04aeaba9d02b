"""diff: transcripts against diffutils 3.8, and random line lists against its hunks.

GNU diff's choice of changed lines is not difflib's; ``diff_algo`` reimplements
GNU's, and random files (few distinct lines, so many equally short scripts
exist) check that both pick the same hunks: live against the real diff when it
is installed, and against a recorded corpus (tests/data/shell_utils/diff_random.json)
everywhere.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_shell_text import run_sim, shared_machine  # noqa: F401 - the fixture
from test_shell_utils_harness import DATA, transcript_tests

from mailsim.machine.machine import Machine
from mailsim.shell.commands.diff import Differ, Options, context_format, normal, unified

LINES: list[str | tuple[str, str]] = [
    "printf 'a\\nb\\nc\\n' > x; printf 'a\\nB\\nc\\nd' > y; diff x y",
    "printf 'a\\nb\\nc\\n' > x; printf 'a\\nB\\nc\\nd' > y; touch -d '2026-11-25 08:29:01' x y; diff -u x y",
    "printf 'a\\nb\\nc\\n' > x; printf 'a\\nB\\nc\\nd' > y; touch -d '2026-11-25 08:29:01' x y; diff -c x y",
    "diff -q a.txt n.txt",
    "diff nosuch a.txt",
    "diff a.txt",
    "diff",
    "diff -x",
    "diff a.txt a.txt",
    "diff -s a.txt a.txt",
    "diff a.txt n.txt",
    "diff -u --label old --label new a.txt n.txt",
    "diff -U1 --label A --label B n.txt a.txt",
    "diff -U0 --label A --label B n.txt a.txt",
    "diff -C1 --label A --label B n.txt a.txt",
    "diff -c --label A --label B main.cf passwd",
    "mkdir d1 d2 d1/sub d2/sub d1/only; printf 'a\\nb\\n' > d1/f; printf 'a\\nc\\n' > d2/f; echo x > d1/same; echo x > d2/same; echo q > d2/new; echo s > d1/sub/s; echo t > d2/sub/s; diff -r d1 d2",
    "mkdir d1 d2 d1/sub d2/sub d1/only; printf 'a\\nb\\n' > d1/f; printf 'a\\nc\\n' > d2/f; echo q > d2/new; diff d1 d2",
    "mkdir d1 d2; printf 'a\\nb\\n' > d1/f; printf 'a\\nc\\n' > d2/f; echo q > d2/new; touch -d '2026-11-25 08:29:01' d1/f d2/f d2/new; diff -ruN d1 d2",
    "mkdir d1 d2; printf 'a\\nb\\n' > d1/f; printf 'a\\nc\\n' > d2/f; diff -q d1 d2",
    "mkdir d1; printf 'x\\n' > d1/a.txt; diff a.txt d1",
    "mkdir d1; diff a.txt d1",
    "mkdir d1 d2; echo x > d1/f; mkdir d2/f; diff d1 d2",
    "printf '\\0bin' > b1; printf '\\0bim' > b2; diff b1 b2",
    "printf 'a\\n\\nb\\n' > p; printf 'a\\nb\\n\\n' > q; diff -B p q",
    "printf 'a\\n\\nb\\n' > p; printf 'a\\nb\\n\\n' > q; diff p q",
    "printf 'Hello World\\n' > p; printf 'hello world\\n' > q; diff -i p q",
    "printf 'a  b\\n' > p; printf 'a b \\n' > q; diff -b p q",
    "printf 'a  b\\n' > p; printf 'ab\\n' > q; diff -w p q",
    "printf 'a  b\\n' > p; printf 'ab\\n' > q; diff -b p q",
    "diff --brief a.txt a.txt",
    "diff -U x a.txt n.txt",
    "printf 'x\\n' | diff - a.txt",
    "diff -u main.cf main.cf",
    "sed 's/^myhostname = .*/myhostname = mx.example.org/' main.cf > m2; diff main.cf m2",
    "sed 's/^myhostname = .*/myhostname = mx.example.org/' main.cf > m2; diff -u --label a --label b main.cf m2",
    "sed '/^mynetworks/a relay_domains = example.net' main.cf > m2; diff main.cf m2",
    "sed '/^smtpd_tls/d' main.cf > m2; diff -c --label a --label b main.cf m2",
    "sed '/^#/d;/^$/d' main.cf > m2; diff main.cf m2",
    "sort main.cf > m2; diff main.cf m2",
    "sort main.cf > m2; diff -u --label a --label b main.cf m2",
    "diff noeol.txt a.txt",
    "diff -u --label a --label b noeol.txt empty.txt",
    "diff empty.txt a.txt",
    "touch -d '2026-01-02 03:04:05' a.txt n.txt; diff -u a.txt n.txt | head -n 3",
    "touch -d '2026-01-02 03:04:05' a.txt; diff -uN a.txt nosuch | head -n 2",
    "diff -N a.txt nosuch",
    "diff -r a.txt d",
    "diff --normal -U 2 --label a --label b a.txt n.txt",
    "diff -C x a.txt n.txt",
    "diff a.txt n.txt main.cf",
    "cp main.cf m2; printf 'virtual_alias_maps = hash:/etc/postfix/virtual\\n' >> m2; diff main.cf m2; echo status=$?",
    "grep -v '^#' main.cf > m2; diff -q main.cf m2 && echo same || echo differ",
    "sort passwd > p2; diff p2 passwd",
    "mkdir -p d1/only/deep d2; echo z > d1/only/deep/f; echo y > d1/only/g; diff -rN d1 d2",
    "mkdir -p d1/only/deep d2; echo z > d1/only/deep/f; diff -rN d2 d1",
    "mkdir -p d1/only d2; echo z > d1/only/f; diff -N d2 d1",
    "mkdir -p d1 d2; echo y > d1/g; echo y > d2/g; diff -rs d1/ d2/",
    "mkdir -p d1 d2; echo y > d1/g; echo z > d2/g; diff -r -x g d1 d2; echo $?",
    "printf 'a\\n\\n\\nb\\nc\\n' > p; printf 'a\\nb\\n\\nX\\nc\\n' > q; diff -B p q",
    "printf 'a\\n \\nb\\n' > p; printf 'a\\nb\\n' > q; diff -B p q; echo $?",
    "printf 'a\\n \\nb\\n' > p; printf 'a\\nb\\n' > q; diff -Bb p q; echo $?",
    "printf 'A b\\n' > p; printf 'a  B\\n' > q; diff -ib p q; echo $?",
    "printf 'a\\tb \\n' > p; printf 'a b\\n' > q; diff -b p q; echo $?",
    "diff -u -c a.txt n.txt",
    "diff -u -u --label a --label b a.txt n.txt",
]

(
    test_diff_matches_recording,
    test_diff_matches_real_tool,
    test_diff_recording_covers_every_line,
    test_record_diff,
) = transcript_tests("diff", LINES, ("diff",))

STYLES = {"normal": [], "unified": ["-u"], "context": ["-c"]}
RANDOM = DATA / "diff_random.json"


FLAGS = {
    "-i": "ignore_case",
    "-b": "ignore_space_change",
    "-w": "ignore_all_space",
    "-B": "ignore_blank_lines",
}


def sim_body(a: list[str], b: list[str], style: str, flags: tuple[str, ...] = ()) -> str:
    """What diff prints for two line lists, without the -u/-c header lines."""
    differ = Differ.__new__(Differ)
    differ.o = Options(style=style, **{FLAGS[f]: True for f in flags})
    hunks = differ.changes(a, b)
    if not hunks:
        return ""
    if style == "normal":
        return normal(a, b, hunks)
    show = unified if style == "unified" else context_format
    return show(a, b, hunks, 3)


def real_body(a: list[str], b: list[str], style: str, flags: tuple[str, ...] = ()) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "a").write_text("".join(a))
        Path(tmp, "b").write_text("".join(b))
        done = subprocess.run(
            ["diff", *flags, *STYLES[style], f"{tmp}/a", f"{tmp}/b"], capture_output=True, text=True
        )
    out = done.stdout
    return out.split("\n", 2)[2] if style != "normal" and out else out


def random_pair(rng: random.Random) -> tuple[list[str], list[str]]:
    """Two files of a few distinct lines: the second an edit of the first, or unrelated."""
    alphabet = rng.choice(["ab", "a B", "abc", "abcdef", "abcdefghijklmnop"])
    a = [rng.choice(alphabet) + "\n" for _ in range(rng.randint(0, rng.choice([8, 30, 90])))]
    b = list(a)
    for _ in range(rng.randint(0, 10)):
        op = rng.random()
        if op < 0.33 and b:
            del b[rng.randrange(len(b))]
        elif op < 0.66:
            b.insert(rng.randint(0, len(b)), rng.choice(alphabet) + "\n")
        elif b:
            b[rng.randrange(len(b))] = rng.choice(alphabet) + "\n"
    if rng.random() < 0.3:
        b = [rng.choice(alphabet) + "\n" for _ in range(rng.randint(0, 40))]
    return a, b


_LINE = st.sampled_from(["a\n", "b\n", "c\n", "\n", "mydestination = $myhostname\n"])


@pytest.mark.skipif(shutil.which("diff") is None, reason="GNU diff not installed")
@settings(max_examples=200, deadline=None)
@given(
    a=st.lists(_LINE, max_size=25),
    b=st.lists(_LINE, max_size=25),
    style=st.sampled_from(sorted(STYLES)),
)
def test_random_line_lists_match_real_diff(a: list[str], b: list[str], style: str) -> None:
    assert sim_body(a, b, style) == real_body(a, b, style)


_SPACEY = st.sampled_from(["a\n", "A\n", "a \n", " a\n", "a  b\n", "a b\n", "\n", " \n", "b\n"])


@pytest.mark.skipif(shutil.which("diff") is None, reason="GNU diff not installed")
@settings(max_examples=200, deadline=None)
@given(
    a=st.lists(_SPACEY, max_size=25),
    b=st.lists(_SPACEY, max_size=25),
    style=st.sampled_from(sorted(STYLES)),
    flags=st.sets(st.sampled_from(sorted(FLAGS))),
)
def test_random_lists_with_ignore_options_match_real_diff(
    a: list[str], b: list[str], style: str, flags: set[str]
) -> None:
    """-i, -b, -w and -B, including -B's hunks that overlap when a blank change ends one."""
    options = tuple(sorted(flags))
    assert sim_body(a, b, style, options) == real_body(a, b, style, options)


@pytest.mark.parametrize("case", json.loads(RANDOM.read_text()) if RANDOM.exists() else [])
def test_recorded_random_pairs(case: dict) -> None:
    """Seeded random pairs with the hunks diffutils 3.8 printed for them."""
    flags = tuple(case.get("flags", ()))
    assert sim_body(case["a"], case["b"], case["style"], flags) == case["output"]


@pytest.mark.skipif(os.environ.get("MAILSIM_RECORD") != "1", reason="recording on demand")
def test_record_random_pairs() -> None:
    rng = random.Random(2026)
    cases = []
    for index in range(150):
        a, b = random_pair(rng)
        style = sorted(STYLES)[index % 3]
        flags = tuple(f for f in sorted(FLAGS) if index % 5 == 0 and rng.random() < 0.5)
        output = real_body(a, b, style, flags)
        cases.append({"a": a, "b": b, "style": style, "flags": flags, "output": output})
    RANDOM.write_text(json.dumps(cases, indent=0) + "\n")


def test_header_times_agree_with_stat(shared_machine: Machine) -> None:  # noqa: F811
    """diff -u shows the nanoseconds stat shows, and the time touch gave."""
    line = (
        "diff -u /etc/hostname /etc/mailname | head -n 2 | cut -f2; "
        "stat -c %y /etc/hostname /etc/mailname; "
        "touch -d '2026-03-04 05:06:07' /etc/hostname; diff -u /etc/hostname /etc/mailname | head -n 1"
    )
    out, err, status = run_sim(shared_machine, line)
    lines = out.decode().splitlines()
    assert (err, status) == (b"", 0)
    assert lines[:2] == lines[2:4]
    assert lines[4] == "--- /etc/hostname\t2026-03-04 05:06:07.000000000 +0000"


def test_unreadable_file_is_trouble(shared_machine: Machine) -> None:  # noqa: F811
    out, err, status = run_sim(shared_machine, "diff /etc/shadow /etc/passwd", user="alice")
    assert (out, err, status) == (b"", b"diff: /etc/shadow: Permission denied\n", 2)
