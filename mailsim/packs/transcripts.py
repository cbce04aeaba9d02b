"""Command transcripts in lesson pages, re-run to catch drift between page and simulator.

A transcript is a fenced code block whose info string has the word
``transcript`` (```` ```console transcript ````); ``lab=ID`` in the info string
starts from that lab's start state instead of the default image. Lines that
begin with a prompt (``root@mail:~# ``) are commands; the lines after one, up to
the next prompt, are what the terminal showed (stdout and stderr together).
A command continued over several lines shows bash's ``> `` prompt on the
continuation lines. All commands of a block run in one shell, in order.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mailsim.packs.problems import Problem

if TYPE_CHECKING:
    from mailsim.packs.model import Pack

FENCE = re.compile(r"^(`{3,}|~{3,})\s*(.*)$")
PROMPT = re.compile(r"^[a-z_][a-z0-9_-]*@[A-Za-z0-9.-]+:[^\s#$]*[#$] ?(.*)$")
CONTINUATION = "> "


@dataclass
class Step:
    line: int
    """1-based line of the command in the page."""
    command: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Transcript:
    line: int
    lab: str | None
    steps: list[Step]


def parse_transcripts(text: str) -> list[Transcript]:
    found: list[Transcript] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, info = match.group(1), match.group(2).split()
        start = i + 1
        i += 1
        body: list[tuple[int, str]] = []
        while i < len(lines) and not lines[i].startswith(fence[0] * len(fence)):
            body.append((i + 1, lines[i]))
            i += 1
        i += 1
        if "transcript" not in info:
            continue
        lab = next((w.split("=", 1)[1] for w in info if w.startswith("lab=")), None)
        steps: list[Step] = []
        for number, raw in body:
            prompt = PROMPT.match(raw)
            if prompt:
                steps.append(Step(number, prompt.group(1)))
            elif steps and raw.startswith(CONTINUATION) and not steps[-1].expected:
                steps[-1].command += "\n" + raw[len(CONTINUATION) :]
            elif steps:
                steps[-1].expected.append(raw)
        found.append(Transcript(start, lab, steps))
    return found


def _normal(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def check_transcripts(pack: Pack) -> list[Problem]:
    """Re-run every transcript of every page (every language) and report drift."""
    problems: list[Problem] = []
    for lesson in pack.lessons:
        for page in lesson.pages:
            for file in dict.fromkeys(page.files.values()):
                display = str(file.relative_to(pack.root))
                try:
                    text = file.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    problems.append(Problem(display, None, None, f"cannot be read: {exc}"))
                    continue
                for transcript in parse_transcripts(text):
                    problems.extend(_run(pack, transcript, display))
    return problems


def _run(pack: Pack, transcript: Transcript, display: str) -> list[Problem]:
    from mailsim.machine.image import init_machine
    from mailsim.shell.session import ExitShell, Shell
    from mailsim.shell.streams import InputStream, OutputStream
    from mailsim.shell.terminal import PlainTerminal

    problems: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="mailsim-transcript-") as tmp:
        machine = init_machine(Path(tmp) / "m")
        if transcript.lab is not None:
            lab = pack.lab(transcript.lab)
            if lab is None:
                return [
                    Problem(
                        display,
                        transcript.line,
                        None,
                        f"transcript names an unknown lab '{transcript.lab}'",
                    )
                ]
            from mailsim.packs.session import apply_start

            apply_start(machine, lab, lab.values(0))
        shell = Shell(machine, PlainTerminal(), interactive=True)
        for step in transcript.steps:
            out, err = OutputStream(isatty=True), OutputStream(isatty=True)
            try:
                shell.run_line(step.command, InputStream(b""), out, err)
            except ExitShell:
                shell = Shell(machine, PlainTerminal(), interactive=True)
            stdout = out.getvalue().decode("utf-8", errors="replace")
            stderr = err.getvalue().decode("utf-8", errors="replace")
            want = _normal("\n".join(step.expected))
            if want in (_normal(stdout + stderr), _normal(stderr + stdout)):
                continue
            got = _normal(stdout + stderr)
            detail = _first_difference(want, got)
            problems.append(
                Problem(display, step.line, None, f"transcript drifted: '{step.command}': {detail}")
            )
    return problems


def _first_difference(want: list[str], got: list[str]) -> str:
    for index in range(max(len(want), len(got))):
        a = want[index] if index < len(want) else None
        b = got[index] if index < len(got) else None
        if a != b:
            if a is None:
                return f"the simulator also prints {b!r}"
            if b is None:
                return f"the page shows {a!r}, the simulator prints nothing more"
            return f"the page shows {a!r}, the simulator prints {b!r}"
    return "output differs"
