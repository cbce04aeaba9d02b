"""The built-in lesson packs: each validates (labs replayed, transcripts re-run), has no
untranslated string, links and fact ids that lead somewhere, and pages whose defaults
agree with the real Postfix and Dovecot."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from mailsim.packs.model import Pack, load_pack
from mailsim.packs.resolver import PackEntry, Resolver, builtin_dir
from mailsim.packs.transcripts import Step, parse_transcripts
from mailsim.packs.validate import validate_pack

REPO = Path(__file__).resolve().parent.parent
LESSONS = REPO / "lessons"
RECORDED = Path(__file__).parent / "data" / "builtin_packs" / "real_outputs.json"
PACK_IDS = ("mailbasics", "postfix", "aliases", "dovecot", "tls", "sieve", "othermtas")

# Commands whose answer does not depend on the host's configuration: built-in defaults
# and a password hash without salt. Only these are compared with the real tools.
POSTCONF_DEFAULTS = re.compile(r"^postconf -d( [a-z_]+)+$")
DOVECONF_DEFAULTS = re.compile(r"^doveconf -d( [a-z_]+)+$")
UNSALTED_HASH = re.compile(r"^doveadm pw -s CRAM-MD5 -p \S+$")


def _pack(pack_id: str) -> Pack:
    pack, problems = load_pack(LESSONS / pack_id)
    assert pack is not None, [str(p) for p in problems]
    return pack


def page_steps() -> Iterator[Step]:
    """Every transcript step of every page of every built-in pack, in both languages."""
    for page in sorted(LESSONS.glob("*/lessons/*/*.md")):
        for transcript in parse_transcripts(page.read_text(encoding="utf-8")):
            yield from transcript.steps


def host_independent(command: str) -> bool:
    return any(p.match(command) for p in (POSTCONF_DEFAULTS, DOVECONF_DEFAULTS, UNSALTED_HASH))


def real_argv(command: str, scratch: Path) -> list[str]:
    """The real tool's command line for a host-independent page command. The real tools
    read the empty configuration that ``empty_config`` puts in ``scratch``, never the host's."""
    words = command.split()
    if POSTCONF_DEFAULTS.match(command):
        return ["postconf", "-c", str(scratch), *words[1:]]
    if DOVECONF_DEFAULTS.match(command):
        return ["doveconf", "-c", str(scratch / "empty.conf"), *words[1:]]
    return words


def empty_config(scratch: Path) -> None:
    (scratch / "main.cf").touch()
    (scratch / "empty.conf").touch()


def _expected(step: Step) -> str:
    return "".join(line + "\n" for line in step.expected)


def _recorded() -> dict[str, str]:
    return json.loads(RECORDED.read_text(encoding="utf-8"))


def test_the_seven_packs_are_built_in() -> None:
    assert builtin_dir() == LESSONS
    found = sorted(p.name for p in LESSONS.iterdir() if (p / "pack.yaml").is_file())
    assert found == sorted(PACK_IDS)


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_pack_validates_without_untranslated_strings(pack_id: str) -> None:
    report = validate_pack(LESSONS / pack_id)
    assert [str(p) for p in report.problems] == []
    assert report.untranslated == {"ja": 0}


def test_at_least_24_labs_each_with_wrong_answers_and_hints() -> None:
    labs = [lab for pack_id in PACK_IDS for lab in _pack(pack_id).labs.values()]
    assert len(labs) >= 24
    for lab in labs:
        assert lab.must_fail, f"{lab.id} has no must_fail"
        assert any(task.hints for task in lab.tasks), f"{lab.id} gives no hint"
        assert all(task.link for task in lab.tasks), f"{lab.id} has a task without a link"


def test_every_page_has_both_languages_and_real_content() -> None:
    for pack_id in PACK_IDS:
        pack = _pack(pack_id)
        for lesson in pack.lessons:
            for page in lesson.pages:
                assert set(page.files) == {"en", "ja"}, f"{pack_id}/{lesson.id}#{page.id}"
                for lang, file in page.files.items():
                    text = file.read_text(encoding="utf-8")
                    assert len(text) > 400, f"{file} is a stub"
                    if lang == "ja":
                        assert re.search(r"[\u3040-\u30ff]", text), f"{file} is not Japanese"


def test_task_links_lead_to_built_in_pages() -> None:
    resolver = Resolver([PackEntry(LESSONS / p, "builtin", _pack(p)) for p in PACK_IDS])
    for pack_id in PACK_IDS:
        pack = _pack(pack_id)
        for lab in pack.labs.values():
            for task in lab.tasks:
                assert task.link is not None
                target = resolver.resolve(task.link, pack)
                assert target is not None and target.page is not None, (
                    f"{pack_id}/{lab.id}/{task.id}: {task.link}"
                )


def test_task_facts_are_known_to_the_coverage_lists() -> None:
    known: set[str] = set()
    for file in sorted((REPO / "docs").glob("facts*.yaml")):
        known |= {f["id"] for f in yaml.safe_load(file.read_text(encoding="utf-8"))["facts"]}
    objectives = yaml.safe_load((REPO / "docs" / "objectives.yaml").read_text(encoding="utf-8"))
    for objective in objectives["objectives"]:
        for item in objective.get("items", []):
            known |= set(item.get("facts", []))
    for pack_id in PACK_IDS:
        for lab in _pack(pack_id).labs.values():
            for task in lab.tasks:
                assert task.facts, f"{pack_id}/{lab.id}/{task.id} names no fact"
                unknown = set(task.facts) - known
                assert not unknown, f"{pack_id}/{lab.id}/{task.id}: {sorted(unknown)}"


def test_pages_show_what_the_real_tools_recorded() -> None:
    """The defaults the pages teach are the real Postfix 3.7's and Dovecot 2.3's,
    as recorded from them (checked live by the next test)."""
    recorded = _recorded()
    compared = 0
    for step in page_steps():
        if not host_independent(step.command):
            continue
        assert step.command in recorded, f"no recording for {step.command!r}"
        assert _expected(step) == recorded[step.command], step.command
        compared += 1
    assert compared >= 10


@pytest.mark.skipif(
    shutil.which("postconf") is None or shutil.which("doveconf") is None,
    reason="the real Postfix and Dovecot are not installed",
)
def test_recordings_match_the_real_tools(tmp_path: Path) -> None:
    empty_config(tmp_path)
    for command, want in _recorded().items():
        argv = real_argv(command, tmp_path)
        if shutil.which(argv[0]) is None:
            continue
        got = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
        assert got.stdout == want, command
