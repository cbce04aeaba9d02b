"""``[[ ]]``, ``type`` for keywords and aliases, and completion after keywords."""

from __future__ import annotations

import pytest
from bash_diff import assert_same_as_bash, needs_bash, transcript_lines
from helpers import run

from mailsim.shell.completion import complete
from mailsim.shell.session import Shell

LINES = transcript_lines("test_shell_cond_lines.txt")


@needs_bash
@pytest.mark.parametrize("line", LINES)
def test_matches_bash(machine, tmp_path, line):
    assert_same_as_bash(machine, tmp_path, line)


def test_two_words_are_a_syntax_error(machine):
    out, err, _ = run(machine, "[[ a b ]]; echo never")
    assert (out, err) == ("", "bash: conditional binary operator expected\n")


def test_open_brackets_need_more(machine):
    assert Shell(machine).needs_more("[[ -f /etc/passwd &&")
    assert not Shell(machine).needs_more("[[ -f /etc/passwd ]]")


def test_type_names_keywords_and_aliases(machine):
    shell = Shell(machine)
    run(machine, "alias ll='ls -l'", shell=shell)
    assert run(machine, "type if ll cd; type -t while ll cd cat", shell=shell)[0] == (
        "if is a shell keyword\nll is aliased to `ls -l'\ncd is a shell builtin\n"
        "keyword\nalias\nbuiltin\nfile\n"
    )


def test_completion_after_keywords_offers_commands(machine):
    shell = Shell(machine)
    run(machine, "alias pcn='postconf -n'", shell=shell)
    assert "postconf" in complete(shell, "for f in a; do postc").candidates
    assert "pcn" in complete(shell, "if pc").candidates
    assert complete(shell, "whi").candidates == ["which", "while"]
