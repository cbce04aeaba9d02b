"""The dovecot master: start, stop, reload, refusing broken configurations, listeners.

Expected texts are Dovecot 2.3.19's (checked with the real ``dovecot`` on
copies of the configuration; the start itself is not run for real here, it
would bind ports).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import make_ctx

from mailsim.dovecot.daemon import main as dovecot
from mailsim.dovecot.service import CONTROLLER
from mailsim.machine import services
from mailsim.machine.machine import Machine

HAVE_DOVECOT = shutil.which("dovecot") is not None


def run(machine: Machine, *args: str) -> tuple[str, str, int]:
    ctx = make_ctx(machine, ["dovecot", *args])
    status = dovecot(ctx)
    return ctx.stdout.getvalue().decode(), ctx.stderr.getvalue().decode(), status


def edit(machine: Machine, path: str, old: str, new: str) -> None:
    text = machine.read_text(path)
    assert old in text
    machine.write_text(path, text.replace(old, new, 1))


def test_start_writes_pid_and_logs(machine: Machine) -> None:
    assert run(machine) == ("", "", 0)
    pid = int(machine.read_text("/run/dovecot/master.pid"))
    assert services.get_state(machine, "dovecot").pid == pid
    log = machine.read_text("/var/log/mail.log")
    assert (
        "dovecot: master: Dovecot v2.3.19.1 (9b53102964) starting up for imap, pop3 "
        "(core dumps disabled)" in log
    )


def test_start_twice_is_refused(machine: Machine) -> None:
    run(machine)
    pid = machine.read_text("/run/dovecot/master.pid").strip()
    assert run(machine) == (
        "",
        f"Fatal: Dovecot is already running with PID {pid} (read from /run/dovecot/master.pid)\n",
        89,
    )


def test_stop_and_reload_when_not_running(machine: Machine) -> None:
    message = "Fatal: Dovecot is not running (read from /run/dovecot/master.pid)\n"
    assert run(machine, "stop") == ("", message, 75)
    assert run(machine, "reload") == ("", message, 75)
    assert run(machine, "stop", "foo") == ("", "Error: Extraneous arguments found: foo\n", 64)


def test_stop_after_start(machine: Machine) -> None:
    run(machine)
    assert run(machine, "stop") == ("", "", 0)
    assert not machine.exists("/run/dovecot/master.pid")
    assert CONTROLLER.listeners(machine) == []


def test_start_refuses_bad_value(machine: Machine) -> None:
    edit(machine, "/etc/dovecot/conf.d/10-ssl.conf", "ssl = yes", "ssl = maybe")
    assert run(machine) == (
        "",
        "doveconf: Fatal: Error in configuration file "
        "/etc/dovecot/conf.d/10-ssl.conf line 6: Invalid value: maybe\n",
        89,
    )
    assert not services.get_state(machine, "dovecot").running


def test_start_reads_ssl_cert_file(machine: Machine) -> None:
    """Regression: doveconf -n only prints <file; the starting master opens it."""
    edit(
        machine,
        "/etc/dovecot/conf.d/10-ssl.conf",
        "ssl_cert = </etc/dovecot/private/dovecot.pem",
        "ssl_cert = </etc/ssl/certs/missing.pem",
    )
    assert run(machine) == (
        "",
        "doveconf: Fatal: Error in configuration file "
        "/etc/dovecot/conf.d/10-ssl.conf line 12: ssl_cert: Can't open file "
        "/etc/ssl/certs/missing.pem: No such file or directory\n",
        89,
    )


def test_start_refuses_duplicate_listener(machine: Machine) -> None:
    edit(machine, "/etc/dovecot/conf.d/10-master.conf", "    #port = 995", "    port = 110")
    assert run(machine) == (
        "",
        "doveconf: Fatal: Error in configuration file "
        "/etc/dovecot/dovecot.conf: duplicate listener: 110:\n",
        89,
    )


def test_listeners_follow_protocols_listen_and_ports(machine: Machine) -> None:
    run(machine)
    got = {(lis.address, lis.port) for lis in CONTROLLER.listeners(machine)}
    assert got == {(a, p) for a in ("0.0.0.0", "[::]") for p in (143, 993, 110, 995)}
    edit(
        machine,
        "/etc/dovecot/dovecot.conf",
        "#listen = *, ::",
        "protocols = imap\nlisten = 127.0.0.1",
    )
    edit(machine, "/etc/dovecot/conf.d/10-master.conf", "    #port = 143", "    port = 0")
    got = {(lis.address, lis.port) for lis in CONTROLLER.listeners(machine)}
    assert got == {("127.0.0.1", 993)}


def test_version_help_and_bad_option(machine: Machine) -> None:
    assert run(machine, "--version") == ("2.3.19.1 (9b53102964)\n", "", 0)
    out, err, status = run(machine, "--help")
    assert (out.startswith("Usage: dovecot [-F]"), err, status) == (True, "", 0)
    out, err, status = run(machine, "-Z")
    assert (out, err.splitlines()[0], status) == ("", "dovecot: invalid option -- 'Z'", 89)


def test_dovecot_n_is_doveconf_n(machine: Machine) -> None:
    out, err, status = run(machine, "-n")
    assert out.startswith("# 2.3.19.1 (9b53102964): /etc/dovecot/dovecot.conf\n")
    assert 'protocols = " imap pop3"\n' in out
    assert (err, status) == ("", 0)


@pytest.mark.skipif(not HAVE_DOVECOT, reason="Dovecot is not installed")
def test_real_dovecot_refuses_the_same(machine: Machine, tmp_path: Path) -> None:
    edit(machine, "/etc/dovecot/conf.d/10-master.conf", "    #port = 995", "    port = 110")
    # plain files for the key pair: the image's are links, which only the simulation sees
    machine.write_text("/etc/dovecot/test.pem", "not really a certificate\n")
    ssl = "/etc/dovecot/conf.d/10-ssl.conf"
    edit(machine, ssl, "</etc/dovecot/private/dovecot.pem", "</etc/dovecot/test.pem")
    edit(machine, ssl, "</etc/dovecot/private/dovecot.key", "</etc/dovecot/test.pem")
    real = tmp_path / "real"
    shutil.copytree(machine.root / "etc/dovecot", real / "etc/dovecot")
    shutil.copytree(machine.root / "usr/share/dovecot", real / "usr/share/dovecot")
    for file in real.rglob("*.conf*"):
        text = file.read_text()
        file.write_text(
            text.replace("/usr/share/", f"{real}/usr/share/").replace("</etc/", f"<{real}/etc/")
        )
    proc = subprocess.run(
        ["dovecot", "-c", str(real / "etc/dovecot/dovecot.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    ours = run(machine)
    assert (proc.stderr.replace(str(real), ""), proc.returncode) == (ours[1], ours[2])
