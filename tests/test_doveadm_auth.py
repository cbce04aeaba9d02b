"""doveadm auth test/lookup, user, who, kick and log find against passdbs and userdbs.

tests/data/doveadm/auth_cases.json holds what the real doveadm printed against a
real Dovecot 2.3.19 started on loopback with a passwd-file configuration
(tests/data/doveadm/record.py); the same configuration on a simulated machine
must print the same. Where Dovecot is installed and we are root, the real one is
started again and compared live.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import make_ctx

from mailsim.dovecot.doveadm import main
from mailsim.dovecot.service import CONTROLLER
from mailsim.machine.machine import Machine

DATA = Path(__file__).parent / "data" / "doveadm"
AUTH = json.loads((DATA / "auth_cases.json").read_text())
BASE = "/srv/doveadm-rec"
can_run_real = pytest.mark.skipif(
    shutil.which("dovecot") is None
    or os.geteuid() != 0
    or Path("/run/dovecot/master.pid").exists(),
    reason="needs the real Dovecot, root, and no Dovecot already running",
)


def doveadm(
    machine: Machine, argv: list[str], stdin: bytes = b"", tty: bool = False
) -> tuple[str, str, int]:
    ctx = make_ctx(machine, ["doveadm", *argv], stdin, tty=tty)
    status = main(ctx)
    return ctx.stdout.getvalue().decode(), ctx.stderr.getvalue().decode(), status


def start_dovecot(machine: Machine) -> None:
    ctx = make_ctx(machine, ["dovecot"])
    assert CONTROLLER.start(ctx, False) == 0, ctx.stderr.getvalue()


@pytest.fixture
def recorded_setup(machine: Machine) -> Machine:
    """The recorder's configuration and users file, on the simulated machine, running."""
    machine.mkdir(BASE, parents=True)
    machine.write_text("/etc/dovecot/dovecot.conf", AUTH["config"].format(base=BASE))
    machine.write_text(f"{BASE}/users", AUTH["users"])
    start_dovecot(machine)
    return machine


def _id(case: dict) -> str:
    return " ".join(case["argv"])


@pytest.mark.parametrize("case", AUTH["cases"], ids=[_id(c) for c in AUTH["cases"]])
def test_recorded(recorded_setup: Machine, case: dict) -> None:
    out, err, status = doveadm(recorded_setup, case["argv"])
    expected = (case["stdout"].replace("{base}", BASE), case["stderr"].replace("{base}", BASE))
    assert (out, err, status) == (*expected, case["status"])


@can_run_real
def test_live_against_a_real_dovecot(recorded_setup: Machine) -> None:
    spec = importlib.util.spec_from_file_location("doveadm_record", DATA / "record.py")
    assert spec is not None and spec.loader is not None
    record = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(record)
    argvs = [c["argv"] for c in AUTH["cases"] if c["argv"][0] in ("auth", "user")]
    for case in record.real_auth_cases(AUTH["users"], argvs):
        out, err, status = doveadm(recorded_setup, case["argv"])
        expected = (case["stdout"].replace("{base}", BASE), case["stderr"].replace("{base}", BASE))
        assert (case["argv"], out, err, status) == (case["argv"], *expected, case["status"])


def test_not_running_errors(machine: Machine) -> None:
    """Recorded from the real doveadm with Dovecot stopped (the pid in user's prefix varies)."""
    out, err, status = doveadm(machine, ["auth", "test", "alice", "alice"])
    assert (out, status) == ("", 77)
    assert err == (
        "Error: auth-client: conn unix:/run/dovecot/auth-client: "
        "connect(/run/dovecot/auth-client) failed: No such file or directory\n"
    )
    out, err, status = doveadm(machine, ["user", "alice"])
    assert (out, status) == ("field\tvalue\n", 75)
    assert err.startswith("doveadm(alice)<") and err.endswith(
        "><>: Error: auth-master: userdb lookup(alice): "
        "connect(/run/dovecot/auth-userdb) failed: No such file or directory\n"
    )


