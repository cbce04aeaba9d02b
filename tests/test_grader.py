"""The grader: semantics not text, "you have X, the task needs Y" with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run

from mailsim.packs.binding import Binding
from mailsim.packs.checks import parse_check
from mailsim.packs.evaluate import Evaluator
from mailsim.packs.grader import grade
from mailsim.packs.model import Pack
from mailsim.packs.session import LabSession
from mailsim.packs.yamlsrc import parse_yaml

DATA = Path(__file__).parent / "data" / "packs"


@pytest.fixture(scope="module")
def basics() -> Pack:
    return Pack.from_directory(DATA / "basics")


def check(machine, text: str, since: int = 0):
    """Evaluate one check written as YAML on ``machine``: (passed, English reason)."""
    doc = parse_yaml(text, "t.yaml")
    problems: list = []
    parsed = parse_check(doc.data, doc, (), problems)
    assert not problems and parsed is not None, problems
    outcome = Evaluator(machine, since=since).evaluate(parsed)
    return outcome.passed, outcome.reason.render("en") if outcome.reason else None


def test_unset_parameter_reports_default_and_where(basics, tmp_path, clock):
    session = LabSession.start(basics, basics.labs["maildir"], tmp_path / "m", seed=1, clock=clock)
    task = session.grade(lang="en").tasks[0]
    assert not task.passed and task.reason is not None
    assert task.reason.render("en") == (
        "home_mailbox is not set (default: empty); the task needs Maildir/: "
        "add it to /etc/postfix/main.cf"
    )
    assert task.author_reason.startswith("Without a trailing slash")


def test_wrong_value_reports_file_and_line(basics, tmp_path, clock):
    session = LabSession.start(basics, basics.labs["maildir"], tmp_path / "m", seed=1, clock=clock)
    run(session.machine, "postconf -e home_mailbox=Mailbox")
    task = session.grade(lang="en").tasks[0]
    assert task.reason is not None
    assert task.reason.render("en") == (
        "you have home_mailbox = Mailbox (/etc/postfix/main.cf, line 48); the task needs Maildir/"
    )
    assert task.reason.render("ja").startswith("現在の値は home_mailbox = Mailbox です")
    run(session.machine, "postconf -e home_mailbox=Maildir/")
    result = session.grade()
    assert result.all_passed and result.score == 100.0


def test_lists_compare_as_postfix_lists(machine):
    ok, _ = check(machine, "{postfix: mydestination, contains_item: mail.example.com}")
    assert ok  # main.cf says $myhostname, which expands to it
    run(machine, "postconf -e 'mydestination = $myhostname,localhost'")
    assert check(machine, "{postfix: mydestination, contains_item: [localhost, mail.example.com]}")[
        0
    ]
    ok, reason = check(machine, "{postfix: mydestination, equals: 'mail.example.com, example.org'}")
    assert not ok and reason == (
        "you have mydestination = $myhostname,localhost, which expands to "
        "mail.example.com,localhost (/etc/postfix/main.cf, line 41); "
        "the task needs mail.example.com, example.org"
    )
    assert check(machine, "{not: {postfix: relayhost, is_set: false}}")[0]


def test_dovecot_settings_and_sections(machine):
    ok, reason = check(machine, "{dovecot: mail_location, equals: 'maildir:~/Maildir'}")
    assert not ok
    assert reason.startswith(
        "you have mail_location = mbox:~/mail:INBOX=/var/mail/%u (/etc/dovecot/conf.d/10-mail.conf, line "
    )
    assert check(machine, "{dovecot: service/imap-login/inet_listener/imap/port, equals: 143}")[0]


def test_file_lines_ignore_spacing_and_comments(machine):
    run(machine, "echo 'admin:alice   # the boss' >> /etc/aliases")
    assert check(machine, "{file: /etc/aliases, line: 'admin: alice'}")[0]
    ok, reason = check(machine, "{file: /etc/aliases, line: 'admin: bob'}")
    assert (
        not ok
        and reason
        == "you have 'admin:alice   # the boss' (/etc/aliases, line 3); the task needs 'admin: bob'"
    )
    assert check(machine, "{file: /etc/nope, exists: false}")[0]


def test_aliases_need_newaliases(machine):
    run(machine, "echo 'admin: alice' >> /etc/aliases")
    ok, reason = check(machine, "{ran: newaliases, after_change_of: /etc/aliases}")
    assert not ok and reason == "/etc/aliases changed and 'newaliases' has not run since"
    ok, reason = check(machine, "{alias: admin, equals: alice}")
    assert not ok and "run newaliases" in reason
    run(machine, "newaliases")
    assert check(machine, "{ran: newaliases, after_change_of: /etc/aliases}")[0]
    assert check(machine, "{alias: admin, equals: alice}")[0]
    assert check(machine, "{alias: ADMIN, contains_item: alice}")[0]  # postalias -q folds case


def test_reload_after_change(machine):
    run(machine, "postfix start")
    assert check(machine, "{service: postfix, reloaded_after_change: true}")[0]
    run(machine, "postconf -e disable_vrfy_command=yes")
    ok, reason = check(machine, "{service: postfix, reloaded_after_change: true}")
    assert not ok and reason.startswith("/etc/postfix/main.cf changed after postfix last loaded")
    run(machine, "postfix reload")
    assert check(machine, "{service: postfix, reloaded_after_change: true}")[0]


def test_a_service_the_lab_started_running_has_not_loaded_new_settings(machine):
    """Regression: with Postfix running in the lab's start state, "the running Postfix
    uses the new names" was ticked before the learner had changed anything."""
    run(machine, "postfix start")  # the lab's start state
    since = machine.events.last_seq()
    ok, reason = check(machine, "{service: postfix, reloaded_after_change: true}", since)
    assert not ok and reason.startswith("postfix's configuration has not been changed yet")
    run(machine, "postconf -e myhostname=mail.example.net")
    ok, reason = check(machine, "{service: postfix, reloaded_after_change: true}", since)
    assert not ok and reason.startswith("/etc/postfix/main.cf changed after postfix last loaded")
    run(machine, "postfix reload")
    assert check(machine, "{service: postfix, reloaded_after_change: true}", since)[0]


