"""File utilities against GNU coreutils 9.1 and findutils 4.9: recorded and live.

One small tree is built twice, on the host for the real tools and at /root/w in
a machine for mailsim, with the same names, contents, modes and times, so a
line run in either (relative paths only) must print the same thing.
tests/data/shell_files/cases.json holds what the real tools printed (rebuild it
with ``python -m tests.test_shell_files_real --record`` on a Debian 12 host, as
root); every case is replayed against the simulation, and compared live with
the real tools when they are here.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import termios
from pathlib import Path

import pytest

from mailsim.machine.clock import Clock
from mailsim.machine.image import init_machine
from mailsim.machine.machine import Machine
from mailsim.shell.session import Shell
from tests.helpers import run

DATA = Path(__file__).parent / "data" / "shell_files" / "cases.json"
WORK = "/root/w"
RECENT = 5 * 86400
OLD = 400 * 86400

FILES = {
    "f": "hello\n",
    "empty": "",
    "b c": "bc\n",
    "exe": "#!/bin/sh\n",
    "old": "o\n",
    "d/y": "yy\n",
    "d/sub/x": "x\n",
    "big": "z" * 5000,
}
DIRS = ["d", "d/sub", "emptydir"]
LINKS = {"lnk": "f", "dlnk": "d", "broken": "nowhere"}
MODES = {"exe": 0o755}


def _stamp(name: str, now: int) -> int:
    return now - (OLD if name == "old" else RECENT) + len(name)


def build_host(base: Path, now: int) -> Path:
    """The tree on the host, for the real tools."""
    work = base / "w"
    work.mkdir(parents=True)
    for name in DIRS:
        (work / name).mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (work / name).write_text(text)
        os.chmod(work / name, MODES.get(name, 0o644))
    for name, target in LINKS.items():
        os.symlink(target, work / name)
    for path in sorted(work.rglob("*"), key=lambda p: -len(p.parts)):
        rel = str(path.relative_to(work))
        # The simulation's links all carry one time (the manifest's).
        when = _stamp("lnk" if path.is_symlink() else rel, now)
        os.utime(path, (when, when), follow_symlinks=False)
    os.utime(work, (now - RECENT, now - RECENT))
    return work


def build_machine(base: Path, now: int) -> Machine:
    """The same tree at /root/w in a fresh machine whose clock says ``now``."""
    machine = Machine(init_machine(base / "m").root, Clock(float(now)))
    machine.mkdir(WORK)
    for name in DIRS:
        machine.mkdir(f"{WORK}/{name}", parents=True)
    for name, text in FILES.items():
        machine.write_text(f"{WORK}/{name}", text)
        if name in MODES:
            machine.set_meta(f"{WORK}/{name}", mode=MODES[name])
    for name, target in LINKS.items():
        machine.symlink(target, f"{WORK}/{name}")
    for name in sorted([*FILES, *DIRS], key=lambda n: -n.count("/")):
        machine.set_mtime(f"{WORK}/{name}", _stamp(name, now))
    machine.set_mtime(WORK, now - RECENT)
    # Links carry the manifest's time; give it the links' time (all links share it).
    when = _stamp("lnk", now)
    os.utime(machine.state / "manifest.json", (when, when))
    return machine


def _normal(result: tuple[str, str, int], line: str) -> tuple[str, str, int]:
    """What may differ for no fault: sibling order of a walk (lines ending in "| sort" are
    compared sorted) and the device and inode numbers of stat's report."""
    out, err, status = result
    if line.endswith(SORTED):
        out = "".join(sorted(out.splitlines(keepends=True)))
    out = re.sub(r"Device: \S+\tInode: \d+ +", "Device: -\tInode: - ", out)
    # The machine keeps one time per file; a real inode's change and birth times differ.
    out = re.sub(r"(Change|Birth): .*", r"\1: -", out)
    return out, err, status


SORTED = " | sort"


