"""Transcripts of the coreutils text tools (head, tail, wc, sort, uniq, cut, tee, cat).

Each case is a command line run in a directory holding ``FILES``: the simulation
runs it in /root/work on a fresh machine, the real tools (when installed) in a
host directory with the same contents, and both must give the same stdout,
stderr and status byte for byte. The real outputs are also recorded in
tests/data/shell_text/*.json, so the simulation is checked where the real tools
are missing. ``MAILSIM_RECORD=1 pytest tests/test_shell_text.py -k record``
rewrites a recording from this host's tools.

This module also holds the harness the grep and sed transcripts use.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import make_ctx

from mailsim.machine.clock import Clock
from mailsim.machine.image import init_machine
from mailsim.machine.machine import Machine
from mailsim.shell.session import ExitShell, Shell
from mailsim.shell.streams import InputStream, OutputStream

DATA = Path(__file__).parent / "data" / "shell_text"
WORK = "/root/work"

FILES: dict[str, bytes] = {
    "a.txt": b"hello\nworld\nHello again\n",
    "n.txt": b"".join(b"l%d\n" % i for i in range(1, 13)),
    "s.txt": b"b 2\na 10\nc 1\na 10\nB 3\n\n 5 x\n-1 y\n",
    "noeol.txt": b"one\ntwo",
    "empty.txt": b"",
    "enc.txt": b"hello 1\nhello \xff 2\nhello 3\n",
    "nul.bin": b"hello 1\n\0\nhello 3\n",
    "utf8.txt": "caf\u00e9 cr\u00e8me\n\u00c9t\u00e9 \u2603\n".encode(),
    "d/x": b"hello there\n",
    "d/sub/y.cf": b"relayhost = [smtp.example.net]:587\nhello\n",
    "passwd": (
        b"root:x:0:0:root:/root:/bin/bash\n"
        b"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
        b"postfix:x:103:110::/var/spool/postfix:/usr/sbin/nologin\n"
        b"alice:x:1001:1001:Alice,,,:/home/alice:/bin/bash\n"
        b"bob:x:1002:1002:Bob,,,:/home/bob:/bin/bash\n"
    ),
    "main.cf": (
        b"# See /usr/share/postfix/main.cf.dist for a commented version\n"
        b"smtpd_banner = $myhostname ESMTP $mail_name (Debian/GNU)\n"
        b"biff = no\n"
        b"\n"
        b"append_dot_mydomain = no\n"
        b"#delay_warning_time = 4h\n"
        b"readme_directory = no\n"
        b"compatibility_level = 3.6\n"
        b"smtpd_tls_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem\n"
        b"smtpd_tls_key_file=/etc/ssl/private/ssl-cert-snakeoil.key\n"
        b"smtpd_tls_security_level=may\n"
        b"myhostname = mail.example.com\n"
        b"alias_maps = hash:/etc/aliases\n"
        b"alias_database = hash:/etc/aliases\n"
        b"myorigin = /etc/mailname\n"
        b"mydestination = $myhostname, mail.example.com, localhost\n"
        b"relayhost = \n"
        b"mynetworks = 127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128\n"
        b"mailbox_size_limit = 0\n"
        b"recipient_delimiter = +\n"
        b"inet_interfaces = all\n"
        b"inet_protocols = all\n"
    ),
    "mail.log": (
        b"Nov 25 08:29:01 mail postfix/master[812]: daemon started -- version 3.7.11\n"
        b"Nov 25 08:30:12 mail postfix/smtpd[901]: connect from localhost[127.0.0.1]\n"
        b"Nov 25 08:30:12 mail postfix/smtpd[901]: 4A1B2C3D4E: client=localhost\n"
        b"Nov 25 08:30:13 mail postfix/qmgr[815]: 4A1B2C3D4E: from=<root@mail>\n"
        b"Nov 25 08:30:13 mail postfix/local[903]: 4A1B2C3D4E: to=<alice@mail>, "
        b"status=sent (delivered to mailbox)\n"
        b"Nov 25 08:31:40 mail postfix/smtpd[901]: warning: unknown[192.0.2.7]: "
        b"SASL LOGIN authentication failed\n"
        b"Nov 25 08:32:02 mail dovecot: imap-login: Login: user=<alice>\n"
    ),
}

ENV = {
    "LC_ALL": "C.UTF-8",
    "LANG": "C.UTF-8",
    "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
    "HOME": "/root",
    "TERM": "dumb",
}

Case = dict
"""{"line": str, "stdin": str (optional)}; recordings add stdout, stderr, status."""


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def run_real(line: str, stdin: str = "") -> tuple[bytes, bytes, int]:
    """The line under the host's bash and GNU tools, in a directory holding FILES."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in FILES.items():
            path = Path(tmp) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        done = subprocess.run(
            ["bash", "-c", line],
            cwd=tmp,
            input=_bytes(stdin),
            capture_output=True,
            env=ENV,
            timeout=20,
        )
    return done.stdout, done.stderr, done.returncode


