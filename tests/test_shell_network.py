"""ip and ss: transcripts (tests/data/shell_network/cases.json; the loopback and error
lines recorded from iproute2 6.1 and compared live, being the same on any Linux host),
and ss's column layout compared with the real ss over real loopback sockets, on a
terminal of several widths and piped."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import socket
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest
from helpers import run

from mailsim.machine.machine import Machine
from mailsim.shell.commands.sockets import Column, render

DATA = Path(__file__).parent / "data" / "shell_network"
CASES = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["line"] for c in CASES])
def test_recorded_transcript(machine: Machine, case: dict) -> None:
    assert run(machine, case["line"]) == (case["stdout"], case["stderr"], case["status"])


LIVE = [c for c in CASES if c.get("real")]


@pytest.mark.skipif(
    shutil.which("ip") is None or shutil.which("ss") is None, reason="iproute2 not installed"
)
@pytest.mark.parametrize("case", LIVE, ids=[c["line"] for c in LIVE])
def test_same_as_real_iproute2(machine: Machine, case: dict) -> None:
    done = subprocess.run(
        ["bash", "-c", case["real"]],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C.UTF-8", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        check=False,
    )
    assert run(machine, case["line"]) == (done.stdout, done.stderr, done.returncode)


def _columns(netid: bool) -> list[Column]:
    return [
        Column("Netid", "", False, netid),
        Column("State", " ", False),
        Column("Recv-Q", " ", False),
        Column("Send-Q", " ", False),
        Column("Local Address:", " ", True),
        Column("Port", "", False),
        Column("Peer Address:", " ", True),
        Column("Port", "", False),
        Column("Process", "", False),
        Column("", "", False),
    ]


def _real_ss(args: list[str], width: int | None) -> str:
    if width is None:
        return subprocess.run(["ss", *args], capture_output=True, text=True, check=False).stdout
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child execs ss
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, width, 0, 0))
        os.execvp("ss", ["ss", *args])
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    text = b"".join(chunks).decode().replace("\r\n", "\n")
    # On a pty, stderr (the netlink complaint about socket kinds this kernel lacks) mixes in.
    return "".join(
        line for line in text.splitlines(keepends=True) if not line.startswith("RTNETLINK")
    )


@pytest.mark.skipif(shutil.which("ss") is None, reason="iproute2 not installed")
@pytest.mark.parametrize("width", [80, 100, 132, None])
@pytest.mark.parametrize("args", [["-tln"], ["-tlnp"], ["-ln"], ["-lnp"]])
def test_ss_layout_same_as_real(width: int | None, args: list[str]) -> None:
    listeners = []
    for family, address in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        sock = socket.socket(family)
        sock.bind((address, 0))
        sock.listen(100)
        listeners.append(sock)
    ports = [s.getsockname()[1] for s in listeners]
    try:
        filt = ["sport", "=", f":{ports[0]}", "or", "sport", "=", f":{ports[1]}"]
        real = _real_ss(args + filt, width)
        rows = []
        for sock, (addr, peer) in zip(
            listeners, (("127.0.0.1", "0.0.0.0"), ("[::1]", "[::]")), strict=True
        ):
            fd = sock.fileno()
            proc = f' users:(("python3",pid={os.getpid()},fd={fd}))' if "p" in args[0] else ""
            if proc and "python" not in real:
                pytest.skip("ss cannot see this process")
            name = real.split('users:(("', 1)[1].split('"', 1)[0] if proc else ""
            proc = proc.replace('"python3"', f'"{name}"')
            rows.append(
                [
                    "tcp",
                    "LISTEN",
                    "0     ",
                    "100   ",
                    addr + ":",
                    str(sock.getsockname()[1]),
                    peer + ":",
                    "*",
                    proc,
                    "",
                ]
            )
        # ss lists the IPv4 socket first, as the simulated ss does.
        columns = _columns("t" not in args[0])
        header = [c.header for c in columns if c.enabled]
        body = [[x for x, c in zip(r, columns, strict=True) if c.enabled] for r in rows]
        assert render([header, *body], columns, width) == real
    finally:
        for sock in listeners:
            sock.close()


def test_ss_shows_postfix_and_dovecot(machine: Machine) -> None:
    assert run(machine, "postfix start")[2] == 0
    assert run(machine, "systemctl start dovecot")[2] == 0
    out, err, status = run(machine, "ss -tlnp | cat")
    master = machine.read_text("/var/spool/postfix/pid/master.pid").split()[0]
    lines = out.splitlines()
    assert lines[0].startswith("State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess ")
    assert f'0.0.0.0:25        0.0.0.0:*    users:(("master",pid={master},fd=13)) \n' in out
    assert any(":143 " in line and '"dovecot"' in line for line in lines)
    assert any(line.split()[3] == "[::]:993" for line in lines[1:])
    assert (err, status) == ("", 0)
    # Names from /etc/services without -n; users see no process column.
    named = run(machine, "ss -tl | cat")[0]
    assert "0.0.0.0:smtp" in named and "0.0.0.0:imap2" in named
    assert "users:" not in run(machine, "su alice -c 'ss -tlnp'")[0]


def test_ss_follows_inet_interfaces(machine: Machine) -> None:
    run(machine, "postconf -e inet_interfaces=loopback-only")
    run(machine, "postfix start")
    out = run(machine, "ss -tln | cat")[0]
    assert "127.0.0.1:25 " in out and "[::1]:25 " in out and "0.0.0.0:25 " not in out


def test_ip_follows_etc_network_interfaces(machine: Machine) -> None:
    text = machine.read_text("/etc/network/interfaces").replace("192.0.2.25/24", "198.51.100.7/25")
    machine.write_text("/etc/network/interfaces", text)
    out = run(machine, "ip -4 a show eth0; ip r")[0]
    assert "    inet 198.51.100.7/25 brd 198.51.100.127 scope global eth0\n" in out
    assert "198.51.100.0/25 dev eth0 proto kernel scope link src 198.51.100.7 \n" in out


def test_ip_is_fast(machine: Machine) -> None:
    run(machine, "ip a")
    started = time.perf_counter()
    for _ in range(50):
        run(machine, "ip a")
    assert (time.perf_counter() - started) / 50 < 0.01


SERVICES_RECORDED = {22: "ssh", 25: "smtp", 110: "pop3", 143: "imap2", 465: "submissions"}
SERVICES_RECORDED |= {587: "submission", 993: "imaps", 995: "pop3s", 4190: "sieve", 24: "24"}
"""getservbyport(port, "tcp") on Debian 12 (netbase 6.4); 24 (lmtp) has no entry there."""


def test_etc_services_is_debians(machine: Machine) -> None:
    """The lessons' check: the image's /etc/services answers as Debian's does."""
    line = "imap2\t\t143/tcp\t\timap\t\t# Interim Mail Access P 2 and 4\n"
    assert run(machine, "grep -w 143 /etc/services") == (line, "", 0)
    if os.path.exists("/etc/services"):
        with open("/etc/services", encoding="utf-8") as fh:
            host = [entry for entry in fh if not entry.startswith("#")]
        ours = machine.read_text("/etc/services").splitlines(keepends=True)
        assert [entry for entry in ours if not entry.startswith("#")] == host


