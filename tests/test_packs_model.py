"""Loading packs: the model, the published schemas, untrusted input, discovery."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mailsim.packs import checks, objectives, schema
from mailsim.packs.model import Pack, PackError, load_pack
from mailsim.packs.resolver import Resolver, discover
from mailsim.packs.text import clean, pick
from mailsim.packs.variables import covering_seeds, substitute
from mailsim.packs.variables import pick as pick_values

DATA = Path(__file__).parent / "data" / "packs"


@pytest.fixture
def basics(tmp_path: Path) -> Path:
    target = tmp_path / "basics"
    shutil.copytree(DATA / "basics", target)
    return target


def errors_of(path: Path) -> list[str]:
    _, problems = load_pack(path)
    return [str(p) for p in problems if p.is_error]


def test_test_packs_load():
    pack = Pack.from_directory(DATA / "basics")
    assert pack.id == "basics" and pack.languages == ("en", "ja")
    assert [lesson.id for lesson in pack.lessons] == ["delivery"]
    assert set(pack.labs) == {"maildir", "aliases"}
    lab = pack.labs["maildir"]
    assert lab.tasks[0].checks[0].kind == "postfix" and lab.tasks[0].weight == 2
    assert [q.name for q in pack.quizzes] == ["delivery.yaml"]
    assert pack.text(pack.title, "ja") == "メールの基本"
    assert pack.text(pack.title, "fr") == "Mail basics"
    bench = Pack.from_directory(DATA / "bench")
    assert len(bench.labs["twenty"].tasks) == 20


def test_yaml_error_names_file_line_column(basics: Path):
    (basics / "pack.yaml").write_text("id: x\nlessons: [\n")
    assert errors_of(basics)[0].startswith("pack.yaml:3:1: error:")


def test_unknown_postfix_parameter_is_located(basics: Path):
    lab = basics / "labs" / "maildir.yaml"
    lab.write_text(lab.read_text().replace("postfix: home_mailbox", "postfix: home_mailbx"))
    assert errors_of(basics) == [
        "labs/maildir.yaml:15:18: error: unknown Postfix parameter 'home_mailbx'"
    ]


def test_schema_problems_are_located(basics: Path):
    text = (basics / "pack.yaml").read_text()
    (basics / "pack.yaml").write_text(text.replace('version: "1.2"', "version: 1.2\nautor: me"))
    found = errors_of(basics)
    assert (
        'pack.yaml:3:10: error: version: must be a string, not a number (quote it: "1.0")' in found
    )
    assert "pack.yaml:4:1: error: unknown key 'autor' (did you mean 'author'?)" in found


def test_check_operator_must_fit_its_kind(basics: Path):
    lab = basics / "labs" / "maildir.yaml"
    lab.write_text(lab.read_text().replace("equals: Maildir/", "line: Maildir/"))
    assert errors_of(basics)[0].startswith(
        "labs/maildir.yaml:16:9: error: 'line' does not apply to a postfix check"
    )


def test_unknown_variable_is_an_error(basics: Path):
    lab = basics / "labs" / "aliases.yaml"
    lab.write_text(lab.read_text().replace("title: An alias for {{user}}", "title: For {{usr}}"))
    assert any("unknown variable {{usr}}" in e for e in errors_of(basics))


def test_paths_stay_inside_the_pack(basics: Path):
    lab = basics / "labs" / "maildir.yaml"
    lab.write_text(
        lab.read_text() + "start:\n  files:\n    - {path: /etc/x, source: ../../../etc/passwd}\n"
    )
    assert any("outside the pack" in e for e in errors_of(basics))


def test_size_limit_is_a_clear_error(basics: Path, monkeypatch):
    from mailsim.packs import model

    monkeypatch.setattr(model, "MAX_PACK_BYTES", 100)
    assert errors_of(basics) == ["pack.yaml: error: the pack is larger than 100 bytes"]


def test_from_directory_raises_with_every_problem(basics: Path):
    (basics / "labs" / "maildir.yaml").unlink()
    with pytest.raises(PackError) as info:
        Pack.from_directory(basics)
    assert "labs/maildir.yaml is missing" in str(info.value)


def test_broken_pack_is_listed_not_fatal(tmp_path: Path, basics: Path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.yaml").write_text("id: [\n")
    entries = discover([str(tmp_path)], include_user=False)
    by_path = {e.path.name: e for e in entries}
    assert by_path["basics"].ok and by_path["basics"].pack is not None
    assert not by_path["broken"].ok
    assert str(by_path["broken"].error).startswith("pack.yaml:2:1: error:")


def test_resolver_links_and_paths(basics: Path):
    resolver = Resolver.discover([str(basics)], include_user=False)
    target = resolver.resolve("basics/delivery#maildir")
    assert target is not None and target.page is not None and target.page.id == "maildir"
    assert resolver.resolve("basics/delivery#nope") is None
    aliases = resolver.resolve("basics/aliases")
    assert aliases is not None and aliases.lab is not None and aliases.lab.id == "aliases"
    found = resolver.lab(f"{basics}/maildir")
    assert found is not None
    pack, lab = found
    assert (pack.id, lab.id) == ("basics", "maildir")
    assert resolver.lab("basics/nope") is None


def test_published_schemas_match_the_loader():
    lab_check = schema.load_schema("lab")["$defs"]["check"]["properties"]
    vocabulary = set(checks.VOCABULARY) | {op for ops in checks.VOCABULARY.values() for op in ops}
    assert set(lab_check) == vocabulary
    for name in ("pack", "lab"):
        json.dumps(schema.load_schema(name))  # valid JSON, loadable by editors
    pack_objectives = schema.load_schema("pack")["properties"]["objectives"]["items"]["enum"]
    assert pack_objectives == list(objectives.OBJECTIVES)
    task_keys = set(schema.load_schema("lab")["$defs"]["task"]["properties"])
    assert task_keys == {"id", "title", "weight", "facts", "checks", "reason", "hints", "link"}


def test_variables_cover_every_value():
    pools = {"domain": ["a", "b", "c"], "user": ["x", "y"]}
    seeds = covering_seeds(pools)
    seen = {name: {pick_values(pools, s)[name] for s in seeds} for name in pools}
    assert seen == {"domain": {"a", "b", "c"}, "user": {"x", "y"}}
    assert pick_values(pools, 7) == pick_values(pools, 7)
    assert (
        substitute("{{ domain }} ${myhostname} {{nope}}", {"domain": "a"})
        == "a ${myhostname} {{nope}}"
    )


def test_pack_text_is_cleaned():
    assert clean("ok\x1b[31mred\x1b[0m\x07 [b]x[/b]\n") == "okred [b]x[/b]\n"
    assert pick({"en": "a\x00b", "ja": "c"}, "en") == "ab"


def test_packs_never_import_textual():
    import subprocess
    import sys

    code = (
        "import sys, mailsim.packs.session, mailsim.packs.validate, mailsim.packs.cli, "
        "mailsim.packs.cli_lab, mailsim.packs.resolver\n"
        "print('textual' in sys.modules or 'rich' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
