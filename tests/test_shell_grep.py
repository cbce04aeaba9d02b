"""Transcripts of grep and egrep against GNU grep 3.8 (tests from gnu_differential)."""

from __future__ import annotations

from gnu_differential import transcript_tests
from test_shell_text import (
    run_sim,
    shared_machine,  # noqa: F401 - the fixture
)

from mailsim.machine.machine import Machine

LINES: list[str | tuple[str, str]] = [
    "grep",
    "grep hello d",
    "grep -r hello 2>&1 | sort",
    "grep -r hello . 2>&1 | sort",
    "grep hello a.txt missing",
    "grep -s hello missing a.txt",
    "grep -q hello missing a.txt",
    "grep hello nul.bin",
    "grep -c hello a.txt d/x",
    "grep -l hello a.txt d/x missing",
    "grep -L hello a.txt d/x",
    "grep -L zzz a.txt",
    "grep -x",
    "grep -y hello a.txt",
    "grep --foo x",
    "grep -E 'a{1' a.txt",
    "grep -E '*x' a.txt",
    "grep -n -H hello a.txt",
    "grep -c -v hello a.txt",
    "grep -o -v hello a.txt",
    "grep -on l a.txt",
    "grep -A1 hello a.txt",
    "grep -n -C1 world a.txt a.txt",
    "grep -b hello a.txt",
    "grep -m1 -i hello a.txt",
    "grep -e hello -e world a.txt",
    "grep -w hell a.txt",
    "grep -h hello a.txt d/x",
    "grep -ri HELLO d | sort",
    "grep -R hello d/x",
    "grep -E '(' a.txt",
    "grep -n '' noeol.txt",
    "grep hello enc.txt",
    "grep -n hello enc.txt nul.bin",
    "grep -c hello nul.bin",
    "grep -a hello nul.bin",
    "grep -v '^#' main.cf",
    "grep -v -e '^#' -e '^$' main.cf",
    "grep -Ev '^(#|$)' main.cf",
    "grep -n '^relayhost' main.cf",
    "grep '^#\\?relay' main.cf",
    "grep -E '^#?(relay|my)host' main.cf",
    "grep -c '' main.cf",
    "grep -w no main.cf",
    "grep -x 'biff = no' main.cf",
    "grep -F '$myhostname' main.cf",
    "grep '$myhostname' main.cf",
    "grep 'snakeoil\\.pem$' main.cf",
    "grep -o '[0-9]\\+\\.[0-9]\\+' main.cf",
    "grep -oE '[[:digit:]]{1,3}(\\.[[:digit:]]{1,3}){3}' mail.log",
    "grep -i 'sasl.*failed' mail.log",
    "grep -c 'status=sent' mail.log",
    "grep -E 'postfix/(smtpd|qmgr)' mail.log",
    "grep -v postfix mail.log",
    "grep 'user=<[^>]*>' mail.log",
    "grep -o 'user=<[^>]*>' mail.log",
    "grep -n -B1 -A1 qmgr mail.log",
    "grep -C0 smtpd mail.log",
    "grep -A 1 -m 1 smtpd mail.log",
    "grep -r --include='*.cf' relayhost . | sort",
    "grep -rl hello d | sort",
    "grep -rL relay d",
    "grep -rh hello d | sort",
    "grep -rc hello d | sort",
    "grep -r hello d --exclude-dir=sub",
    "grep -rn relayhost d/sub",
    "grep -e",
    "grep -A x hello a.txt",
    "grep -m x hello a.txt",
    "grep '\\(' a.txt",
    "grep '[[:alpha:' a.txt",
    "grep '[:space:]' a.txt",
    "grep -E 'a{2,1}' a.txt",
    "grep 'x\\{1' a.txt",
    "grep '\\1' a.txt",
    "grep -E '(l)\\1' a.txt",
    "grep '\\(l\\)\\1' a.txt",
    "grep '\\<w' a.txt",
    "grep 'o\\>' a.txt",
    "grep '\\bH' a.txt",
    "grep -i 'É' utf8.txt",
    "grep '^.\\{5\\}$' utf8.txt",
    "grep -o 'r.m' utf8.txt",
    "grep -c . utf8.txt",
    "grep -P 'l{2}o\\b' a.txt",
    "grep -F -e hello -e World -i a.txt",
    "grep -F 'a.' a.txt",
    "grep -wF hello a.txt",
    "grep -xF hello a.txt",
    "grep -E 'hello|world' a.txt",
    "egrep 'hello|world' a.txt",
    "grep 'hello\\|world' a.txt",
    "grep -G 'hello|world' a.txt",
    "grep -Z -l hello a.txt",
    "grep -f nosuch a.txt",
    "grep --color=always hello a.txt",
    "grep --color=always -n -H -C1 wor a.txt",
    "grep --color=always -c hello a.txt d/x",
    "grep --color=always -o -b l a.txt",
    "grep --color=never hello a.txt",
    "grep --color=auto hello a.txt",
    "grep -V | head -n1",
    "grep -d skip hello d a.txt",
    "grep -q hello a.txt; echo $?",
    "grep -q zzz a.txt; echo $?",
    "grep hello a.txt > /dev/null; echo $?",
    "grep -s zzz nosuch; echo $?",
    ("grep hello", "hello\nbye\n"),
    ("grep -H -n x", "a\nx\n"),
    ("grep -c x - a.txt", "x\n"),
    ("grep -f - a.txt", "hello\nworld\n"),
    ("grep -e ''", "a\n\nb\n"),
    ("grep -E 'a|'", "a\nb\n"),
    ("grep -o 'ab*'", "abbb ab a b\n"),
    ("grep -ow 'ab*'", "abbb xab a\n"),
    ("grep -o -i 'AB'", "aB Ab\n"),
    ("grep -E -o '(a|ab)(c|bcd)'", "abcd\n"),
    ("grep -o 'x*'", "axxb\n"),
    ("grep $'a\\nb'", "a\nb\nc\n"),
    ("grep -c '^'", "a\nb"),
    ("grep --label=LBL -H x", "x\n"),
    ("grep -v -c x", "x\ny\n"),
]