@pytest.mark.parametrize("port", sorted(SERVICES_RECORDED))
def test_port_names_as_getservbyport(machine: Machine, port: int) -> None:
    from mailsim.shell.commands.sockets import parse_services

    names = parse_services(machine.read_text("/etc/services"))
    assert names.get((port, "tcp"), str(port)) == SERVICES_RECORDED[port]


@pytest.mark.skipif(not os.path.exists("/etc/services"), reason="no /etc/services on this host")
@pytest.mark.parametrize("port", sorted(SERVICES_RECORDED))
def test_port_names_same_as_host(machine: Machine, port: int) -> None:
    from mailsim.shell.commands.sockets import parse_services

    try:
        real = socket.getservbyport(port, "tcp")
    except OSError:
        real = str(port)
    names = parse_services(machine.read_text("/etc/services"))
    assert names.get((port, "tcp"), str(port)) == real


def test_ss_reads_the_machines_etc_services(machine: Machine) -> None:
    """ss names ports from the machine's file: edited or removed, the names follow."""
    run(machine, "postfix start")
    assert "0.0.0.0:smtp " in run(machine, "ss -tl | cat")[0]
    run(machine, "sed -i 's/^smtp\\t/mailport/' /etc/services")
    assert "0.0.0.0:mailport " in run(machine, "ss -tl | cat")[0]
    run(machine, "rm /etc/services")
    assert "0.0.0.0:25 " in run(machine, "ss -tl | cat")[0]
