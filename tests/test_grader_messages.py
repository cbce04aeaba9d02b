"""Grader reasons the lesson writers found unclear: empty values, compatibility-level
defaults and where a protocol-specific Dovecot setting belongs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import run

from mailsim.packs.checks import parse_check
from mailsim.packs.evaluate import Evaluator
from mailsim.packs.yamlsrc import parse_yaml

RECORDED = Path(__file__).parent / "data" / "grader_messages" / "relay_domains_default.json"
"""``postconf -c DIR -xh relay_domains`` from Postfix 3.7.11 for each compatibility level."""
LEVELS = ("3.6", "2", "0")


def reason(machine, text: str, lang: str = "en") -> str | None:
    """The check's reason in ``lang``, None when it passes."""
    doc = parse_yaml(text, "t.yaml")
    problems: list = []
    parsed = parse_check(doc.data, doc, (), problems)
    assert not problems and parsed is not None, problems
    outcome = Evaluator(machine).evaluate(parsed)
    return outcome.reason.render(lang) if outcome.reason else None


def test_empty_value_is_said_in_words(machine):
    """Regression: "the task needs " ended with nothing when a task wants an empty value."""
    run(machine, "postconf -e 'mailbox_command = /usr/bin/procmail'")
    check = "postfix: mailbox_command\nequals: ''\n"
    assert reason(machine, check) == (
        "you have mailbox_command = /usr/bin/procmail (/etc/postfix/main.cf, line 48); "
        "the task needs an empty value"
    )
    assert str(reason(machine, check, "ja")).endswith("必要な値は 空の値 です")
    run(machine, "postconf -e 'mailbox_command ='")
    assert reason(machine, check) is None


def test_empty_command_output_is_said_in_words(machine):
    check = "command: postconf -n nosuchparameter\nstderr_equals: ''\n"
    assert reason(machine, check) == (
        "'postconf -n nosuchparameter' prints "
        "postconf: warning: nosuchparameter: unknown parameter on stderr; "
        "the task needs an empty value"
    )


def _main_cf(level: str) -> str:
    return (
        f"compatibility_level = {level}\nmyhostname = mail.example.com\n"
        "mydomain = example.com\nmydestination = $myhostname, localhost.$mydomain, localhost\n"
    )


def _default_in_reason(machine, level: str) -> str:
    machine.write_text("/etc/postfix/main.cf", _main_cf(level))
    text = reason(machine, "postfix: relay_domains\ncontains_item: partner.example\n")
    assert text is not None and text.startswith("relay_domains is not set (default: ")
    return text[len("relay_domains is not set (default: ") :].split("); the task needs")[0]


def _shown(real: str) -> str:
    return real if real else "empty"


def test_relay_domains_default_is_expanded_as_recorded(machine):
    """Regression: the default was shown as ${{$compatibility_level} <level {2} ? …}."""
    recorded = json.loads(RECORDED.read_text())
    for level in LEVELS:
        assert _default_in_reason(machine, level) == _shown(recorded[level]), level


@pytest.mark.skipif(shutil.which("postconf") is None, reason="Postfix is not installed")
def test_relay_domains_default_matches_real_postconf(machine, tmp_path):
    for level in LEVELS:
        (tmp_path / "main.cf").write_text(_main_cf(level))
        real = subprocess.run(
            ["postconf", "-c", str(tmp_path), "-xh", "relay_domains"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.rstrip("\n")
        assert _default_in_reason(machine, level) == _shown(real), level


LDA_CHECK = "dovecot: mail_plugins\nprotocol: lda\ncontains_item: sieve\n"


def test_protocol_setting_points_at_the_protocol_block(machine):
    """Regression: mail_plugins for protocol lda was to be added to 10-mail.conf."""
    assert reason(machine, LDA_CHECK) == (
        "mail_plugins is not set (default: empty); the task needs sieve in the list: "
        "set it in protocol lda { } in /etc/dovecot/conf.d/15-lda.conf"
    )
    assert "/etc/dovecot/conf.d/15-lda.conf の protocol lda { } の中" in str(
        reason(machine, LDA_CHECK, "ja")
    )
    imap = "dovecot: mail_plugins\nprotocol: imap\ncontains_item: sieve\n"
    assert str(reason(machine, imap)).endswith("in /etc/dovecot/conf.d/20-imap.conf")


def test_protocol_block_value_is_the_one_reported(machine):
    machine.write_text(
        "/etc/dovecot/conf.d/15-lda.conf",
        "protocol lda {\n  mail_plugins = quota\n}\n",
    )
    assert reason(machine, LDA_CHECK) == (
        "you have mail_plugins = quota (/etc/dovecot/conf.d/15-lda.conf, line 2); "
        "the task needs sieve in the list"
    )
    machine.write_text(
        "/etc/dovecot/conf.d/15-lda.conf",
        "protocol lda {\n  mail_plugins = $mail_plugins sieve\n}\n",
    )
    assert reason(machine, LDA_CHECK) is None


def test_global_setting_without_protocol_still_points_at_10_mail(machine):
    check = "dovecot: mail_plugins\ncontains_item: quota\n"
    assert str(reason(machine, check)).endswith("set it in /etc/dovecot/conf.d/10-mail.conf")


def test_exit_status_without_stderr_ends_cleanly(machine):
    """Regression: "the task needs 0 " ended with a space when the command said nothing."""
    check = "command: 'false'\nstatus: 0\n"
    assert reason(machine, check) == "'false' exits with status 1; the task needs 0"


def test_exit_status_quotes_the_first_line_of_stderr(machine):
    machine.write_text("/etc/postfix/main.cf", "home_mailbox Maildir/\n")
    check = "command: postconf -n\nstatus: 0\n"
    assert reason(machine, check) == (
        "'postconf -n' exits with status 1 (postconf: fatal: /etc/postfix/main.cf, line 1: "
        "missing '=' after attribute name: \"home_mailbox Maildir/\"); the task needs 0"
    )


def test_long_output_is_one_line_and_a_count(machine):
    check = "command: printf 'a  \\nb\\nc\\n'\nstdout_contains: zzz\n"
    assert reason(machine, check) == (
        "'printf 'a  \\nb\\nc\\n'' prints a … (2 more lines) on stdout; "
        "the task needs output containing 'zzz'"
    )
    assert "(ほか 2 行)" in str(reason(machine, check, "ja"))
