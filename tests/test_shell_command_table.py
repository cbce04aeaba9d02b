"""The core command table: each name reaches the function declared for it.

A regression guard for moving commands between modules (date to system_date,
passwd out of useradd, grep's and sed's halves): an entry left pointing at a
name the module no longer has would only fail when a learner types the command.
"""

from __future__ import annotations

import importlib

import pytest

from mailsim.shell.commands import TABLE

EDITORS = {"vi", "vim", "nano", "edit"}
"""Four names for the one function that opens the TUI's editor."""


@pytest.mark.parametrize("name", sorted(TABLE))
def test_table_entry_reaches_its_declared_command(name: str) -> None:
    module, _, attr = TABLE[name][1].partition(":")
    func = getattr(importlib.import_module(module), attr)
    assert func.command_info.name == ("editor" if name in EDITORS else name)
