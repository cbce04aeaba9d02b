"""newaliases / sendmail -bi and the staleness of database files.

The warnings of postalias itself are compared with the real tool in
test_postfix_maps.py; here: which databases newaliases rebuilds, the files it
writes (owner, mode, mtime) and the ``is_stale``/``lookup`` API for the grader.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_postfix_control_support import build_machine, run, run_real

from mailsim.machine.machine import Machine
from mailsim.postfix import dbfile


@pytest.fixture
def pf(tmp_path: Path) -> Machine:
    return build_machine(tmp_path / "m")


BROKEN = "postmaster: root\nfoo bar\nfoo: bob\nfoo: carol\nbaz:\n"
BROKEN_WARNINGS = (
    # Recorded from the real newaliases (Postfix 3.7.11) on the same file.
    "postalias: warning: /etc/aliases, line 2: need name:value pair\n"
    'postalias: warning: /etc/aliases.db: duplicate entry: "foo"\n'
    "postalias: warning: /etc/aliases, line 5: need name:value pair\n"
)


def test_newaliases_builds_the_alias_database(pf: Machine) -> None:
    assert not pf.exists("/etc/aliases.db")
    assert dbfile.is_stale(pf, "/etc/aliases")
    assert run(pf, ["newaliases"]) == ("", "", 0)
    assert not dbfile.is_stale(pf, "/etc/aliases")
    assert dbfile.lookup(pf, "hash:/etc/aliases", "postmaster") == "root"
    assert dbfile.lookup(pf, "hash:/etc/aliases", "POSTMASTER") == "root"
    st = pf.stat("/etc/aliases.db")
    assert (st.owner, st.group, st.mode) == ("root", "root", 0o644)


def test_newaliases_warnings_match_the_real_tool(pf: Machine) -> None:
    pf.write_text("/etc/aliases", BROKEN)
    assert run(pf, ["newaliases"]) == ("", BROKEN_WARNINGS, 0)
    assert run(pf, ["sendmail", "-bi"]) == ("", BROKEN_WARNINGS, 0)
    assert dbfile.lookup(pf, "hash:/etc/aliases", "foo") == "bob"


def test_editing_aliases_without_newaliases_leaves_a_stale_database(pf: Machine) -> None:
    run(pf, ["newaliases"])
    pf.clock.advance(60)
    pf.write_text("/etc/aliases", "postmaster: root\nalice: bob\n")
    assert dbfile.is_stale(pf, "/etc/aliases")
    assert dbfile.lookup(pf, "hash:/etc/aliases", "alice") is None
    run(pf, ["newaliases"])
    assert not dbfile.is_stale(pf, "/etc/aliases")
    assert dbfile.lookup(pf, "hash:/etc/aliases", "alice") == "bob"


def test_staleness_is_seen_when_the_clock_does_not_move(pf: Machine) -> None:
    """Regression: with a fixed clock the source and database have equal times."""
    run(pf, ["newaliases"])
    pf.write_text("/etc/aliases", "postmaster: root\nalice: bob\n")
    assert dbfile.is_stale(pf, "/etc/aliases")
    run(pf, ["newaliases"])
    assert not dbfile.is_stale(pf, "/etc/aliases")


def test_newaliases_rebuilds_every_alias_database(pf: Machine) -> None:
    pf.write_text("/etc/postfix/aliases2", "root: alice\n")
    text = pf.read_text("/etc/postfix/main.cf").replace(
        "alias_database = hash:/etc/aliases",
        "alias_database = hash:/etc/aliases, btree:/etc/postfix/aliases2",
    )
    pf.write_text("/etc/postfix/main.cf", text)
    assert run(pf, ["newaliases"])[2] == 0
    assert dbfile.lookup(pf, "btree:/etc/postfix/aliases2", "root") == "alice"
    assert dbfile.lookup(pf, "hash:/etc/aliases", "postmaster") == "root"


def test_newaliases_missing_file(pf: Machine) -> None:
    pf.remove("/etc/aliases")
    assert run(pf, ["newaliases"]) == (
        "",
        "postalias: fatal: open /etc/aliases: No such file or directory\n",
        1,
    )
    assert "postfix/postalias[" in pf.read_text("/var/log/mail.log")


def test_database_keeps_the_source_owner_and_read_restrictions(pf: Machine) -> None:
    pf.write_text("/etc/postfix/sasl_passwd", "[relay.example.com]:587 user:secret\n")
    pf.set_meta("/etc/postfix/sasl_passwd", mode=0o600)
    assert run(pf, ["postmap", "/etc/postfix/sasl_passwd"]) == ("", "", 0)
    assert pf.stat("/etc/postfix/sasl_passwd.db").mode == 0o600


def test_a_real_berkeley_db_file_is_not_ours(pf: Machine) -> None:
    pf.write_bytes("/etc/aliases.db", b"\x00\x06\x15\x61" + b"\x00" * 60)
    assert dbfile.is_stale(pf, "/etc/aliases")
    _, err, status = run(pf, ["postalias", "-q", "postmaster", "/etc/aliases"])
    assert status == 1 and "open database /etc/aliases.db: Invalid argument" in err


@pytest.mark.skipif(shutil.which("postalias") is None, reason="Postfix is not installed")
def test_sendmail_bi_against_real_postfix(tmp_path: Path, pf: Machine) -> None:
    config = tmp_path / "config"
    config.mkdir()
    aliases = tmp_path / "aliases"
    aliases.write_text(BROKEN)
    (config / "main.cf").write_text(f"alias_database = hash:{aliases}\ncompatibility_level = 3.6\n")
    real = run_real(["sendmail", "-C", str(config), "-bi"])
    subprocess.run(["postalias", "-q", "foo", str(aliases)], check=True, capture_output=True)
    pf.write_text("/etc/aliases", BROKEN)
    assert run(pf, ["sendmail", "-bi"]) == (
        real[0],
        real[1].replace(str(aliases), "/etc/aliases"),
        real[2],
    )
