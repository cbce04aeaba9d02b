"""Transcripts of sed against GNU sed 4.9 (see test_shell_text for the harness).

The lines cover the script compiler's error messages and positions, addresses
and ranges, every command, s/// flags and escapes, -n/-i/-s/-z/-E/-f, and GNU's
handling of a last line without newline and of bytes that are not UTF-8.
"""

from __future__ import annotations

import os

import pytest
from test_shell_text import (
    Case,
    check_real,
    check_recorded,
    load_cases,
    record,
    run_sim,
    shared_machine,  # noqa: F401 - the fixture
    tools_missing,
)

from mailsim.machine.machine import Machine

LINES: list[str | tuple[str, str]] = [
    "sed 's/a/b'",
    "sed 's/a/b/x'",
    "sed 's/a'",
    "sed s",
    "sed k",
    "sed 'p;p'",
    "sed 2q5",
    "sed 2,p",
    "sed /x",
    "sed /x/",
    "sed y/abc/de/",
    "sed a",
    "sed 'a\\'",
    "sed 'a foo'",
    "sed '2i\\   bar'",
    "sed 'c\\'",
    "sed '$!d'",
    "sed '1!G'",
    "sed =",
    "sed s/o/0/2",
    "sed s/o/0/gp",
    "sed 's/\\(o\\)/\\2/'",
    "sed s/o/0/w",
    "sed '{p'",
    "sed 'p}'",
    "sed '}'",
    "sed '1,2!{p}'",
    "sed ':a;N;$!ba;s/\\n/,/g'",
    "sed 'b nolabel'",
    "sed 0p",
    "sed 0,/o/d",
    "sed 1~2d",
    "sed 2,+1d",
    "sed l",
    "sed 'n;d'",
    "sed D",
    "sed 'x;G'",
    "sed 'h;H;g'",
    "sed 's/x/y/;;p'",
    "sed 'p # comment'",
    "sed r",
    "sed F",
    "sed z",
    "sed Q",
    "sed 'q 5'",
    "sed '1,3{/two/d}'",
    "sed 's/o/&&/g'",
    "sed 's/O/x/Ig'",
    "sed 's/t\\(..\\)/[\\1]/'",
    "sed 's/e$//'",
    "sed y/o/",
    "sed y/on/O/",
    "sed 's/\\n//'",
    "sed 's/./\\n/'",
    "sed v",
    "sed T",
    "sed t",
    "sed 's/o/0/ ;p'",
    "sed -e '1{p' -e p",
    "sed -e p -e '{p'",
    "sed -e p -e k",
    "sed -e 'a\\' -e foo",
    "sed '1a foo\\tbar\\\\n\\x41'",
    "sed '1a  foo ; p'",
    "sed 's/o/\\t\\n\\x41\\o101\\d65/'",
    "sed 'y/o\\n/\\t /'",
    "sed -n 1~0p",
    "sed -n ~2p",
    "sed -n 2,1p",
    "sed -n /two/,/nope/p",
    "sed '2!!p'",
    "sed -n 'p;2 !p'",
    "sed -n '1,2 p'",
    "sed -n '$='",
    "sed 's/e\\+/X/'",
    "sed -E 's/(e)+/X/'",
    "sed 'l 3'",
    "sed 'w /dev/stdout'",
    "sed 's/o/[&]/w /dev/stdout'",
    "sed 'N;P;D'",
    "sed '$!N;s/\\n/ /'",
    "sed 'c\\foo'",
    "sed '2c bar'",
    "sed '1,2c bar'",
    "sed '2,3!c bar'",
    "sed 's/o/\\U&x/'",
    "sed 's/\\w\\+/\\u&/g'",
    "sed 's/t/T/3g'",
    "sed 'Q;p'",
    "sed 'n;n;n;n;p'",
    "sed '1d;2q'",
    "sed '2{q}'",
    "sed '1{x;p;x}'",
    "sed 's/\\(/x/'",
    "sed '/\\(/p'",
    "sed '/\\(/  p'",
    "sed 's/a\\{1/x/g'",
    "sed -E 's/a{1/x/g'",
    "sed 's/[[:foo:]]/x/'",
    "sed '/[:alpha:]/p'",
    "sed 's/x/\\1/'",
    "sed -E 's/(x)|y/\\1/'",
    "sed 's/o/x/;s//y/'",
    "sed //p",
    "sed 's/[/]/x/'",
    "sed 's|a\\|b|x|'",
    "sed 's/o/\\n/;l'",
    "sed 'l 1'",
    "sed 'l 2'",
    "sed 'l 0'",
    "sed -l 5 l",
    "sed s/o/x/2g",
    "sed s/o/x/0",
    "sed s/o/x/gg",
    "sed s/o/x/pp",
    "sed 'p;:a;:a'",
    "sed :",
    "sed 1,2=",
    "sed 1=",
    "sed 'q;q'",
    "sed 1,2q",
    "sed '2,3{=;}'",
    "sed 'y/abc/\\n\\t\\\\/'",
    "sed -n '/t/{s//T/p}'",
    "sed -s F",
    "sed 'N;N;D;s/^/x/'",
    "sed -E 's/a|on/X/'",
    "sed -E 's/(t|th)(r|re)/<\\1|\\2>/'",
    "sed 's/x*/-/g'",
    "sed 's/e*/-/g'",
    "sed 's/[aeiou]/\\u&/2'",
    "sed -n '/^t/!p'",
    "sed '2,/e/d'",
    "sed '/one/,+1s/^/> /'",
    "sed '0,/e/s//E/'",
    "sed '/two/,~4d'",
    "sed -n '2{p;q}'",
    "sed -n 'H;${x;s/\\n/,/g;p}'",
    "sed 'G'",
    "sed -n '$p'",
    "sed 's/\\(.*\\)/\"\\1\"/'",
    "sed 's/\\bt/T/g'",
    "sed 's/\\<./X/g'",
    "sed -E 's/^(.)(.*)$/\\2\\1/'",
    "sed = -",
    "sed -n 'l;L'",
    "sed 's/o/O/;t;s/e/E/'",
    "sed 's/o/O/;T;s/e/E/'",
    "sed 's/e/E/w'",
    "sed --posix p",
    "sed -z 's/\\n/,/g'",
    "sed -r 's/(o)/[\\1]/g'",
    "sed --expression=p -n",
    "sed -e",
    "sed",
    "sed --foo",
    "sed -x",
    "sed -n 'e echo hi'",
    "sed '1!{2!d}'",
    "sed 's/one/\\L&UPPER\\E-X/'",
    "sed 's/one/\\Uab\\lCD/'",
    "sed 'y/ot/OT/;s/O/0/'",
    "sed '2 { s/w/W/ ; p }'",
    "sed 's/[[:upper:]]*/X/g'",
    "sed '/[[:space:]]/d'",
    "sed -n '/\\(o\\).*\\1/p'",
    "sed 's/\\(o\\)\\{1,\\}/X/'",
    "sed '$a\\\nEND'",
    "sed '1i\\\nSTART\\\ntwo lines'",
    "sed '#n\np'",
    "sed -n '#n\np'",
    "sed '  #n\np'",
    "sed --version | head -n1",
    "sed -s '$p' - a.txt",
    "sed -n '$p' - a.txt",
    "sed = - nosuch",
    "sed p d a.txt",
    "sed -i p",
    "sed -i p d",
    "sed -i p nosuch",
    "sed -i 's/hello/bye/' a.txt; cat a.txt",
    "sed -i.bak 's/hello/bye/' a.txt; cat a.txt a.txt.bak",
    "sed -n -i 2p a.txt; cat a.txt",
    "sed -i -e '1d' a.txt n.txt; head -n2 a.txt n.txt",
    "sed -i 's/^relayhost =.*/relayhost = [smtp.example.net]:587/' main.cf; grep -n relayhost main.cf",
    "sed -i '/^#/d;/^$/d' main.cf; wc -l main.cf",
    "sed -n '/^myhostname/p' main.cf",
    "sed -n 's/^myorigin = //p' main.cf",
    "sed -e '/^mydestination/s/, localhost//' main.cf | grep mydest",
    "sed -E 's/^([a-z_]+) *= *(.*)$/\\1=\\2/' main.cf | head -n 5",
    "sed -n '/smtpd_tls/,/security/p' main.cf",
    "sed '5,$d' main.cf",
    "sed -n '3,5!p' main.cf | wc -l",
    "sed 's/snakeoil/SNAKEOIL/2' main.cf | grep -c SNAKEOIL",
    "sed -n 's/.*to=<\\([^>]*\\)>.*status=\\([a-z]*\\).*/\\1 \\2/p' mail.log",
    "sed -f nosuch a.txt",
    "printf 'p\\nk\\n' > scr.sed; sed -f scr.sed a.txt",
    "printf 's/l/L/g\\n2d\\n' > s2.sed; sed -f s2.sed a.txt",
    "printf '1{\\np' > s3.sed; sed -f s3.sed a.txt",
    "sed -n '/x/Ip;/[/p' a.txt",
    "sed 's/hello/X/w out.txt' a.txt; cat out.txt",
    "sed -n 'w out.txt' a.txt; cat out.txt",
    "sed 'r noeol.txt' a.txt",
    "sed '1r nosuch' a.txt",
    "sed 'R n.txt' a.txt",
    "sed '2W /dev/stdout' a.txt",
    "sed 'y/abc/xyz/' enc.txt",
    "sed -n l enc.txt",
    "sed 's/./X/g' enc.txt",
    "sed 's/h/H/' nul.bin | wc -c",
    "sed -n l nul.bin",
    "sed -z 's/\\x00/NUL/' nul.bin",
    "sed p noeol.txt",
    "sed '$a end' noeol.txt",
    "sed -n '$p' noeol.txt empty.txt",
    "sed 'i\\x' noeol.txt",
    "sed = noeol.txt",
    "sed -n 'p;p' noeol.txt",
    "sed '$!d' noeol.txt a.txt",
    "sed N noeol.txt",
    "sed 's/é/E/g;s/[[:alpha:]]*/<&>/' utf8.txt",
    "sed -n l utf8.txt",
    "sed 'y/éè/ee/' utf8.txt",
    "sed --help | head -n 3",
    "sed --help | tail -n 2",
    "sed 2>&1 | tail -n 2",
    "sed -n",
    "sed -l x l a.txt",
    "sed 's/o/\\o60/g' a.txt",
    "sed 's/\\(hel\\)\\(lo\\)/\\2\\1/' a.txt",
    "sed -E 's/(l+)/[\\1]/2' a.txt",
    "sed 's/L/l/Ig' a.txt",
    "sed '/hello/I,+1d' a.txt",
    "sed '2~2d' n.txt",
    "sed -n '0~4p' n.txt",
    "sed -n '/l1/,~4p' n.txt",
    "sed '3q' n.txt",
    "sed -n '10,$p' n.txt",
    "sed '$!N;$!D' n.txt",
    "sed -n '$=' n.txt a.txt",
    "sed '1~3{N;N;s/\\n/+/g}' n.txt",
    "sed -E ':a;s/^(l[0-9]) /\\1_/;ta' n.txt | head -n2",
    "sed 's/a\\|b/X/g' a.txt",
    "sed -E 's/(a|b)?c/X/' a.txt",
    "sed 'G;G' a.txt | wc -l",
    "sed ':a;$!{N;ba};s/\\n/ /g' a.txt",
    "sed '1!G;h;$!d' a.txt",
    "sed -n '1!G;h;$p' a.txt",
    "sed = a.txt | sed 'N;s/\\n/\\t/'",
    "sed 's/.*/\\U&/' a.txt",
    "sed 's/\\w\\+/\\L\\u&/g' a.txt",
    "sed -s -n '1F' a.txt n.txt",
    "sed 'e echo hi' a.txt",
    "sed '1e echo hi' a.txt",
    "sed -u p a.txt",
    "sed -E 's/l{2}/LL/' a.txt",
    "sed 's/l\\{2\\}/LL/' a.txt",
    "sed 's/x*$/!/' a.txt",
    "sed 's/^/> /' a.txt",
    "sed -n '/hello/{=;p}' a.txt",
    "sed '/hello/c\\changed' a.txt",
    "sed '/world/a\\  after' a.txt",
    "sed '1,2c\\both' a.txt",
    "sed '$!{$!d}' a.txt",
    ("sed 's/x/y/'", "x\nxx\n"),
    ("sed -n '$p'", ""),
    ("sed p", "a\nb"),
    ("sed 'a foo'", "a"),
    ("sed 's/a*/x/g'", "baaac\n"),
    ("sed 's/b*/x/2'", "abc\n"),
    ("sed -E 's/(ab|a)(c|bcd)(d*)/[\\1|\\2|\\3]/'", "abcd\n"),
]
INPUT = "one\ntwo\nthree\n"
"""stdin of the lines given without one."""


