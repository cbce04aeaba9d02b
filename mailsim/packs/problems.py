"""One problem found in a pack or a question bank, located by file, line and column.

Validators collect these instead of stopping at the first error, so an instructor
sees every problem of a pack at once, in the ``file:line:col: error: message``
form that editors and CI logs understand.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: str
    """The file as the instructor knows it (relative to the pack folder where possible)."""
    line: int | None
    """1-based line, or None when the problem concerns the whole file."""
    column: int | None
    """1-based column, or None when only the line is known."""
    message: str
    severity: str = ERROR
    """``"error"`` (validation fails) or ``"warning"`` (reported, validation still passes)."""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)
