"""The Pygments lexers: every image config file lexes without errors, the plugin entry
points work (``pygmentize -l postfix``), and a recorded token stream stays put."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pygments.token import Error

from mailsim.lexers import lexer_for_path

IMAGE = Path(__file__).parent.parent / "sandbox" / "root"
RECORDED = Path(__file__).parent / "data" / "tui" / "lexer_tokens.json"
SAMPLES = {
    "/etc/postfix/main.cf": "# comment\nmyhostname = mail.example.com\nmydestination = $myhostname, localhost\n"
    "    ${mydomain}\nalias_maps = hash:/etc/aliases\nsmtpd_use_tls = yes\n",
    "/etc/postfix/master.cf": "smtp      inet  n       -       y       -       -       smtpd\n"
    "  -o syslog_name=postfix/submission\n",
    "/etc/dovecot/conf.d/10-mail.conf": "!include_try conf.d/*.conf\nmail_location = maildir:~/Maildir\n"
    "service imap-login {\n  inet_listener imap {\n    port = 0\n  }\n}\n",
    "/etc/aliases": '# aliases\npostmaster: root\nlist: :include:/etc/list, "|/usr/bin/prog"\n',
    "/root/.procmailrc": "MAILDIR=$HOME/Maildir/\n:0:\n* ^Subject:.*spam\nspam/\n",
}


def config_files() -> list[str]:
    found = []
    for path in sorted(IMAGE.rglob("*")):
        machine_path = "/" + path.relative_to(IMAGE).as_posix()
        if path.is_file() and lexer_for_path(machine_path) is not None:
            found.append(machine_path)
    return found


@pytest.mark.parametrize("machine_path", config_files())
def test_image_config_files_lex_cleanly(machine_path: str) -> None:
    lexer = lexer_for_path(machine_path)
    text = (IMAGE / machine_path.lstrip("/")).read_text(encoding="utf-8")
    tokens = list(lexer.get_tokens_unprocessed(text))
    assert [v for _, t, v in tokens if t is Error] == []
    assert "".join(v for _, _, v in tokens) == text


def token_stream(machine_path: str) -> list[list[str]]:
    lexer = lexer_for_path(machine_path)
    return [
        [str(t), v] for _, t, v in lexer.get_tokens_unprocessed(SAMPLES[machine_path]) if v.strip()
    ]


@pytest.mark.parametrize("machine_path", sorted(SAMPLES))
def test_recorded_token_streams(machine_path: str) -> None:
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert token_stream(machine_path) == recorded[machine_path]


def test_main_cf_parameter_names_and_variables() -> None:
    tokens = dict(
        (v, str(t))
        for v, t in (
            (v, t)
            for _, t, v in lexer_for_path("/etc/postfix/main.cf").get_tokens_unprocessed(
                "home_mailbox = $myhostname/Maildir/\n"
            )
        )
    )
    assert tokens["home_mailbox"] == "Token.Name.Attribute"
    assert tokens["$myhostname"] == "Token.Name.Variable"


@pytest.mark.parametrize("alias", ["postfix", "postfix-master", "dovecot", "aliases", "procmail"])
def test_registered_as_pygments_plugins(alias: str) -> None:
    from pygments.lexers import get_lexer_by_name

    assert get_lexer_by_name(alias).__module__.startswith("mailsim.lexers")


PYGMENTIZE = Path(sys.executable).parent / "pygmentize"


@pytest.mark.skipif(not PYGMENTIZE.exists(), reason="pygmentize is not installed beside Python")
def test_pygmentize_command_uses_the_plugin(tmp_path: Path) -> None:
    """`pygmentize -l postfix main.cf` works once mailsim is installed (entry point)."""
    exe = str(PYGMENTIZE)
    sample = tmp_path / "main.cf"
    sample.write_text(SAMPLES["/etc/postfix/main.cf"], encoding="utf-8")
    out = subprocess.run(
        [exe, "-l", "postfix", "-f", "raw", str(sample)], capture_output=True, text=True, check=True
    ).stdout
    assert "Token.Name.Attribute\t'myhostname'" in out
