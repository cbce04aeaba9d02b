"""getent: transcripts against glibc 2.36's getent reading the machine's /etc files.

The real getent reads the host's /etc, so the live comparison runs it in a
private mount namespace (``unshare -m``, root only) where the machine's passwd,
group, shadow, gshadow, hosts, services, aliases and nsswitch.conf are bound
over the host's; files the machine lacks are bound as empty files. Lines that
start with ``@alice`` run as an unprivileged user (``nobody`` on the host).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from test_shell_text import ENV, run_sim, shared_machine  # noqa: F401 - the fixture
from test_shell_utils_harness import Result, transcript_tests

from mailsim.machine.machine import Machine

BOUND = {
    "passwd": 0o644,
    "group": 0o644,
    "shadow": 0o640,
    "gshadow": 0o640,
    "hosts": 0o644,
    "services": 0o644,
    "aliases": 0o644,
    "nsswitch.conf": 0o644,
    "protocols": 0o644,
    "networks": 0o644,
    "ethers": 0o644,
    "rpc": 0o644,
}
"""The /etc files getent reads, with their modes (shadow is root's to read)."""

AS_ALICE = "@alice "


@cache
def _namespaces_work() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    done = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    return done.returncode == 0


def run_real_getent(machine: Machine, line: str, stdin: str) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        binds = []
        for name, mode in BOUND.items():
            if not Path("/etc", name).exists():
                continue  # the host lacks it too: nothing to hide
            path = Path(tmp) / name
            data = machine.read_bytes(f"/etc/{name}") if machine.exists(f"/etc/{name}") else b""
            path.write_bytes(data)
            path.chmod(mode)
            binds.append(f"mount --bind {path} /etc/{name}")
        # No DNS: an empty resolv.conf and a fixed host.conf, as the machine has.
        for name, text in (("resolv.conf", ""), ("host.conf", "multi on\n")):
            (Path(tmp) / name).write_text(text)
            binds.append(f"mount --bind {tmp}/{name} /etc/{name}")
        if line.startswith(AS_ALICE):
            line = f"su nobody -s /bin/bash -c {shlex.quote(line[len(AS_ALICE) :])}"
        done = subprocess.run(
            ["unshare", "-m", "bash", "-c", " && ".join(binds) + " && " + line],
            input=stdin.encode(),
            capture_output=True,
            env=ENV,
            timeout=20,
        )
    return done.stdout, done.stderr, done.returncode


def run_sim_getent(machine: Machine, line: str, stdin: str) -> Result:
    if line.startswith(AS_ALICE):
        return run_sim(machine, line[len(AS_ALICE) :], stdin, user="alice")
    return run_sim(machine, line, stdin)


LINES: list[str | tuple[str, str]] = [
    "getent",
    "getent foo",
    "getent -x",
    "getent --usage",
    "getent --help",
    "getent -V",
    "getent passwd",
    "getent passwd alice",
    "getent passwd 1001 0 nosuch",
    "getent passwd postfix",
    "getent group",
    "getent group mail",
    "getent group 8 postfix nosuch",
    "getent group ssl-cert",
    "getent shadow alice nosuch",
    "getent shadow | cut -d: -f1",
    "getent gshadow | cut -d: -f1",
    "getent hosts",
    "getent hosts localhost",
    "getent hosts mail",
    "getent hosts MAIL.example.com",
    "getent hosts 127.0.1.1",
    "getent hosts ::1",
    "getent hosts 127.0.0.1",
    "getent hosts ip6-allnodes",
    "getent hosts nosuch.invalid",
    "getent ahostsv4 localhost",
    "getent ahostsv4 mail",
    "getent ahostsv4 nosuch.invalid",
    "getent services | head -n 5",
    "getent services smtp 25 25/udp smtp/tcp nosuch",
    "getent services imap imaps 993 pop3/tcp 587 submission",
    "getent aliases",
    "getent aliases postmaster",
    "getent protocols",
    "getent networks",
    "getent ethers x",
    "@alice getent shadow",
    "@alice getent shadow root",
    "@alice getent passwd alice",
    "getent passwd alice | cut -d: -f6",
    "getent group mail | cut -d: -f4",
]

(
    test_getent_matches_recording,
    test_getent_matches_real_tool,
    test_getent_recording_covers_every_line,
    test_record_getent,
) = transcript_tests(
    "getent",
    LINES,
    ("getent",),
    real=run_real_getent,
    sim=run_sim_getent,
    available=_namespaces_work,
)


def test_users_added_on_the_machine_are_found(shared_machine: Machine) -> None:  # noqa: F811
    """getent reads /etc as it is now: a user useradd just created is there."""
    shared_machine.write_bytes(
        "/etc/passwd",
        shared_machine.read_bytes("/etc/passwd") + b"dave:x:1004:1004::/home/dave:/bin/sh\n",
    )
    try:
        out, err, status = run_sim(shared_machine, "getent passwd dave 1004")
        assert (out, err, status) == (b"dave:x:1004:1004::/home/dave:/bin/sh\n" * 2, b"", 0)
    finally:
        text = shared_machine.read_bytes("/etc/passwd").replace(
            b"dave:x:1004:1004::/home/dave:/bin/sh\n", b""
        )
        shared_machine.write_bytes("/etc/passwd", text)