(
    test_grep_matches_recording,
    test_grep_matches_real_grep,
    test_recording_covers_every_line,
    test_record_grep,
) = transcript_tests("grep", LINES, tool="grep")


def test_alice_gets_permission_denied(shared_machine: Machine) -> None:  # noqa: F811
    out, err, status = run_sim(shared_machine, "grep root /etc/shadow /etc/hostname", user="alice")
    assert (out, err, status) == (b"", b"grep: /etc/shadow: Permission denied\n", 2)


def test_pathological_pattern_is_bounded(shared_machine: Machine) -> None:  # noqa: F811
    """A backtracking pattern on a long line answers (match or limit), never hangs."""
    import time

    started = time.perf_counter()
    shared_machine.write_bytes("/root/long.txt", b"a" * 5000 + b"\n")
    out, err, status = run_sim(shared_machine, "grep -E '(a|aa|aaa)*(b|ab)*$c' /root/long.txt")
    assert time.perf_counter() - started < 5
    assert status in (1, 2)
    assert err in (b"", b"grep: pattern too costly to match (mailsim's time limit)\n")


def test_color_auto_on_a_terminal(shared_machine: Machine) -> None:  # noqa: F811
    """On a tty --color=auto paints as GNU grep does; plain grep (no alias) does not."""
    from conftest import make_ctx

    from mailsim.shell.commands.grep import grep

    shared_machine.write_bytes("/root/c.txt", b"hello\n")
    ctx = make_ctx(shared_machine, ["grep", "--color=auto", "ell", "c.txt"], tty=True)
    assert grep(ctx) == 0
    assert ctx.stdout.getvalue() == b"h\x1b[01;31m\x1b[Kell\x1b[m\x1b[Ko\n"
    ctx = make_ctx(shared_machine, ["grep", "ell", "c.txt"], tty=True)
    assert grep(ctx) == 0
    assert ctx.stdout.getvalue() == b"hello\n"


def test_option_table_names_real_fields() -> None:
    """The table of options that only set fields must name fields that exist:
    a misspelt one would be set on the instance and never read."""
    from dataclasses import fields

    from mailsim.shell.commands import grep_options

    known = {f.name for f in fields(grep_options.Options)}
    for option, settings in grep_options._SETS.items():
        for name, _value in settings:
            assert name in known, option
