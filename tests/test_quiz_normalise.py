"""Typed answers: forms that mean the same thing are accepted, others are not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mailsim.quiz.normalise import SERVICES, NormaliseError, matches, normalise

FLAGS = ("spacing", "flags")


@pytest.mark.parametrize(
    ("answer", "accept", "rules", "with_args", "expected"),
    [
        ("postconf -n", ["postconf -n"], FLAGS, "", True),
        ("  postconf   -n ", ["postconf -n"], FLAGS, "", True),
        ("/usr/sbin/postconf -n", ["postconf -n"], FLAGS, "", True),
        ("sudo postconf -n", ["postconf -n"], FLAGS, "", True),
        ("postconf -N", ["postconf -n"], FLAGS, "", False),
        ("postconf -nf", ["postconf -n -f"], FLAGS, "", True),
        ("postconf -f -n", ["postconf -n -f"], FLAGS, "", True),
        ("postconf -n -c /etc/postfix", ["postconf -c /etc/postfix -n"], FLAGS, "c", True),
        ("postconf -c/etc/postfix -n", ["postconf -c /etc/postfix -n"], FLAGS, "c", True),
        ("postconf -nc /etc/postfix", ["postconf -c /etc/postfix -n"], FLAGS, "c", True),
        ("postconf -c /etc/other -n", ["postconf -c /etc/postfix -n"], FLAGS, "c", False),
        ("doveadm pw -s SHA512-CRYPT", ["doveadm pw -s sha512-crypt"], FLAGS, "s", False),
        ("doveadm pw -s SHA512-CRYPT", ["doveadm pw -s sha512-crypt"], (*FLAGS, "case"), "s", True),
        ("postconf -e 'myhostname = mail'", ["postconf -e myhostname=mail"], FLAGS, "", True),
        ("postconf -e 'myhostname = mail'", ["postconf -e myhostname=mx"], FLAGS, "", False),
        ("myhostname = mail.example.com", ["myhostname=mail.example.com"], ("spacing",), "", True),
        ("MyHostName", ["myhostname"], ("spacing",), "", False),
        ("MyHostName", ["myhostname"], ("spacing", "case"), "", True),
        ("imap", ["143"], ("services",), "", True),
        ("imap2", ["imap"], ("services",), "", True),
        ("IMAP", ["imap"], ("services",), "", True),
        ("smtps", ["submissions"], ("services",), "", True),
        ("465", ["submissions"], ("services",), "", True),
        ("submission", ["submissions"], ("services",), "", False),
        ("pop-3", ["pop3"], ("services",), "", True),
        ("smtp", ["25"], ("services",), "", True),
        ("imaps", ["imap"], ("services",), "", False),
        ("inet_interfaces = imap", ["inet_interfaces = imap"], ("services",), "", True),
        ("/etc/postfix/", ["/etc/postfix"], ("path",), "", True),
        ("/etc//postfix", ["/etc/postfix"], ("path",), "", True),
        ("'Maildir/'", ["Maildir/"], ("quotes",), "", True),
        ("pop3 imap", ["imap pop3"], ("spacing", "unordered"), "", True),
        ("pop3 imap", ["imap pop3"], ("spacing",), "", False),
        ("", ["postconf -n"], FLAGS, "", False),
    ],
)
def test_matches(
    answer: str, accept: list[str], rules: tuple[str, ...], with_args: str, expected: bool
) -> None:
    assert matches(answer, accept, [], rules, with_args) is expected


def test_patterns_match_the_whole_normalised_answer() -> None:
    assert matches("postqueue  -p", [], [r"postqueue -p|mailq"], ("spacing",))
    assert not matches("postqueue -pp", [], [r"postqueue -p"], ("spacing",))
    assert matches("MAILQ", [], [r"mailq"], ("spacing", "case"))


def test_unbalanced_quotes_are_an_error_only_when_validating() -> None:
    with pytest.raises(NormaliseError):
        normalise("postconf -e 'myhostname", FLAGS, strict=True)
    # A learner's typo is read word by word instead, and simply does not match.
    assert not matches("postconf -e 'myhostname", ["postconf -e myhostname"], [], FLAGS)


def test_canonical_form_is_stable() -> None:
    assert (
        normalise("sudo /usr/sbin/postconf -fn -c /etc/postfix main.cf", FLAGS, "c")
        == "postconf -f -n -c /etc/postfix main.cf"
    )


DEBIAN_SERVICES = Path(__file__).parent / "data" / "quiz" / "services.txt"


def _parse_services(text: str) -> dict[str, str]:
    table = {}
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and words[1].endswith("/tcp"):
            port = words[1].split("/")[0]
            for name in (words[0], *words[2:]):
                table[name] = port
    return table


def test_service_table_matches_the_recorded_debian_services() -> None:
    recorded = _parse_services(DEBIAN_SERVICES.read_text(encoding="utf-8"))
    assert {name: recorded[name] for name in SERVICES} == SERVICES


@pytest.mark.skipif(
    not Path("/etc/services").is_file() or shutil.which("dpkg") is None,
    reason="needs a Debian /etc/services",
)
def test_service_table_matches_the_real_etc_services() -> None:
    real = _parse_services(Path("/etc/services").read_text(encoding="utf-8"))
    assert {name: real[name] for name in SERVICES} == SERVICES
