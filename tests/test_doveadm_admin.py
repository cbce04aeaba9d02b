"""doveadm's server commands (stop, reload, who, kick, log, help, config) on the simulated host.

The texts with Dovecot stopped, and who/kick/log find with it running, are
replayed from the real tool in test_doveadm_pw.py and test_doveadm_auth.py; here
the commands act on the simulated service and its logs.
"""

from __future__ import annotations

import time

from conftest import make_ctx
from helpers import run

from mailsim.dovecot.doveadm import main
from mailsim.machine import services
from mailsim.machine.machine import Machine


def doveadm(machine: Machine, *argv: str) -> tuple[str, str, int]:
    ctx = make_ctx(machine, ["doveadm", *argv])
    status = main(ctx)
    return ctx.stdout.getvalue().decode(), ctx.stderr.getvalue().decode(), status


def test_stop_and_reload_act_on_the_running_dovecot(machine: Machine) -> None:
    assert run(machine, "dovecot")[2] == 0
    assert doveadm(machine, "reload") == ("", "", 0)
    assert "SIGHUP received - reloading configuration" in machine.read_text("/var/log/mail.log")
    assert doveadm(machine, "stop") == ("", "", 0)
    assert not services.get_state(machine, "dovecot").running
    assert not machine.exists("/run/dovecot/master.pid")
    assert doveadm(machine, "stop") == (
        "",
        "Fatal: Dovecot is not running (read from /run/dovecot/master.pid)\n",
        75,
    )


def test_who_and_kick_with_nobody_logged_in(machine: Machine) -> None:
    run(machine, "dovecot")
    assert doveadm(machine, "who") == (
        "username # proto (pids) (ips)                         \n",
        "",
        0,
    )
    assert doveadm(machine, "kick", "alice") == ("no users kicked\n", "", 68)


def test_log_find_without_a_running_logger(machine: Machine) -> None:
    """With rsyslog stopped no test line reaches a file: every level is "Not found"
    (what the real doveadm prints on a host without a syslog daemon)."""
    services.mark_stopped(machine, "rsyslog")
    out, err, status = doveadm(machine, "log", "find")
    assert (err, status) == ("", 0)
    assert out == (
        "Looking for log files from /var/log\n"
        "Debug: Not found\nInfo: Not found\nWarning: Not found\nError: Not found\nFatal: Not found\n"
    )


def test_log_find_with_log_path_set(machine: Machine) -> None:
    machine.write_text("/etc/dovecot/conf.d/10-logging.conf", "log_path = /var/log/dovecot.log\n")
    out, err, status = doveadm(machine, "log", "find")
    assert (err, status) == ("", 0)
    assert out == "".join(
        f"{level}: /var/log/dovecot.log\n"
        for level in ("Debug", "Info", "Warning", "Error", "Fatal")
    )


def test_broken_configuration_stops_doveadm(machine: Machine) -> None:
    """Recorded: doveadm reads the configuration first, as ``doveconf`` would."""
    conf = machine.read_text("/etc/dovecot/conf.d/10-ssl.conf")
    machine.write_text("/etc/dovecot/conf.d/10-ssl.conf", conf + "ssl_nonsense = yes\n")
    out, err, status = doveadm(machine, "pw", "-s", "plain", "-p", "x")
    assert (out, status) == ("", 89)
    assert err.startswith(
        "doveconf: Fatal: Error in configuration file /etc/dovecot/conf.d/10-ssl.conf line "
    )
    assert err.endswith(": Unknown setting: ssl_nonsense\n")
    # "help CMD" reads no configuration
    assert doveadm(machine, "help", "pw")[2] == 0


def test_help(machine: Machine) -> None:
    out, err, status = doveadm(machine, "help", "pw")
    assert (out, err, status) == (
        "doveadm pw [-l] [-p plaintext] [-r rounds] [-s scheme] [-t hash] [-u user] [-V]\n",
        "",
        0,
    )
    assert doveadm(machine, "help", "nosuch") == ("", "No manual entry for doveadm-nosuch\n", 16)


def test_config_is_doveconf(machine: Machine) -> None:
    assert run(machine, "doveadm config -n") == run(machine, "doveconf -n")


def test_unsimulated_command_says_so(machine: Machine) -> None:
    out, err, status = doveadm(machine, "mailbox", "list", "-u", "alice")
    assert (out, status) == ("", 69)
    assert err == "doveadm: mailsim does not simulate 'doveadm mailbox list'\n"


