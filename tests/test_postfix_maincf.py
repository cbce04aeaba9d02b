"""The main.cf/master.cf models, $name expansion, and the config API other parts build on."""

from __future__ import annotations

import pytest
from helpers import run

from mailsim.machine.machine import Machine
from mailsim.postfix import config, maincf, mastercf
from mailsim.postfix.expand import PARSE_ERROR, expand, references

TEXT = """# comment
myhostname = mail.example.com
mydestination = $myhostname,
    localhost.$mydomain,
# a comment inside the continuation
    localhost

relayhost =
"""


def test_parse_keeps_values_and_first_lines() -> None:
    model = maincf.parse(TEXT)
    assert model.get("myhostname") == "mail.example.com"
    assert model.get("mydestination") == ("$myhostname,    localhost.$mydomain,    localhost")
    assert model.entries["mydestination"].line == 3
    assert model.entries["mydestination"].last_line == 6
    assert model.get("relayhost") == ""
    assert model.error is None and model.warnings == []


def test_syntax_error_names_the_line() -> None:
    model = maincf.parse("biff = no\n\nfoo bar\n")
    assert model.error is not None
    assert (model.error.line, model.error.message) == (
        3,
        "missing '=' after attribute name: \"foo bar\"",
    )


def test_duplicate_with_a_different_value_warns_once() -> None:
    model = maincf.parse("biff = no\nbiff = yes\nbiff = yes\n")
    assert model.get("biff") == "yes"
    assert model.warnings == ["{path}, line 2: overriding earlier entry: biff=no"]


def test_edit_changes_one_logical_line_and_keeps_the_rest() -> None:
    """Round trip: editing one value changes only its lines; parsing again shows it."""
    new, warnings = maincf.edit(TEXT, {"mydestination": "$myhostname"}, "e")
    assert warnings == []
    assert new.splitlines() == [
        "# comment",
        "myhostname = mail.example.com",
        "mydestination = $myhostname",
        "# a comment inside the continuation",
        "",
        "relayhost =",
    ]
    again = maincf.parse(new)
    assert again.get("mydestination") == "$myhostname"
    assert again.get("myhostname") == maincf.parse(TEXT).get("myhostname")


def test_edit_appends_new_names_and_comments_out() -> None:
    new, _ = maincf.edit("a = 1\n", {"b": "2", "a": "3"}, "e")
    assert new == "a = 3\nb = 2\n"
    commented, _ = maincf.edit("a = 1\n  more\nb = 2\n", {"a": None}, "#")
    assert commented == "#a = 1\n#  more\nb = 2\n"


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("$a-${a}-$(a)", "x-x-x"),
        ("$$a", "$a"),
        ("${a?yes}${empty?no}${missing?no}", "yes"),
        ("${a:no}${empty:yes}${missing:also}", "yesalso"),
        ("${a?{v1}:{v2}} ${empty?{v1}:{v2}}", "v1 v2"),
        ("${{$a} == {x} ? {same} : {other}}", "same"),
        ("${{10} > {9} ? {numeric} : {text}}", "numeric"),
        ("${{3.6} <level {3.10} ? {older} : {newer}}", "older"),
        ("${{$level} >=level {2} ? {new} : {old}}", "new"),
    ],
)
def test_expansion_forms(text: str, result: str) -> None:
    values = {"a": "x", "empty": "", "level": "3.6"}
    assert expand(text, lambda name, _t: values.get(name), lambda _m: None) == (result, 0)


def test_expansion_errors_warn_as_postfix() -> None:
    seen: list[str] = []
    _, status = expand("${a", lambda _n, _t: None, seen.append)
    assert status & PARSE_ERROR
    assert seen == ['truncated macro reference: "${a"']


def test_references_scan_both_branches() -> None:
    assert references("${a?{$b}:{$c}} $d") == ["a", "b", "c", "d"]


def test_config_api_on_the_default_image(machine: Machine) -> None:
    cfg = config.load(machine)
    assert cfg.get("myhostname") == "mail.example.com"
    assert cfg.expand("mydomain") == "example.com"
    text = machine.read_text("/etc/postfix/main.cf").splitlines()
    path, line = cfg.value_origin("myhostname") or ("", 0)
    assert path == "/etc/postfix/main.cf"
    assert text[line - 1].startswith("myhostname =")
    assert cfg.value_origin("queue_directory") is None
    assert cfg.get("queue_directory") == "/var/spool/postfix"
    assert cfg.get("no_such_parameter") is None
    assert cfg.unused() == []
    assert "smtp_destination_concurrency_limit" in cfg.names()


def test_defaults_follow_the_machine(machine: Machine) -> None:
    machine.write_text("/etc/postfix/main.cf", "biff = no\n")
    cfg = config.load(machine)
    assert cfg.get("myhostname") == "mail.localdomain"
    assert cfg.get("mydomain") == "localdomain"
    assert cfg.get("mynetworks") == "127.0.0.0/8 192.0.2.0/24 [::1]/128 [2001:db8::]/64"
    machine.set_hostname("mx.example.org")
    assert config.load(machine).expand("myorigin") == "mx.example.org"


def test_user_defined_names_count_when_referenced(machine: Machine) -> None:
    machine.write_text(
        "/etc/postfix/main.cf",
        "smtpd_restriction_classes = strict\nstrict = reject\nused = 1\n"
        "relayhost = $used\nlonely = 2\n",
    )
    cfg = config.load(machine)
    assert cfg.unused() == [("lonely", "2")]
    assert cfg.expand("relayhost") == "1"


def test_syntax_error_is_a_config_error(machine: Machine) -> None:
    machine.write_text("/etc/postfix/main.cf", "oops\n")
    with pytest.raises(config.ConfigError, match=r"main.cf, line 1: missing '='"):
        config.load(machine)


def test_master_cf_model_and_layout() -> None:
    services = mastercf.parse("relay unix - - y - - smtp\n  -o syslog_name=postfix/$service_name\n")
    (relay,) = services
    assert (relay.name, relay.type, relay.command, relay.line) == ("relay", "unix", "smtp", 1)
    assert relay.params() == {"syslog_name": "postfix/$service_name"}
    assert mastercf.format_entry(relay, fold=True) == (
        "relay      unix  -       -       y       -       -       smtp\n"
        "    -o syslog_name=postfix/$service_name\n"
    )
    with pytest.raises(mastercf.MasterCfError, match='invalid type field "bogus"'):
        mastercf.parse("x bogus - - y - - smtpd\n")


def test_postconf_through_the_shell(machine: Machine) -> None:
    """A learner's session: edit, check, and a pipe."""
    assert run(machine, "postconf -e 'relayhost = [smtp.example.net]:587'") == ("", "", 0)
    assert run(machine, "postconf relayhost") == ("relayhost = [smtp.example.net]:587\n", "", 0)
    out, err, status = run(machine, "postconf -n | grep -c =")
    assert (err, status) == ("", 0) and int(out) > 10
    assert run(machine, "postconf bogus") == (
        "",
        "postconf: warning: bogus: unknown parameter\n",
        0,
    )
    assert run(machine, "/usr/sbin/postconf -z")[1].startswith(
        "/usr/sbin/postconf: invalid option -- 'z'\n/usr/sbin/postconf: fatal: usage: "
    )