def _bare(line: str) -> str:
    return line[: -len(SORTED)] if line.endswith(SORTED) else line


def run_sim(machine: Machine, line: str) -> tuple[str, str, int]:
    shell = Shell(machine, _terminal())
    shell.cwd = WORK
    return _normal(run(machine, _bare(line), shell=shell), line)


def _terminal():  # noqa: ANN202 - the helper's own terminal type
    from mailsim.shell.terminal import PlainTerminal

    return PlainTerminal(read=lambda: None)


def real_available() -> bool:
    """The real tools compare only as root (owners) on a host with GNU coreutils."""
    return (
        os.name == "posix"
        and os.geteuid() == 0
        and shutil.which("ls") is not None
        and ("GNU" in subprocess.run(["ls", "--version"], capture_output=True, text=True).stdout)
    )


def run_real(work: Path, line: str, width: int = 80) -> tuple[str, str, int]:
    """bash -c LINE with stdout on an 80-column pty (as a terminal shows it), stderr piped."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, width, 0, 0))
    env = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "HOME": "/root",
        "TERM": "xterm",
    }
    proc = subprocess.Popen(
        ["bash", "-c", _bare(line)],
        cwd=work,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    err = proc.stderr.read() if proc.stderr else b""
    status = proc.wait()
    out = b"".join(chunks).replace(b"\r\n", b"\n").decode(errors="replace")
    return _normal((out, err.decode(errors="replace"), status), line)


def load_cases() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def record(lines: list[str], base: Path) -> None:
    """Run every line against a fresh host tree and write the expectations."""
    import time

    now = int(time.time())
    cases = []
    for i, line in enumerate(lines):
        work = build_host(base / f"c{i}", now)
        out, err, status = run_real(work, line)
        cases.append({"line": line, "stdout": out, "stderr": err, "status": status})
    DATA.parent.mkdir(parents=True, exist_ok=True)
    DATA.write_text(
        json.dumps({"now": now, "cases": cases}, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )


LINES = [
    # ls
    "ls",
    "ls -a",
    "ls -A",
    "ls -1",
    "ls -l",
    "ls -la d",
    "ls -lh",
    "ls -lt",
    "ls -lS",
    "ls -lr",
    "ls -F",
    "ls -lF",
    "ls -d d",
    "ls -ld d lnk dlnk",
    "ls -R",
    "ls d nonexist",
    "ls -l dlnk",
    "ls -j",
    "ls --bogus",
    "ls dlnk",
    "ls dlnk/",
    "ls -l lnk/",
    "ls f d emptydir",
    "ls -1F",
    "ls -lR d",
    "ls --format=bad",
    "ls --color=bad",
    "ls --color=never -A d",
    "ls --sort=size",
    "ls --sort=bogus",
    "ls -ld old",
    "ls -lh big",
    "ls -li / >/dev/null; echo $?",
    # rm / rmdir / mkdir / touch
    "rm; echo $?",
    "rm -f; echo $?",
    "rm nonexist; echo $?",
    "rm -f nonexist; echo $?",
    "rm d; echo $?",
    "rm -d d; echo $?",
    "rm -rv d; ls",
    "rm -r .; echo $?",
    "rm -r d/..",
    "rm -v f lnk broken; ls",
    "rm -d emptydir; ls",
    "rmdir; echo $?",
    "rmdir d; echo $?",
    "rmdir f nonexist; echo $?",
    "rmdir -v emptydir",
    "mkdir -p a/b/c && rmdir -pv a/b/c",
    "mkdir; echo $?",
    "mkdir f; echo $?",
    "mkdir a/b/c; echo $?",
    "mkdir -p f/x; echo $?",
    "mkdir -pv p/q/r",
    "mkdir -m 700 -v m && stat -c '%a %n' m",
    "mkdir -m u+s m2 && stat -c %a m2",
    "mkdir -m zz m3; echo $?",
    "mkdir -p f; echo $?",
    "touch; echo $?",
    "touch nodir/x; echo $?",
    "touch -c nope; ls nope",
    "touch -d garbage f; echo $?",
    "touch -d '2024-01-02 03:04:05' f && stat -c '%y' f",
    "touch -d @0 f && stat -c %Y f",
    # cp / mv / ln
    "cp; echo $?",
    "cp f; echo $?",
    "cp nonexist x; echo $?",
    "cp d e; echo $?",
    "cp -v f g && stat -c '%s %a' g",
    "cp -rv d e && ls -R e",
    "cp f d && ls d",
    "cp f nodir/x; echo $?",
    "cp f g h; echo $?",
    "cp f f; echo $?",
    "cp f empty d; ls d",
    "cp f b\\ c exe; echo $?",
    "cp -r d d/sub; echo $?",
    "cp -a lnk l2 && stat -c %A l2",
    "cp lnk l3 && stat -c %A l3",
    "cp -p exe e2 && stat -c '%a %Y' exe e2",
    "cp exe e3 && stat -c %a e3",
    "cp -r d f; echo $?",
    "mv; echo $?",
    "mv f; echo $?",
    "mv nonexist y; echo $?",
    "mv -v f g && ls",
    "mv d d/sub; echo $?",
    "mv f f; echo $?",
    "mv d x/y; echo $?",
    "mv -v f empty d && ls d",
    "mv d emptydir && ls -R emptydir",
    "mv emptydir f; echo $?",
    "mv f emptydir/ && ls emptydir",
    "mv -v lnk lnk2 && stat -c %N lnk2",
    "ln; echo $?",
    "ln -s f; echo $?",
    "ln -s f lnk; echo $?",
    "ln -sf empty lnk && stat -c %N lnk",
    "ln -sv f l2",
    "ln -s f d && ls d",
    "ln -sfnv /etc d",
    "ln -v f h2 && stat -c %s h2",
    "ln d dh; echo $?",
    "ln nonexist z; echo $?",
    "ln -s /x/y nodir/z; echo $?",
    "ln -s f g h; echo $?",
    # chmod / chown / chgrp
    "chmod; echo $?",
    "chmod 644; echo $?",
    "chmod 9 f; echo $?",
    "chmod zz f; echo $?",
    "chmod 1777x f; echo $?",
    "chmod u+x,g-w,o=r f && stat -c '%a %A' f",
    "chmod -v 4755 f; chmod -c 4755 f; chmod -c 644 f",
    "chmod a+rwx,u-s nonexist; echo $?",
    "chmod =r f && stat -c %a f",
    "chmod +t d && chmod g+s d && stat -c '%a %A' d",
    "chmod -R go-rx d && stat -c '%a %n' d d/sub d/sub/x",
    "chmod 2755 d; chmod 755 d; stat -c %a d",
    "chmod 2755 d; chmod 00755 d; stat -c %a d",
    "chmod a+X f d; stat -c '%a %n' f d",
    "chmod -w f; stat -c %a f",
    "chmod g=u exe; stat -c %a exe",
    "chmod +s f; stat -c %A f",
    "chmod -v 644 lnk",
    "chmod o-t,u+s,g+s f && ls -l f",
    "chmod 7000 f && ls -l f",
    "chmod 7777 f && stat -c %A f",
    "chown; echo $?",
    "chown root; echo $?",
    "chown nobody2 f; echo $?",
    "chown nobody:nogroup f && stat -c '%U %G' f",
    "chown :mail f && stat -c '%U %G' f",
    "chown mail: f && stat -c '%U %G' f",
    "chown nobody:nogrp f; echo $?",
    "chown :nogrp f; echo $?",
    "chown -v mail:mail f; chown -v mail:mail f",
    "chown -v mail f; chown -v root f",
    "chown -Rv mail d",
    "chown -c root d",
    "chown root.mail f; stat -c '%U %G' f",
    "chown nobody2: f; echo $?",
    "chgrp; echo $?",
    "chgrp x; echo $?",
    "chgrp nogrp f; echo $?",
    "chgrp -v mail f; chgrp -v mail f",
    "chgrp -Rc mail d",
    "chown root nonexist; echo $?",
    # stat
    "stat; echo $?",
    "stat nonexist; echo $?",
    "stat -c '%a %A %U %G %u %g %n %s %F %h %N' f d lnk empty exe",
    "stat -L -c '%n %F %s' lnk dlnk",
    "stat -c '%y %Y' old",
    "stat --printf '%n|%s\\n' f d",
    "stat -c '%b %B %o' f big",
    "stat -c %N 'b c'",
    "stat f",
    "stat lnk d",
    "stat -L dlnk",
    # find
    "find nonexist; echo $?",
    "find -foo; echo $?",
    "find . -name; echo $?",
    "find . -type x; echo $?",
    "find . -maxdepth x; echo $?",
    "find . -user nobody2; echo $?",
    "find . -newer nonexist; echo $?",
    "find . -name f -a; echo $?",
    "find . -name '*' -maxdepth 1 | sort",
    "find | sort",
    "find . -type f | sort",
    "find . -type d | sort",
    "find . -type l | sort",
    "find . -type f,l | sort",
    "find d -mindepth 1 -maxdepth 1 | sort",
    "find . -name 'e*' | sort",
    "find . -iname 'B*' | sort",
    "find . -perm 755 | sort",
    "find . -perm -u+x -type f | sort",
    "find . -perm /o+w | sort",
    "find . -empty | sort",
    "find . -newer old -type f | sort",
    "find . ! -name '*e*' -type d | sort",
    "find . \\( -name f -o -name y \\) -print | sort",
    "find . -path './d/*' | sort",
    "find d/ | sort",
    "find lnk dlnk",
    "find . -user root -name f",
    "find . -group mail",
    "find . -mtime -1 | sort",
    "find . -mtime +100",
    "find d -depth | sort",
]


def _case_ids() -> list[str]:
    try:
        return [case["line"] for case in load_cases()["cases"]]
    except FileNotFoundError:
        return []


@pytest.fixture(scope="module")
def recorded() -> dict:
    return load_cases()


def test_recording_covers_every_line(recorded: dict) -> None:
    """The recorded file holds exactly the lines above, so nothing goes unchecked."""
    assert [case["line"] for case in recorded["cases"]] == LINES


@pytest.mark.parametrize("index", range(len(LINES)), ids=LINES)
def test_recorded(index: int, recorded: dict, tmp_path: Path) -> None:
    case = recorded["cases"][index]
    machine = build_machine(tmp_path, recorded["now"])
    assert run_sim(machine, case["line"]) == (case["stdout"], case["stderr"], case["status"])


LIVE = pytest.mark.skipif(not real_available(), reason="needs GNU coreutils and root")


@LIVE
@pytest.mark.parametrize("line", LINES)
def test_live(line: str, tmp_path: Path) -> None:
    import time

    now = int(time.time())
    work = build_host(tmp_path / "real", now)
    machine = build_machine(tmp_path / "sim", now)
    real = run_real(work, line)
    sim = run_sim(machine, line)
    if any(marker in line for marker in READDIR_ORDER):
        # cp -v reports in the host's readdir order, which differs between file systems.
        sim = (sorted(sim[0].splitlines()), sim[1], sim[2])
        real = (sorted(real[0].splitlines()), real[1], real[2])
    assert sim == real


READDIR_ORDER = ("cp -rv",)
"""Lines whose real output follows directory order: compared live as sorted lines."""


if __name__ == "__main__":
    import sys
    import tempfile

    if "--record" in sys.argv:
        with tempfile.TemporaryDirectory() as scratch:
            record(LINES, Path(scratch))
        print(f"recorded {len(LINES)} cases in {DATA}")
