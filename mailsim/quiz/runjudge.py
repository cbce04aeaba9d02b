"""Typed answers judged by running them: any command line that does the job is right.

The learner's line runs in the simulated shell on a fresh machine from the
default image (after the question's ``setup`` lines); then the question's checks
(the lab check vocabulary of ``mailsim.packs.checks``) and its optional output
match decide. The machine lives in a temporary directory removed afterwards.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mailsim.quiz.model import RunSpec

MAX_ANSWER = 4096
"""A typed answer longer than this is not a command line worth running."""


@dataclass
class Verdict:
    correct: bool
    reasons: list[str] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    status: int = 0


def parse_checks(
    spec: RunSpec, problems: list[Any] | None = None, doc: Any = None, where: tuple[Any, ...] = ()
) -> list[Any] | None:
    """The question's checks as lab ``Check`` objects (problems appended, located in ``doc``
    when given); None when the lab check vocabulary is missing from this build."""
    try:
        from mailsim.packs.checks import dovecot_setting_known, parse_check, postfix_param_known
        from mailsim.packs.yamlsrc import YamlDoc
    except ImportError:
        return None
    sink: list[Any] = [] if problems is None else problems
    source = doc if doc is not None else YamlDoc("<question>", list(spec.checks))
    parsed = []
    for index, data in enumerate(spec.checks):
        check = parse_check(
            data, source, (*where, index), sink, postfix_param_known, dovecot_setting_known
        )
        if check is not None:
            parsed.append(check)
    return parsed


def _output_matches(output: dict[str, str], stdout: str) -> str | None:
    """None when the output matches; else the reason."""
    if "equals" in output and stdout.rstrip("\n") != output["equals"].rstrip("\n"):
        return "the output is not the expected one"
    if "contains" in output and output["contains"] not in stdout:
        return f"the output does not contain {output['contains']!r}"
    if "regex" in output and re.search(output["regex"], stdout, re.MULTILINE) is None:
        return "the output does not match what the question asks for"
    return None


def judge(spec: RunSpec, answer: str) -> Verdict:
    """Run ``answer`` on a fresh machine and judge it; never raises."""
    line = answer.strip()
    if not line:
        return Verdict(False, ["no command given"])
    if len(line) > MAX_ANSWER or "\n" in line:
        return Verdict(False, ["give one command line"])
    tmp = Path(tempfile.mkdtemp(prefix="mailsim-quiz-"))
    try:
        return _judge_on(tmp / "machine", spec, line)
    except Exception as exc:  # a broken check or command must not end the quiz
        import logging

        logging.getLogger("mailsim.quiz").exception("judging a run: answer failed")
        return Verdict(False, [f"the answer could not be judged ({type(exc).__name__})"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _judge_on(root: Path, spec: RunSpec, line: str) -> Verdict:
    from mailsim.machine.image import init_machine
    from mailsim.machine.machine import Machine
    from mailsim.shell.session import ExitShell, Shell
    from mailsim.shell.streams import InputStream, OutputStream
    from mailsim.shell.terminal import PlainTerminal

    init_machine(root)
    machine = Machine(root)
    shell = Shell(machine, PlainTerminal(), interactive=False)
    for setup in spec.setup:
        try:
            shell.run_line(setup, InputStream(b""), OutputStream(), OutputStream())
        except ExitShell:
            shell = Shell(machine, PlainTerminal(), interactive=False)
    out, err = OutputStream(isatty=True), OutputStream(isatty=True)
    try:
        status = shell.run_line(line, InputStream(b""), out, err)
    except ExitShell as exc:
        status = exc.status
    verdict = Verdict(
        True,
        [],
        out.getvalue().decode(errors="replace"),
        err.getvalue().decode(errors="replace"),
        status,
    )
    if spec.output is not None:
        reason = _output_matches(spec.output, verdict.stdout)
        if reason:
            verdict.correct = False
            verdict.reasons.append(reason)
    if spec.checks:
        problems: list[Any] = []
        checks = parse_checks(spec, problems)
        if checks is None or problems:
            verdict.correct = False
            verdict.reasons.append("the question's checks cannot be used in this build")
            return verdict
        from mailsim.packs.evaluate import Evaluator

        evaluator = Evaluator(machine)
        for check in checks:
            outcome = evaluator.evaluate(check)
            if not outcome.passed:
                verdict.correct = False
                if outcome.reason is not None:
                    verdict.reasons.append(outcome.reason.render())
    return verdict
