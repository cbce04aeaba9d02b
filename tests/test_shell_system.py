"""date, hostname, uname, which, env, clear, sleep and ps: transcripts recorded from the
real coreutils/net-tools/procps on Debian 12 (tests/data/shell_system/cases.json, refreshed
by its record.py) and, where the real tools can answer for the simulated host, compared
live."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import make_ctx
from helpers import run

from mailsim.machine.machine import Machine
from mailsim.shell.commands import system
from mailsim.shell.terminal import PlainTerminal

DATA = Path(__file__).parent / "data" / "shell_system"
CASES = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))
ENV = {
    "LC_ALL": "C.UTF-8",
    "TZ": "UTC",
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
}


@pytest.mark.parametrize("case", CASES, ids=[c["line"] for c in CASES])
def test_recorded_transcript(machine: Machine, case: dict) -> None:
    assert run(machine, case["line"]) == (case["stdout"], case["stderr"], case["status"])


LIVE = [c for c in CASES if c.get("real") and not c["line"].startswith("su ")]


@pytest.mark.skipif(
    shutil.which("date") is None or shutil.which("hostname") is None,
    reason="coreutils and hostname not installed",
)
@pytest.mark.parametrize("case", LIVE, ids=[c["line"] for c in LIVE])
def test_same_as_real_tool(machine: Machine, case: dict) -> None:
    done = subprocess.run(
        ["bash", "-c", case["real"]], capture_output=True, text=True, env=ENV, check=False
    )
    assert run(machine, case["line"]) == (done.stdout, done.stderr, done.returncode)


def test_hostname_new_sets_running_name_and_prompt(machine: Machine) -> None:
    assert run(machine, "hostname relay") == ("", "", 0)
    assert machine.hostname == "relay"
    assert run(machine, "hostname; uname -n") == ("relay\nrelay\n", "", 0)
    # /etc/hostname is untouched: the name is the running one, as on a real host.
    assert machine.read_text("/etc/hostname").strip() == "mail"


def test_hostname_invalid_name(machine: Machine) -> None:
    assert run(machine, "hostname 'bad name'") == (
        "",
        "hostname: the specified hostname is invalid\n",
        1,
    )


def test_hostname_fqdn_follows_etc_hosts(machine: Machine) -> None:
    machine.write_text("/etc/hosts", "127.0.0.1 localhost\n192.0.2.25 mx1.example.net mail\n")
    assert run(machine, "hostname -f; hostname -d; hostname -i") == (
        "mx1.example.net\nexample.net\n192.0.2.25\n",
        "",
        0,
    )


def test_date_set_is_refused_for_users_and_not_kept(machine: Machine) -> None:
    out, err, status = run(machine, "su alice -c \"date -s '2026-01-01'\"")
    assert (err, status) == ("date: cannot set date: Operation not permitted\n", 1)
    assert out == "Thu Jan  1 00:00:00 UTC 2026\n"
    assert run(machine, "date +%F")[0] == "2026-11-25\n"


def test_which_follows_path(machine: Machine) -> None:
    # A user's PATH has no sbin directories, so postconf is not found.
    assert run(machine, "su - alice -c 'which postconf'") == ("", "", 1)
    assert run(machine, "su - alice -c 'which ls'") == ("/usr/bin/ls\n", "", 0)


def test_clear_asks_the_terminal_to_clear(machine: Machine) -> None:
    cleared = []

    class Term(PlainTerminal):
        def clear(self) -> None:
            cleared.append(True)

    ctx = make_ctx(machine, ["clear"])
    ctx.terminal = Term()
    assert system.clear(ctx) == 0
    assert cleared == [True]


def test_sleep_stops_on_ctrl_c(machine: Machine) -> None:
    ctx = make_ctx(machine, ["sleep", "30"])
    ctx.terminal.cancel_event.set()
    started = time.monotonic()
    from mailsim.shell.streams import CommandCancelled

    with pytest.raises(CommandCancelled):
        system.sleep(ctx)
    assert time.monotonic() - started < 1


def test_ps_aux_shows_running_services(machine: Machine) -> None:
    assert run(machine, "postfix start")[2] == 0
    out, err, status = run(machine, "ps aux | cat")
    lines = out.splitlines()
    assert lines[0] == "USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND"
    masters = [line for line in lines if line.endswith("/usr/lib/postfix/sbin/master -w")]
    assert len(masters) == 1 and masters[0].startswith("root ")
    assert any(
        line.startswith("postfix ") and line.endswith("qmgr -l -t unix -u") for line in lines
    )
    assert (err, status) == ("", 0)
    run(machine, "postfix stop")
    assert "master -w" not in run(machine, "ps aux | cat")[0]


def test_ps_ef_layout_and_terminal_width(machine: Machine) -> None:
    out = run(machine, "ps -ef")[0].splitlines()
    assert out[0] == "UID        PID  PPID  C STIME TTY          TIME CMD"
    assert out[1].startswith("root         1     0  0 ")
    # On a terminal, ps cuts lines at its width; piped, it does not.
    assert max(len(line) for line in out) <= 80
    piped = run(machine, "ps -ef | cat")[0]
    assert "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups" in piped


def test_ps_bad_option(machine: Machine) -> None:
    out, err, status = run(machine, "ps -Q")
    assert (out, status) == ("", 1)
    assert err.startswith("error: unsupported SysV option\n\nUsage:\n ps [options]\n")


def test_date_is_fast(machine: Machine) -> None:
    ctx = make_ctx(machine, ["date", "+%s"])
    started = time.perf_counter()
    for _ in range(200):
        system.date(ctx)
    assert (time.perf_counter() - started) / 200 < 0.002


def _pids(text: str, column: int) -> dict[str, int]:
    """Command line → pid from a ps listing (pid in ``column``, command from column 4)."""
    rows = {}
    for line in text.splitlines()[1:]:
        fields = line.split(None, 4)
        rows[fields[4]] = int(fields[column])
    return rows


def test_every_process_has_its_own_pid(machine: Machine) -> None:
    """Regression: Dovecot's children took the pids later handed to the shell and ps."""
    run(machine, "postfix start 2>/dev/null; systemctl start dovecot")
    out, _, status = run(machine, "ps ax | cat")
    assert status == 0
    pids = [int(line.split()[0]) for line in out.splitlines()[1:]]
    assert len(pids) == len(set(pids)), out
    assert "/usr/sbin/dovecot -F" in out and "-bash" in out


