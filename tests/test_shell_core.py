"""The shell itself: quoting, expansion, pipes, redirections, heredocs, statuses.

Transcripts run both through mailsim's shell and, where bash is installed,
through the real `bash -c` in a scratch directory holding the same files.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from helpers import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailsim.shell import parser as p
from mailsim.shell.session import Shell
from mailsim.shell.terminal import PlainTerminal

# Lines whose output does not depend on the machine's files: compared with real bash.
PORTABLE = [
    "echo hello world",
    "echo 'single  quoted'  \"double  $HOME\"",
    'echo a\\ b\\"c',
    "echo -n no newline; echo",
    "echo -e 'tab\\there' 'x\\ny'",
    "X=5; echo $X ${X} \"$X\" '$X'",
    "X='a  b'; echo $X; echo \"$X\"",
    "echo ${UNSET:-default} ${UNSET-other}",
    "false; echo $?; true; echo $?",
    "false || echo recovered",
    "true && echo chained && false || echo after",
    "echo one | cat",
    "printf '%s-%d\\n' a 1 b 2",
    "printf 'x\\n' > /tmp/t1; cat /tmp/t1",
    "echo first > /tmp/t2; echo second >> /tmp/t2; cat /tmp/t2",
    "cat < /tmp/nonexistent-file-xyz",
    "echo err 1>&2",
    "nosuchcommand-xyz",
    "nosuchcommand-xyz 2>/dev/null; echo $?",
    "cat <<EOF\nline $HOME\nEOF",
    "cat <<'EOF'\nline $HOME\nEOF",
    "cat <<< 'here string'",
    "echo $(echo nested) `echo back`",
    "cd /nonexist-xyz",
    "cd /etc/hostname",
    "echo > /nonexist-dir-xyz/file",
    "! true; echo $?",
    "echo a; echo b # comment",
    "(echo sub; exit 3); echo $?",
    "export FOO=bar; echo $FOO",
    "echo ~root",
    "echo ${#HOME}",
    "printf '%5s|%-5s|\\n' ab cd",
    "type cd",
    ": > /tmp/t3; cat /tmp/t3; echo $?",
    ": ${Y:=set-by-colon} ignored args; echo $Y; type :",
    ": > /dev/full; echo $?; true >> /dev/full; echo $?",
    "': x'",
]


def _bash(line: str, cwd: str) -> tuple[str, str, int]:
    env = {
        "HOME": "/root",
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "USER": "root",
        "LANG": "C.UTF-8",
    }
    proc = subprocess.run(["bash", "-c", line], capture_output=True, text=True, cwd=cwd, env=env)
    return proc.stdout, proc.stderr, proc.returncode


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize("line", PORTABLE)
def test_matches_bash(machine, tmp_path, line):
    """Each line prints what `bash -c` prints (with `-c: line 1:` syntax wording)."""
    (tmp_path / "etc").mkdir(exist_ok=True)
    real_line = line.replace("/tmp/", f"{tmp_path}/").replace("/etc/hostname", "/etc/hostname")
    expected = _bash(real_line, str(tmp_path))
    shell = Shell(machine, interactive=False)
    got = run(machine, line, shell=shell)
    assert got[0] == expected[0].replace(f"{tmp_path}/", "/tmp/")
    # bash -c prefixes runtime errors with "line 1: "; a terminal session does not.
    assert got[1] == expected[1].replace(f"{tmp_path}/", "/tmp/").replace(
        "bash: line 1: ", "bash: "
    )
    assert got[2] == expected[2]


RECORDED = [
    # (line, stdout, stderr, status) as bash 5.2 prints them interactively
    ("nosuch", "", "bash: nosuch: command not found\n", 127),
    ("ls ;;", "", "bash: syntax error near unexpected token `;;'\n", 2),
    ("| foo", "", "bash: syntax error near unexpected token `|'\n", 2),
    ("echo >", "", "bash: syntax error near unexpected token `newline'\n", 2),
    ("echo ${a b}", "", "bash: ${a b}: bad substitution\n", 1),
    ("/x/y", "", "bash: /x/y: No such file or directory\n", 127),
    ("cd /etc/hostname", "", "bash: cd: /etc/hostname: Not a directory\n", 1),
    ("cat /etc/hostname", "mail\n", "", 0),
    ("echo hi > /tmp/x; cat /tmp/x /tmp/x", "hi\nhi\n", "", 0),
]


@pytest.mark.parametrize("line,out,err,status", RECORDED)
def test_recorded_interactive_transcripts(machine, line, out, err, status):
    assert run(machine, line) == (out, err, status)


def test_input_ending_inside_a_quote(machine):
    out, err, status = run(machine, 'echo "abc')
    assert err == (
        "bash: unexpected EOF while looking for matching `\"'\n"
        "bash: syntax error: unexpected end of file\n"
    )
    assert status == 2


def test_heredoc_cut_short_warns_and_runs(machine):
    """bash runs the command with the body read so far, after a warning."""
    out, err, status = run(machine, "cat <<EOF\nabc")
    assert out == "abc\n"
    assert err == "bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\n"
    assert status == 0


def test_unterminated_heredoc_then_syntax_error(machine):
    """Regression: `<<EOF <` raised out of the shell; bash (5.2, interactive)
    warns about the here-document, then reports the syntax error, status 2."""
    out, err, status = run(machine, "echo hi <<EOF <")
    assert out == ""
    assert err == (
        "bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\n"
        "bash: syntax error near unexpected token `newline'\n"
    )
    assert status == 2


def test_prompt_follows_user_host_and_directory(machine):
    shell = Shell(machine)
    assert shell.prompt() == "root@mail:~# "
    run(machine, "cd /etc/postfix", shell=shell)
    assert shell.prompt() == "root@mail:/etc/postfix# "
    machine.set_hostname("mx1.example.org")
    assert shell.prompt() == "root@mx1:/etc/postfix# "


def test_needs_more_for_open_constructs(machine):
    shell = Shell(machine)
    assert shell.needs_more('echo "abc')
    assert shell.needs_more("cat <<EOF\nline")
    assert shell.needs_more("ls |")
    assert shell.needs_more("true &&")
    assert not shell.needs_more("cat <<EOF\nline\nEOF")
    assert not shell.needs_more("ls ;;")


def test_redirect_writes_machine_file_not_host(machine):
    run(machine, "echo relayhost = >> /etc/postfix/main.cf")
    assert machine.read_text("/etc/postfix/main.cf").endswith("relayhost =\n")


def test_unexpected_exception_becomes_internal_error(machine, monkeypatch):
    shell = Shell(machine)
    monkeypatch.setattr(shell.registry, "func", lambda name: lambda ctx: 1 / 0)
    out, err, status = run(machine, "cat /etc/hostname", shell=shell)
    assert (out, err, status) == ("", "cat: internal error\n", 70)


def test_every_command_is_logged_in_order(machine):
    run(machine, "true; false")
    commands = [e for e in machine.events if e["kind"] == "command"]
    assert [c["argv"] for c in commands[-2:]] == [["true"], ["false"]]
    assert commands[-1]["seq"] > commands[-2]["seq"]


def test_glob_expands_inside_machine(machine):
    out, _, status = run(machine, "echo /etc/dovecot/conf.d/10-*.conf")
    assert status == 0
    words = out.split()
    assert "/etc/dovecot/conf.d/10-ssl.conf" in words
    assert words == sorted(words)


FUZZ_PIECES = list("ab $'\"\\|&;<>(){}`#~*?=-12\n\t") + [
    *(f" {word} " for word in ("if", "then", "elif", "else", "fi", "for", "in", "do", "done")),
    *(f" {word} " for word in ("while", "until", "case", "esac", "{", "}", "!", "al")),
    *("$((", "))", "((", ";;", "[ ", " ]", "test ", "break ", "continue ", "x)", "1/0"),
    *(" [[ ", " ]] ", " =~ ", " == ", " -f ", " -eq "),
    *("f() ", " function ", " f;", "()"),
    *("set -e;", "set -u;", "set -x;", "read a;", "shift;", "return;", "$@", "$1", "source "),
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(FUZZ_PIECES), max_size=24).map("".join))
def test_no_line_crashes_the_shell(machine, line):
    """Whatever is typed, the shell answers with a status and never raises."""
    try:
        p.parse(line + "\n")
    except (p.Incomplete, p.ShellSyntaxError):
        pass
    shell = Shell(machine, _LoopBreaker(), interactive=True)
    shell.registry = _NoRun(shell.registry)
    shell.aliases["al"] = "if a; then "
    out, err, status = run(machine, line, shell=shell)
    assert 0 <= status <= 255


class _LoopBreaker(PlainTerminal):
    """Presses Ctrl+C after a few hundred loop passes (`until a; do :; done` never ends)."""

    def __init__(self) -> None:
        super().__init__()
        self.checks = 0

    def check_cancelled(self) -> None:
        self.checks += 1
        if self.checks > 200:
            self.cancel_event.set()
        super().check_cancelled()


_HARMLESS = {"echo", "test", "[", "break", "continue", "set", "read", "shift", "return", ":"}
_HARMLESS |= {"true", "false", "alias", "unalias", "source", "."}


class _NoRun:
    """A registry that knows only builtins that change no file, so fuzzed lines
    never touch the machine."""

    def __init__(self, real):
        self._real = real

    def find(self, name, path):
        return name if name in _HARMLESS else None

    def name_for_path(self, path):
        return None

    def func(self, name):
        return self._real.func(name)

    def is_builtin(self, name):
        return name in _HARMLESS


def test_exit_says_logout_only_for_login_shells(machine):
    """bash prints "logout" leaving `su - alice` and "exit" leaving `su alice`."""
    shell = Shell(machine)
    run(machine, "su - alice", shell=shell)
    assert run(machine, "exit", shell=shell)[1] == "logout\n"
    run(machine, "su alice", shell=shell)
    assert run(machine, "exit", shell=shell)[1] == "exit\n"
    assert shell.user.name == "root"


def test_unclosed_paren_after_a_cut_heredoc(machine):
    """Regression (found by hypothesis): `(<<1` raised out of the shell."""
    out, err, status = run(machine, "(<<1")
    assert status == 2
    assert err.endswith("bash: syntax error: unexpected end of file\n")


@pytest.mark.parametrize("line", ["echo $((`))", "echo ${x:-`}", "cat <<EOF\n$(\nEOF"])
def test_unfinished_substitution_found_while_expanding(machine, line):
    """Regression (found by hypothesis): an unterminated substitution inside $(( )),
    a ${x:-...} default or a heredoc body raised out of the shell."""
    out, err, status = run(machine, line)
    assert (out, status) == ("", 1)
    assert err.startswith("bash: unexpected EOF while looking for matching `")


def test_help_fits_80_columns_and_names_only_commands_that_exist(machine):
    from mailsim.shell.commands.builtins import HELP_GROUPS
    from mailsim.shell.registry import REGISTRY

    out, err, status = run(machine, "help")
    assert status == 0 and err == ""
    assert max(len(line) for line in out.splitlines()) <= 80
    listed = out.split("\n\n", 1)[1].split()
    for title, names in HELP_GROUPS:
        assert f"{title}:" in listed
        for name in names.split():
            assert name in listed and (
                name in REGISTRY.names() or name in ("if", "for", "while", "case")
            )
