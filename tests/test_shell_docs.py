"""man, less and more: the pages are mailsim's own (mailsim/shell/commands/manpages);
man's and the pagers' messages and statuses are recorded from man-db 2.11, less 590 and
util-linux more on Debian 12 (tests/data/shell_docs/cases.json) and compared live."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import make_ctx
from helpers import run

from mailsim.machine.machine import Machine
from mailsim.shell.commands import docs

DATA = Path(__file__).parent / "data" / "shell_docs"
CASES = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))
PAGES = [
    "postconf(1)",
    "postconf(5)",
    "postfix(1)",
    "postmap(1)",
    "postalias(1)",
    "newaliases(1)",
    "sendmail(1)",
    "mailq(1)",
    "postqueue(1)",
    "postsuper(1)",
    "master(5)",
    "master(8)",
    "aliases(5)",
    "doveconf(1)",
    "doveadm(1)",
    "doveadm-pw(1)",
    "dovecot(1)",
    "local(8)",
    "smtpd(8)",
    "virtual(5)",
    "canonical(5)",
    "access(5)",
    "procmail(1)",
    "procmailrc(5)",
    "sieve(7)",
]


@pytest.mark.parametrize("case", CASES, ids=[c["line"] for c in CASES])
def test_recorded_transcript(machine: Machine, case: dict) -> None:
    assert run(machine, case["line"]) == (case["stdout"], case["stderr"], case["status"])


LIVE = [c for c in CASES if c.get("real")]


@pytest.mark.skipif(
    shutil.which("man") is None or shutil.which("less") is None,
    reason="man-db and less not installed",
)
@pytest.mark.parametrize("case", LIVE, ids=[c["line"] for c in LIVE])
def test_same_as_real_tool(machine: Machine, case: dict) -> None:
    done = subprocess.run(
        ["bash", "-c", case["real"]],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert run(machine, case["line"]) == (done.stdout, done.stderr, done.returncode)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(machine: Machine, page: str) -> None:
    name, section = page[:-1].split("(")
    out, err, status = run(machine, f"man {section} {name} | cat")
    assert (err, status) == ("", 0)
    title = f"{name.upper()}({section})"
    lines = out.splitlines()
    assert lines[0].startswith(title) and lines[0].endswith(title) and len(lines[0]) == 80
    assert lines[2] == "NAME" and lines[3].startswith(f"       {name} - ")
    assert lines[-1].endswith(title)
    assert max(len(line) for line in lines) <= 80


def test_section_order_prefers_8_over_5(machine: Machine) -> None:
    assert run(machine, "man master | head -1")[0].startswith("MASTER(8)")
    assert run(machine, "man postconf | head -1")[0].startswith("POSTCONF(1)")
    assert run(machine, "man 'postconf(5)' | head -1")[0].startswith("POSTCONF(5)")


def test_apropos(machine: Machine) -> None:
    out = run(machine, "man -k alias")[0]
    assert "aliases (5)           - Postfix local alias database format\n" in out


def test_man_opens_the_pager(machine: Machine) -> None:
    shown: list[str] = []
    ctx = make_ctx(machine, ["man", "postmap"])
    ctx.terminal.page = shown.append  # type: ignore[method-assign]
    assert docs.man(ctx) == 0
    assert ctx.stdout.getvalue() == b"" and shown[0].startswith("POSTMAP(1)")


def test_less_prints_under_exec(machine: Machine) -> None:
    assert run(machine, "less /etc/mailname") == ("mail.example.com\n", "", 0)
    assert run(machine, "echo hi | less") == ("hi\n", "", 0)
    assert run(machine, "su alice -c 'less /etc/shadow'") == (
        "",
        "/etc/shadow: Permission denied\n",
        1,
    )
    assert run(machine, "more /etc/hostname /etc/mailname")[0] == (
        "::::::::::::::\n/etc/hostname\n::::::::::::::\nmail\n"
        "::::::::::::::\n/etc/mailname\n::::::::::::::\nmail.example.com\n"
    )
