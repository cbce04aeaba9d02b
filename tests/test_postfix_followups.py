"""Follow-ups on the Postfix tools: crashes, warnings replayed by postfix check/start,
reload after an inet_interfaces change, the control tools reading the shared main.cf model."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from conftest import make_ctx
from helpers import run

from mailsim.machine.machine import Machine
from mailsim.postfix import service
from mailsim.postfix.postconf import main as postconf_main

DATA = Path(__file__).parent / "data" / "postfix_followups"
SELF_REFERENCE = "relay_domains = ${{$relay_domains} == {a} ? {b} : {c}}\n"
HAS_POSTFIX = shutil.which("postconf") is not None


def _append(machine: Machine, text: str) -> None:
    machine.write_text("/etc/postfix/main.cf", text, append=True)


def test_crashing_postconf_makes_bash_report_a_segmentation_fault(machine: Machine) -> None:
    """Regression: a postconf that "crashes" (status 139) was silent; bash names the signal."""
    _append(machine, SELF_REFERENCE)
    assert run(machine, "postconf -x relay_domains; echo $?") == (
        "139\n",
        "Segmentation fault\n",
        0,
    )


@pytest.mark.skipif(not HAS_POSTFIX or os.geteuid() != 0, reason="needs the real postconf")
def test_real_postconf_crashes_on_the_same_setting(tmp_path: Path) -> None:
    config = tmp_path / "postfix"
    shutil.copytree("/etc/postfix", config)
    with open(config / "main.cf", "a") as f:
        f.write(SELF_REFERENCE)
    real = subprocess.run(
        ["postconf", "-c", str(config), "-x", "relay_domains"], capture_output=True, check=False
    )
    # Killed by SIGSEGV: bash turns that into status 128 + 11.
    assert real.returncode == -signal.SIGSEGV


def test_control_settings_follow_postconf_defaults_expansion_and_lines(machine: Machine) -> None:
    """Regression: service.py had its own main.cf reader whose defaults and expansion
    disagreed with postconf's (host-derived defaults, ${name?value} forms)."""
    _append(machine, "queue_directory = ${config_directory?/var/spool/postfix}\n")
    settings = service.load_settings(machine)
    out, _err, _status = run(machine, "postconf -xh queue_directory myhostname mynetworks")
    assert [settings.get(n) for n in ("queue_directory", "myhostname", "mynetworks")] == (
        out.splitlines()
    )
    line = len(machine.read_text("/etc/postfix/main.cf").splitlines())
    assert settings.origin("queue_directory") == ("/etc/postfix/main.cf", line)
    assert settings.origin("mail_owner") is None


WARNED = "foo_unused = 1\nmyhostname = a.example\nmyhostname = b.example\n"
# Lines of the helper programs that re-read main.cf. Left out: postfix-script's own
# walks and the postlog reads that carry them (this host's directories differ from
# the image's), and the postfix binary's warnings, which Postfix 3.7 repeats a
# varying number of times from one run to the next.
READERS = ("postfix: fatal:", "/usr/sbin/postconf:", "postsuper:")


def _reader_lines(text: str, config_dir: str) -> list[str]:
    lines = text.replace("\r\n", "\n").replace(config_dir, "/etc/postfix").splitlines()
    return [line for line in lines if line.startswith(READERS)]


def _real_postfix(tmp_path: Path, machine: Machine, extra: str, action: str) -> tuple[str, int]:
    """Run the real ``postfix ACTION`` on a copy of the image's configuration, stderr on a pty."""
    config = tmp_path / "real-postfix"
    config.mkdir()
    for name in ("main.cf", "master.cf"):
        (config / name).write_text(machine.read_text(f"/etc/postfix/{name}"))
    with open(config / "main.cf", "a") as f:
        f.write(extra)
    # MAIL_CONFIG rather than -c: with -c the real postfix re-reads main.cf into
    # the same table several times, which the default directory never does.
    line = f"MAIL_CONFIG={config} postfix {action}; echo status=$?"
    real = subprocess.run(
        ["script", "-qc", line, "/dev/null"], capture_output=True, text=True, check=False
    )
    out = real.stdout.replace("\r\n", "\n")
    status = int(out.rsplit("status=", 1)[1].split()[0])
    return out.replace(str(config), "/etc/postfix"), status


CHECK_CASES = json.loads((DATA / "check_warnings.json").read_text())


@pytest.mark.parametrize("case", CHECK_CASES, ids=[c["name"] for c in CHECK_CASES])
def test_postfix_check_replays_postconf_warnings(machine: Machine, case: dict) -> None:
    """Regression: postfix check repeated main.cf's parse warnings but not postconf's
    "unused parameter" ones, and did not stop on a bad numerical value."""
    _append(machine, case["main_cf"])
    out, err, status = run(machine, "postfix check")
    assert (_reader_lines(err, "/etc/postfix"), status) == (case["stderr"], case["status"])


