"""Running bash's compound commands: ``if``, ``for``, ``while``/``until``, ``case``,
``{ }`` groups and ``(( ))``; and the signals ``break``, ``continue`` and
``return`` send through them.

Loops check the terminal's cancellation flag on every pass, so Ctrl+C in the
TUI stops ``while true; do :; done`` (commands run in a worker thread that
cannot be killed).
"""

from __future__ import annotations

import fnmatch
import re
from typing import TYPE_CHECKING

from mailsim.shell import parser as p
from mailsim.shell.arith import ArithError, evaluate
from mailsim.shell.cond import run_cond
from mailsim.shell.expand import LineAborted
from mailsim.shell.lexer import is_name

if TYPE_CHECKING:
    from mailsim.shell.session import Shell
    from mailsim.shell.streams import InputStream, OutputStream


class LoopControl(Exception):
    """``break N`` or ``continue N``: unwinds N enclosing loops."""

    def __init__(self, levels: int, is_break: bool, status: int = 0) -> None:
        super().__init__(levels)
        self.levels = levels
        self.is_break = is_break
        self.status = status
        """The loop's status: 0, or 128 after ``break x``."""


class ReturnSignal(Exception):
    """``return N`` in a sourced file."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def run_compound(
    shell: Shell,
    node: p.Compound,
    stdin: InputStream,
    stdout: OutputStream,
    stderr: OutputStream,
) -> int:
    streams = shell.redirect_streams(node.redirects, stdin, stdout, stderr)
    if streams is None:
        return 1
    cmd_in, cmd_out, cmd_err, close = streams
    try:
        return _run(shell, node, cmd_in, cmd_out, cmd_err)
    finally:
        close()


def _run(
    shell: Shell, node: p.Compound, stdin: InputStream, stdout: OutputStream, stderr: OutputStream
) -> int:
    def body(items: list[p.AndOr]) -> int:
        return shell.run_list(items, stdin, stdout, stderr)

    def condition(items: list[p.AndOr]) -> int:
        return shell.run_list(items, stdin, stdout, stderr, condition=True)

    if isinstance(node, p.FunctionDef):
        shell.functions[node.name] = node.body
        return 0
    if isinstance(node, p.Group):
        return body(node.body)
    if isinstance(node, p.CondCommand):
        return run_cond(shell, node, stdin, stdout, stderr)
    if isinstance(node, p.If):
        for cond, then in node.clauses:
            if condition(cond) == 0:
                return body(then)
        return body(node.else_body) if node.else_body is not None else 0
    if isinstance(node, p.Arith):
        expander = shell.expander()
        try:
            value = evaluate(expander.expand_string(node.source), shell.lookup, shell.assign)
        except ArithError as exc:
            stderr.write(f"bash: ((: {exc}\n")
            return 1
        return 0 if value else 1
    if isinstance(node, p.Case):
        return _case(shell, node, body)
    if isinstance(node, p.For):
        if not is_name(node.name):
            stderr.write(f"bash: `{node.name}': not a valid identifier\n")
            return 1
        if node.words is None:
            values = list(shell.positional)
        else:
            expander = shell.expander()
            values = [field for word in node.words for field in expander.fields(word)]
        return _loop(shell, node, values, body, condition)
    return _loop(shell, node, None, body, condition)


def _loop(shell, node, values, body, condition) -> int:  # type: ignore[no-untyped-def]
    """A for loop over ``values``, or a while/until loop when values is None."""
    status = 0
    shell.loop_depth += 1
    try:
        index = 0
        while True:
            shell.terminal.check_cancelled()
            if values is not None:
                if index >= len(values):
                    break
                shell.assign(node.name, values[index])
                index += 1
            else:
                tested = condition(node.condition)
                if (tested == 0) == node.until:
                    break
            try:
                status = body(node.body)
            except LoopControl as signal:
                if signal.levels > 1:
                    signal.levels -= 1
                    raise
                status = signal.status
                if signal.is_break:
                    break
    finally:
        shell.loop_depth -= 1
    return status


def _case(shell, node: p.Case, body) -> int:  # type: ignore[no-untyped-def]
    expander = shell.expander()
    subject = " ".join(expander.fields(node.word, glob=False))
    for patterns, items in node.items:
        for pattern in patterns:
            if _pattern_regex(expander, pattern).fullmatch(subject):
                return body(items)
    return 0


def _pattern_regex(expander, word: p.Word) -> re.Pattern[str]:  # type: ignore[no-untyped-def]
    """A case pattern: unquoted parts are globs, quoted parts (and expansions
    inside quotes) match literally."""
    parts: list[str] = []
    for seg in word.segments:
        text = expander.segment_text(seg)
        if seg.quoted:
            parts.append(re.escape(text))
        else:
            parts.append(fnmatch.translate(text).removeprefix("(?s:").removesuffix(")\\Z"))
    return re.compile("".join(parts), re.S)


__all__ = ["LineAborted", "LoopControl", "ReturnSignal", "run_compound"]