def test_pam_against_debian_shadow(machine: Machine) -> None:
    """Debian's default: passdb pam → /etc/shadow (yescrypt), userdb passwd; usernames %Lu."""
    start_dovecot(machine)
    assert doveadm(machine, ["auth", "test", "alice", "alice"]) == (
        "passdb: alice auth succeeded\nextra fields:\n  user=alice\n",
        "",
        0,
    )
    assert doveadm(machine, ["auth", "test", "alice", "wrong"]) == (
        "passdb: alice auth failed\nextra fields:\n  user=alice\n",
        "",
        77,
    )
    assert doveadm(machine, ["auth", "test", "ALICE", "alice"]) == (
        "passdb: ALICE auth succeeded\nextra fields:\n  user=alice\n  original_user=ALICE\n",
        "",
        0,
    )
    assert doveadm(machine, ["auth", "test", "nosuch", "x"])[2] == 77
    # root's uid is below first_valid_uid: the table header only, status 75
    assert doveadm(machine, ["user", "root"]) == ("field\tvalue\n", "", 75)
    assert doveadm(machine, ["user", "bob"]) == (
        "field\tvalue\nuid\t1001\ngid\t1001\nhome\t/home/bob\n"
        "mail\tmbox:~/mail:INBOX=/var/mail/bob\nsystem_groups_user\tbob\n",
        "",
        0,
    )
    assert doveadm(machine, ["user", "-u", "bob"]) == (
        "userdb: bob\n  user      : bob\n  system_groups_user: bob\n  uid       : 1001\n"
        "  gid       : 1001\n  home      : /home/bob\n",
        "",
        0,
    )


def test_user_on_a_terminal_prints_separators_first(machine: Machine) -> None:
    """Recorded on a pty: printf's newline between users is line-buffered, the table is not."""
    start_dovecot(machine)
    out, _err, status = doveadm(machine, ["user", "bob", "bob"], tty=True)
    row = "uid\t1001\ngid\t1001\nhome\t/home/bob\nmail\tmbox:~/mail:INBOX=/var/mail/bob\nsystem_groups_user\tbob\n"
    assert (out, status) == ("\nfield\tvalue\n" + row + row, 0)


def test_password_prompt_when_missing(machine: Machine) -> None:
    start_dovecot(machine)
    out, _err, status = doveadm(machine, ["auth", "test", "carol"], stdin=b"carol\n")
    assert (out, status) == ("passdb: carol auth succeeded\nextra fields:\n  user=carol\n", 0)


def test_passwd_file_after_reload_and_a_generated_hash(machine: Machine) -> None:
    """A learner's lab: hash with doveadm pw, add a passwd-file passdb, reload, test."""
    from helpers import run

    start_dovecot(machine)
    out, err, status = run(machine, "doveadm pw -s SHA512-CRYPT -p s3cret")
    assert status == 0 and out.startswith("{SHA512-CRYPT}$6$")
    machine.write_text("/etc/dovecot/users", f"dave:{out.strip()}:5000:5000::/home/dave::\n")
    conf = machine.read_text("/etc/dovecot/conf.d/10-auth.conf")
    machine.write_text(
        "/etc/dovecot/conf.d/10-auth.conf",
        conf.replace("#!include auth-passwdfile.conf.ext", "!include auth-passwdfile.conf.ext"),
    )
    assert run(machine, "doveadm reload")[2] == 0
    assert run(machine, "doveadm auth test dave s3cret") == (
        "passdb: dave auth succeeded\nextra fields:\n  user=dave\n",
        "",
        0,
    )
    assert run(machine, "doveadm auth test dave nope")[2] == 77
    assert run(machine, "doveadm user -f home dave") == ("/home/dave\n", "", 0)


def test_log_find_on_the_debian_image(machine: Machine) -> None:
    """log_path = syslog: the test lines go through rsyslog into syslog and mail.log."""
    out, err, status = doveadm(machine, ["log", "find"])
    assert (err, status) == ("", 0)
    lines = out.splitlines()
    assert lines[0] == "Looking for log files from /var/log"
    for level in ("Debug", "Info", "Warning", "Error", "Fatal"):
        assert f"{level}: /var/log/mail.log" in lines
    assert "This is Dovecot's warning log" in machine.read_text("/var/log/mail.log")
