"""basename and dirname: transcripts against coreutils 9.1, and random paths against it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_shell_text import shared_machine  # noqa: F401 - the fixture
from test_shell_utils_harness import transcript_tests

from mailsim.shell.commands.paths_cmds import base_name, dir_name

LINES: list[str | tuple[str, str]] = [
    "basename",
    "basename a b c",
    "basename --help",
    "basename --version",
    "basename -x",
    "basename -s",
    "basename /usr/bin/sort",
    "basename include/stdio.h .h",
    "basename -s .h include/stdio.h",
    "basename -a any/str1 any/str2",
    "basename -z a/b; echo",
    "basename a --help",
    "basename .c .c",
    "basename /a.c .c",
    "basename /etc/postfix/main.cf .cf",
    "basename -s .cf /etc/postfix/main.cf /etc/postfix/master.cf",
    "basename ''",
    "basename //",
    "basename a//",
    "basename --suffix=.log /var/log/mail.log",
    "dirname",
    "dirname -z a/b; echo",
    "dirname a/b --help",
    "dirname /usr/bin/ dir1/str stdio.h",
    "dirname --version",
    "dirname -- -a/b",
    "dirname /etc/postfix/main.cf",
    "dirname / // /a //a//b// ''",
    "dirname -x",
    'f=/etc/dovecot/conf.d/10-auth.conf; echo "$(dirname $f) $(basename $f .conf)"',
]

(
    test_paths_match_recording,
    test_paths_match_real_tools,
    test_paths_recording_covers_every_line,
    test_record_paths,
) = transcript_tests("paths", LINES, ("basename", "dirname"))

_PATHS = st.text(alphabet="/a.b-", max_size=12)
_REAL = shutil.which("basename") is not None and shutil.which("dirname") is not None


def _real(tool: str, *args: str) -> str:
    done = subprocess.run([tool, "--", *args], capture_output=True, text=True, check=True)
    return done.stdout[:-1]


@pytest.mark.skipif(not _REAL, reason="GNU coreutils not installed")
@settings(max_examples=150, deadline=None)
@given(path=_PATHS, suffix=st.text(alphabet="/a.b", max_size=3))
def test_random_paths_match_real_tools(path: str, suffix: str) -> None:
    assert dir_name(path) == _real("dirname", path)
    assert base_name(path) == _real("basename", path)
    if suffix:
        assert base_name(path, suffix) == _real("basename", path, suffix)


@pytest.mark.parametrize(
    ("path", "base", "directory"),
    [
        ("/etc/postfix/", "postfix", "/etc"),
        ("//", "/", "/"),
        ("a", "a", "."),
        ("", "", "."),
        ("//a//b//", "b", "//a"),
    ],
)
def test_known_paths(path: str, base: str, directory: str) -> None:
    """Without the real tools: the cases gnulib's comments name."""
    assert (base_name(path), dir_name(path)) == (base, directory)
