"""xargs: transcripts against findutils 4.9.0; commands run in the simulated shell."""

from __future__ import annotations

from test_shell_text import run_sim, shared_machine  # noqa: F401 - the fixture
from test_shell_utils_harness import transcript_tests

from mailsim.machine.machine import Machine
from mailsim.shell.session import Shell
from mailsim.shell.streams import InputStream, OutputStream
from mailsim.shell.terminal import PlainTerminal

LINES: list[str | tuple[str, str]] = [
    ("xargs", "a b\nc"),
    ("xargs -n 2", "a b\nc d e"),
    ("xargs -I {} echo x{}y {}", "a\nb"),
    ("xargs echo hi", ""),
    ("xargs -r echo hi", ""),
    ("xargs --no-run-if-empty echo hi", "  \n"),
    ("xargs -t echo", "a b"),
    ("xargs -t -n1 echo", "a b"),
    ("xargs nosuch", "a b"),
    ("xargs cd", "a b"),
    ("xargs export", "a\n"),
    ("xargs", "it's"),
    ("xargs", 'x"y\n'),
    ("xargs -n1", 'a "b c" d\\ e'),
    ("xargs -n 0", "a"),
    ("xargs -n x", "a"),
    ("xargs -d:", "a:b:c"),
    ("xargs -d ab", "a:b"),
    ("xargs -d '\\n' echo", "a b\nc\n"),
    ("xargs -d '\\t' -n1", "a\tb"),
    ("xargs -0 -n1", "a\0b c\0"),
    ("xargs -0 echo", "x y\n"),
    ("xargs false", "a\nb"),
    ("xargs -I", "x"),
    ("xargs -E", "x"),
    ("xargs -I{} echo [{}]", "  a  \n b\n"),
    ("xargs -i echo [{}]", "a\nb"),
    ("xargs -I{} echo x", ""),
    ("xargs -E _", "a b\n_\nc"),
    ("xargs /nonexist/x", "a"),
    ("xargs /etc", "a"),
    ("xargs --foo", "a"),
    ("xargs -L 1 -t", "a b"),
    ("xargs -L1 echo", "a\n\nb\n"),
    ("xargs -L 0", "a\n"),
    ("xargs -l echo", "a\nb\n"),
    "xargs --help",
    "xargs --version",
    ("xargs -I{} echo /etc/postfix/{}", "main.cf\nmaster.cf\n"),
    ("xargs -t -n2 echo user:", "alice bob carol"),
    ("xargs ls", "nosuch\n"),
    ("xargs cat", "a.txt noeol.txt"),
    ("xargs -r wc -l", "a.txt\nn.txt\n"),
    ("xargs printf '%s!\\n'", "a b\n"),
    ("xargs -a a.txt echo", ""),
    ("xargs -a nosuch echo", ""),
    ("xargs -P 1 -n 1 echo", "1 2 3"),
    ("xargs /usr/bin/echo", "abs path"),
    ("xargs -L1 echo", "a b \nc\nd\n"),
    ("xargs -L 2 echo", "a b \nc\nd\n"),
    ("xargs -s 5 echo", "a\n"),
    ("xargs -s 10 echo", "a b c d e f\n"),
    ("xargs -s 9 -n 2 echo", "a b c d e f\n"),
    ("xargs -n1 echo", "a\\\nb\n"),
    ("xargs -n1", "a 'b c'\n"),
    ("xargs -0 -I{} echo [{}]", "a\0b"),
    "ls d | xargs -I% echo d/%",
    "grep -l hello a.txt d/x | xargs wc -c",
]

(
    test_xargs_matches_recording,
    test_xargs_matches_real_tool,
    test_xargs_recording_covers_every_line,
    test_record_xargs,
) = transcript_tests("xargs", LINES, ("xargs",))


def test_commands_run_in_the_simulation(shared_machine: Machine) -> None:  # noqa: F811
    """xargs runs the machine's commands: postconf, which this host may lack."""
    out, err, status = run_sim(shared_machine, "echo myhostname | xargs postconf")
    assert (out, err, status) == (b"myhostname = mail.example.com\n", b"", 0)


def test_interactive_asks_before_each_command(shared_machine: Machine) -> None:  # noqa: F811
    """-p writes the command line and ' ?...' and runs it only on a yes."""
    replies = iter(["y", "n"])
    shell = Shell(shared_machine, PlainTerminal(read=lambda: next(replies)), interactive=False)
    out, err = OutputStream(isatty=False), OutputStream(isatty=False)
    status = shell.run_line("xargs -p -n1 echo", InputStream(b"one two\n"), out, err)
    assert (out.getvalue(), err.getvalue(), status) == (b"one\n", b"echo one ?...echo two ?...", 0)
