"""`mailsim pack …` and `mailsim lab …` end to end, as an instructor runs them."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from mailsim.cli import main

DATA = Path(__file__).parent / "data" / "packs"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MAILSIM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("s") / "mypack"
    assert main(["pack", "new", str(root)]) == 0
    return root


def copy(src: Path, tmp_path: Path) -> Path:
    target = tmp_path / src.name
    shutil.copytree(src, target)
    return target


def test_scaffold_validates(scaffold, capsys):
    assert main(["pack", "validate", str(scaffold)]) == 0
    out = capsys.readouterr().out
    assert "mypack: OK (1 labs, 3 seeds each)" in out


def test_broken_yaml_fails_with_file_and_line(scaffold, tmp_path, capsys):
    pack = copy(scaffold, tmp_path)
    (pack / "labs" / "maildir.yaml").write_text("id: maildir\ntasks: [\n")
    assert main(["pack", "validate", str(pack)]) == 1
    assert "labs/maildir.yaml:3:1: error:" in capsys.readouterr().err


def test_unknown_parameter_fails_with_file_and_line(scaffold, tmp_path, capsys):
    pack = copy(scaffold, tmp_path)
    lab = pack / "labs" / "maildir.yaml"
    lab.write_text(lab.read_text().replace("postfix: home_mailbox", "postfix: home_mailbx"))
    assert main(["pack", "validate", str(pack)]) == 1
    assert (
        "labs/maildir.yaml:20:18: error: unknown Postfix parameter 'home_mailbx'"
        in capsys.readouterr().err
    )


def test_wrong_solution_fails_with_file_and_line(scaffold, tmp_path, capsys):
    pack = copy(scaffold, tmp_path)
    lab = pack / "labs" / "maildir.yaml"
    lab.write_text(
        lab.read_text().replace(
            "  - postconf -e home_mailbox=Maildir/\n  - postfix",
            "  - postconf -e home_mailbox=Maildir\n  - postfix",
        )
    )
    assert main(["pack", "validate", str(pack)]) == 1
    err = capsys.readouterr().err
    assert (
        "labs/maildir.yaml:40:3: error: the solution scores 33% (seed 0: user=bob); task 'home-mailbox': you have home_mailbox = Maildir (/etc/postfix/main.cf, line 48); the task needs Maildir/"
        in err
    )


def test_must_fail_that_passes_is_an_error(scaffold, tmp_path, capsys):
    pack = copy(scaffold, tmp_path)
    lab = pack / "labs" / "maildir.yaml"
    lab.write_text(
        lab.read_text().replace(
            "commands: [postconf -e home_mailbox=Maildir, postfix reload]",
            "commands: [postconf -e home_mailbox=Maildir/, postfix reload]",
        )
    )
    assert main(["pack", "validate", str(pack)]) == 1
    assert "the wrong answer 'mbox file called Maildir' scores 100%" in capsys.readouterr().err


def test_transcript_drift_is_reported(scaffold, tmp_path, capsys):
    pack = copy(scaffold, tmp_path)
    page = pack / "lessons" / "delivery" / "maildir.md"
    page.write_text(page.read_text().replace("home_mailbox =\n", "home_mailbox = mbox\n", 1))
    assert main(["pack", "validate", str(pack), "--no-replay"]) == 0  # transcripts run with replay
    assert main(["pack", "validate", str(pack)]) == 1
    err = capsys.readouterr().err
    assert (
        "lessons/delivery/maildir.md:10: error: transcript drifted: 'postconf -d home_mailbox': the page shows 'home_mailbox = mbox', the simulator prints 'home_mailbox ='"
        in err
    )


def test_test_packs_validate(capsys):
    assert main(["pack", "validate", str(DATA / "basics"), str(DATA / "bench")]) == 0


def test_lab_check_acceptance(tmp_path, capsys):
    root = tmp_path / "m"
    basics = str(DATA / "basics")
    assert (
        main(
            ["--pack", basics, "lab", "start", "basics/maildir", "--root", str(root), "--seed", "1"]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        main(
            [
                "--pack",
                basics,
                "--lang",
                "en",
                "lab",
                "check",
                "basics/maildir",
                "--root",
                str(root),
            ]
        )
        == 1
    )
    assert capsys.readouterr().out == (
        "✗ Deliver to Maildir/ in each home directory\n"
        "    home_mailbox is not set (default: empty); the task needs Maildir/: add it to /etc/postfix/main.cf\n"
        "    Why: Without a trailing slash Postfix writes an mbox file called Maildir.\n"
        "    See: basics/delivery#maildir\n"
        "Score: 0% (0 of 1 tasks)\n"
    )
    assert main(["exec", "--root", str(root), "--", "postconf -e home_mailbox=Mail"]) == 0
    assert main(["--pack", basics, "--lang", "en", "lab", "check", "--root", str(root)]) == 1
    assert (
        "    you have home_mailbox = Mail (/etc/postfix/main.cf, line 48); the task needs Maildir/\n"
        in capsys.readouterr().out
    )
    assert main(["--pack", basics, "lab", "solve", "--root", str(root)]) == 0
    capsys.readouterr()
    assert (
        main(["--pack", basics, "lab", "check", "basics/maildir", "--root", str(root), "--json"])
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert result["score"] == 100.0 and result["solution_shown"] and result["tasks"][0]["passed"]


def test_lab_errors_exit_125(tmp_path, capsys):
    assert main(["lab", "check", "nope/lab", "--root", str(tmp_path)]) == 125
    assert (
        main(
            [
                "--pack",
                str(DATA / "basics"),
                "lab",
                "start",
                "basics/nope",
                "--root",
                str(tmp_path / "m"),
            ]
        )
        == 125
    )
    assert "basics/nope: no such lab" in capsys.readouterr().err


def test_install_list_and_unsafe_zip(tmp_path, capsys):
    archive = tmp_path / "basics.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in (DATA / "basics").rglob("*"):
            if file.is_file():
                zf.write(file, "basics/" + str(file.relative_to(DATA / "basics")))
    assert main(["pack", "install", str(archive)]) == 0
    assert (tmp_path / "data" / "packs" / "basics" / "pack.yaml").is_file()
    capsys.readouterr()
    assert main(["pack", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    # Built-in packs are listed too; the installed one is among them.
    assert any(
        line.startswith("basics\t1.2\tuser\tMail basics\t[maildir, aliases]") for line in listed
    )
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../../escape/pack.yaml", "id: x\n")
    assert main(["pack", "install", str(evil)]) == 125
    assert "unsafe member name" in capsys.readouterr().err
    assert not (tmp_path / "escape").exists()
