"""A small Debian-like Postfix host for the control, map and alias tests, and pty helpers.

The tree under tests/data/postfix_control/tree holds the files; directories and
metadata that git cannot carry (queue directories, owners, set-gid bits) are
made here. ``run_real`` runs the real tool with stderr on a pty, as a learner's
terminal shows it.
"""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import make_ctx

from mailsim.machine.clock import Clock
from mailsim.machine.machine import Machine

DATA = Path(__file__).parent / "data" / "postfix_control"
TREE = DATA / "tree"

QUEUE_META = {
    "active": ("postfix", "root", 0o700),
    "bounce": ("postfix", "root", 0o700),
    "corrupt": ("postfix", "root", 0o700),
    "defer": ("postfix", "root", 0o700),
    "deferred": ("postfix", "root", 0o700),
    "flush": ("postfix", "root", 0o700),
    "hold": ("postfix", "root", 0o700),
    "incoming": ("postfix", "root", 0o700),
    "maildrop": ("postfix", "postdrop", 0o1730),
    "pid": ("root", "root", 0o755),
    "private": ("postfix", "root", 0o700),
    "public": ("postfix", "postdrop", 0o2710),
    "saved": ("postfix", "root", 0o700),
    "trace": ("postfix", "root", 0o700),
}


def build_machine(root: Path, now: str = "2026-11-25T08:29:01") -> Machine:
    """A machine with the fixture tree, Postfix's queue and its set-gid programs."""
    shutil.copytree(TREE, root)
    (root / ".mailsim").mkdir()
    (root / ".mailsim" / "version").write_text("test\n")
    for sub in (
        "var/spool/postfix",
        "var/lib/postfix",
        "var/log",
        "usr/sbin",
        "usr/lib/postfix/sbin",
        "root",
    ):
        (root / sub).mkdir(parents=True, exist_ok=True)
    machine = Machine(root, Clock.from_env({"MAILSIM_NOW": now}))
    # Files copied in carry the host's time; the simulated clock is the one that counts.
    stamp = machine.clock.now() - 3600
    for path in root.rglob("*"):
        os.utime(path, (stamp, stamp))
    for name, (owner, group, mode) in QUEUE_META.items():
        machine.mkdir(f"/var/spool/postfix/{name}")
        machine.set_meta(f"/var/spool/postfix/{name}", owner=owner, group=group, mode=mode)
    machine.set_meta("/var/lib/postfix", owner="postfix", group="postfix")
    for prog in ("postqueue", "postdrop"):
        machine.write_text(f"/usr/sbin/{prog}", "")
        machine.set_meta(f"/usr/sbin/{prog}", group="postdrop", mode=0o2755)
    machine.write_text("/usr/sbin/sendmail", "")
    machine.write_text("/usr/lib/postfix/sbin/master", "")
    return machine


@pytest.fixture
def pf(tmp_path: Path) -> Machine:
    return build_machine(tmp_path / "m")


def run(
    machine: Machine, argv: list[str], stdin: bytes = b"", tty: bool = True
) -> tuple[str, str, int]:
    """Call a command function directly; (stdout, stderr, status)."""
    from mailsim.shell.registry import REGISTRY

    ctx = make_ctx(machine, argv, stdin, tty)
    status = REGISTRY.func(argv[0])(ctx)
    return ctx.stdout.getvalue().decode(), ctx.stderr.getvalue().decode(), status


def run_real(argv: list[str], stdin: bytes = b"", cwd: str | None = None) -> tuple[str, str, int]:
    """The real tool with stdout on a pipe and stderr on a pty; (stdout, stderr, status)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=slave, cwd=cwd
    )
    os.close(slave)
    out, _ = proc.communicate(stdin)
    err = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        err += chunk
    os.close(master)
    return out.decode(), err.decode().replace("\r\n", "\n"), proc.returncode


def test_fixture_machine_has_postfix_queue(pf: Machine) -> None:
    st = pf.stat("/var/spool/postfix/maildrop")
    assert (st.owner, st.group, st.mode) == ("postfix", "postdrop", 0o1730)
