"""Control structures: if, for, while/until, case, { } groups, (( )), break and
continue, against bash 5.2; the TUI's continuation prompt; Ctrl+C in a loop."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from bash_diff import assert_same_as_bash, needs_bash
from helpers import run

from mailsim.shell import parser as p
from mailsim.shell.session import Shell
from mailsim.shell.streams import InputStream, OutputStream
from mailsim.shell.terminal import PlainTerminal

LINES = Path(__file__).with_name("test_shell_control_lines.txt").read_text()
# Blank-line-separated blocks would be nicer, but most transcripts are one line:
# a line ending inside an open construct continues on the next (as needs_more says).


def _transcripts() -> list[str]:
    out, pending = [], []
    for line in LINES.splitlines():
        pending.append(line)
        text = "\n".join(pending)
        try:
            p.parse(text + "\n")
        except p.Incomplete:
            continue
        except p.ShellSyntaxError:
            pass
        out.append(text)
        pending = []
    return out


@needs_bash
@pytest.mark.parametrize("line", _transcripts())
def test_matches_bash(machine, tmp_path, line):
    assert_same_as_bash(machine, tmp_path, line)


RECORDED = [
    # (line, stderr) as an interactive bash 5.2 says it; status 2
    ("if true; fi", "bash: syntax error near unexpected token `fi'\n"),
    ("if; then", "bash: syntax error near unexpected token `;'\n"),
    ("if true; then fi", "bash: syntax error near unexpected token `fi'\n"),
    ("{ }", "bash: syntax error near unexpected token `}'\n"),
    ("for x in a b; do; done", "bash: syntax error near unexpected token `;'\n"),
    ("while; do :; done", "bash: syntax error near unexpected token `;'\n"),
    ("done", "bash: syntax error near unexpected token `done'\n"),
    ("then", "bash: syntax error near unexpected token `then'\n"),
    ("}", "bash: syntax error near unexpected token `}'\n"),
    ("case x in x) echo; fi", "bash: syntax error near unexpected token `fi'\n"),
    ("for i in a b", "bash: syntax error: unexpected end of file\n"),
    ("if true; then echo", "bash: syntax error: unexpected end of file\n"),
    ("echo ((a))", "bash: syntax error near unexpected token `('\n"),
    ("f() echo hi", "bash: syntax error near unexpected token `echo'\n"),
]


@pytest.mark.parametrize("line,err", RECORDED)
def test_syntax_errors_say_what_bash_says(machine, line, err):
    assert run(machine, line) == ("", err, 2)


def test_needs_more_inside_open_constructs(machine):
    shell = Shell(machine)
    for text in [
        "if true",
        "if true; then",
        "if true; then echo a; else",
        "for i in a b",
        "for i in a b; do",
        "while true; do :",
        "until false",
        "case x in",
        "case x in x) echo",
        "{ echo a",
        "if true; then\n  for i in 1; do",
        "f() {",
        "f()",
        "function g",
    ]:
        assert shell.needs_more(text), text
    for text in ["if true; then echo; fi", "for i in a; do :; done", "{ :; }", "fi", "done"]:
        assert not shell.needs_more(text), text


def test_exec_runs_a_multiline_script_and_an_unfinished_if(tmp_path):
    """`mailsim exec --script` joins the lines of a construct; an `if` left open
    at the end of the input is bash's unexpected end of file."""
    import subprocess
    import sys

    root = tmp_path / "m"
    subprocess.run([sys.executable, "-m", "mailsim", "init", str(root)], check=True)
    script = tmp_path / "s.sh"
    script.write_text("for i in 1 2; do\n  echo n$i\ndone\nif true; then\n  echo open\n")
    proc = subprocess.run(
        [sys.executable, "-m", "mailsim", "exec", "--root", str(root), "--script", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout == "n1\nn2\n"
    assert proc.stderr == "bash: syntax error: unexpected end of file\n"
    assert proc.returncode == 2


def test_ctrl_c_stops_an_endless_loop(machine):
    """Regression guard: `while true; do :; done` must not hang the TUI's worker;
    the terminal's cancel flag (Ctrl+C) ends the line with status 130."""
    terminal = PlainTerminal()
    shell = Shell(machine, terminal)
    result: list[int] = []
    worker = threading.Thread(
        target=lambda: result.append(
            shell.run_line(
                "while true; do :; done", InputStream(b""), OutputStream(), OutputStream()
            )
        ),
        daemon=True,
    )
    worker.start()
    worker.join(0.3)
    assert worker.is_alive()  # it really loops
    terminal.cancel_event.set()
    worker.join(5)
    assert not worker.is_alive()
    assert result == [130]
    assert shell.last_status == 130


def test_a_loop_of_builtins_does_not_fill_the_event_log(machine):
    before = sum(1 for _ in machine.events)
    run(machine, "i=0; while [ $i -lt 50 ]; do i=$((i+1)); : ; done")
    assert sum(1 for _ in machine.events) - before < 5


def test_break_outside_a_loop_is_harmless(machine):
    out, err, status = run(machine, "break; echo after")
    assert out == "after\n"
    assert "only meaningful" in err


def test_endless_recursion_is_refused(machine):
    """A function calling itself stops at FUNCNEST levels instead of overflowing."""
    out, err, status = run(machine, "f() { f; }; f; echo st=$?")
    assert out == "st=1\n"
    assert err == "bash: f: maximum function nesting level exceeded (40)\n"