def test_command_checks_run_on_a_throwaway_copy(machine):
    before = sorted(e["seq"] for e in machine.events)
    log = machine.read_text("/var/log/mail.log") if machine.exists("/var/log/mail.log") else ""
    assert check(
        machine, '{command: postconf -h myhostname, stdout_equals: "mail.example.com\\n"}'
    )[0]
    ok, reason = check(machine, "{command: postfix start, status: 1}")
    assert not ok and reason.startswith("'postfix start' exits with status 0")
    assert sorted(e["seq"] for e in machine.events) == before
    assert (
        machine.read_text("/var/log/mail.log") if machine.exists("/var/log/mail.log") else ""
    ) == log
    from mailsim.machine.services import get_state

    assert not get_state(machine, "postfix").running


def test_milestones_stay_met_and_hints_are_recorded(basics, tmp_path, clock):
    session = LabSession.start(basics, basics.labs["aliases"], tmp_path / "m", seed=0, clock=clock)
    values = session.values
    run(session.machine, f"echo '{values['alias']}: {values['user']}' >> /etc/aliases")
    first = session.grade()
    assert [t.passed for t in first.tasks] == [True, False]
    run(session.machine, "echo 'root: root' > /etc/aliases")
    later = session.grade()
    assert later.tasks[0].passed and not later.tasks[0].met_now
    assert session.hint("alias-line") == "Edit /etc/aliases: NAME: TARGET"
    session.solution()
    binding = Binding.load(session.machine)
    assert binding is not None
    assert binding.hints == {"alias-line": 1} and binding.solution_shown
    assert binding.milestones == ["alias-line"]


def test_reset_keeps_variables_and_hints(basics, tmp_path, clock):
    session = LabSession.start(basics, basics.labs["maildir"], tmp_path / "m", seed=5, clock=clock)
    session.hint("home-mailbox")
    session.solve()
    assert session.grade().all_passed
    session.reset()
    assert not session.grade().all_passed
    binding = Binding.load(session.machine)
    assert binding is not None
    assert binding.seed == 5 and binding.hints == {"home-mailbox": 1}


def test_grading_another_lab_ignores_the_binding(basics, tmp_path, clock):
    session = LabSession.start(basics, basics.labs["maildir"], tmp_path / "m", seed=2, clock=clock)
    result = grade(basics, basics.labs["aliases"], session.machine, seed=0)
    assert result.lab == "aliases" and result.binding is None


def test_dovecot_service_setting_points_at_the_file_with_its_block(machine):
    """Regression: a pop3-login listener port was said to belong in 10-director.conf,
    the first file mentioning any service, instead of 10-master.conf."""
    from mailsim.packs.dovecot_home import dovecot_home

    home = dovecot_home(machine, "service/pop3-login/inet_listener/pop3/port")
    assert home == "/etc/dovecot/conf.d/10-master.conf"
    assert dovecot_home(machine, "mail_location") == "/etc/dovecot/conf.d/10-mail.conf"
    assert dovecot_home(machine, "mail_plugins", "lda") == "/etc/dovecot/conf.d/15-lda.conf"
