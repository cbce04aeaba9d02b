"""systemctl and service over the service controllers.

No systemd runs where these tests are written, so the expected layouts
(tests/data/shell_services/transcript.json) are copied from Debian 12 transcripts of
systemd 252 rather than compared live; the controllers underneath are compared with the
real Postfix and Dovecot in their own tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run

from mailsim.machine import services
from mailsim.machine.machine import Machine

DATA = Path(__file__).parent / "data" / "shell_services"
TRANSCRIPT = json.loads((DATA / "transcript.json").read_text(encoding="utf-8"))


def test_transcript(machine: Machine) -> None:
    for step in TRANSCRIPT["steps"]:
        got = run(machine, step["line"])
        assert got == (step["stdout"], step["stderr"], step["status"]), step["line"]


def test_start_and_stop_drive_the_controller(machine: Machine) -> None:
    assert run(machine, "systemctl start postfix") == ("", "", 0)
    assert services.get_state(machine, "postfix").running
    assert machine.exists("/var/spool/postfix/pid/master.pid")
    # systemd starts daemons without a terminal: postfix-script's lines go to the log only.
    assert "starting the Postfix mail system" in machine.read_text("/var/log/mail.log")
    assert run(machine, "postfix status")[1].endswith(
        f"the Postfix mail system is running: PID: {services.get_state(machine, 'postfix').pid}\n"
    )
    assert run(machine, "service postfix stop") == ("", "", 0)
    assert not services.get_state(machine, "postfix").running


def test_broken_dovecot_config_fails_the_job(machine: Machine) -> None:
    machine.write_text("/etc/dovecot/conf.d/99-broken.conf", "frobnicate = yes\n")
    out, err, status = run(machine, "systemctl start dovecot")
    assert (out, status) == ("", 1)
    assert err == (
        "Job for dovecot.service failed because the control process exited with "
        'error code.\nSee "systemctl status dovecot.service" and "journalctl -xeu '
        'dovecot.service" for details.\n'
    )
    assert run(machine, "systemctl is-active dovecot") == ("failed\n", "", 3)
    status_text = run(machine, "systemctl status dovecot | cat")[0]
    assert status_text.startswith("× dovecot.service - Dovecot IMAP/POP3 email server\n")
    assert (
        "     Active: failed (Result: exit-code) since Wed 2026-11-25 08:29:01 UTC; 0s ago\n"
        in status_text
    )
    machine.remove("/etc/dovecot/conf.d/99-broken.conf")
    assert run(machine, "systemctl restart dovecot") == ("", "", 0)
    assert run(machine, "systemctl is-active dovecot") == ("active\n", "", 0)


def test_status_ago_follows_the_clock(machine: Machine) -> None:
    run(machine, "systemctl start postfix")
    machine.clock.advance(3 * 3600 + 125)
    line = run(machine, "systemctl status postfix | sed -n 3p")[0]
    assert line == "     Active: active (exited) since Wed 2026-11-25 08:29:01 UTC; 3h 2min ago\n"


@pytest.mark.parametrize("alias", ["postfix.service", "postfix"])
def test_unit_names_with_and_without_suffix(machine: Machine, alias: str) -> None:
    assert run(machine, f"systemctl is-enabled {alias}") == ("enabled\n", "", 0)


def test_enable_state_is_kept(machine: Machine) -> None:
    run(machine, "systemctl disable dovecot")
    assert not services.get_state(machine, "dovecot").enabled
    assert "; disabled; preset: enabled)" in run(machine, "systemctl status dovecot")[0]


def test_systemctl_start_postfix_refuses_what_postfix_start_refuses(machine):
    """Regression: systemd's start skipped the postfix binary's own checks, so a bogus
    inet_interfaces started anyway and ss listed bogus:25."""
    from helpers import run

    run(machine, "postconf -e inet_interfaces=bogus")
    out, err, status = run(machine, "systemctl start postfix")
    assert status == 1
    assert err.startswith("Job for postfix.service failed")
    assert "bogus" not in run(machine, "ss -tln")[0]
    last = run(machine, "tail -n 1 /var/log/mail.log")[0]
    assert "fatal: parameter inet_interfaces: no local interface found for bogus" in last
