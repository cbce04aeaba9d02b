"""id, whoami, su, sudo, useradd and passwd: transcripts recorded on Debian 12
(tests/data/shell_accounts/cases.json; the error paths compared live with the real
tools), useradd's file edits compared with the real useradd working on a copy of the
machine's /etc (useradd -P), and passwd's hashes checked with libcrypt."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from helpers import run as run_line

from mailsim.machine.machine import Machine
from mailsim.shell.commands.passwords import verify

DATA = Path(__file__).parent / "data" / "shell_accounts"
CASES = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))
ENV = {"LC_ALL": "C.UTF-8", "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}


def run(machine: Machine, line: str, stdin: bytes = b"", shell: object = None) -> tuple:
    """Like helpers.run, with prompts shown on stderr as `mailsim exec`'s terminal shows them."""
    from mailsim.shell.session import ExitShell, Shell
    from mailsim.shell.streams import InputStream, OutputStream
    from mailsim.shell.terminal import PlainTerminal

    if shell is not None:
        return run_line(machine, line, stdin=stdin, shell=shell)  # type: ignore[arg-type]
    lines = iter(stdin.decode().splitlines(keepends=True))
    out, err = OutputStream(isatty=True), OutputStream(isatty=True)
    terminal = PlainTerminal(read=lambda: next(lines, None), write_prompt=err.write)
    try:
        status = Shell(machine, terminal, interactive=False).run_line(
            line, InputStream(stdin), out, err
        )
    except ExitShell as exc:
        status = exc.status
    return out.getvalue().decode(), err.getvalue().decode(), status


def _id(case: dict) -> str:
    return case["line"] + (" <" + case["input"].replace("\n", "|") if case.get("input") else "")


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_recorded_transcript(machine: Machine, case: dict) -> None:
    got = run(machine, case["line"], stdin=case.get("input", "").encode())
    assert got == (case["stdout"], case["stderr"], case["status"])


LIVE = [c for c in CASES if c.get("real")]
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.mark.skipif(
    shutil.which("useradd") is None or not AS_ROOT,
    reason="needs the real shadow tools, run as root",
)
@pytest.mark.parametrize("case", LIVE, ids=[c["line"] for c in LIVE])
def test_same_as_real_tool(machine: Machine, case: dict) -> None:
    # Only failing or read-only commands are listed: nothing here changes the host.
    done = subprocess.run(
        ["bash", "-c", case["real"]], capture_output=True, text=True, env=ENV, check=False
    )
    assert run(machine, case["line"]) == (done.stdout, done.stderr, done.returncode)


USERADD_RUNS = [
    "-G mail,sudo -c Dave dave",
    "-s /bin/bash -u 1500 erin",
    "-r sysacct",
    "-N -g users frank",
    "-d /srv/gina gina",
]