@pytest.mark.skipif(
    not HAS_POSTFIX or shutil.which("script") is None or os.geteuid() != 0,
    reason="needs the real postfix (as root) and script(1)",
)
@pytest.mark.parametrize("case", CHECK_CASES, ids=[c["name"] for c in CHECK_CASES])
def test_recorded_check_warnings_match_the_real_postfix(
    machine: Machine, tmp_path: Path, case: dict
) -> None:
    out, status = _real_postfix(tmp_path, machine, case["main_cf"], "check")
    assert (_reader_lines(out, "/etc/postfix"), status) == (case["stderr"], case["status"])


RELOAD = json.loads((DATA / "reload_listeners.json").read_text())


def _smtp_listeners(machine: Machine) -> list[str]:
    out, _err, _status = run(machine, "ss -ltn")
    return [line.split()[3] for line in out.splitlines()[1:] if line.split()[3].endswith(":25")]


def _master_log(machine: Machine, since: int) -> list[str]:
    lines = machine.read_text("/var/log/mail.log").splitlines()[since:]
    out = []
    for line in lines:
        tag, _, message = line.split(" ", 4)[4].partition(": ")
        if tag.startswith("postfix/master["):
            out.append(f"postfix/master: {message}")
    return out


@pytest.mark.parametrize(("name", "value"), [("inet_interfaces", "all"), ("inet_protocols", "all")])
def test_reload_keeps_the_listeners_until_stop_and_start(
    machine: Machine, name: str, value: str
) -> None:
    """Regression: a reload after an inet_interfaces change moved the listeners at once;
    the real master warns, keeps its sockets, and only a stop + start moves them."""
    run(machine, "postconf -e inet_interfaces=loopback-only inet_protocols=ipv4")
    run(machine, "postfix start")
    assert _smtp_listeners(machine) == ["127.0.0.1:25"]
    run(machine, f"postconf -e {name}={value}")
    since = len(machine.read_text("/var/log/mail.log").splitlines())
    assert run(machine, "postfix reload")[2] == 0
    assert _master_log(machine, since) == RELOAD[name]
    assert _smtp_listeners(machine) == ["127.0.0.1:25"]
    run(machine, "postfix stop; postfix start")
    expected = ["0.0.0.0:25"] if name == "inet_interfaces" else ["127.0.0.1:25", "[::1]:25"]
    assert _smtp_listeners(machine) == expected


MASTER_EDITS = json.loads((DATA / "master_edit.json").read_text())


def _real_master_edit(tmp_path: Path, machine: Machine, argv: list[str]) -> tuple[str, int]:
    config = tmp_path / "real-master"
    config.mkdir()
    for name in ("main.cf", "master.cf"):
        (config / name).write_text(machine.read_text(f"/etc/postfix/{name}"))
    real = subprocess.run(
        ["postconf", "-c", str(config), *argv], capture_output=True, text=True, check=False
    )
    return (config / "master.cf").read_text(), real.returncode


@pytest.mark.parametrize("case", MASTER_EDITS, ids=[c["name"] for c in MASTER_EDITS])
def test_postconf_edits_master_cf_in_place(machine: Machine, case: dict) -> None:
    """Regression: postconf -Me, -M# and -MX were refused ("not available")."""
    before = machine.read_text("/etc/postfix/master.cf")
    ctx = make_ctx(machine, ["postconf", *case["argv"]])
    assert postconf_main(ctx) == case["status"]
    after = machine.read_text("/etc/postfix/master.cf")
    assert _diff(before, after) == case["diff"]


def _diff(before: str, after: str) -> list[str]:
    return list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))[2:]


@pytest.mark.skipif(not HAS_POSTFIX, reason="needs the real postconf")
@pytest.mark.parametrize("case", MASTER_EDITS, ids=[c["name"] for c in MASTER_EDITS])
def test_recorded_master_edits_match_the_real_postconf(
    machine: Machine, tmp_path: Path, case: dict
) -> None:
    text, status = _real_master_edit(tmp_path, machine, case["argv"])
    assert (_diff(machine.read_text("/etc/postfix/master.cf"), text), status) == (
        case["diff"],
        case["status"],
    )


@pytest.mark.parametrize(
    "text,fatal",
    [
        (
            "myhostname =\ncompatibility_level =\n"
            "inet_interfaces = ${{$compatibility_level} <level {3.6} ? {old} : {new}}\n",
            "postconf: fatal: dictionary mail_dict: macro processing error\n",
        ),
        ("compatibility_level =\n", "postconf: fatal: macro processing error\n"),
    ],
)
def test_startup_reads_inet_settings_before_mynetworks_style(machine, text, fatal):
    """Regression (found by hypothesis against the real postconf 3.7.11): a bad main.cf
    inet_interfaces fails in mail_dict before mynetworks_style's default is evaluated."""
    from helpers import run

    machine.write_text("/etc/postfix/main.cf", text)
    out, err, status = run(machine, "postconf -n")
    assert (out, status) == ("", 1)
    assert err == 'postconf: warning: malformed compatibility level syntax: ""\n' + fatal
