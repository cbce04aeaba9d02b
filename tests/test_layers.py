"""The core never imports the TUI: importing it must not load Textual or Rich."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "mailsim.machine",
    "mailsim.shell.session",
    "mailsim.shell.commands.builtins",
    "mailsim.postfix",
    "mailsim.dovecot",
    "mailsim.packs",
    "mailsim.quiz",
    "mailsim.progress",
    "mailsim.cli",
    "mailsim.cli_machine",
]


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_load_textual(module):
    code = (
        f"import importlib, sys\ntry:\n    importlib.import_module({module!r})\n"
        "except ImportError:\n    sys.exit(3)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode == 3:
        pytest.skip(f"{module} is not built yet")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_exec_runs_every_registered_command_module_without_textual():
    code = (
        "import importlib, sys\nfrom mailsim.shell.registry import REGISTRY\n"
        "for name in REGISTRY.names():\n"
        "    try:\n        REGISTRY.func(name)\n    except (ImportError, AttributeError):\n        pass\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