@pytest.mark.skipif(
    shutil.which("useradd") is None or not AS_ROOT, reason="needs the real useradd, run as root"
)
@pytest.mark.parametrize("options", USERADD_RUNS)
def test_useradd_edits_files_as_real_useradd(
    machine: Machine, tmp_path: Path, options: str
) -> None:
    prefix = tmp_path / "prefix"
    (prefix / "etc").mkdir(parents=True)
    files = ["passwd", "shadow", "group", "gshadow", "login.defs", "default/useradd"]
    (prefix / "etc" / "default").mkdir()
    for name in files:
        (prefix / "etc" / name).write_text(machine.read_text(f"/etc/{name}"))
    done = subprocess.run(
        ["bash", "-c", f"useradd -P {prefix} {options}"],
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    machine.clock.set(time.time())  # the real one stamps today's day number
    assert run(machine, f"useradd {options}") == (done.stdout, done.stderr, done.returncode)
    for name in files[:4]:
        assert machine.read_text(f"/etc/{name}") == (prefix / "etc" / name).read_text(), name


def test_useradd_m_copies_skel(machine: Machine) -> None:
    assert run(machine, "useradd -m -s /bin/bash dave") == ("", "", 0)
    st = machine.stat("/home/dave")
    assert (st.owner, st.group, st.mode) == ("dave", "dave", 0o755)
    assert machine.listdir("/home/dave") == [".bash_logout", ".bashrc", ".profile"]
    assert machine.stat("/home/dave/.bashrc").owner == "dave"
    assert run(machine, "id dave") == ("uid=1003(dave) gid=1003(dave) groups=1003(dave)\n", "", 0)


def test_useradd_existing_home_warns(machine: Machine) -> None:
    machine.mkdir("/home/dave")
    assert run(machine, "useradd -m dave") == (
        "",
        "useradd: warning: the home directory /home/dave already exists.\n"
        "useradd: Not copying any file from skel directory into it.\n",
        0,
    )


def test_useradd_group_exists(machine: Machine) -> None:
    assert run(machine, "useradd mail")[1:] == ("useradd: user 'mail' already exists\n", 9)
    assert run(machine, "useradd postdrop") == (
        "",
        "useradd: group postdrop exists - if you want to add this user to that group, use -g.\n",
        9,
    )


def test_passwd_writes_yescrypt_hash(machine: Machine) -> None:
    assert run(machine, "passwd carol", stdin=b"n3w-secret\nn3w-secret\n")[2] == 0
    line = next(x for x in machine.read_text("/etc/shadow").splitlines() if x.startswith("carol:"))
    fields = line.split(":")
    assert fields[1].startswith("$y$j9T$")
    assert verify("n3w-secret", fields[1]) and not verify("carol", fields[1])
    assert fields[2] == str(int(machine.clock.now() // 86400))
    # The new password works for su, the old one no longer does.
    assert run(machine, "su alice -c 'su carol -c whoami'", stdin=b"n3w-secret\n")[0] == "carol\n"
    assert run(machine, "su alice -c 'su carol -c whoami'", stdin=b"carol\n")[2] == 1


def test_image_passwords_verify() -> None:
    # The image's hashes were made by libcrypt with the documented passwords.
    assert verify(
        "alice", "$y$j9T$2Za.18L3tpRix889agbBK1$mmMDhO9KOu3xG2yG./AN2icuCeuIOokZm4AaGoTNOvB"
    )
    assert not verify("alice", "!")


def test_su_login_frame_and_exit(machine: Machine) -> None:
    from mailsim.shell.session import Shell
    from mailsim.shell.terminal import PlainTerminal

    shell = Shell(machine, PlainTerminal(), interactive=False)
    assert run(machine, "su - alice", shell=shell) == ("", "", 0)
    assert shell.user.name == "alice" and shell.cwd == "/home/alice"
    assert run(machine, "whoami; pwd", shell=shell) == ("alice\n/home/alice\n", "", 0)
    run(machine, "exit", shell=shell)
    assert shell.user.name == "root"


def test_su_without_dash_keeps_cwd(machine: Machine) -> None:
    from mailsim.shell.session import Shell
    from mailsim.shell.terminal import PlainTerminal

    shell = Shell(machine, PlainTerminal(), interactive=False)
    run(machine, "cd /etc; su bob", shell=shell)
    assert (shell.user.name, shell.cwd, shell.env["HOME"]) == ("bob", "/etc", "/home/bob")


def test_sudo_for_members_of_sudo(machine: Machine) -> None:
    group = machine.read_text("/etc/group").replace("sudo:x:27:\n", "sudo:x:27:alice\n")
    machine.write_text("/etc/group", group)
    out, err, status = run(machine, "su alice -c 'sudo whoami'", stdin=b"alice\n")
    assert (out, err, status) == ("root\n", "[sudo] password for alice: \n", 0)
    assert run(machine, "su alice -c 'sudo nosuch'", stdin=b"alice\n")[1:] == (
        "[sudo] password for alice: \nsudo: nosuch: command not found\n",
        1,
    )
