"""The TUI's pack catalogue is the packs layer's view: the resolver's choice between
packs with the same id, its error for a broken pack, and a JSON cache that any edit
to a pack invalidates."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_tui_support import PACKS, run_async, settle, tui_env  # noqa: F401

from mailsim.packs import resolver
from mailsim.packs.resolver import Resolver
from mailsim.tui.data import catalog, catalog_cache
from mailsim.tui.data.catalog import load_catalog


def copy_pack(dst: Path, title: str) -> Path:
    """The test pack ``mini`` at ``dst`` with its English title replaced."""
    shutil.copytree(PACKS / "mini", dst)
    pack_yaml = dst / "pack.yaml"
    text = pack_yaml.read_text(encoding="utf-8").replace("en: Mini pack", f"en: {title}")
    pack_yaml.write_text(text, encoding="utf-8")
    return dst


@pytest.fixture
def builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A built-in lessons folder holding ``mini``, seen by the catalogue and the resolver."""
    folder = tmp_path / "lessons"
    copy_pack(folder / "mini", "Built-in mini")
    monkeypatch.setattr(catalog, "builtin_lessons_dir", lambda: folder)
    monkeypatch.setattr(resolver, "builtin_dir", lambda: folder)
    return folder


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every pack folder the packs layer loads (a cache hit loads none)."""
    seen: list[Path] = []
    real = resolver.load_entry

    def counting(path: Path, source: str) -> resolver.PackEntry:
        seen.append(path)
        return real(path, source)

    monkeypatch.setattr(resolver, "load_entry", counting)
    return seen


def test_a_pack_given_with_pack_overrides_a_builtin_one(
    tui_env: Path,  # noqa: F811
    builtin: Path,
    tmp_path: Path,
) -> None:
    """Regression: the catalogue kept the first pack of an id (the built-in one) while
    ``mailsim lab`` used the --pack one, so the TUI showed another pack than the CLI."""
    extra = copy_pack(tmp_path / "mine" / "mini", "My mini")
    packs = load_catalog([str(extra)]).packs
    chosen = Resolver.discover([str(extra)]).pack("mini")
    assert chosen is not None and chosen.root == extra
    assert [(p.id, p.folder, p.origin) for p in packs] == [("mini", extra, "extra")]
    assert packs[0].text(packs[0].title, "en") == "My mini"


@run_async
async def test_home_offers_and_opens_the_overriding_pack(
    tui_env: Path,  # noqa: F811
    builtin: Path,
    tmp_path: Path,
) -> None:
    """The home screen and the lab it opens use the --pack pack, not the built-in one."""
    from textual.widgets import Tree

    from mailsim.tui.app import MailsimApp
    from mailsim.tui.screens.lab import LabScreen

    extra = copy_pack(tmp_path / "mine" / "mini", "My mini")
    app = MailsimApp(lang="en", packs=[str(extra)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        tree = app.screen.query_one("#packs", Tree)
        assert [str(node.label).split("  ")[0] for node in tree.root.children] == ["My mini"]
        tree.focus()
        tree.move_cursor(tree.root.children[0].children[0].children[0])
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LabScreen)
        assert app.screen.pack.folder == extra


def test_the_learners_pack_overrides_a_builtin_one_in_its_place(
    tui_env: Path,  # noqa: F811
    builtin: Path,
) -> None:
    """An override is shown where the pack it replaces was (learning order stays)."""
    copy_pack(builtin / "postfix", "Postfix")
    (builtin / "postfix" / "pack.yaml").write_text(
        (builtin / "postfix" / "pack.yaml").read_text().replace("id: mini", "id: postfix")
    )
    user = copy_pack(tui_env / "packs" / "mini", "Learner's mini")
    packs = load_catalog().packs
    assert [(p.id, p.origin) for p in packs] == [("postfix", "builtin"), ("mini", "user")]
    assert packs[1].folder == user == Resolver.discover().entry("mini").path  # type: ignore[union-attr]


def test_a_broken_pack_is_listed_with_the_resolvers_error(
    tui_env: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    broken = tmp_path / "packs" / "broken"
    broken.mkdir(parents=True)
    (broken / "pack.yaml").write_text("format: 1\nid: broken\n", encoding="utf-8")
    pack = load_catalog([str(tmp_path / "packs")]).find("broken")
    entry = Resolver.discover([str(tmp_path / "packs")]).entry("broken")
    assert entry is not None and entry.error is not None and entry.error.startswith("pack.yaml:")
    assert pack is not None and pack.error == entry.error


def test_a_pack_whose_lab_does_not_validate_is_not_offered_as_fine(
    tui_env: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Regression: the catalogue read only lab titles, so a lab that ``mailsim pack
    validate`` rejects was listed (and failed only when opened)."""
    pack_dir = copy_pack(tmp_path / "mini", "Mini")
    lab = pack_dir / "labs" / "maildir.yaml"
    lab.write_text(lab.read_text().replace("tasks:", "taskz:"), encoding="utf-8")
    pack = load_catalog([str(pack_dir)]).find("mini")
    assert pack is not None
    assert pack.error == Resolver.discover([str(pack_dir)]).entry("mini").error  # type: ignore[union-attr]
    assert pack.error.startswith("labs/maildir.yaml:")


