"""Export, import and the instructor's gradebook."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from mailsim.machine.clock import Clock, parse_timestamp
from mailsim.progress.portable import (
    ExportError,
    export_data,
    import_data,
    read_export,
    write_export,
    write_report,
)
from mailsim.progress.store import ProgressStore, open_store

T0 = parse_timestamp("2026-11-25T08:29:01")


def learner(path: Path, name: str, right: bool) -> ProgressStore:
    clock = Clock(T0)
    store = open_store(path, clock=clock, fuzz=False)
    store.set_learner_name(name)
    store.record_answer("quiz:b:q1", "b", "q1", "211.1", right, 12.5, response="2")
    clock.advance(60)
    store.record_lab_task(
        "basics",
        "maildir",
        "home-mailbox",
        passed=True,
        hints_used=1,
        objective="211.2",
        facts=["maildir"],
    )
    clock.advance(60)
    store.record_exam("211", T0, T0 + 600, 5, 8, 530, False, {"211.1": [3, 4]})
    return store


def test_export_carries_the_name_and_imports_elsewhere_once(tmp_path: Path) -> None:
    with learner(tmp_path / "a.sqlite3", "Aiko Tanaka", True) as store:
        assert write_export(store, tmp_path / "aiko.json") == 3
    data = read_export(tmp_path / "aiko.json")
    assert data["learner"] == {"name": "Aiko Tanaka"}
    with open_store(tmp_path / "other.sqlite3", clock=Clock(T0)) as other:
        assert import_data(other, data) == 3
        assert import_data(other, data) == 0  # the same export again adds nothing
        assert other.learner_name() == "Aiko Tanaka"
        assert [(r["kind"], r["item"]) for r in other.history()] == [
            ("quiz", "q1"),
            ("lab", "maildir/home-mailbox"),
            ("exam", "211"),
        ]
        assert set(other.cards()) == {"quiz:b:q1", "lab:basics:maildir:home-mailbox"}
        again = export_data(other)
        assert [
            len(again[t]) for t in ("answers", "lab_results", "exam_attempts", "review_log")
        ] == [1, 1, 1, 2]


def test_gradebook_merges_several_learners(tmp_path: Path) -> None:
    exports = []
    for name, right in (("Aiko", True), ("Ben, Jr.", False)):
        with learner(tmp_path / f"{name}.sqlite3", name, right) as store:
            exports.append(export_data(store))
    out = io.StringIO()
    assert write_report(exports, out) == 6
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["learner"], r["kind"], r["result"]) for r in rows] == [
        ("Aiko", "quiz", "right"),
        ("Aiko", "lab", "passed"),
        ("Aiko", "exam", "finished"),
        ("Ben, Jr.", "quiz", "wrong"),
        ("Ben, Jr.", "lab", "passed"),
        ("Ben, Jr.", "exam", "finished"),
    ]
    assert out.getvalue().splitlines()[:2] == [
        "learner,kind,at,pack,item,objective,result,correct,total,time_taken,mode,hints_used,"
        "solution_shown,estimate",
        "Aiko,quiz,2026-11-25T08:29:01Z,b,q1,211.1,right,1,1,12.5,practice,,,",
    ]
    assert rows[1]["hints_used"] == "1" and rows[2]["estimate"] == "530"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("not json", "not JSON"),
        ('{"format": "something else"}', "no 'format: mailsim-progress'"),
        ('{"format": "mailsim-progress", "version": 99}', "export version 99"),
        (
            '{"format": "mailsim-progress", "version": 1, "learner": {}, "answers": [{"uid": "x"}]}',
            "'answers' is not a list of complete rows",
        ),
    ],
)
def test_bad_exports_are_refused_with_the_reason(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content)
    with pytest.raises(ExportError, match=reason):
        read_export(path)


def test_cli_round_trip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from mailsim.cli import main

    monkeypatch.setenv("MAILSIM_DATA_DIR", str(tmp_path / "one"))
    monkeypatch.setenv("MAILSIM_NOW", "2026-11-25T08:29:01")
    learner(tmp_path / "one" / "progress.sqlite3", "", True).close()
    export = tmp_path / "one.json"
    assert main(["progress", "export", str(export), "--name", "Aiko"]) == 0
    assert capsys.readouterr().out == f"exported 3 attempts of Aiko to {export}\n"
    assert json.loads(export.read_text())["learner"]["name"] == "Aiko"
    monkeypatch.setenv("MAILSIM_DATA_DIR", str(tmp_path / "two"))
    assert main(["progress", "import", str(export)]) == 0
    assert capsys.readouterr().out == f"imported 3 new attempts from {export}\n"
    assert main(["progress", "report", "--csv"]) == 0
    assert capsys.readouterr().out.count("Aiko,") == 3
    assert main(["progress", "import", str(tmp_path / "missing.json")]) == 125
    assert capsys.readouterr().err == (
        f"mailsim: {tmp_path}/missing.json: not a mailsim progress "
        "export (No such file or directory)\n"
    )
