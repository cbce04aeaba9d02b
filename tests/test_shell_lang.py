"""Shell-language builtins: source/., read, alias, set, umask, shift, against
bash 5.2, plus what only an interactive session shows (alias expansion on the
next line, read at the terminal, set -e ending the session)."""

from __future__ import annotations

import pytest
from bash_diff import assert_same_as_bash, needs_bash, transcript_lines
from helpers import run

from mailsim.shell.session import ExitShell, Shell
from mailsim.shell.streams import InputStream, OutputStream
from mailsim.shell.terminal import PlainTerminal

LINES = transcript_lines("test_shell_lang_lines.txt")


@needs_bash
@pytest.mark.parametrize("line", LINES)
def test_matches_bash(machine, tmp_path, line):
    assert_same_as_bash(machine, tmp_path, line)


def test_alias_applies_from_the_next_line(machine):
    """As in an interactive bash: an alias defined on a line is not used on that line."""
    shell = Shell(machine)
    out, err, _ = run(machine, "alias ll='echo LL'; ll", shell=shell)
    assert err == "bash: ll: command not found\n"
    assert run(machine, "ll x", shell=shell)[0] == "LL x\n"
    assert run(machine, "X=1 ll y; echo a && ll z", shell=shell)[0] == "LL y\na\nLL z\n"
    assert run(machine, "\\ll", shell=shell)[1] == "bash: ll: command not found\n"
    assert run(machine, "'ll'", shell=shell)[1] == "bash: ll: command not found\n"


def test_alias_expansion_stops_and_chains(machine):
    shell = Shell(machine)
    run(
        machine, "alias echo='echo -n'; alias q='echo q '; alias e=echo; alias a=b b=a", shell=shell
    )
    assert run(machine, "echo x", shell=shell)[0] == "x"
    assert run(machine, "q e", shell=shell)[0] == "q echo -n"
    assert run(machine, "a", shell=shell)[1] == "bash: a: command not found\n"


def test_alias_can_open_a_construct(machine):
    shell = Shell(machine)
    run(machine, "alias each='for i in 1 2; do'", shell=shell)
    assert shell.needs_more("each echo $i")
    assert run(machine, "each echo $i; done", shell=shell)[0] == "1\n2\n"


def test_source_reports_syntax_errors_with_file_and_line(machine):
    """The commands before the error run (bash runs a sourced file command by command)."""
    machine.write_text("/root/s1.sh", "echo one\nif true; then\n  echo two\nfi fi\necho three\n")
    machine.write_text("/root/s3.sh", "echo $# $1\nif true\n")
    out, err, status = run(machine, "source s1.sh; echo st=$?")
    assert out == "one\nst=2\n"
    assert err == (
        "bash: s1.sh: line 4: syntax error near unexpected token `fi'\n"
        "bash: s1.sh: line 4: `fi fi'\n"
    )
    out, err, status = run(machine, ". ./s3.sh x y; echo st=$? $#")
    assert out == "2 x\nst=2 0\n"
    assert err == "bash: ./s3.sh: line 3: syntax error: unexpected end of file\n"


def test_source_keeps_variables_cwd_and_aliases(machine):
    machine.write_text(
        "/root/.env", "export RELAY=smtp.example.net\ncd /etc/postfix\nalias pc=postconf\n"
    )
    shell = Shell(machine)
    run(machine, "source ~/.env", shell=shell)
    assert shell.env["RELAY"] == "smtp.example.net"
    assert shell.cwd == "/etc/postfix"
    assert run(machine, "pc -h myhostname", shell=shell)[0] == "mail.example.com\n"


def test_source_needs_read_permission(machine):
    machine.write_text("/root/secret.sh", "echo hi\n")
    shell = Shell(machine, user="alice")
    assert run(machine, "source /etc/shadow", shell=shell) == (
        "",
        "bash: /etc/shadow: Permission denied\n",
        1,
    )


def test_return_outside_a_sourced_file(machine):
    assert run(machine, "return 3; echo $?") == (
        "2\n",
        "bash: return: can only `return' from a function or sourced script\n",
        0,
    )


def _typed(machine, line, typed):
    """Run ``line`` with its stdin at the terminal, where the learner types ``typed``."""
    answers = iter(typed)
    prompts: list[str] = []
    terminal = PlainTerminal(read=lambda: next(answers, None), write_prompt=prompts.append)
    shell = Shell(machine, terminal)
    out, err = OutputStream(isatty=True), OutputStream(isatty=True)
    status = shell.run_line(line, shell.terminal_input(), out, err)
    return out.getvalue().decode(), err.getvalue().decode(), status, prompts


def test_read_from_the_terminal(machine):
    out, _, status, prompts = _typed(
        machine, 'read -p "Relay host: " r; echo "[$r]"', ["mx.example.net"]
    )
    assert (out, status) == ("[mx.example.net]\n", 0)
    assert prompts == ["Relay host: "]
    out, _, status, _ = _typed(machine, "read -s pw; echo ${#pw}", ["secret"])
    assert out == "6\n"
    out, _, status, _ = _typed(machine, "while read l; do echo got $l; done; echo end", ["a", "b"])
    assert out == "got a\ngot b\nend\n"


def test_read_at_end_of_input_fails(machine):
    out, _, status, _ = _typed(machine, "read v; echo $? [$v]", [])
    assert out == "1 []\n"


def test_set_e_ends_the_session(machine):
    """An interactive bash with set -e exits when a command fails."""
    shell = Shell(machine)
    run(machine, "set -e", shell=shell)
    with pytest.raises(ExitShell) as exc:
        shell.run_line("false; echo no", InputStream(b""), OutputStream(), OutputStream())
    assert exc.value.status == 1


def test_set_u_abandons_the_line_interactively(machine):
    shell = Shell(machine)
    run(machine, "set -u", shell=shell)
    assert run(machine, "echo $NOPE; echo after", shell=shell) == (
        "",
        "bash: NOPE: unbound variable\n",
        1,
    )
    assert run(machine, "echo $?", shell=shell)[0] == "1\n"


def test_set_lists_variables_and_options(machine):
    shell = Shell(machine)
    run(machine, "MYVAR='a b'; set -o pipefail", shell=shell)
    out = run(machine, "set", shell=shell)[0]
    assert "MYVAR='a b'\n" in out
    assert "HOME=/root\n" in out
    assert "pipefail       \ton\n" in run(machine, "set -o", shell=shell)[0]
    assert "set -o pipefail\n" in run(machine, "set +o", shell=shell)[0]


def test_umask_is_per_shell(machine):
    shell = Shell(machine)
    run(machine, "umask 077", shell=shell)
    assert run(machine, "umask", shell=shell)[0] == "0077\n"
    assert run(machine, "umask")[0] == "0022\n"


def test_a_login_has_its_own_aliases_and_options(machine):
    """`su - alice` starts a new bash: root's aliases and set -u stay with root."""
    shell = Shell(machine)
    run(machine, "alias ll='ls -l'; set -u; set -- a b", shell=shell)
    run(machine, "su - alice", shell=shell)
    assert run(machine, "alias ll; echo $# ${NOPE}x", shell=shell) == (
        "0 x\n",
        "bash: alias: ll: not found\n",
        0,
    )
    run(machine, "exit", shell=shell)
    assert run(machine, "alias ll; echo $#", shell=shell)[0] == "alias ll='ls -l'\n2\n"
