"""How control leaves a statement: next, nextfile, exit, break, continue, return."""

from __future__ import annotations

from mailsim.shell.awk.values import Value


class NextRecord(Exception):
    pass


class NextFile(Exception):
    pass


class ExitProgram(Exception):
    def __init__(self, status: int | None) -> None:
        self.status = status


class BreakLoop(Exception):
    pass


class ContinueLoop(Exception):
    pass


class ReturnValue(Exception):
    def __init__(self, value: Value) -> None:
        self.value = value
