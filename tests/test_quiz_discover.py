"""Which banks a quiz offers: the packs layer's places and precedence (later wins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailsim.quiz import discover


def make_pack(folder: Path, pack_id: str) -> Path:
    (folder / "quizzes").mkdir(parents=True)
    (folder / "pack.yaml").write_text(f"id: {pack_id}\ntitle: {pack_id}\n", encoding="utf-8")
    return folder


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    builtin = tmp_path / "lessons"
    data = tmp_path / "data"
    monkeypatch.setenv("MAILSIM_DATA_DIR", str(data))
    monkeypatch.setattr("mailsim.packs.resolver.builtin_dir", lambda: builtin)
    make_pack(builtin / "postfix", "postfix")
    make_pack(builtin / "dovecot", "dovecot")
    return builtin, data / "packs"


def test_installed_packs_are_found_by_id(places: tuple[Path, Path]) -> None:
    builtin, _user = places
    assert discover.installed_packs() == {
        "dovecot": builtin / "dovecot",
        "postfix": builtin / "postfix",
    }
    found = discover.resolve("postfix")
    assert found is not None and found.path == builtin / "postfix" / "quizzes"


def test_a_learner_pack_with_a_built_in_id_replaces_its_banks(places: tuple[Path, Path]) -> None:
    _builtin, user = places
    mine = make_pack(user / "my-postfix", "postfix")
    sources = [s for s in discover.all_sources() if s.name != discover.BUILTIN]
    assert sorted((s.name, s.path) for s in sources) == [
        ("dovecot", places[0] / "dovecot" / "quizzes"),
        ("postfix", mine / "quizzes"),
    ]
    found = discover.resolve("postfix")
    assert found is not None and found.path == mine / "quizzes"
    by_folder = discover.resolve("my-postfix")
    assert by_folder is not None and by_folder.path == mine / "quizzes"


def test_an_unknown_name_is_none(places: tuple[Path, Path]) -> None:
    assert discover.resolve("nosuch") is None
