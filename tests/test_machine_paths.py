"""Hostile paths: nothing a simulated command names may reach outside the machine directory."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from mailsim.machine.machine import Machine
from tests.helpers import run


def test_dotdot_stops_at_root(machine: Machine) -> None:
    assert machine.resolve("../../..", cwd="/etc") == "/"
    own = machine.read_text("/etc/hostname")
    assert machine.read_text("/../../../etc/hostname") == own
    assert machine.read_text("../../../../etc/hostname", cwd="/var/log") == own


def test_absolute_link_target_resolves_inside(machine: Machine) -> None:
    machine.write_text("/etc/hostname", "inside\n")
    machine.symlink("/etc/hostname", "/tmp/h")
    assert machine.read_text("/tmp/h") == "inside\n"
    assert not (machine.root / "tmp" / "h").exists(), "a simulated link is never a host object"


def test_relative_link_with_dotdot_beyond_root(machine: Machine) -> None:
    machine.symlink("../../../../etc/hostname", "/tmp/up")
    assert machine.read_text("/tmp/up") == machine.read_text("/etc/hostname")


def test_link_loop_is_eloop(machine: Machine) -> None:
    machine.symlink("b", "/tmp/a")
    machine.symlink("a", "/tmp/b")
    with pytest.raises(OSError) as caught:
        machine.stat("/tmp/a")
    assert caught.value.errno == errno.ELOOP
    assert os.strerror(caught.value.errno) == "Too many levels of symbolic links"
    assert machine.lstat("/tmp/a").is_link
    assert run(machine, "cat /tmp/a")[1] == "cat: /tmp/a: Too many levels of symbolic links\n"
    assert run(machine, "ls /tmp/a") == (
        "",
        "ls: cannot access '/tmp/a': Too many levels of symbolic links\n",
        2,
    )


def test_self_loop_through_directory(machine: Machine) -> None:
    machine.symlink("/tmp/loop/x", "/tmp/loop")
    with pytest.raises(OSError) as caught:
        machine.read_text("/tmp/loop/file")
    assert caught.value.errno == errno.ELOOP


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "secret").write_text("host secret\n")
    return secret


def test_planted_host_file_link_is_never_followed(machine: Machine, outside: Path) -> None:
    os.symlink(outside / "secret", machine.root / "tmp" / "evil")
    for call in (
        lambda: machine.read_text("/tmp/evil"),
        lambda: machine.stat("/tmp/evil"),
        lambda: machine.write_text("/tmp/evil", "x"),
    ):
        with pytest.raises(OSError) as caught:
            call()
        assert caught.value.errno == errno.EACCES
    assert (outside / "secret").read_text() == "host secret\n"
    out, err, status = run(machine, "cat /tmp/evil")
    assert "host secret" not in out and status == 1


def test_planted_host_directory_link_is_never_followed(machine: Machine, outside: Path) -> None:
    """Regression: stat() followed a planted host link met on the way to the file."""
    os.symlink(outside, machine.root / "tmp" / "evildir")
    for call in (
        lambda: machine.stat("/tmp/evildir/secret"),
        lambda: machine.read_text("/tmp/evildir/secret"),
        lambda: machine.listdir("/tmp/evildir"),
        lambda: machine.write_text("/tmp/evildir/new", "x"),
    ):
        with pytest.raises(OSError) as caught:
            call()
        assert caught.value.errno == errno.EACCES
    assert sorted(os.listdir(outside)) == ["secret"]
    out, err, status = run(machine, "ls -l /tmp/evildir/secret; cp /tmp/evildir/secret /tmp/c")
    assert "secret\n" not in out and "Permission denied" in err
    assert not machine.exists("/tmp/c")


def test_state_directory_is_invisible(machine: Machine) -> None:
    assert ".mailsim" not in machine.listdir("/")
    assert not machine.exists("/.mailsim")
    assert not machine.lexists("/.mailsim/manifest.json")
    for call in (
        lambda: machine.stat("/.mailsim"),
        lambda: machine.read_text("/.mailsim/version"),
        lambda: machine.listdir("/.mailsim"),
        lambda: machine.mkdir("/.mailsim"),
    ):
        with pytest.raises(OSError):
            call()
    out, err, _ = run(machine, "ls -a /")
    assert ".mailsim" not in out


def test_state_directory_is_untouchable(machine: Machine) -> None:
    """Regression: stat() of /.mailsim raised ValueError, and `ln -s X /.mailsim` made a link
    that shadowed the state directory's name."""
    before = sorted(os.listdir(machine.state))
    lines = [
        "rm -rf /.mailsim",
        "rm -f /.mailsim/manifest.json",
        "touch /.mailsim/x",
        "mkdir -p /.mailsim/y",
        "ln -s /etc /.mailsim",
        "chmod 000 /.mailsim",
        "mv /etc/hostname /.mailsim/version",
        "cp /etc/hostname /.mailsim/version",
        "ln -s /.mailsim/version /tmp/v; cat /tmp/v",
        "cd /; ls -la .mailsim",
        "find / -name manifest.json",
        "stat /.mailsim",
    ]
    for line in lines:
        out, err, status = run(machine, line)
        assert "internal error" not in err, line
        assert "manifest" not in out, line
    assert sorted(os.listdir(machine.state)) == before
    assert "/.mailsim" not in machine.manifest.links
    assert machine.image_version