def test_the_cache_is_used_until_a_lab_file_changes(
    tui_env: Path,  # noqa: F811
    tmp_path: Path,
    loads: list[Path],
) -> None:
    pack_dir = copy_pack(tmp_path / "mini", "Mini")
    first = load_catalog([str(pack_dir)])
    assert loads == [pack_dir]
    assert catalog_cache.cache_file().is_file()
    again = load_catalog([str(pack_dir)])
    assert loads == [pack_dir]  # nothing parsed: the JSON cache answered
    assert again.packs == first.packs
    lab = pack_dir / "labs" / "maildir.yaml"
    lab.write_text(
        lab.read_text().replace("en: Switch local delivery to Maildir", "en: Use Maildir"),
        encoding="utf-8",
    )
    changed = load_catalog([str(pack_dir)])
    assert loads == [pack_dir, pack_dir]
    pack = changed.find("mini")
    assert pack is not None and pack.text(pack.all_labs[0][1].title, "en") == "Use Maildir"


def test_a_pack_added_to_the_users_folder_rebuilds_the_cache(
    tui_env: Path,  # noqa: F811
    loads: list[Path],
) -> None:
    assert load_catalog().packs == []
    copy_pack(tui_env / "packs" / "mini", "Mini")
    assert [p.id for p in load_catalog().packs] == ["mini"]
    assert len(loads) == 1


def test_a_page_edited_with_the_same_size_rebuilds_the_cache(
    tui_env: Path,  # noqa: F811
    tmp_path: Path,
    loads: list[Path],
) -> None:
    pack_dir = copy_pack(tmp_path / "mini", "Mini")
    load_catalog([str(pack_dir)])
    page = pack_dir / "lessons" / "maildir" / "intro.md"
    st = page.stat()
    page.write_bytes(page.read_bytes().swapcase())
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    load_catalog([str(pack_dir)])
    assert len(loads) == 2


@pytest.mark.parametrize(
    "spoil",
    [
        lambda text: "{not json",
        lambda text: "",
        lambda text: json.dumps([1, 2]),
        # The right key with packs of the wrong shape.
        lambda text: json.dumps({**json.loads(text), "packs": [{"id": "mini", "lessons": 5}]}),
        lambda text: json.dumps({**json.loads(text), "packs": 7}),
    ],
    ids=["not-json", "empty", "a-list", "bad-pack", "packs-not-a-list"],
)
def test_a_corrupt_cache_is_ignored_and_rebuilt(
    tui_env: Path,  # noqa: F811
    loads: list[Path],
    spoil: object,
) -> None:
    expected = load_catalog([str(PACKS)]).packs
    file = catalog_cache.cache_file()
    file.write_text(spoil(file.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    assert load_catalog([str(PACKS)]).packs == expected
    assert len(loads) == 2
    load_catalog([str(PACKS)])
    assert len(loads) == 2  # the rebuilt cache is good again


def test_a_relative_pack_path_names_another_folder_from_another_directory(
    tui_env: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copy_pack(tmp_path / "a" / "p", "First")
    copy_pack(tmp_path / "b" / "p", "Second")
    titles = []
    for here in ("a", "b"):
        monkeypatch.chdir(tmp_path / here)
        pack = load_catalog(["p"]).find("mini")
        assert pack is not None
        titles.append(pack.text(pack.title, "en"))
    assert titles == ["First", "Second"]


def test_the_cache_answers_without_importing_the_pack_loader(tui_env: Path) -> None:  # noqa: F811
    """The warm start's point: no YAML parser, schema or lab validation is imported."""
    load_catalog([str(PACKS)])
    code = (
        "import sys\n"
        "from mailsim.tui.data import catalog\n"
        "catalog.builtin_lessons_dir = lambda: None\n"
        f"packs = catalog.load_catalog([{str(PACKS)!r}]).packs\n"
        "print([p.id for p in packs], 'mailsim.packs.model' in sys.modules, 'yaml' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert done.stdout.strip() == "['mini'] False False"


def test_listing_packs_uses_the_loaders_file_name() -> None:
    from mailsim.packs.model import PACK_FILE

    assert resolver.PACK_FILE == PACK_FILE
