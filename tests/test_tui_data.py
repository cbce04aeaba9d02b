"""The TUI's data layer without a screen: undo checkpoints and diffs, sandboxes, the pack
catalogue (a broken pack is listed, never fatal) and the remembered place and scores."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import PACKS, tui_env  # noqa: F401

from mailsim.machine.image import init_machine
from mailsim.machine.machine import Machine
from mailsim.packs.runner import run_lines
from mailsim.tui.data import recent, sandboxes
from mailsim.tui.data.catalog import load_catalog, load_pack
from mailsim.tui.data.checkpoints import Checkpoints


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(init_machine(tmp_path / "m").root)


def test_undo_steps_back_one_change_at_a_time(machine: Machine, tmp_path: Path) -> None:
    points = Checkpoints(machine, tmp_path / "checkpoints")
    points.mark_start()
    assert not points.record()
    run_lines(machine, ["postconf -e 'home_mailbox = Maildir/'"])
    assert points.record()
    machine.write_text("/etc/aliases", "postmaster: root\nabuse: root\n")
    assert points.record()
    assert points.undo()
    assert "abuse" not in machine.read_text("/etc/aliases")
    assert "home_mailbox = Maildir/" in machine.read_text("/etc/postfix/main.cf")
    assert points.undo()
    assert "home_mailbox" not in machine.read_text("/etc/postfix/main.cf")
    assert not points.undo()


def test_hints_and_history_are_no_change(machine: Machine, tmp_path: Path) -> None:
    """Regression: a hint (lab binding) made a checkpoint, so undo took back the hint."""
    points = Checkpoints(machine, tmp_path / "checkpoints")
    points.mark_start()
    machine.save_state("lab", {"hints": {"t": 1}})
    (machine.state / "history").write_text("ls\n", encoding="utf-8")
    assert not points.record()


def test_diff_names_machine_paths(machine: Machine, tmp_path: Path) -> None:
    points = Checkpoints(machine, tmp_path / "checkpoints")
    points.mark_start()
    assert points.diff() == ""
    run_lines(
        machine,
        ["postconf -e 'home_mailbox = Maildir/'", "echo hi > /root/new.txt", "rm /etc/mailname"],
    )
    diff = points.diff()
    assert "--- a/etc/postfix/main.cf\n+++ b/etc/postfix/main.cf\n" in diff
    assert "+home_mailbox = Maildir/\n" in diff
    assert "--- /dev/null\n+++ b/root/new.txt\n" in diff
    assert "--- a/etc/mailname\n+++ /dev/null\n@@ -1 +0,0 @@\n-mail.example.com\n" in diff
    assert points.reset()
    assert points.diff() == ""


def test_sandboxes_create_duplicate_reset_delete(tui_env: Path) -> None:  # noqa: F811
    first = sandboxes.open_sandbox("practice")
    first.write_text("/root/note", "mine\n")
    sandboxes.duplicate_sandbox("practice", "copy")
    assert sandboxes.list_sandboxes() == ["copy", "practice"]
    assert sandboxes.open_sandbox("copy").read_text("/root/note") == "mine\n"
    assert not sandboxes.reset_sandbox("practice").exists("/root/note")
    with pytest.raises(sandboxes.SandboxError, match="already exists"):
        sandboxes.duplicate_sandbox("practice", "copy")
    with pytest.raises(sandboxes.SandboxError, match="a sandbox name is"):
        sandboxes.open_sandbox("../escape")
    sandboxes.delete_sandbox("copy")
    assert sandboxes.list_sandboxes() == ["practice"]


def test_catalogue_of_the_test_pack(tui_env: Path) -> None:  # noqa: F811
    catalog = load_catalog([str(PACKS)])
    pack = catalog.find("mini")
    assert pack is not None and pack.error == ""
    assert pack.text(pack.title, "ja") == "ミニパック"
    found = pack.lab("maildir")
    assert found is not None
    lesson, _ = found
    assert [p.id for p in lesson.pages] == ["intro", "steps"]
    assert pack.page_markdown(lesson, lesson.pages[0], "ja").startswith("# なぜ Maildir か")
    # No Japanese page: the pack's first language.
    assert pack.page_markdown(lesson, lesson.pages[1], "ja").startswith("# Steps")
    assert pack.banks == (PACKS / "mini" / "quizzes" / "basics.yaml",)


def test_a_malformed_pack_is_listed_with_its_error(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text("id: x\nlessons: [\n", encoding="utf-8")
    pack = load_pack(tmp_path)
    assert pack.error and "pack.yaml:" in pack.error


def test_remembered_place_and_best_scores(tui_env: Path) -> None:  # noqa: F811
    assert recent.last_place() is None
    recent.remember("lab", pack="mini", lab="maildir", title="T")
    assert recent.last_place() == {"kind": "lab", "pack": "mini", "lab": "maildir", "title": "T"}
    recent.record_score("mini", "maildir", 67)
    recent.record_score("mini", "maildir", 33)
    assert recent.lab_scores("mini", ["maildir", "other"]) == {"maildir": 67}


def test_builtin_packs_are_offered_in_learning_order(
    tui_env: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mailsim.tui.data import catalog

    builtin = tmp_path / "lessons"
    for name in (
        "aliases",
        "dovecot",
        "extra",
        "mailbasics",
        "othermtas",
        "postfix",
        "sieve",
        "tls",
    ):
        (builtin / name).mkdir(parents=True)
        (builtin / name / "pack.yaml").write_text(f"id: {name}\n", encoding="utf-8")
    monkeypatch.setattr(catalog, "builtin_lessons_dir", lambda: builtin)
    found = [(pack.id, pack.origin) for pack in load_catalog([str(PACKS)]).packs]
    assert found == [
        ("mailbasics", "builtin"),
        ("postfix", "builtin"),
        ("aliases", "builtin"),
        ("dovecot", "builtin"),
        ("tls", "builtin"),
        ("sieve", "builtin"),
        ("othermtas", "builtin"),
        ("extra", "builtin"),
        *((p.name, "extra") for p in sorted(PACKS.iterdir()) if (p / "pack.yaml").is_file()),
    ]
