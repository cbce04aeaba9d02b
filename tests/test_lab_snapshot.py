"""Machine copies for throwaway checks, reset and undo never leave the machine directory."""

from __future__ import annotations

import os

from mailsim.machine.snapshot import restore, snapshot, throwaway


def test_host_symlinks_are_never_followed(machine, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("host data")
    os.symlink(secret, machine.root / "etc" / "planted")
    copy = snapshot(machine, tmp_path / "snap")
    assert not (copy / "etc" / "planted").exists()
    assert (copy / "etc" / "postfix" / "main.cf").read_text() == machine.read_text(
        "/etc/postfix/main.cf"
    )
    assert not (copy / ".mailsim" / "lock").exists()


def test_restore_brings_back_the_snapshot(machine, tmp_path):
    snap = snapshot(machine, tmp_path / "snap")
    original = machine.read_text("/etc/aliases")
    machine.write_text("/etc/aliases", "changed: root\n")
    machine.write_text("/root/new-file", "x\n")
    machine.save_state("lab", {"pack": "p", "lab": "l", "seed": 1})
    restore(machine, snap, keep_state=("lab.json",))
    assert machine.read_text("/etc/aliases") == original
    assert not machine.exists("/root/new-file")
    assert machine.load_state("lab")["seed"] == 1


def test_throwaway_copy_leaves_the_machine_alone(machine):
    before = machine.read_text("/etc/aliases")
    with throwaway(machine) as copy:
        copy.write_text("/etc/aliases", "x: y\n")
        assert copy.root != machine.root
    assert machine.read_text("/etc/aliases") == before
    assert not copy.root.exists()
