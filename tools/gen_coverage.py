"""Generate docs/coverage.md: which objective items and note facts the content asks.

Reads only files of the repository:

- ``docs/objectives.yaml`` (objective items, each with fact ids),
- ``docs/facts.yaml`` and every other ``docs/facts*.yaml`` (the facts),
- every question bank under ``quizzes/`` and ``lessons/*/quizzes/``,
- every lab under ``lessons/*/labs/`` (``tasks[].facts``).

    python tools/gen_coverage.py            # rewrite docs/coverage.md
    python tools/gen_coverage.py --check    # exit 1 when docs/coverage.md is stale

A fact is *asked* when at least one question names it; a lab task naming it makes
it *practised*. An objective item is covered when every one of its facts is asked.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TYPES = ("single", "multi", "typed", "order")


@dataclass
class Fact:
    id: str
    source: str
    objectives: tuple[str, ...]
    en: str
    dated: bool
    file: str


@dataclass
class Item:
    id: str
    objective: str
    en: str
    facts: tuple[str, ...]


@dataclass
class QuestionRef:
    id: str
    file: str
    objective: str
    type: str
    facts: tuple[str, ...]
    source: str


@dataclass
class Coverage:
    facts: dict[str, Fact] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    questions: list[QuestionRef] = field(default_factory=list)
    asked: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Fact id → ids of the questions naming it."""
    practised: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Fact id → lab tasks (``pack/lab#task``) naming it."""
    problems: list[str] = field(default_factory=list)
    """Malformed lists, duplicate or unknown fact ids."""

    def item_missing(self, item: Item) -> list[str]:
        return [f for f in item.facts if not self.asked.get(f)]

    def unasked_note_facts(self) -> list[Fact]:
        return [
            f for f in self.facts.values() if f.source != "objectives" and not self.asked.get(f.id)
        ]


def _load(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _rel(path: Path, root: Path) -> str:
    return str(path.relative_to(root))


def load_facts(root: Path, cov: Coverage) -> None:
    for path in sorted((root / "docs").glob("facts*.yaml")):
        data = _load(path) or {}
        sources = set((data.get("sources") or {}).keys()) | {"notes", "fedora", "objectives"}
        for raw in data.get("facts") or []:
            fid = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(fid, str):
                cov.problems.append(f"{_rel(path, root)}: a fact without an id: {raw!r}")
                continue
            if fid in cov.facts:
                cov.problems.append(
                    f"{_rel(path, root)}: fact '{fid}' is already defined in {cov.facts[fid].file}"
                )
                continue
            source = str(raw.get("source", ""))
            if source not in sources:
                cov.problems.append(f"{_rel(path, root)}: fact '{fid}': unknown source '{source}'")
            if raw.get("dated") and not raw.get("correct"):
                cov.problems.append(f"{_rel(path, root)}: dated fact '{fid}' has no 'correct'")
            for lang in ("en", "ja"):
                if not str(raw.get(lang, "")).strip():
                    cov.problems.append(f"{_rel(path, root)}: fact '{fid}' has no {lang} text")
            cov.facts[fid] = Fact(
                fid,
                source,
                tuple(str(o) for o in raw.get("objectives") or ()),
                " ".join(str(raw.get("en", "")).split()),
                bool(raw.get("dated")),
                _rel(path, root),
            )


def load_items(root: Path, cov: Coverage) -> None:
    data = _load(root / "docs" / "objectives.yaml") or {}
    for objective in data.get("objectives") or []:
        for raw in objective.get("items") or []:
            cov.items.append(
                Item(raw["id"], str(objective["id"]), str(raw.get("en", "")), tuple(raw["facts"]))
            )
    for raw in data.get("also") or []:
        cov.items.append(Item(raw["id"], "notes", str(raw.get("en", "")), tuple(raw["facts"])))
    for item in cov.items:
        for fid in item.facts:
            if fid not in cov.facts:
                cov.problems.append(f"docs/objectives.yaml: item '{item.id}': unknown fact '{fid}'")


def bank_files(root: Path) -> list[Path]:
    folders = [root / "quizzes", *sorted((root / "lessons").glob("*/quizzes"))]
    return [
        p
        for folder in folders
        if folder.is_dir()
        for p in sorted(folder.rglob("*"))
        if p.suffix in (".yaml", ".yml") and p.is_file()
    ]


def load_questions(root: Path, cov: Coverage) -> None:
    for path in bank_files(root):
        try:
            data = _load(path) or {}
        except yaml.YAMLError as exc:
            cov.problems.append(f"{_rel(path, root)}: not valid YAML ({exc.__class__.__name__})")
            continue
        for raw in data.get("questions") or [] if isinstance(data, dict) else []:
            if not isinstance(raw, dict):
                continue
            q = QuestionRef(
                str(raw.get("id", "")),
                _rel(path, root),
                str(raw.get("objective", "")),
                str(raw.get("type", "")),
                tuple(str(f) for f in raw.get("facts") or ()),
                str(raw.get("source", "")),
            )
            cov.questions.append(q)
            for fid in q.facts:
                if fid not in cov.facts:
                    cov.problems.append(f"{q.file}: question '{q.id}': unknown fact '{fid}'")
                cov.asked[fid].append(q.id)


def load_labs(root: Path, cov: Coverage) -> None:
    for path in sorted((root / "lessons").glob("*/labs/*.y*ml")):
        try:
            data = _load(path) or {}
        except yaml.YAMLError:
            cov.problems.append(f"{_rel(path, root)}: not valid YAML")
            continue
        pack = path.parent.parent.name
        for task in data.get("tasks") or [] if isinstance(data, dict) else []:
            if not isinstance(task, dict):
                continue
            where = f"{pack}/{data.get('id', path.stem)}#{task.get('id', '?')}"
            for fid in task.get("facts") or ():
                if fid not in cov.facts:
                    cov.problems.append(f"{_rel(path, root)}: task '{where}': unknown fact '{fid}'")
                cov.practised[str(fid)].append(where)


def collect(root: Path = ROOT) -> Coverage:
    cov = Coverage()
    load_facts(root, cov)
    load_items(root, cov)
    load_questions(root, cov)
    load_labs(root, cov)
    return cov


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(cov: Coverage) -> str:
    out: list[str] = [
        "# Coverage",
        "",
        "Generated by `tools/gen_coverage.py` from `docs/objectives.yaml`, `docs/facts*.yaml`,",
        "the banks in `quizzes/` and `lessons/*/quizzes/`, and the labs' `tasks[].facts`.",
        "Do not edit by hand: run `python tools/gen_coverage.py`.",
        "",
        "## Questions per objective",
        "",
        "| objective | questions | " + " | ".join(TYPES) + " |",
        "|---|---:|" + "---:|" * len(TYPES),
    ]
    by_objective: dict[str, Counter[str]] = defaultdict(Counter)
    for q in cov.questions:
        by_objective[q.objective][q.type] += 1
    for objective in sorted(by_objective):
        counts = by_objective[objective]
        cells = " | ".join(str(counts[t]) for t in TYPES)
        out.append(f"| {objective} | {sum(counts.values())} | {cells} |")
    total: Counter[str] = Counter(q.type for q in cov.questions)
    out.append(f"| all | {len(cov.questions)} | " + " | ".join(str(total[t]) for t in TYPES) + " |")

    covered = [i for i in cov.items if not cov.item_missing(i)]
    note_facts = [f for f in cov.facts.values() if f.source != "objectives"]
    unasked = cov.unasked_note_facts()
    out += [
        "",
        "## Summary",
        "",
        f"- Objective items covered: {len(covered)} of {len(cov.items)}",
        f"- Facts of the notes asked: {len(note_facts) - len(unasked)} of {len(note_facts)}",
        f"- Facts asked (all): {sum(1 for f in cov.facts if cov.asked.get(f))} of {len(cov.facts)}",
        f"- Facts practised in a lab: {sum(1 for f in cov.facts if cov.practised.get(f))}",
        f"- Problems: {len(cov.problems)}",
        "",
        "## Objective items",
        "",
        "| item | what | facts | questions | labs | missing |",
        "|---|---|---|---:|---:|---|",
    ]
    for item in cov.items:
        asked = sum(len(cov.asked.get(f, ())) for f in item.facts)
        labs = sum(len(cov.practised.get(f, ())) for f in item.facts)
        missing = ", ".join(cov.item_missing(item)) or "—"
        out.append(
            f"| {item.id} | {_cell(item.en)} | {len(item.facts)} | {asked} | {labs} | {missing} |"
        )
    out += [
        "",
        "## Facts",
        "",
        "Source `notes`/`fedora`: a fact of the source notes; `objectives`: named by the objectives.",
        "Dated facts are taught with their correction (see `docs/facts.yaml`).",
        "",
        "| fact | source | objectives | questions | labs | statement |",
        "|---|---|---|---:|---:|---|",
    ]
    for fact in cov.facts.values():
        statement = ("(dated) " if fact.dated else "") + fact.en
        out.append(
            f"| {fact.id} | {fact.source} | {', '.join(fact.objectives)} "
            f"| {len(cov.asked.get(fact.id, ()))} | {len(cov.practised.get(fact.id, ()))} "
            f"| {_cell(statement)} |"
        )
    out += ["", "## Problems", ""]
    out += [f"- {_cell(p)}" for p in cov.problems] or ["None."]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    target = ROOT / "docs" / "coverage.md"
    text = render(collect(ROOT))
    if "--check" in argv:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print("docs/coverage.md is out of date: run python tools/gen_coverage.py")
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