def reset_work(machine: Machine) -> None:
    if machine.exists(WORK):
        machine.remove(WORK, recursive=True)
    machine.mkdir(WORK, parents=True)
    for name, data in FILES.items():
        path = f"{WORK}/{name}"
        parent = path.rsplit("/", 1)[0]
        if not machine.is_dir(parent):
            machine.mkdir(parent, parents=True)
        machine.write_bytes(path, data)


def run_sim(
    machine: Machine, line: str, stdin: str = "", user: str = "root"
) -> tuple[bytes, bytes, int]:
    """The line in the simulated shell (``bash -c`` wording), cwd /root/work, pipes."""
    reset_work(machine)
    shell = Shell(machine, interactive=False, user=user)
    shell.cwd = WORK
    out, err = OutputStream(isatty=False), OutputStream(isatty=False)
    try:
        status = shell.run_line(line, InputStream(_bytes(stdin)), out, err)
    except ExitShell as exc:
        status = exc.status
    return out.getvalue(), err.getvalue(), status


def load_cases(area: str) -> list[Case]:
    path = DATA / f"{area}.json"
    if not path.exists():  # before the first recording
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def record(area: str, lines: list[str | tuple[str, str]]) -> None:
    """Write the recording of ``area`` from this host's real tools."""
    cases = []
    for item in lines:
        line, stdin = (item, "") if isinstance(item, str) else item
        out, err, status = run_real(line, stdin)
        case = {
            "line": line,
            "stdin": stdin,
            "stdout": _text(out),
            "stderr": _text(err),
            "status": status,
        }
        cases.append(case)
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / f"{area}.json").write_text(json.dumps(cases, indent=1) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def shared_machine(tmp_path_factory: pytest.TempPathFactory) -> Machine:
    """One machine for a module's transcripts; each case rewrites /root/work."""
    root = init_machine(tmp_path_factory.mktemp("text") / "m").root
    return Machine(root, Clock.from_env({"MAILSIM_NOW": "2026-11-25T08:29:01"}))


def check_recorded(machine: Machine, case: Case) -> None:
    got = run_sim(machine, case["line"], case.get("stdin", ""))
    want = (_bytes(case["stdout"]), _bytes(case["stderr"]), case["status"])
    assert got == want, case["line"]


def check_real(machine: Machine, line: str, stdin: str) -> None:
    real = run_real(line, stdin)
    assert run_sim(machine, line, stdin) == real, line


def tools_missing(*names: str) -> bool:
    return any(shutil.which(n) is None for n in names) or shutil.which("bash") is None


LINES: list[str | tuple[str, str]] = [
    "head -n 3 n.txt a.txt",
    "head -n -10 n.txt",
    "head -c 5 n.txt",
    "head -3 n.txt",
    "head -n x n.txt",
    "head nosuch",
    "head d",
    "head -q -n1 n.txt a.txt",
    "head -n 1 a.txt nosuch",
    "head -n +2 n.txt",
    "head -n 1x n.txt",
    "head -c -3 n.txt",
    "head --foo",
    "head -n",
    "head -v noeol.txt",
    "head -n1 noeol.txt",
    "head -c 2k a.txt",
    ("head -n 2", "x\ny\nz\n"),
    ("head -n 1 - a.txt", "in\n"),
    "tail -n 2 n.txt a.txt",
    "tail -n +11 n.txt",
    "tail -c 4 n.txt",
    "tail -3 n.txt",
    "tail +3 n.txt",
    "tail -n x n.txt",
    "tail nosuch",
    "tail d",
    "tail -v -n1 n.txt",
    "tail -n -2 n.txt",
    "tail -c +37 n.txt",
    "tail -n 1 noeol.txt",
    "tail -n",
    "tail -f nosuch",
    "tail -n 0 a.txt",
    "tail -q -n1 a.txt n.txt",
    "tail -n2 mail.log",
    "wc n.txt a.txt",
    "wc -l n.txt",
    "wc -lwc a.txt",
    "wc nosuch a.txt",
    "wc d",
    "wc -m a.txt",
    "wc -L a.txt",
    "wc --foo",
    "wc -l a.txt nosuch",
    "wc -w main.cf",
    "wc -m utf8.txt",
    "wc -c utf8.txt",
    "wc -m -c enc.txt",
    "wc nul.bin",
    "wc empty.txt",
    "wc noeol.txt",
    "wc -l *.txt",
    ("wc -l", "a\nb\n"),
    ("wc", "one two\nthree\n"),
    ("wc -w", "x y z"),
    ("wc -l a.txt -", "1\n2\n"),
    "sort s.txt",
    "sort -n s.txt",
    "sort -k2 -n s.txt",
    "sort -k2,2n -r s.txt",
    "sort -u s.txt",
    "sort -t: -k3 -n passwd",
    "sort -t: -k3,3n -r passwd",
    "sort -k 0 s.txt",
    "sort -x s.txt",
    "sort nosuch",
    "sort -f s.txt",
    "sort -k2n,2 -u s.txt",
    "sort -t ab s.txt",
    "sort -n -k2 -t ' ' s.txt",
    "sort -k1.x s.txt",
    "sort -k1,0 s.txt",
    "sort -r a.txt",
    "sort -k2.2b,2.3 s.txt",
    "sort -nk2 s.txt",
    "sort -o out.txt a.txt; cat out.txt",
    "sort -k1 -u a.txt a.txt",
    "sort -t: -k7 -k1,1 passwd",
    "sort -b -k2 s.txt",
    "sort -rn s.txt",
    "sort -s -k1,1 s.txt",
    "sort -fu a.txt a.txt",
    "sort main.cf",
    ("sort -c", "b\na\nb\n"),
    ("sort -cu", "a\nb\nb\n"),
    ("sort -h", "10K\n2M\n1G\n5\n"),
    ("sort -n", "1.5\n1.25\n-0.5\n-2\n0\n10\n9\n.7\n"),
    ("sort -M", "Mar\nJan\nxx\nDec\n"),
    ("sort", "b\na"),
    ("sort -V", "file10\nfile9\nfile1\n"),
    "uniq s.txt",
    "sort s.txt | uniq -c",
    "sort s.txt | uniq -d",
    "sort s.txt | uniq -u",
    "uniq nosuch",
    "uniq -x",
    "uniq -c -d s.txt",
    "uniq -D s.txt",
    "uniq a.txt a.txt b.txt",
    "uniq a.txt out2.txt; cat out2.txt",
    ("uniq -i -c", "a\nA\na\n"),
    ("uniq -f1 -c", "x a\ny a\n"),
    ("uniq -w1", "ab\nac\n"),
    ("uniq -s1 -c", "xab\nyab\n"),
    ("uniq -D", "a\na\nb\nc\nc\n"),
    ("uniq -f x", ""),
    "cut -d' ' -f2 s.txt",
    "cut -c1-2 s.txt",
    "cut -f1 s.txt",
    "cut s.txt",
    "cut -f0 s.txt",
    "cut -d ab -f1 s.txt",
    "cut -d: -f1,3 passwd",
    "cut -d: -f3- -s s.txt",
    "cut -f 2-1 s.txt",
    "cut -c -2,4- a.txt",
    "cut -f x a.txt",
    "cut -b x a.txt",
    "cut -c 1-x a.txt",
    "cut -b 0 a.txt",
    "cut -d: -c1 a.txt",
    "cut -s -c1 a.txt",
    "cut -f1 nosuch",
    "cut -f 1, a.txt",
    "cut -f ,2 a.txt",
    "cut -b2 a.txt",
    "cut -c1 -f1 a.txt",
    "cut -d: -f1,7 --output-delimiter=' -> ' passwd",
    "cut -d: -f2 --complement passwd",
    "cut -d' ' -f1 -s main.cf",
    "cut -d= -f1 main.cf",
    "cut -c3 utf8.txt",
    ("cut -f2 --complement", "a\tb\tc\n"),
    ("cut -c1", "x"),
    "cut -d' ' -f5- mail.log",
    "cut -c1-15 mail.log",
    "echo hi | tee t1 t2; cat t1 t2",
    "tee d",
    "echo x | tee -a a.txt; cat a.txt",
    "tee --foo",
    "echo x | tee nodir/f",
    "echo hi | tee -a /dev/full t3; cat t3",
    "echo ho | tee /dev/full /dev/null t4; cat t4",
    ("tee", "typed\nlines\n"),
    ("tee -a out", "z\n"),
    "cat a.txt nosuch d",
    "cat -n a.txt noeol.txt",
    "cat noeol.txt a.txt",
    "cat -x",
    "grep -v '^#' main.cf | grep -v '^$' | sort | head -n 3",
    "cut -d: -f1 passwd | sort | uniq | wc -l",
    "grep -o 'postfix/[a-z]*' mail.log | sort | uniq -c | sort -rn",
]


@pytest.mark.parametrize("case", load_cases("text"), ids=lambda c: c["line"])
def test_text_matches_recording(shared_machine: Machine, case: Case) -> None:
    check_recorded(shared_machine, case)


@pytest.mark.skipif(
    tools_missing("head", "tail", "sort", "cut", "uniq", "wc", "tee"),
    reason="GNU coreutils not installed",
)
@pytest.mark.parametrize("item", LINES, ids=str)
def test_text_matches_real_tools(shared_machine: Machine, item: str | tuple[str, str]) -> None:
    line, stdin = (item, "") if isinstance(item, str) else item
    check_real(shared_machine, line, stdin)


def test_recording_covers_every_line() -> None:
    """The recording was made from the current list (re-record after editing LINES)."""
    assert [c["line"] for c in load_cases("text")] == [
        i if isinstance(i, str) else i[0] for i in LINES
    ]


@pytest.mark.skipif(os.environ.get("MAILSIM_RECORD") != "1", reason="recording on demand")
def test_record_text() -> None:
    record("text", LINES)


def test_alice_cannot_read_shadow(shared_machine: Machine) -> None:
    for line, message in [
        (
            "head -n1 /etc/shadow",
            b"head: cannot open '/etc/shadow' for reading: Permission denied\n",
        ),
        ("tail /etc/shadow", b"tail: cannot open '/etc/shadow' for reading: Permission denied\n"),
        ("wc -l /etc/shadow", b"wc: /etc/shadow: Permission denied\n"),
        ("sort /etc/shadow", b"sort: cannot read: /etc/shadow: Permission denied\n"),
        ("cut -d: -f1 /etc/shadow", b"cut: /etc/shadow: Permission denied\n"),
        ("cat /etc/shadow", b"cat: /etc/shadow: Permission denied\n"),
        ("uniq /etc/shadow", b"uniq: /etc/shadow: Permission denied\n"),
    ]:
        out, err, status = run_sim(shared_machine, line, user="alice")
        assert (out, err) == (b"", message), line
        assert status == (2 if line.startswith("sort") else 1), line


def test_alice_cannot_tee_into_etc(shared_machine: Machine) -> None:
    out, err, status = run_sim(shared_machine, "echo x | tee /etc/motd2", user="alice")
    assert (out, err, status) == (b"x\n", b"tee: /etc/motd2: Permission denied\n", 1)
    assert not shared_machine.exists("/etc/motd2")


def test_tail_follow_prints_appended_lines_until_cancelled(machine: Machine) -> None:
    """tail -f re-reads through the machine and stops on Ctrl+C (cooperative cancel)."""
    import threading

    from mailsim.shell.commands.text import tail
    from mailsim.shell.streams import CommandCancelled

    machine.write_bytes("/var/log/test.log", b"one\ntwo\n")
    ctx = make_ctx(machine, ["tail", "-n1", "-f", "/var/log/test.log"])

    def writer() -> None:
        import time

        time.sleep(0.3)
        machine.write_bytes("/var/log/test.log", b"three\n", append=True)
        time.sleep(0.4)
        ctx.terminal.cancel_event.set()

    thread = threading.Thread(target=writer)
    thread.start()
    with pytest.raises(CommandCancelled):
        tail(ctx)
    thread.join()
    assert ctx.stdout.getvalue() == b"two\nthree\n"
