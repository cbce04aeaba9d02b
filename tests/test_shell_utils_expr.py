"""expr: transcripts against coreutils 9.1 (values, exit statuses 0/1/2, messages)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import make_ctx
from hypothesis import given, settings
from hypothesis import strategies as st
from test_shell_text import shared_machine  # noqa: F401 - the fixture
from test_shell_utils_harness import transcript_tests

from mailsim.machine.machine import Machine
from mailsim.shell.commands.expr import Parser, expr, is_null

LINES: list[str | tuple[str, str]] = [
    "expr",
    "expr --",
    "expr 1 + 2",
    "expr 0 '|' ''",
    "expr '' '|' 0",
    "expr '' '|' ''",
    "expr 3 '&' 0",
    "expr 3 '&' 4",
    "expr a '<' b",
    "expr 10 '<' 9",
    "expr 10 '<' 9a",
    "expr abc : 'a\\(.\\)'",
    "expr abc : 'x'",
    "expr abc : '.*'",
    "expr length abcd",
    "expr substr hello 2 3",
    "expr index hello lo",
    "expr 1 / 0",
    "expr 5 % 0",
    "expr a + 1",
    "expr 1 +",
    "expr '(' 1 + 2",
    "expr ')'",
    "expr 1 2",
    "expr + length",
    "expr match abc 'a.'",
    "expr 5 % 3",
    "expr -5 / 2",
    "expr -5 % 3",
    "expr 17 / -5",
    "expr 17 % -5",
    "expr 99999999999999999999 + 1",
    "expr 2 '*' 99999999999999999999",
    "expr substr hello 0 2",
    "expr substr hello 2 -1",
    "expr substr hello a 2",
    "expr substr abc 1",
    "expr '(' 1 x",
    "expr 2 '*' 3 + 1",
    "expr '(' 2 + 3 ')' '*' 4",
    "expr 3 - 4 - 5",
    "expr 1 = 1.0",
    "expr a = a",
    "expr 5 == 5",
    "expr 1 '!=' 2",
    "expr 7 '>=' 7",
    "expr b '<=' a",
    "expr a '>' B",
    "expr -- -3 + 1",
    "expr --help",
    "expr --version",
    "expr --he",
    "expr --help 1",
    "expr --foo",
    "expr '('",
    "expr '(' ')'",
    "expr abc : 'b'",
    "expr a : '\\('",
    "expr abc : 'a\\{2'",
    "expr abc : '*a'",
    "expr abc : '^a'",
    "expr 'a^b' : 'a^b'",
    "expr length",
    "expr match",
    "expr index abc",
    "expr +",
    "expr ' 3' + 1",
    "expr '+3' + 1",
    "expr 00",
    "expr -0",
    "expr ''",
    "expr ab : 'a*\\(b\\)*'",
    "expr x : '\\(y\\)*'",
    "expr abc : '\\(a\\)\\(b\\)'",
    "expr 1 '|' 1 / 0",
    "expr 0 '&' 1 / 0",
    "expr café : '.*'",
    "expr length café",
    "expr index café é",
    "expr 10 '<' 9 '|' 0",
    "expr 1 + 2 3",
    "expr 12 : '[0-9]*'",
    "expr 100 : '[0-9]\\+'",
    "expr x '&' '' '|' y",
    "expr mail.example.com : '\\([^.]*\\)'",
    "expr 'smtpd_banner = x' : '[a-z_]* = \\(.*\\)'",
    "n=3; n=$(expr $n + 1); echo $n",
    "expr 1 + 1 > /dev/null && echo ok",
]

(
    test_expr_matches_recording,
    test_expr_matches_real_tool,
    test_expr_recording_covers_every_line,
    test_record_expr,
) = transcript_tests("expr", LINES, ("expr",))


def test_null_values() -> None:
    """expr.c's null(): 0, '', and strings of zeros (with a minus) are false; '-' is not."""
    assert [is_null(v) for v in (0, "", "00", "-0", "-", "0x", 1)] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]


def test_or_does_not_evaluate_its_right_side_when_left_is_true() -> None:
    assert Parser(["1", "|", "1", "/", "0"]).parse() == "1"


_OPERATORS = ["+", "-", "*", "/", "%", "<", "<=", "=", "!=", ">=", ">", "|", "&", ":"]
_WORDS = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["", "0", "00", "-0", "abc", "a.b", "mail", "( ", "10x"]),
)


def _real_expr(args: list[str]) -> tuple[bytes, bytes, int]:
    done = subprocess.run(["expr", *args], capture_output=True, env={"LC_ALL": "C.UTF-8"})
    return done.stdout, done.stderr, done.returncode


@pytest.mark.skipif(shutil.which("expr") is None, reason="GNU expr not installed")
@settings(max_examples=200, deadline=None)
@given(left=_WORDS, op=st.sampled_from(_OPERATORS), right=_WORDS, third=_WORDS)
def test_random_binary_expressions(
    shared_machine: Machine,  # noqa: F811
    left: str,
    op: str,
    right: str,
    third: str,
) -> None:
    for args in ([left, op, right], [left, op, right, "+", third], ["length", left, op, right]):
        ctx = make_ctx(shared_machine, ["expr", *args], tty=False)
        status = expr(ctx)
        assert (ctx.stdout.getvalue(), ctx.stderr.getvalue(), status) == _real_expr(args), args
