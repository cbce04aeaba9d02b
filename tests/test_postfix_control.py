"""``postfix`` control: the lines postfix-script prints and logs, on a stopped and a running
system, recorded from the real Postfix 3.7.11 (tests/data/postfix_control/control_transcript.json),
plus the checks of ``postfix check`` over owners and modes kept as metadata."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import make_ctx
from test_postfix_control_support import DATA, build_machine, run, run_real

from mailsim.machine import services
from mailsim.machine.machine import Machine
from mailsim.postfix.service import CONTROLLER

TRANSCRIPT = json.loads((DATA / "control_transcript.json").read_text())


@pytest.fixture
def pf(tmp_path: Path) -> Machine:
    return build_machine(tmp_path / "m")


def test_transcript_matches_real_postfix(pf: Machine) -> None:
    for argv, stderr, status in TRANSCRIPT["steps"]:
        out, err, code = run(pf, argv)
        pid = services.get_state(pf, "postfix").pid
        assert (out, err, code) == ("", stderr.replace("{pid}", str(pid)), status), argv


def test_mail_log_lines(pf: Machine) -> None:
    for argv in (
        ["postfix", "start"],
        ["postfix", "reload"],
        ["postfix", "stop"],
        ["postfix", "flush"],
    ):
        run(pf, argv)
    lines = pf.read_text("/var/log/mail.log").splitlines()
    pid = int(pf.read_text("/var/spool/postfix/pid/master.pid"))
    got = [re.sub(r"^Nov 25 08:29:01 mail ", "", line) for line in lines]
    want = [
        re.escape(p).replace(re.escape("{n}"), r"\d+").replace(re.escape("{pid}"), str(pid))
        for p in TRANSCRIPT["log"]
    ]
    assert len(got) == len(want)
    for line, pattern in zip(got, want, strict=True):
        assert re.fullmatch(pattern, line), line


def test_master_pid_file_is_formatted_like_the_real_one(pf: Machine) -> None:
    run(pf, ["postfix", "start"])
    text = pf.read_text("/var/spool/postfix/pid/master.pid")
    assert len(text) == 33 and text.endswith("\n") and text.strip().isdigit()
    assert pf.stat("/var/spool/postfix/pid/master.pid").mode == 0o600


def test_postfix_script_is_silent_without_a_terminal(pf: Machine) -> None:
    assert run(pf, ["postfix", "start"], tty=False) == ("", "", 0)
    assert run(pf, ["postfix", "start"], tty=False) == ("", "", 1)
    assert "already running" in pf.read_text("/var/log/mail.log")


def test_systemd_start_logs_instead_of_printing(pf: Machine) -> None:
    ctx = make_ctx(pf, ["systemctl", "start", "postfix"])
    assert CONTROLLER.start(ctx, via_systemd=True) == 0
    assert ctx.stderr.getvalue() == b""
    assert run(pf, ["postfix", "status"])[2] == 0
    assert CONTROLLER.start(ctx, via_systemd=True) == 0  # systemd: already active is fine
    assert CONTROLLER.stop(make_ctx(pf, ["systemctl"]), via_systemd=True) == 0
    assert run(pf, ["postfix", "status"])[2] == 1


def test_listeners_follow_master_cf_and_inet_interfaces(pf: Machine) -> None:
    assert CONTROLLER.listeners(pf) == []
    run(pf, ["postfix", "start"])
    got = {(item.address, item.port) for item in CONTROLLER.listeners(pf)}
    assert got == {("0.0.0.0", 25), ("[::]", 25)}
    text = pf.read_text("/etc/postfix/main.cf").replace(
        "inet_interfaces = all", "inet_interfaces = loopback-only"
    )
    text = text.replace("inet_protocols = all", "inet_protocols = ipv4")
    pf.write_text("/etc/postfix/main.cf", text)
    master = pf.read_text("/etc/postfix/master.cf").replace("#submission inet", "submission inet")
    pf.write_text("/etc/postfix/master.cf", master)
    # master opened its sockets at start: main.cf's addresses apply after stop + start.
    run(pf, ["postfix", "stop"])
    run(pf, ["postfix", "start"])
    got = {(item.address, item.port) for item in CONTROLLER.listeners(pf)}
    assert got == {("127.0.0.1", 25), ("127.0.0.1", 587)}


def test_processes_while_running(pf: Machine) -> None:
    run(pf, ["postfix", "start"])
    names = [name.split()[0] for _, name in CONTROLLER.processes(pf)]
    assert names == ["/usr/lib/postfix/sbin/master", "pickup", "qmgr"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # Recorded from the real postfix-script with the same owners and modes.
        (
            lambda m: m.set_meta("/etc/postfix/main.cf", mode=0o664),
            "postfix/postfix-script: warning: group or other writable: /etc/postfix/./main.cf\n",
        ),
        (
            lambda m: m.set_meta("/etc/postfix/master.cf", owner="nobody"),
            "postfix/postfix-script: warning: not owned by root: /etc/postfix/./master.cf\n",
        ),
        (
            lambda m: m.set_meta("/etc/postfix", mode=0o775),
            "postfix/postfix-script: warning: group or other writable: /etc/postfix/.\n",
        ),
        (
            lambda m: m.set_meta("/var/lib/postfix", owner="nobody"),
            "postfix/postfix-script: warning: not owned by postfix: /var/lib/postfix/.\n",
        ),
        (
            lambda m: (
                m.set_meta("/var/spool/postfix/pid", owner="nobody", mode=0o757),
                m.set_meta("/var/spool/postfix/public", group="root"),
            ),
            "postfix/postfix-script: warning: not owned by root: /var/spool/postfix/pid\n"
            "postfix/postfix-script: warning: group or other writable: /var/spool/postfix/pid\n"
            "postfix/postfix-script: warning: not owned by group postdrop: /var/spool/postfix/public\n",
        ),
        (
            lambda m: m.write_text("/var/spool/postfix/corrupt/ABC", ""),
            "postfix/postfix-script: warning: not owned by postfix: /var/spool/postfix/corrupt/ABC\n"
            "postfix/postfix-script: warning: damaged message: corrupt/ABC\n",
        ),
        (
            lambda m: m.set_meta("/var/spool/postfix/active", owner="nobody"),
            "postsuper: fatal: scan_dir_push: open directory active: Permission denied\n",
        ),
    ],
)
def test_check_permissions(pf: Machine, change, expected: str) -> None:
    change(pf)
    out, err, status = run(pf, ["postfix", "check"])
    assert err == expected
    assert status == (1 if "fatal" in expected else 0)


def test_check_recreates_a_missing_queue_directory(pf: Machine) -> None:
    pf.rmdir("/var/spool/postfix/hold")
    assert run(pf, ["postfix", "check"]) == ("", "", 0)
    assert pf.stat("/var/spool/postfix/hold").owner == "postfix"


def test_missing_master_cf(pf: Machine) -> None:
    pf.remove("/etc/postfix/master.cf")
    warning = (
        "/usr/sbin/postconf: warning: open /etc/postfix/master.cf: No such file or directory\n"
    )
    _, err, status = run(pf, ["postfix", "check"])
    assert (err, status) == (
        warning * 19 + "postfix/postfix-script: fatal: no /etc/postfix/master.cf file found\n",
        1,
    )
    _, err, status = run(pf, ["postfix", "start"])
    assert (
        err.endswith(
            "fatal: no /etc/postfix/master.cf file found\npostfix/postfix-script: "
            "fatal: Postfix integrity check failed!\n"
        )
        and status == 1
    )
    assert run(pf, ["postfix", "status"])[1] == (
        warning + "postfix/postfix-script: the Postfix mail system is not running\n"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "foo bar",
            "postfix: fatal: /etc/postfix/main.cf, line 42: missing '=' after attribute "
            'name: "foo bar"\n',
        ),
        (
            "mail_owner = nobodyx",
            "postfix: fatal: file /etc/postfix/main.cf: parameter mail_owner: "
            "unknown user name value: nobodyx\n",
        ),
    ],
)
def test_main_cf_fatals(pf: Machine, line: str, expected: str) -> None:
    pf.write_text("/etc/postfix/main.cf", line + "\n", append=True)
    for action in ("check", "start", "status"):
        assert run(pf, ["postfix", action]) == ("", expected, 1)


def test_duplicate_parameter_warning_repeats_as_the_helpers_reread(pf: Machine) -> None:
    pf.write_text("/etc/postfix/main.cf", "biff = yes\n", append=True)
    warning = "warning: /etc/postfix/main.cf, line 42: overriding earlier entry: biff=no\n"
    assert run(pf, ["postfix", "status"])[1] == (
        f"postfix: {warning}postfix/postlog: {warning}"
        "postfix/postfix-script: the Postfix mail system is not running\n"
    )
    assert run(pf, ["postfix", "flush"])[1] == (
        f"postfix: {warning}postqueue: {warning}"
        "postqueue: fatal: Cannot flush mail queue - mail system is down\n"
    )


@pytest.mark.skipif(shutil.which("postfix") is None, reason="Postfix is not installed")
def test_status_and_usage_against_real_postfix(tmp_path: Path) -> None:
    if subprocess.run(["postfix", "status"], capture_output=True).returncode == 0:
        pytest.skip("the host's own Postfix is running")
    config = tmp_path / "postfix"
    shutil.copytree("/etc/postfix", config, symlinks=True)
    machine = build_machine(tmp_path / "m")
    for argv in (["status"], ["stop"], ["bogus"], ["-x"]):
        real = run_real(["postfix", "-c", str(config), *argv])
        sim = run(machine, ["postfix", *argv])
        assert sim == real, argv
