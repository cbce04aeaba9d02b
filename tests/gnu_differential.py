"""The four tests every transcript module of a GNU tool runs (harness in test_shell_text).

A module lists its command lines once and gets, for its ``area``: the simulation
against the recording in tests/data/shell_text/AREA.json, the simulation against
the real tool when it is installed, a check that the recording covers exactly
those lines, and the recorder (``MAILSIM_RECORD=1``) that rewrites it.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from test_shell_text import Case, check_real, check_recorded, load_cases, record, tools_missing

from mailsim.machine.machine import Machine

Item = str | tuple[str, str]
"""A command line, alone (it reads the default stdin) or with its own stdin."""


def transcript_tests(
    area: str, lines: list[Item], tool: str, stdin: str = ""
) -> tuple[Callable[..., None], Callable[..., None], Callable[[], None], Callable[[], None]]:
    """(matches recording, matches real tool, recording covers every line, record).

    Assign them to ``test_*`` names in the module; they use its ``shared_machine`` fixture.
    """

    def with_stdin(item: Item) -> tuple[str, str]:
        return (item, stdin) if isinstance(item, str) else item

    @pytest.mark.parametrize("case", load_cases(area), ids=lambda c: c["line"])
    def matches_recording(shared_machine: Machine, case: Case) -> None:
        check_recorded(shared_machine, case)

    @pytest.mark.skipif(tools_missing(tool), reason=f"GNU {tool} not installed")
    @pytest.mark.parametrize("item", lines, ids=str)
    def matches_real(shared_machine: Machine, item: Item) -> None:
        check_real(shared_machine, *with_stdin(item))

    def covers_every_line() -> None:
        assert [c["line"] for c in load_cases(area)] == [with_stdin(i)[0] for i in lines]

    @pytest.mark.skipif(os.environ.get("MAILSIM_RECORD") != "1", reason="recording on demand")
    def record_area() -> None:
        record(area, [with_stdin(i) for i in lines])

    return matches_recording, matches_real, covers_every_line, record_area
