"""awk beyond the transcripts: random programs, random arithmetic and printf formats
against mawk, Ctrl+C in endless programs, permissions and deep recursion."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time

import pytest
from conftest import make_ctx
from hypothesis import given, settings
from hypothesis import strategies as st
from test_shell_text import (
    run_sim,
    shared_machine,  # noqa: F401 - the fixture
)

from mailsim.machine.machine import Machine
from mailsim.shell.commands.awk_cmd import awk
from mailsim.shell.streams import CommandCancelled

MAWK = shutil.which("mawk")


def run_direct(machine: Machine, program: str, stdin: bytes = b"") -> tuple[bytes, bytes, int]:
    ctx = make_ctx(machine, ["awk", program], stdin=stdin, tty=False)
    status = awk(ctx)
    return ctx.stdout.getvalue(), ctx.stderr.getvalue(), status


def run_mawk(program: str, stdin: bytes = b"") -> tuple[bytes, bytes, int]:
    assert MAWK is not None
    done = subprocess.run(
        ["awk", program],  # named awk, as the messages compared say
        executable=MAWK,
        input=stdin,
        capture_output=True,
        timeout=10,
        env={"LC_ALL": "C.UTF-8"},
    )
    return done.stdout, done.stderr, done.returncode


# -- random programs never crash ------------------------------------------------------

_ATOMS = st.sampled_from(
    ["1", "0", "x", "y", "$1", "$0", "NF", "NR", '"a"', '"10"', "a[1]", "a[x]", "-2.5",
     "length", "$NF", "1e3", "(x)", "/a/", '""']
)  # fmt: skip
_BINOPS = st.sampled_from(["+", "-", "*", "/", "%", "^", " ", "<", "==", "!=", "~", "&&", "||"])
_TOKENS = st.sampled_from(
    ["{", "}", "(", ")", ";", "x", "=", "+", "print", "if", "else", "while", "for", "in",
     "a[", "]", "$", "1", '"s"', "/r/", ",", "getline", "++", "next", "exit", "function",
     "f(", "?", ":", "\n", "printf", ">", "|", "delete", "BEGIN", "END", "!", "-"]
)  # fmt: skip


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 3 or draw(st.booleans()):
        return draw(_ATOMS)
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return f"{draw(expressions(depth + 1))} {draw(_BINOPS)} {draw(expressions(depth + 1))}"
    if kind == 1:
        return f"({draw(expressions(depth + 1))} ? {draw(expressions(depth + 1))} : 1)"
    if kind == 2:
        fn = draw(st.sampled_from(["substr", "index", "sprintf", "int", "toupper"]))
        args = {"substr": 2, "index": 2, "sprintf": 2, "int": 1, "toupper": 1}[fn]
        inner = ", ".join(draw(expressions(depth + 1)) for _ in range(args))
        return f"{fn}({inner})"
    if kind == 3:
        return f"x = {draw(expressions(depth + 1))}"
    return f"!{draw(expressions(depth + 1))}"


def _mawk_like(err: bytes, status: int) -> bool:
    text = err.decode("latin-1")
    return (status == 0 and text == "") or (
        status == 2 and text.startswith("awk: ") and "Traceback" not in text
    )


@settings(max_examples=150, deadline=None)
@given(body=st.lists(expressions(), min_size=1, max_size=4))
def test_random_programs_run_or_fail_like_mawk(shared_machine: Machine, body: list[str]) -> None:  # noqa: F811
    program = "{ " + "; ".join(f"print {e}" for e in body) + " }"
    out, err, status = run_direct(shared_machine, program, b"a b 10\nc 2\n")
    assert _mawk_like(err, status), (program, err)


@settings(max_examples=150, deadline=None)
@given(tokens=st.lists(_TOKENS, min_size=1, max_size=12))
def test_random_token_soup_is_a_syntax_error_or_runs(
    shared_machine: Machine,  # noqa: F811
    tokens: list[str],
) -> None:
    program = " ".join(tokens)
    out, err, status = run_direct(shared_machine, program, b"a b\n")
    assert _mawk_like(err, status), (program, err)


@pytest.mark.skipif(MAWK is None, reason="mawk not installed")
@settings(max_examples=120, deadline=None)
@given(body=st.lists(expressions(), min_size=1, max_size=3))
def test_random_expressions_agree_with_mawk(shared_machine: Machine, body: list[str]) -> None:  # noqa: F811
    program = "{ " + "; ".join(f"print {e}" for e in body) + " }"
    stdin = b"a b 10\nc 2\n"
    real = run_mawk(program, stdin)
    if real[2] != 0:
        return  # errors are compared by the transcripts; here, values
    assert run_direct(shared_machine, program, stdin) == real, program


_NUMBERS = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.floats(-1e9, 1e9, allow_nan=False).map(lambda f: repr(round(f, 4))),
    st.sampled_from(["0", "-0", "0.1", "1e300", "2147483647", "2147483648", "-2147483649"]),
)


@pytest.mark.skipif(MAWK is None, reason="mawk not installed")
@settings(max_examples=150, deadline=None)
@given(a=_NUMBERS, b=_NUMBERS, op=st.sampled_from(["+", "-", "*", "/", "%", "^", "<", "=="]))
def test_random_arithmetic_agrees_with_mawk(
    shared_machine: Machine,  # noqa: F811
    a: str,
    b: str,
    op: str,
) -> None:
    program = f'BEGIN {{ x = {a}; y = "{b}"; print x {op} y; print (x {op} y) "" }}'
    assert run_direct(shared_machine, program) == run_mawk(program), program


_FORMATS = st.builds(
    lambda flags, width, prec, conv: f"%{flags}{width}{prec}{conv}",
    st.sampled_from(["", "-", "0", "+", " ", "-0", "#"]),
    st.sampled_from(["", "1", "5", "12"]),
    st.sampled_from(["", ".0", ".2", ".10"]),
    st.sampled_from(list("dicsfeEgGxXou")),
)


@pytest.mark.skipif(MAWK is None, reason="mawk not installed")
@settings(max_examples=200, deadline=None)
@given(fmt=_FORMATS, value=st.one_of(_NUMBERS, st.sampled_from(['"abc"', '"12x"', '""'])))
def test_random_printf_formats_agree_with_mawk(
    shared_machine: Machine,  # noqa: F811
    fmt: str,
    value: str,
) -> None:
    program = f'BEGIN {{ printf "[{fmt}]\\n", {value} }}'
    assert run_direct(shared_machine, program) == run_mawk(program), program


# -- Ctrl+C, permissions, limits ------------------------------------------------------


@pytest.mark.parametrize(
    "program",
    [
        "BEGIN { while (1) x++ }",
        "BEGIN { for (;;) ; }",
        "BEGIN { do { n++ } while (n > 0) }",
        'BEGIN { while ((getline line < "/nonexistent") != 0) n++ }',
        "function f(n) { while (1) n++ } BEGIN { f(1) }",
    ],
)
def test_endless_programs_stop_on_ctrl_c(shared_machine: Machine, program: str) -> None:  # noqa: F811
    ctx = make_ctx(shared_machine, ["awk", program])
    timer = threading.Timer(0.3, ctx.terminal.cancel_event.set)
    timer.start()
    started = time.perf_counter()
    with pytest.raises(CommandCancelled):
        awk(ctx)
    timer.join()
    assert time.perf_counter() - started < 5


def test_endless_input_loop_stops_on_ctrl_c(shared_machine: Machine) -> None:  # noqa: F811
    """An action that never ends, run on every record, also answers Ctrl+C."""
    ctx = make_ctx(shared_machine, ["awk", "{ while (NR) x++ }"], stdin=b"a\nb\n")
    timer = threading.Timer(0.3, ctx.terminal.cancel_event.set)
    timer.start()
    with pytest.raises(CommandCancelled):
        awk(ctx)
    timer.join()


def test_alice_cannot_write_into_etc(shared_machine: Machine) -> None:  # noqa: F811
    out, err, status = run_sim(
        shared_machine, "awk 'BEGIN { print 1 > \"/etc/awk-test\" }'", user="alice"
    )
    assert (out, err, status) == (
        b"",
        b'awk: cannot open "/etc/awk-test" for output (Permission denied)\n',
        2,
    )


def test_alice_cannot_read_shadow(shared_machine: Machine) -> None:  # noqa: F811
    out, err, status = run_sim(shared_machine, "awk '{ print $1 }' /etc/shadow", user="alice")
    assert (out, err, status) == (b"", b"awk: cannot open /etc/shadow (Permission denied)\n", 2)


def test_output_files_land_on_the_machine(shared_machine: Machine) -> None:  # noqa: F811
    out, err, status = run_sim(
        shared_machine,
        "awk -F: '{ print $1 > \"/root/users.txt\" }' passwd; cat /root/users.txt",
    )
    assert status == 0 and err == b""
    assert out == b"root\ndaemon\npostfix\nalice\nbob\n"
    assert shared_machine.read_bytes("/root/users.txt") == out


def test_recursion_limit_is_mawks(shared_machine: Machine) -> None:  # noqa: F811
    program = "function f(n) { return n ? f(n - 1) + 1 : 0 } BEGIN { print f(%d) }"
    assert run_direct(shared_machine, program % 1006) == (b"1006\n", b"", 0)
    assert run_direct(shared_machine, program % 5000) == (
        b"",
        b"awk: program limit exceeded: eval stack size=1024\n",
        2,
    )


def test_mawk_name_in_messages(shared_machine: Machine) -> None:  # noqa: F811
    out, err, status = run_sim(shared_machine, "mawk '{'")
    assert (out, err, status) == (b"", b"mawk: line 2: missing } near end of file\n", 2)


def test_print_1000_lines_is_fast(shared_machine: Machine) -> None:  # noqa: F811
    data = b"".join(b"Nov 25 mail postfix/smtpd[%d]: line %d\n" % (i, i) for i in range(1000))
    run_direct(shared_machine, "{ print $1 }", data)
    started = time.perf_counter()
    out, _err, _status = run_direct(shared_machine, "{ print $1 }", data)
    assert time.perf_counter() - started < 0.2
    assert out == b"Nov\n" * 1000


def test_typed_lines_are_processed_as_typed(shared_machine: Machine) -> None:  # noqa: F811
    """At the terminal, each typed line is answered before the next one is asked for."""
    from mailsim.shell.streams import InputStream, OutputStream

    events: list[str] = []
    typed = iter([b"alice 1\n", b"bob 2\n"])

    def pull() -> bytes | None:
        events.append("pull")
        return next(typed, None)

    ctx = make_ctx(shared_machine, ["awk", "{ print $2 } END { print NR }"])
    ctx.stdin = InputStream(pull=pull)
    ctx.stdout = OutputStream(sink=lambda data: events.append(data.decode()), isatty=True)
    assert awk(ctx) == 0
    assert events == ["pull", "1\n", "pull", "2\n", "pull", "2\n"]


def test_typed_paragraphs_end_at_a_blank_line(shared_machine: Machine) -> None:  # noqa: F811
    from mailsim.shell.streams import InputStream

    typed = iter([b"a b\n", b"c\n", b"\n", b"d\n"])
    ctx = make_ctx(shared_machine, ["awk", 'BEGIN { RS = "" } { print NR, NF }'])
    ctx.stdin = InputStream(pull=lambda: next(typed, None))
    assert awk(ctx) == 0
    assert ctx.stdout.getvalue() == b"1 3\n2 1\n"


@pytest.mark.parametrize(
    ("program", "what"),
    [
        ('BEGIN { system("true") }', "system"),
        ('BEGIN { "true" | getline }', "cmd | getline"),
        ('BEGIN { print "x" | "cat" }', 'print | "command"'),
    ],
)
def test_commands_need_a_shell(shared_machine: Machine, program: str, what: str) -> None:  # noqa: F811
    """Outside a shell session (no shell to run them) commands are refused in words."""
    out, err, status = run_direct(shared_machine, program)
    assert status == 2
    assert (
        err
        == f"awk: mailsim's awk cannot run commands here ({what}); use a shell pipeline instead\n".encode()
    )


def test_pathological_regex_is_bounded(shared_machine: Machine) -> None:  # noqa: F811
    started = time.perf_counter()
    out, err, status = run_direct(
        shared_machine, "{ print match($0, /(a|aa|aaa)*(b|ab)*$c/) }", b"a" * 5000 + b"\n"
    )
    assert time.perf_counter() - started < 10
    assert status in (0, 2)
    assert status == 0 or b"too costly" in err


def test_a_terminal_sees_each_line_before_ctrl_c(shared_machine: Machine) -> None:  # noqa: F811
    """On a terminal output is not held back: what an endless loop printed shows."""
    from mailsim.shell.streams import OutputStream

    shown: list[bytes] = []
    ctx = make_ctx(shared_machine, ["awk", 'BEGIN { while (1) if (!n++) print "started" }'])
    ctx.stdout = OutputStream(sink=shown.append, isatty=True)
    timer = threading.Timer(0.3, ctx.terminal.cancel_event.set)
    timer.start()
    with pytest.raises(CommandCancelled):
        awk(ctx)
    timer.join()
    assert shown == [b"started\n"]
