"""Run command lines for labs: on the machine itself (start, solution) or on a throwaway copy.

A command check must never change the learner's machine, history or logs, so
it runs on a copy. Copies cost a few milliseconds, so results are remembered
per machine state: the key is a fingerprint of every file's size and mtime
(the event log excluded: it grows with every command, even with ``postconf -n``).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from mailsim.machine.machine import STATE_DIR, Machine

_RESULTS: OrderedDict[tuple[str, int, str, str], tuple[str, str, int]] = OrderedDict()
_MAX_RESULTS = 256
_IGNORED_STATE = frozenset({"events.jsonl", "lock"})


@dataclass(frozen=True)
class LineResult:
    line: str
    stdout: str
    stderr: str
    status: int


def fingerprint(root: Path) -> int:
    """A hash of every path, size and mtime under a machine directory."""
    items: list[tuple[str, int, int]] = []
    stack = [str(root)]
    state = str(root / STATE_DIR)
    while stack:
        here = stack.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                if here == state and entry.name in _IGNORED_STATE:
                    continue
                st = entry.stat(follow_symlinks=False)
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                    items.append((entry.path, 0, 0))
                else:
                    items.append((entry.path, st.st_size, st.st_mtime_ns))
    items.sort()
    return hash(tuple(items))


def run_lines(machine: Machine, lines: list[str], stop_on_exit: bool = True) -> list[LineResult]:
    """Run each line in one login shell on ``machine`` (as `mailsim exec --script` does)."""
    from mailsim.shell.session import ExitShell, Shell
    from mailsim.shell.streams import InputStream, OutputStream
    from mailsim.shell.terminal import PlainTerminal

    shell = Shell(machine, PlainTerminal(), interactive=False)
    results: list[LineResult] = []
    for line in lines:
        out, err = OutputStream(isatty=True), OutputStream(isatty=True)
        try:
            status = shell.run_line(line, InputStream(b""), out, err)
        except ExitShell as exc:
            status = exc.status
            results.append(_result(line, out, err, status))
            if stop_on_exit:
                break
            continue
        results.append(_result(line, out, err, status))
    return results


def _result(line: str, out: object, err: object, status: int) -> LineResult:
    return LineResult(
        line,
        out.getvalue().decode("utf-8", errors="replace"),  # type: ignore[attr-defined]
        err.getvalue().decode("utf-8", errors="replace"),  # type: ignore[attr-defined]
        status,
    )


def run_on_copy(machine: Machine, command: str, stdin: str = "") -> tuple[str, str, int]:
    """(stdout, stderr, status) of ``command`` run on a throwaway copy of ``machine``."""
    from mailsim.machine.snapshot import throwaway
    from mailsim.shell.session import ExitShell, Shell
    from mailsim.shell.streams import InputStream, OutputStream
    from mailsim.shell.terminal import PlainTerminal

    key = (str(machine.root), fingerprint(machine.root), command, stdin)
    hit = _RESULTS.get(key)
    if hit is not None:
        _RESULTS.move_to_end(key)
        return hit
    with throwaway(machine) as copy:
        lines = iter(stdin.splitlines())
        shell = Shell(copy, PlainTerminal(read=lambda: next(lines, None)), interactive=False)
        out, err = OutputStream(isatty=True), OutputStream(isatty=True)
        try:
            status = shell.run_line(command, InputStream(stdin.encode()), out, err)
        except ExitShell as exc:
            status = exc.status
        result = (
            out.getvalue().decode("utf-8", errors="replace"),
            err.getvalue().decode("utf-8", errors="replace"),
            status,
        )
    _RESULTS[key] = result
    if len(_RESULTS) > _MAX_RESULTS:
        _RESULTS.popitem(last=False)
    return result