def _item(item: str | tuple[str, str]) -> tuple[str, str]:
    return (item, INPUT) if isinstance(item, str) else item


@pytest.mark.parametrize("case", load_cases("sed"), ids=lambda c: c["line"])
def test_sed_matches_recording(shared_machine: Machine, case: Case) -> None:  # noqa: F811
    check_recorded(shared_machine, case)


@pytest.mark.skipif(tools_missing("sed"), reason="GNU sed not installed")
@pytest.mark.parametrize("item", LINES, ids=str)
def test_sed_matches_real_sed(
    shared_machine: Machine,  # noqa: F811
    item: str | tuple[str, str],
) -> None:
    check_real(shared_machine, *_item(item))


def test_recording_covers_every_line() -> None:
    assert [c["line"] for c in load_cases("sed")] == [_item(i)[0] for i in LINES]


@pytest.mark.skipif(os.environ.get("MAILSIM_RECORD") != "1", reason="recording on demand")
def test_record_sed() -> None:
    record("sed", [_item(i) for i in LINES])


def test_in_place_keeps_owner_and_mode(shared_machine: Machine) -> None:  # noqa: F811
    """sed -i through the machine: content changes, metadata stays, backup copies it."""
    shared_machine.write_bytes("/etc/mailname", b"mail.example.com\n")
    shared_machine.set_meta("/etc/mailname", owner="root", group="mail", mode=0o640)
    out, err, status = run_sim(shared_machine, "sed -i.orig 's/example/test/' /etc/mailname")
    assert (out, err, status) == (b"", b"", 0)
    assert shared_machine.read_bytes("/etc/mailname") == b"mail.test.com\n"
    assert shared_machine.read_bytes("/etc/mailname.orig") == b"mail.example.com\n"
    for path in ("/etc/mailname", "/etc/mailname.orig"):
        st = shared_machine.stat(path)
        assert (st.group, st.mode) == ("mail", 0o640)


def test_alice_cannot_read_or_edit_root_files(shared_machine: Machine) -> None:  # noqa: F811
    out, err, status = run_sim(shared_machine, "sed -n 1p /etc/shadow", user="alice")
    assert (out, err, status) == (b"", b"sed: can't read /etc/shadow: Permission denied\n", 2)
    before = shared_machine.read_bytes("/etc/hostname")
    out, err, status = run_sim(shared_machine, "sed -i s/a/b/ /etc/hostname", user="alice")
    assert status == 4 and err.startswith(b"sed: couldn't open temporary file")
    assert shared_machine.read_bytes("/etc/hostname") == before


def test_endless_loop_stops_on_ctrl_c(machine: Machine) -> None:
    """`:a;ba` never ends in GNU sed either; Ctrl+C (the cancel flag) must stop it."""
    import threading

    from conftest import make_ctx

    from mailsim.shell.commands.sed import sed
    from mailsim.shell.streams import CommandCancelled

    ctx = make_ctx(machine, ["sed", ":a;ba"], stdin=b"x\n")
    timer = threading.Timer(0.2, ctx.terminal.cancel_event.set)
    timer.start()
    with pytest.raises(CommandCancelled):
        sed(ctx)
    timer.join()
