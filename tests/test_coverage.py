"""Coverage of the built-in content: every objective item and every fact of the
source notes is asked by at least one question. Reads only files of the repository."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FACT_ID = re.compile(r"^[a-z0-9]+(\.[a-z0-9][a-z0-9-]*)+$")
OBJECTIVES = ("211.1", "211.2", "211.3", "108.3")


def _load_tool():
    spec = importlib.util.spec_from_file_location(
        "gen_coverage", ROOT / "tools" / "gen_coverage.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


gen = _load_tool()
COV = gen.collect(ROOT)


def test_lists_are_well_formed():
    assert COV.problems == []


def test_fact_ids_follow_the_scheme():
    bad = [f for f in COV.facts if not FACT_ID.match(f)]
    assert bad == []
    assert len(COV.facts) > 150


def test_every_fact_belongs_to_an_objective_item():
    """Facts of docs/facts.yaml are reached from an objective item; facts that other
    files add (docs/facts-*.yaml) need only be used, see below."""
    named = {f for item in COV.items for f in item.facts}
    main = {f.id for f in COV.facts.values() if f.file == "docs/facts.yaml"}
    assert sorted(main - named) == []


def test_facts_added_by_other_files_are_used():
    named = {f for item in COV.items for f in item.facts}
    unused = [
        f.id
        for f in COV.facts.values()
        if f.file != "docs/facts.yaml"
        and f.id not in named
        and not COV.asked.get(f.id)
        and not COV.practised.get(f.id)
    ]
    assert unused == []


def test_fact_objectives_are_exam_objectives():
    wrong = {f.id: f.objectives for f in COV.facts.values() if set(f.objectives) - set(OBJECTIVES)}
    assert wrong == {}


def test_dated_facts_of_the_notes_are_corrected():
    """The objectives list what the notes get wrong; each has a dated fact with a correction."""
    data = yaml.safe_load((ROOT / "docs" / "facts.yaml").read_text(encoding="utf-8"))
    dated = {f["id"] for f in data["facts"] if f.get("dated")}
    for fid in (
        "postfix.smtpd-use-tls",
        "postfix.smtpd-enforce-tls",
        "dovecot.ssl-cert",
        "dovecot.starttls",
        "dovecot.role-not-mda",
        "dovecot.doveadm-pw",
        "dovecot.auth-mechanisms",
        "dovecot.auth-cram-md5",
        "mail.maildir.one-file-per-message",
        "mta.courier-imap.maildir",
        "proto.pop.apop",
        "proto.smtp.no-auth",
        "dovecot.plaintext-default",
        "dovecot.self-signed-cert",
        "dovecot.protocols-1x",
    ):
        assert fid in dated, fid


def test_the_cut_short_chapter_gives_no_fact_of_its_missing_sections():
    """The Fedora chapter stops inside 13.1.2: procmail, Fetchmail and the MUA sections
    exist only in its table of contents, so no fact may claim them as its source."""
    fedora = [f for f in COV.facts.values() if f.source == "fedora"]
    assert fedora
    assert not [f.id for f in fedora if f.id.split(".")[0] in ("procmail", "fetchmail")]


def _facts_of(objective: str) -> list[str]:
    return sorted(
        f.id for f in COV.facts.values() if f.source != "objectives" and objective in f.objectives
    )


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_every_note_fact_is_asked(objective):
    unasked = [f for f in _facts_of(objective) if not COV.asked.get(f)]
    assert unasked == []


@pytest.mark.parametrize("objective", [*OBJECTIVES, "notes"])
def test_every_objective_item_is_covered(objective):
    missing = {
        item.id: COV.item_missing(item)
        for item in COV.items
        if item.objective == objective and COV.item_missing(item)
    }
    assert missing == {}


def test_questions_name_facts_objective_and_source():
    lacking = [
        f"{q.file}:{q.id}"
        for q in COV.questions
        if not q.facts or q.objective not in OBJECTIVES or not q.source
    ]
    assert lacking == []


def test_coverage_page_is_up_to_date():
    current = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert current == gen.render(COV), "run: python tools/gen_coverage.py"


def test_sources_of_the_top_level_banks_lead_to_a_page():
    from mailsim.packs.resolver import Resolver

    resolver = Resolver.discover(include_user=False)
    broken = [
        f"{q.file}:{q.id}: {q.source}"
        for q in COV.questions
        if q.file.startswith("quizzes/") and resolver.resolve(q.source) is None
    ]
    assert broken == []


# -- claims the banks make about the tools, checked against the simulation and the real tool

CLAIMS = ROOT / "tests" / "data" / "coverage" / "doveconf-claims.txt"
"""Recorded from the real doveconf (Dovecot 2.3.19, Debian 12's configuration)."""


def _claims() -> list[tuple[str, str, int | None]]:
    """(setup line or '', expected output, status) per recorded block."""
    blocks: list[tuple[str, str, int | None]] = []
    head, body, status = "", [], None
    for line in CLAIMS.read_text(encoding="utf-8").splitlines():
        if line.startswith("## status: "):
            status = int(line.split(": ", 1)[1])
        elif line.startswith("## "):
            if head:
                blocks.append((head, "\n".join(body), status))
            head, body, status = line[3:], [], None
        else:
            body.append(line)
    blocks.append((head, "\n".join(body), status))
    return blocks


def _case_line(head: str) -> str:
    return head.split("local.conf: ", 1)[1] if head.startswith("local.conf: ") else ""


@pytest.mark.parametrize("head, expected, status", _claims())
def test_doveconf_claims_hold_in_the_simulation(machine, head, expected, status):
    from tests.helpers import run

    setting = _case_line(head)
    if setting:
        out, err, code = run(machine, f"echo '{setting}' > /etc/dovecot/local.conf; doveconf -n")
        assert (err.rstrip("\n"), code) == (expected, status)
    else:
        out, err, code = run(machine, head)
        assert (out.rstrip("\n"), err, code) == (expected, "", 0)


@pytest.mark.skipif(
    shutil.which("doveconf") is None or not Path("/etc/dovecot/dovecot.conf").is_file(),
    reason="the real doveconf and a Debian Dovecot configuration are not installed",
)
@pytest.mark.parametrize("head, expected, status", _claims())
def test_doveconf_claims_hold_for_the_real_tool(tmp_path, head, expected, status):
    conf = tmp_path / "dovecot"
    shutil.copytree("/etc/dovecot", conf, symlinks=True)
    (conf / "local.conf").write_text(_case_line(head) + "\n" if _case_line(head) else "")
    argv = ["doveconf", "-c", str(conf / "dovecot.conf")]
    argv += ["-n"] if _case_line(head) else head.split()[1:]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    shown = (done.stderr if _case_line(head) else done.stdout).replace(f"{conf}/", "/etc/dovecot/")
    assert shown.rstrip("\n") == expected
    if status is not None:
        assert done.returncode == status


def test_explanations_quote_the_recorded_messages():
    """The banks quote doveconf's words; they must be the tool's words."""
    text = CLAIMS.read_text(encoding="utf-8")
    banks = (ROOT / "quizzes" / "211.3-dovecot.yaml").read_text(encoding="utf-8")
    for quoted in (
        "'imaps' protocol is no longer necessary, remove it",
        "ssl_cert_file has been replaced by ssl_cert = <file",
        "Unknown setting: mechanisms",
    ):
        assert quoted in text
        assert quoted in " ".join(banks.split()), quoted
