"""Running the real postconf beside the simulated one, and the recorded cases.

The one normalisation (the issue's): the real tool runs with ``-c DIR`` on a
scratch copy of the files, so DIR is shown as /etc/postfix and the
``config_directory = DIR`` line that ``-c`` adds to ``-n`` output is dropped.
The simulated machine takes the host's name and addresses, so host-derived
defaults agree; ``process_id`` lines are compared without their value.

Two properties of the real tool are not reproduced byte for byte, and the
comparison allows for them: it prints the "unused parameter" warnings in
hash-table order, which is random per process (so stderr lines are compared
as sorted lists), and it re-reads a main.cf modified in the last second until
it "cools down", repeating its read warnings (so files are back-dated before
the real tool reads them).

Run ``MAILSIM_RECORD=1 pytest tests/test_postfix_postconf_real.py`` on a host
with Postfix 3.7 to refresh tests/data/postfix/postconf_cases.json.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from conftest import FIXED_NOW, make_ctx

from mailsim.machine.clock import Clock
from mailsim.machine.image import init_machine
from mailsim.machine.machine import Machine
from mailsim.postfix.postconf import main as postconf_main

REAL = shutil.which("postconf")
needs_real = pytest.mark.skipif(REAL is None, reason="the real Postfix postconf is not installed")
DATA = Path(__file__).parent / "data" / "postfix"
CASES_FILE = DATA / "postconf_cases.json"
NO_FILE = "\0no such file"
"""A master_cf value meaning: the file does not exist."""
IMAGE_ETC = Path(__file__).parent.parent / "sandbox" / "root" / "etc" / "postfix"


def image_file(name: str) -> str:
    return (IMAGE_ETC / name).read_text(encoding="utf-8")


def host_interfaces_text() -> str:
    """The host's addresses as a Debian interfaces file, for the simulated machine."""
    try:
        out = subprocess.run(
            ["ip", "-o", "addr", "show"], capture_output=True, text=True, check=False
        ).stdout
    except OSError:
        return ""
    stanzas: list[str] = []
    for line in out.splitlines():
        words = line.split()
        if len(words) < 4 or words[1] == "lo":
            continue
        family = "inet6" if words[2] == "inet6" else "inet"
        stanzas.append(f"iface {words[1]} {family} static\n    address {words[3]}\n")
    return "".join(stanzas)


def host_like_machine(
    root: Path, hostname: str | None = None, interfaces: str | None = None
) -> Machine:
    """A machine from the default image with the host's (or the given) name and addresses."""
    machine = Machine(init_machine(root).root, Clock.from_env({"MAILSIM_NOW": FIXED_NOW}))
    machine.set_hostname(hostname or socket.gethostname())
    machine.write_text(
        "/etc/network/interfaces", host_interfaces_text() if interfaces is None else interfaces
    )
    return machine


def simulate(
    machine: Machine, args: list[str], main_cf: str | None, master_cf: str | None
) -> tuple[str, str, int, str]:
    """Run the simulated postconf on /etc/postfix; returns out, err, status, main.cf after."""
    if main_cf is not None:
        machine.write_text("/etc/postfix/main.cf", main_cf)
    if master_cf == NO_FILE:
        machine.remove("/etc/postfix/master.cf")
    elif master_cf is not None:
        machine.write_text("/etc/postfix/master.cf", master_cf)
    ctx = make_ctx(machine, ["postconf", *args])
    status = postconf_main(ctx)
    after = machine.read_text("/etc/postfix/main.cf")
    return (ctx.stdout.getvalue().decode(), ctx.stderr.getvalue().decode(), status, after)


def run_real(args: list[str], main_cf: str, master_cf: str) -> tuple[str, str, int, str]:
    """Run the real postconf -c on a scratch copy; output normalised to /etc/postfix."""
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp, "etc-postfix")
        conf.mkdir()
        (conf / "main.cf").write_text(main_cf, encoding="utf-8")
        if master_cf != NO_FILE:
            (conf / "master.cf").write_text(master_cf, encoding="utf-8")
        past = time.time() - 3600
        for name in ("main.cf", "master.cf"):
            if (conf / name).exists():
                os.utime(conf / name, (past, past))
        done = subprocess.run(
            ["postconf", "-c", str(conf), *args],
            executable=REAL,
            capture_output=True,
            text=True,
            check=False,
        )
        after = (conf / "main.cf").read_text(encoding="utf-8")
    out = done.stdout.replace(str(conf), "/etc/postfix")
    err = done.stderr.replace(str(conf), "/etc/postfix")
    letters = "".join(a[1:] for a in args if a.startswith("-") and not a.startswith("--"))
    if "n" in letters and "config_directory" not in args:
        added = (
            "config_directory"
            if "H" in letters
            else ("/etc/postfix" if "h" in letters else "config_directory = /etc/postfix")
        )
        lines = out.splitlines(keepends=True)
        if added + "\n" in lines:
            lines.remove(added + "\n")
        out = "".join(lines)
    # A real postconf killed by a signal shows as 128+N in the learner's shell.
    status = done.returncode if done.returncode >= 0 else 128 - done.returncode
    return out, err, status, after


def normalise(out: str) -> str:
    return "".join(
        "process_id = PID\n" if line.startswith("process_id = ") else line
        for line in out.splitlines(keepends=True)
    )


def assert_same(sim: tuple[str, str, int, str], real: tuple[str, str, int, str]) -> None:
    assert normalise(sim[0]) == normalise(real[0])
    assert sorted(sim[1].splitlines()) == sorted(real[1].splitlines())
    assert sim[2] == real[2]
    assert sim[3] == real[3]


def load_recorded() -> dict:
    """{"host": {"hostname", "interfaces"}, "cases": [...]} as recorded from the real tool."""
    return json.loads(CASES_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def host_machine(tmp_path: Path) -> Machine:
    return host_like_machine(tmp_path / "m")


@needs_real
def test_real_and_simulated_agree_on_the_default_image(host_machine: Machine) -> None:
    """`postconf` without arguments differs only in the process_id line."""
    main_cf, master_cf = image_file("main.cf"), image_file("master.cf")
    for args in ([], ["-n"], ["-d"], ["-x"], ["-nx"], ["-M"], ["-Mf"], ["-F"], ["-P"]):
        assert_same(
            simulate(host_machine, args, main_cf, master_cf), run_real(args, main_cf, master_cf)
        )


@pytest.mark.skipif(not os.environ.get("MAILSIM_RECORD"), reason="set MAILSIM_RECORD=1 to record")
@needs_real
def test_record_cases() -> None:
    """Refresh the recorded expectations from the real tool (only when asked)."""
    from test_postfix_postconf import CASES

    recorded = []
    for case in CASES:
        main_cf = case.get("main_cf", image_file("main.cf"))
        master_cf = case.get("master_cf", image_file("master.cf"))
        out, err, status, after = run_real(case["args"], main_cf, master_cf)
        recorded.append(
            {
                **case,
                "main_cf": main_cf,
                "master_cf": master_cf,
                "stdout": out,
                "stderr": err,
                "status": status,
                "main_cf_after": after,
            }
        )
    DATA.mkdir(parents=True, exist_ok=True)
    host = {"hostname": socket.gethostname(), "interfaces": host_interfaces_text()}
    CASES_FILE.write_text(
        json.dumps({"host": host, "cases": recorded}, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
