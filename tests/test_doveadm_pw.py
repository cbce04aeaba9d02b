"""doveadm pw, the global options and usage lists, compared with Dovecot 2.3.19's doveadm.

Every case in tests/data/doveadm/pw_cases.json was recorded from the real tool
(tests/data/doveadm/record.py); the same argv and stdin are replayed through
mailsim and, where the real doveadm is installed, through it again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import make_ctx

from mailsim.dovecot.doveadm import main
from mailsim.machine.machine import Machine
from mailsim.shell.streams import InputStream
from mailsim.shell.terminal import PlainTerminal

DATA = Path(__file__).parent / "data" / "doveadm"
CASES = json.loads((DATA / "pw_cases.json").read_text())
REAL = shutil.which("doveadm")
HOST_DOVECOT_RUNNING = Path("/run/dovecot/master.pid").exists()


def doveadm(machine: Machine, argv: list[str], stdin: str = "") -> tuple[str, str, int]:
    ctx = make_ctx(machine, ["doveadm", *argv], stdin.encode(), tty=False)
    status = main(ctx)
    return ctx.stdout.getvalue().decode(), ctx.stderr.getvalue().decode(), status


def _id(case: dict) -> str:
    return " ".join(case["argv"]) + (f" <<{case['stdin']!r}" if case["stdin"] else "")


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_recorded(machine: Machine, case: dict) -> None:
    out, err, status = doveadm(machine, case["argv"], case["stdin"])
    assert (out, err, status) == (case["stdout"], case["stderr"], case["status"])


@pytest.mark.skipif(REAL is None, reason="the real doveadm is not installed")
@pytest.mark.skipif(HOST_DOVECOT_RUNNING, reason="the host's Dovecot is running")
@pytest.mark.parametrize("case", CASES[:40], ids=[_id(c) for c in CASES[:40]])
def test_live(machine: Machine, case: dict) -> None:
    real = subprocess.run(
        ["doveadm", *case["argv"]],
        input=case["stdin"].encode(),
        capture_output=True,
        timeout=60,
        env={**os.environ, "LANG": "C.UTF-8"},
    )
    out, err, status = doveadm(machine, case["argv"], case["stdin"])
    assert (out, err, status) == (real.stdout.decode(), real.stderr.decode(), real.returncode)


def test_default_scheme_is_bcrypt_2y_cost_5(machine: Machine) -> None:
    out, err, status = doveadm(machine, ["pw", "-p", "secret"])
    assert status == 0 and err == ""
    assert out.startswith("{CRYPT}$2y$05$") and len(out.strip()) == len("{CRYPT}") + 60


@pytest.mark.parametrize(
    ("argv", "prefix"),
    [
        (["-s", "SHA512-CRYPT"], "{SHA512-CRYPT}$6$"),
        (["-s", "SHA512-CRYPT", "-r", "10"], "{SHA512-CRYPT}$6$rounds=1000$"),
        (["-s", "SHA256-CRYPT", "-r", "5000"], "{SHA256-CRYPT}$5$"),
        (["-s", "SHA256-CRYPT", "-r", "7000"], "{SHA256-CRYPT}$5$rounds=7000$"),
        (["-s", "SHA256-CRYPT", "-r", "abc"], "{SHA256-CRYPT}$5$"),
        (["-s", "BLF-CRYPT", "-r", "3"], "{BLF-CRYPT}$2y$04$"),
        (["-s", "BLF-CRYPT", "-r", "6"], "{BLF-CRYPT}$2y$06$"),
        (["-s", "MD5-CRYPT"], "{MD5-CRYPT}$1$"),
        (["-s", "MD5"], "{MD5}$1$"),
        (["-s", "PBKDF2"], "{PBKDF2}$1$"),
        (["-s", "PBKDF2", "-r", "1000"], "{PBKDF2}$1$"),
        (["-s", "SCRAM-SHA-1", "-r", "100"], "{SCRAM-SHA-1}4096,"),
        (["-s", "SCRAM-SHA-256"], "{SCRAM-SHA-256}4096,"),
        (["-s", "OTP"], "{OTP}sha1 1024 "),
        (["-s", "ARGON2I"], "{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$"),
        (["-s", "ARGON2I", "-r", "3"], "{ARGON2I}$argon2i$v=19$m=32768,t=3,p=1$"),
        (["-s", "ARGON2ID"], "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$"),
        (["-s", "ARGON2ID", "-r", "1"], "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$"),
    ],
)
def test_salted_formats(machine: Machine, argv: list[str], prefix: str) -> None:
    """The salted schemes' formats and the rounds rules (clamping, defaults, ignored -r)."""
    out, err, status = doveadm(machine, ["pw", "-p", "x", *argv])
    assert (err, status) == ("", 0)
    assert out.startswith(prefix), out
    if "PBKDF2" in prefix:
        rounds = argv[argv.index("-r") + 1] if "-r" in argv else "5000"
        salt, count, key = out.strip().split("$")[2:]
        assert (len(salt), count, len(key)) == (16, rounds, 40)


