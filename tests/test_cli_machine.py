"""`mailsim init` and `mailsim exec` as a new user runs them: real subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

MAILSIM = [sys.executable, "-m", "mailsim"]


def mailsim(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MAILSIM_NOW="2026-11-25T08:29:01")
    return subprocess.run([*MAILSIM, *args], input=stdin, capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("cli") / "m"
    done = mailsim("init", str(target))
    assert done.returncode == 0, done.stderr
    return target


def test_hostname_file(root):
    done = mailsim("exec", "--root", str(root), "--", "cat", "/etc/hostname")
    assert (done.stdout, done.stderr, done.returncode) == ("mail\n", "", 0)


def test_append_then_tail_changes_the_file(root):
    done = mailsim(
        "exec",
        "--root",
        str(root),
        "--",
        "echo relayhost = >> /etc/postfix/main.cf && tail -n 1 /etc/postfix/main.cf",
    )
    assert (done.stdout, done.returncode) == ("relayhost =\n", 0)
    assert (root / "etc/postfix/main.cf").read_text().endswith("relayhost =\n")


def test_command_not_found(root):
    done = mailsim("exec", "--root", str(root), "--", "nosuch")
    assert (done.stdout, done.stderr, done.returncode) == (
        "",
        "bash: nosuch: command not found\n",
        127,
    )


def test_dotdot_stays_inside_the_machine(root):
    done = mailsim("exec", "--root", str(root), "--", "cat /../../../../etc/shadow")
    assert done.returncode == 0
    assert done.stdout == (root / "etc/shadow").read_text()


def test_symlink_is_metadata_only(root):
    done = mailsim("exec", "--root", str(root), "--", "ln -s /etc/passwd /tmp/p && cat /tmp/p")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (root / "etc/passwd").read_text()
    assert not os.path.lexists(root / "tmp/p")


def test_not_a_machine_exits_125_with_one_line(tmp_path):
    done = mailsim("exec", "--root", "/nonexistent", "--", "true")
    assert done.returncode == 125
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("mailsim: ")
    done = mailsim("exec", "--root", str(tmp_path), "--", "true")
    assert done.returncode == 125


def test_init_refuses_non_empty_dir_and_force_needs_a_machine(tmp_path, root):
    (tmp_path / "x").write_text("keep me")
    done = mailsim("init", str(tmp_path))
    assert done.returncode == 125 and (tmp_path / "x").read_text() == "keep me"
    done = mailsim("init", "--force", str(tmp_path))
    assert done.returncode == 125 and (tmp_path / "x").read_text() == "keep me"


def test_script_with_heredoc_and_stdin(root, tmp_path):
    script = tmp_path / "s.sh"
    script.write_text("cat > /tmp/greeting <<EOF\nhello $USER\nEOF\ncat /tmp/greeting\ncat\n")
    done = mailsim("exec", "--root", str(root), "--script", str(script), stdin="from stdin\n")
    assert done.stdout == "hello root\nfrom stdin\n"
    assert done.returncode == 0


def test_exit_status_is_the_commands(root):
    assert mailsim("exec", "--root", str(root), "--", "exit 3").returncode == 3
    assert mailsim("exec", "--root", str(root), "--", "false").returncode == 1


def test_version_and_help():
    done = mailsim("--version")
    assert done.returncode == 0 and done.stdout.startswith("mailsim ")
    done = mailsim("--help")
    assert done.returncode == 0 and "exec" in done.stdout and "init" in done.stdout


def test_bad_cli_use_is_125():
    assert mailsim("exec").returncode == 125
    assert mailsim("frobnicate").returncode == 125
