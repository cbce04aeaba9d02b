"""The message catalogue: rendering, fallback, and the JSON cache of the YAML files."""

from __future__ import annotations

import pytest

from mailsim import i18n


@pytest.fixture(autouse=True)
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv("MAILSIM_DATA_DIR", str(tmp_path))
    i18n.catalogue.cache_clear()
    yield
    i18n.catalogue.cache_clear()


def test_renders_with_parameters_and_falls_back():
    assert i18n.t("core.not_a_machine", lang="en", path="/x").startswith("/x: not a mailsim")
    assert "mailsim のマシン" in i18n.t("core.not_a_machine", lang="ja", path="/x")
    assert i18n.t("no.such.id", lang="ja") == "no.such.id"


def test_cache_matches_yaml_and_is_rebuilt_when_a_file_changes(tmp_path):
    first = dict(i18n.catalogue("en"))
    assert (tmp_path / "cache" / "i18n-en.json").is_file()
    i18n.catalogue.cache_clear()
    assert i18n.catalogue("en") == first
    # A stale key (as after editing a catalogue file) is ignored.
    cache = tmp_path / "cache" / "i18n-en.json"
    cache.write_text('{"key": [], "messages": {"core.internal_error": "stale"}}')
    i18n.catalogue.cache_clear()
    assert i18n.catalogue("en")["core.internal_error"] == "{command}: internal error"


def test_detect_language_from_environment():
    assert i18n.detect_language({"LANG": "ja_JP.UTF-8"}) == "ja"
    assert i18n.detect_language({"LANGUAGE": "fr:ja", "LANG": "C"}) == "en"
