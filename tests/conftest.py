"""Shared fixtures: a fresh machine from the default image, and a way to run lines on it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from mailsim.machine.clock import Clock
from mailsim.machine.image import init_machine
from mailsim.machine.machine import Machine
from mailsim.machine.users import ROOT
from mailsim.shell.context import Context
from mailsim.shell.streams import InputStream, OutputStream
from mailsim.shell.terminal import PlainTerminal

FIXED_NOW = "2026-11-25T08:29:01"

# CI replays the same examples every run, so a red build names a bug that can be
# reproduced; local runs keep exploring new examples.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def clock() -> Clock:
    return Clock.from_env({"MAILSIM_NOW": FIXED_NOW})


@pytest.fixture
def machine(tmp_path: Path, clock: Clock) -> Machine:
    """A fresh machine materialised from sandbox/ with a fixed clock."""
    return Machine(init_machine(tmp_path / "m").root, clock)


def make_ctx(machine: Machine, argv: list[str], stdin: bytes = b"", tty: bool = True) -> Context:
    """A Context for calling one command function directly (no shell parsing)."""
    return Context(
        argv=argv,
        stdin=InputStream(stdin),
        stdout=OutputStream(isatty=tty),
        stderr=OutputStream(isatty=tty),
        machine=machine,
        env={
            "HOME": "/root",
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "USER": "root",
            "LOGNAME": "root",
            "SHELL": "/bin/bash",
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
        },
        cwd="/root",
        user=ROOT,
        terminal=PlainTerminal(),
    )
