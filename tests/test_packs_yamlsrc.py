"""Safe YAML loading with file/line/column marks (packs and quiz banks share it)."""

from __future__ import annotations

import pytest

from mailsim.packs.problems import Problem
from mailsim.packs.yamlsrc import YamlSourceError, load_yaml, parse_yaml


def test_problem_formats_like_a_compiler():
    assert str(Problem("pack.yaml", 3, 7, "bad")) == "pack.yaml:3:7: error: bad"
    assert str(Problem("pack.yaml", 3, None, "bad", "warning")) == "pack.yaml:3: warning: bad"
    assert str(Problem("pack.yaml", None, None, "bad")) == "pack.yaml: error: bad"


def test_marks_point_at_values_and_keys():
    doc = parse_yaml("id: x\ntasks:\n  - id: a\n    weight: 2\n", "lab.yaml")
    assert doc.data == {"id": "x", "tasks": [{"id": "a", "weight": 2}]}
    assert doc.where(("tasks", 0, "weight")) == (4, 13)
    assert doc.key_where(("tasks", 0, "weight")) == (4, 5)
    # A missing key falls back to the mapping that lacks it.
    assert doc.where(("tasks", 0, "title")) == (3, 5)
    assert str(doc.problem(("tasks", 0, "title"), "missing")) == "lab.yaml:3:5: error: missing"


def test_duplicate_keys_are_reported():
    doc = parse_yaml("id: x\nid: y\n", "p.yaml")
    assert doc.data == {"id": "y"}
    assert [str(p) for p in doc.duplicate_problems()] == ["p.yaml:2:1: error: duplicate key 'id'"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: [1,\n b: c: d", "f.yaml:2:6:"),
        ("a: !!python/object/apply:os.system ['true']", "f.yaml:1:4:"),
        ("a: 1\n\tb: 2\n", "f.yaml:2:1:"),
    ],
)
def test_errors_name_file_line_column(text, where):
    with pytest.raises(YamlSourceError) as info:
        parse_yaml(text, "f.yaml")
    assert str(info.value.problem).startswith(where)


def test_alias_bomb_is_refused():
    rows = ["a: &a [1,1,1,1,1,1,1,1,1]"]
    for prev, name in zip("abcde", "bcdef", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(YamlSourceError) as info:
        parse_yaml("\n".join(rows), "f.yaml")
    assert "too large" in info.value.problem.message


def test_file_size_limit_and_encoding(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 2000)
    with pytest.raises(YamlSourceError) as info:
        load_yaml(big, display="big.yaml", max_bytes=1000)
    assert str(info.value.problem).startswith("big.yaml: error: file is too large")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: 1\nb: \xff\n")
    with pytest.raises(YamlSourceError) as info:
        load_yaml(bad, display="bad.yaml")
    assert str(info.value.problem) == "bad.yaml:2: error: not valid UTF-8"
