"""Follow-ups on the Postfix tools: crashes, warnings replayed by postfix check/start,
reload after an inet_interfaces change, the control tools reading the shared main.cf model."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from helpers import run

from mailsim.machine.machine import Machine
from mailsim.postfix import service

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