def test_stat_through_a_file_is_enotdir(machine: Machine) -> None:
    """Regression: stat('/etc/hostname/x') said ENOENT where Linux says ENOTDIR."""
    with pytest.raises(OSError) as caught:
        machine.stat("/etc/hostname/x")
    assert caught.value.errno == errno.ENOTDIR


def test_manifest_survives_a_host_copy(machine: Machine, tmp_path: Path) -> None:
    machine.write_text("/etc/postfix/secret", "s\n")
    machine.set_meta("/etc/postfix/secret", owner="postfix", group="mail", mode=0o640)
    machine.symlink("/etc/postfix/secret", "/root/link")
    machine.mkdir("/srv/empty")
    copy = tmp_path / "copy"
    shutil.copytree(machine.root, copy, symlinks=True)
    other = Machine(copy, machine.clock)
    st = other.stat("/etc/postfix/secret")
    assert (st.owner, st.group, st.mode) == ("postfix", "mail", 0o640)
    assert other.readlink("/root/link") == "/etc/postfix/secret"
    assert other.read_text("/root/link") == "s\n"
    assert other.is_dir("/srv/empty")
    assert other.stat("/tmp").mode == 0o1777
    assert other.stat("/etc/shadow").group == "shadow"
    # The copy is independent: a change there leaves the original alone.
    other.set_meta("/etc/postfix/secret", mode=0o600)
    assert machine.stat("/etc/postfix/secret").mode == 0o640


def test_cached_keys_by_builder_and_sees_same_size_rewrites(machine):
    """Regression: two layers parsing one file got each other's model, and a rewrite of
    the same size under a fixed clock returned the stale parse."""
    machine.write_text("/etc/x.cf", "a = 1\n")
    assert machine.cached("/etc/x.cf", str.upper) == "A = 1\n"
    assert machine.cached("/etc/x.cf", len) == 6
    machine.write_text("/etc/x.cf", "a = 2\n")
    assert machine.cached("/etc/x.cf", str.upper) == "A = 2\n"


def test_locked_paths_refuse_every_change(machine):
    """A lab's locked paths: writes, removal, renames and chmod all get EACCES."""
    import errno

    import pytest

    machine.locked = lambda p: p.startswith("/etc/postfix/master.cf")
    for action in (
        lambda: machine.write_text("/etc/postfix/master.cf", "x"),
        lambda: machine.remove("/etc/postfix/master.cf"),
        lambda: machine.rename("/etc/postfix/master.cf", "/tmp/m"),
        lambda: machine.set_meta("/etc/postfix/master.cf", mode=0o600),
    ):
        with pytest.raises(OSError) as info:
            action()
        assert info.value.errno == errno.EACCES
    machine.write_text("/etc/postfix/main.cf", "ok\n")