def test_boot_services_agree_in_ps_ss_and_systemctl(machine: Machine) -> None:
    """Regression: ssh, cron and rsyslog had no pid and ss/ps/systemctl each made one up."""
    ps = _pids(run(machine, "ps ax | cat")[0], 0)
    sshd = ps["sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"]
    assert ps["/usr/sbin/cron -f"] != ps["/usr/sbin/rsyslogd -n -iNONE"] != sshd
    assert f'("sshd",pid={sshd},fd=3)' in run(machine, "ss -tlnp | cat")[0]
    assert f"Main PID: {sshd} (sshd)" in run(machine, "systemctl status ssh | cat")[0]
    assert run(machine, "systemctl status cron | grep PID")[0].split()[2] == str(
        ps["/usr/sbin/cron -f"]
    )


def test_restart_gives_a_new_pid_that_all_tools_show(machine: Machine) -> None:
    before = _pids(run(machine, "ps ax | cat")[0], 0)
    run(machine, "systemctl restart ssh")
    after = _pids(run(machine, "ps ax | cat")[0], 0)
    line = "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"
    assert after[line] != before[line]
    assert f'("sshd",pid={after[line]},fd=3)' in run(machine, "ss -tlnp | cat")[0]
    assert f"Main PID: {after[line]} (sshd)" in run(machine, "systemctl status ssh | cat")[0]
    assert _pids(run(machine, "ps ax | cat")[0], 0)[line] == after[line]  # stable