def test_answers_fast(machine: Machine) -> None:
    """Commands that hash nothing answer well under the shell's latency goal."""
    doveadm(machine, "who")
    for argv in (("who",), ("pw", "-l"), ("pw", "-s", "SHA256", "-p", "x"), ("kick",)):
        start = time.perf_counter()
        doveadm(machine, *argv)
        assert time.perf_counter() - start < 0.02, argv


def test_config_file_named_as_given(machine: Machine) -> None:
    """Recorded from the real doveadm with ``-c`` relative paths: doveconf's messages
    name the file as given, a missing file is reported by doveadm's own stat()."""
    machine.write_text("/root/inc.conf", "!include /nonexist.conf\n")
    machine.write_text("/root/bad.conf", "protocols = imap imaps\n")
    assert doveadm(machine, "-c", "inc.conf", "pw", "-s", "plain", "-p", "x") == (
        "",
        "doveconf: Fatal: Error in configuration file inc.conf line 1: No matches\n",
        89,
    )
    assert doveadm(machine, "-c", "bad.conf", "pw", "-s", "plain", "-p", "x") == (
        "{PLAIN}x\n",
        "doveconf: Warning: NOTE: You can get a new clean config file with: "
        "doveconf -Pn > dovecot-new.conf\n"
        "doveconf: Warning: Obsolete setting in bad.conf:1: "
        "'imaps' protocol is no longer necessary, remove it\n",
        0,
    )
    assert doveadm(machine, "-c", "nonexist.conf", "pw", "-p", "x") == (
        "",
        "Fatal: Error reading configuration: stat(nonexist.conf) failed: No such file or directory\n",
        75,
    )


SESSIONS = [
    {"user": "frank", "service": "imap", "pid": 20215, "ip": "127.0.0.1"},
    {"user": "frank", "service": "imap", "pid": 20217, "ip": "127.0.0.1"},
    {"user": "longusername.example", "service": "imap", "pid": 20219, "ip": "127.0.0.1"},
    {"user": "frank", "service": "pop3", "pid": 20221, "ip": "127.0.0.1"},
]


def logged_in(machine: Machine, sessions: list[dict]) -> None:
    run(machine, "dovecot")
    machine.save_state("dovecot-sessions", {"sessions": sessions})


def test_who_separate_connections(machine: Machine) -> None:
    """Recorded from the real doveadm with three IMAP logins and one POP3 login."""
    logged_in(machine, SESSIONS)
    out, err, status = doveadm(machine, "who", "-1")
    assert (err, status) == ("", 0)
    assert out == (
        "username                                proto pid   ip       \n"
        "frank                                   imap  20215 127.0.0.1\n"
        "frank                                   imap  20217 127.0.0.1\n"
        "longusername.example                    imap  20219 127.0.0.1\n"
        "frank                                   pop3  20221 127.0.0.1\n"
    )


def test_who_one_row_sets_the_widths(machine: Machine) -> None:
    """The real table for frank's POP3 session (its first row in the recording)."""
    logged_in(machine, SESSIONS[3:])
    assert doveadm(machine, "who") == (
        "username # proto (pids)  (ips)                            \n"
        "frank    1 pop3  (20221) (127.0.0.1)                      \n",
        "",
        0,
    )
    logged_in(machine, SESSIONS[:2])
    out = doveadm(machine, "who", "frank")[0]
    assert out.splitlines()[1].startswith("frank    2 imap  (20215 20217) (127.0.0.1) ")
    assert doveadm(machine, "who", "nobody")[0] == "username # proto (pids) (ips)" + " " * 25 + "\n"


def test_kick(machine: Machine) -> None:
    """Recorded (stdout not a terminal): the flushed user list comes before printf's text."""
    logged_in(machine, SESSIONS)
    ctx = make_ctx(machine, ["doveadm", "kick", "longusername.example"], tty=False)
    assert main(ctx) == 0
    assert ctx.stdout.getvalue().decode() == (
        "longusername.example kicked connections from the following users:\n\n"
    )
    assert doveadm(machine, "kick", "longusername.example") == ("no users kicked\n", "", 68)
    assert doveadm(machine, "kick", "FRANK") == (
        "kicked connections from the following users:\nfrank \n",
        "",
        0,
    )
    assert doveadm(machine, "who")[0] == "username # proto (pids) (ips)" + " " * 25 + "\n"