def test_verify_flag_checks_the_new_hash(machine: Machine) -> None:
    out, err, status = doveadm(machine, ["pw", "-s", "SSHA512", "-p", "x", "-V"])
    assert (err, status) == ("", 0)
    assert out.startswith("{SSHA512}") and out.endswith(" (verified)\n")


class ScriptedTerminal(PlainTerminal):
    """A terminal whose secret prompts are answered from a list, recording the prompts."""

    def __init__(self, answers: list[str]) -> None:
        super().__init__()
        self.answers = list(answers)
        self.prompts: list[str] = []

    def read_secret(self, prompt: str) -> str | None:
        self.prompts.append(prompt)
        return self.answers.pop(0) if self.answers else None


def run_on_terminal(machine: Machine, argv: list[str], answers: list[str]) -> tuple:
    terminal = ScriptedTerminal(answers)
    ctx = make_ctx(machine, ["doveadm", *argv])
    ctx.terminal = terminal
    ctx.stdin = InputStream(pull=lambda: None)  # stdin is the terminal
    status = main(ctx)
    return ctx.stdout.getvalue().decode(), ctx.stderr.getvalue().decode(), status, terminal.prompts


def test_prompts_on_the_terminal_until_the_passwords_match(machine: Machine) -> None:
    """Recorded on a pty: prompts and their newline on stderr, a mismatch asks again."""
    out, err, status, prompts = run_on_terminal(
        machine, ["pw", "-s", "plain"], ["a", "b", "c", "c"]
    )
    assert (out, status) == ("{PLAIN}c\n", 0)
    assert prompts == ["Enter new password: ", "Retype new password: "] * 2
    assert err == "\n\nError: Passwords don't match!\n\n\n"


def test_three_mismatches_end_with_status_1(machine: Machine) -> None:
    out, err, status, prompts = run_on_terminal(machine, ["pw"], list("abcdef"))
    assert (out, status, len(prompts)) == ("", 1, 6)
    assert err.count("Error: Passwords don't match!\n") == 3


def test_test_hash_prompts_once(machine: Machine) -> None:
    out, err, status, prompts = run_on_terminal(machine, ["pw", "-t", "{PLAIN}a"], ["a"])
    assert (out, status, prompts) == ("{PLAIN}a (verified)\n", 0, ["Enter password to verify: "])
    out, err, status, prompts = run_on_terminal(machine, ["pw", "-t", "{PLAIN}a"], ["b"])
    assert (out, status) == ("", 75)
    assert err.endswith("Fatal: reverse password verification check failed: Password mismatch\n")


def test_through_the_shell(machine: Machine) -> None:
    """Transcript: quoting a hash with $ signs in single quotes, as the manual says."""
    from helpers import run

    out, err, status = run(
        machine, "doveadm pw -t '{MD5-CRYPT}$1$lF9tWauw$eF2AUGHswVwzUgv1FBuG/.' -p x"
    )
    assert (out, err, status) == (
        "{MD5-CRYPT}$1$lF9tWauw$eF2AUGHswVwzUgv1FBuG/. (verified)\n",
        "",
        0,
    )
    out, err, status = run(machine, "doveadm pw -s SHA256 -p x | cut -c1-9")
    assert (out, status) == ("{SHA256}L\n", 0)
