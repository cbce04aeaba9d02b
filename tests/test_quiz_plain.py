"""``mailsim quiz --plain`` driven through stdin as a subprocess, then the report.

The transcripts are recorded under tests/data/quiz/; regenerate one by deleting it
(the test writes it and fails, asking for a review of the new file).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DATA = ROOT / "tests" / "data" / "quiz"
BANK = "tests/data/quiz/bank"
NOW = "2026-11-25T08:29:01"
MAIN = "import sys; from mailsim.cli import main; sys.exit(main(sys.argv[1:]))"


def mailsim(
    args: list[str], data_dir: Path, stdin: str = "", now: str = NOW
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(
        MAILSIM_DATA_DIR=str(data_dir), MAILSIM_NOW=now, LANG="C.UTF-8", PYTHONPATH=str(ROOT)
    )
    return subprocess.run(
        [sys.executable, "-c", MAIN, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def expect(name: str, actual: str) -> None:
    path = DATA / name
    if not path.exists():
        path.write_text(actual, encoding="utf-8")
        pytest.fail(f"recorded {path.name}: review it and run again")
    assert actual == path.read_text(encoding="utf-8")


PRACTICE = [
    "quiz",
    "--plain",
    "--pack",
    BANK,
    "--mode",
    "practice",
    "--objective",
    "211.1",
    "--count",
    "5",
    "--seed",
    "1",
]
# Wrong (-f is extra), right order, not a choice number, a wrong choice, smtps ≡ submissions,
# extra spaces in a right command.
ANSWERS = "postconf -fn\n1 3 2\n7\n2\nsmtps\npostqueue   -p\n"


def test_practice_answers_five_questions_and_the_report_shows_them(tmp_path: Path) -> None:
    run = mailsim(PRACTICE, tmp_path, ANSWERS)
    assert run.returncode == 0, run.stderr
    expect("plain-practice.out", run.stdout)
    assert run.stderr == (
        "Not an answer to this question: give numbers from 1 to 4. Try again (or '?' for help).\n"
    )
    # A new process (a restart) reads them back from the database.
    report = mailsim(["progress", "report", "--csv"], tmp_path)
    assert report.returncode == 0, report.stderr
    expect("plain-practice.csv", report.stdout)
    assert report.stdout.count(",quiz,") == 5


def test_end_of_input_ends_the_quiz_and_keeps_what_was_answered(tmp_path: Path) -> None:
    run = mailsim(PRACTICE, tmp_path, "postconf -n\n")
    assert run.returncode == 0
    assert "Score: 1 of 5 (20%)" in run.stdout
    report = mailsim(["progress", "report", "--csv"], tmp_path)
    assert report.stdout.splitlines()[1:] == [
        ",quiz,2026-11-25T08:29:01Z,bank,postconf-nondefault,211.1,right,1,1,0.0,practice,,,"
    ]


def test_mock_exam_in_plain_mode_shows_the_estimate_and_the_review(tmp_path: Path) -> None:
    # Flag, answer; map, a wrong order; skip (asked again at the end); case-insensitive
    # parameter; right; right; wrong; right; then the skipped one.
    answers = ":f\npostconf -n\n:m\n1 2 3\n:s\nMYHOSTNAME\n1\nfileinto\n1\n3\npostqueue -p\n"
    run = mailsim(
        ["quiz", "--plain", "--pack", BANK, "--mode", "exam", "--seed", "3"], tmp_path, answers
    )
    assert run.returncode == 0, run.stderr
    expect("plain-exam.out", run.stdout)
    assert "This is an estimate, not an LPI result." in run.stdout
    assert "Score: 6 of 8 (75%)" in run.stdout and "Estimate: pass" in run.stdout
    report = mailsim(["progress", "report", "--csv"], tmp_path).stdout.splitlines()
    assert len(report) == 1 + 8 + 1  # header, the eight answers, the attempt
    assert report[-1] == ",exam,2026-11-25T08:29:01Z,,211,,finished,6,8,0.0,exam,,,590"


def test_japanese_plain_quiz(tmp_path: Path) -> None:
    run = mailsim(
        ["--lang", "ja", *PRACTICE[:-4], "--count", "2", "--seed", "1"],
        tmp_path,
        "postconf -n\n1 3 2\n",
    )
    assert run.returncode == 0, run.stderr
    expect("plain-practice-ja.out", run.stdout)


def test_mailsim_errors_exit_125_with_one_line(tmp_path: Path) -> None:
    run = mailsim(["quiz", "--plain", "--pack", "no/such/bank"], tmp_path)
    assert (run.returncode, run.stdout) == (125, "")
    assert run.stderr == "mailsim: quiz: --pack no/such/bank: no such bank, folder or pack\n"
    run = mailsim(["quiz", "--plain", "--pack", BANK, "--objective", "999.9"], tmp_path)
    assert run.returncode == 125
    assert (
        run.stderr == "mailsim: no questions match (bank: tests/data/quiz/bank, objective: 999.9)\n"
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("questions:\n  - {id: q1, type: single}\n")
    run = mailsim(["quiz", "--plain", "--pack", str(broken)], tmp_path)
    assert run.returncode == 125 and "Traceback" not in run.stderr
    assert run.stderr.splitlines()[0] == f"mailsim: the question bank {broken} has errors:"


def test_damaged_progress_database_is_reported_and_the_quiz_goes_on(tmp_path: Path) -> None:
    (tmp_path / "progress.sqlite3").write_bytes(b"garbage" * 200)
    run = mailsim(PRACTICE, tmp_path, ANSWERS)
    assert run.returncode == 0
    assert run.stderr.startswith(
        f"mailsim: the progress database {tmp_path}/progress.sqlite3 was damaged; it was moved to "
    )
    assert "Traceback" not in run.stderr
