"""Question banks: YAML files validated into ``Question`` objects.

A bank file is a mapping with ``questions:`` (and optionally ``languages:``, the
languages every prompt and explanation must have; ``[en, ja]`` unless said).
A bank collection is a folder of bank files (the top-level ``quizzes/``, a pack's
``quizzes/``); question ids are unique within a collection. The published
format is ``schemas/quiz.schema.json``; a test keeps it in step with this module.

Validation collects every problem (``file:line:col: error: message``) instead of
stopping at the first; ``load_bank`` refuses a bank with errors.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from mailsim.packs.problems import ERROR, WARNING, Problem, has_errors
from mailsim.packs.yamlsrc import YamlDoc, YamlSourceError, load_yaml
from mailsim.quiz.model import (
    NEUTRAL,
    QUESTION_TYPES,
    Bank,
    Choice,
    Question,
    RunSpec,
    Text,
    TypedSpec,
    clean_text,
)
from mailsim.quiz.normalise import RULES, NormaliseError, normalise

TOP_KEYS = {"languages", "questions", "title"}
QUESTION_KEYS = {
    "id",
    "type",
    "prompt",
    "objective",
    "choices",
    "choose",
    "accept",
    "match",
    "rules",
    "options_with_args",
    "run",
    "explanation",
    "facts",
    "tags",
    "source",
    "difficulty",
}
RUN_KEYS = {"setup", "checks", "output", "example"}
OUTPUT_KEYS = {"contains", "regex", "equals"}
TYPED_ONLY = {"accept", "match", "rules", "options_with_args", "run"}
DEFAULT_LANGUAGES = ("en", "ja")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
OBJECTIVE_RE = re.compile(r"^[0-9]{3}\.[0-9]+$")
BANK_SUFFIXES = (".yaml", ".yml")


class BankError(Exception):
    """A bank with errors was asked for; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems if p.is_error))
        self.problems = problems


class _Checker:
    """Builds the questions of one YAML document, collecting problems as it goes."""

    def __init__(self, doc: YamlDoc, bank: str, run_examples: bool) -> None:
        self.doc = doc
        self.bank = bank
        self.run_examples = run_examples
        self.problems: list[Problem] = list(doc.duplicate_problems())
        self.languages: tuple[str, ...] = DEFAULT_LANGUAGES

    def add(
        self, path: tuple[Any, ...], message: str, severity: str = ERROR, at_key: bool = False
    ) -> None:
        self.problems.append(self.doc.problem(path, message, severity, at_key=at_key))

    def build(self) -> list[Question]:
        data = self.doc.data
        if not isinstance(data, dict):
            self.add((), "a bank is a mapping with a 'questions' list")
            return []
        for key in data:
            if key not in TOP_KEYS:
                self.add((key,), f"unknown key '{key}'", at_key=True)
        langs = data.get("languages", list(DEFAULT_LANGUAGES))
        if not (isinstance(langs, list) and langs and all(isinstance(x, str) for x in langs)):
            self.add(("languages",), "'languages' is a list of language codes such as [en, ja]")
        else:
            self.languages = tuple(langs)
            if "en" not in self.languages:
                self.add(("languages",), "'languages' must include en")
        items = data.get("questions")
        if not isinstance(items, list):
            self.add(
                ("questions",) if "questions" in data else (),
                "'questions' must be a list of questions",
            )
            return []
        questions: list[Question] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            question = self.question(("questions", index), item)
            if question is None:
                continue
            if question.id in seen:
                self.add(
                    ("questions", index, "id"),
                    f"duplicate question id '{question.id}' (first at line {seen[question.id]})",
                )
                continue
            seen[question.id] = question.line
            questions.append(question)
        return questions

    def text(self, path: tuple[Any, ...], value: Any, what: str, neutral_ok: bool) -> Text | None:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            string = clean_text(str(value))
            if neutral_ok:
                return Text({NEUTRAL: string})
            values = {"en": string}
        elif isinstance(value, dict) and value:
            values = {}
            for lang, string in value.items():
                if not isinstance(string, str | int | float) or isinstance(string, bool):
                    self.add((*path, lang), f"{what}: the {lang} text must be a string")
                    continue
                if lang not in self.languages:
                    self.add(
                        (*path, lang),
                        f"{what}: language '{lang}' is not in the bank's "
                        f"languages ({', '.join(self.languages)})",
                        at_key=True,
                    )
                values[str(lang)] = clean_text(str(string))
        else:
            self.add(path, f"{what} must be a string or a mapping of language → text")
            return None
        missing = [lang for lang in self.languages if lang not in values]
        if missing:
            self.add(path, f"{what}: missing translation ({', '.join(missing)})")
        if any(not s.strip() for s in values.values()):
            self.add(path, f"{what} is empty")
        return Text(values)

    def strings(self, path: tuple[Any, ...], value: Any, what: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            self.add(path, f"'{what}' must be a list of strings")
            return ()
        return tuple(value)

    def question(self, path: tuple[Any, ...], item: Any) -> Question | None:
        if not isinstance(item, dict):
            self.add(path, "a question is a mapping (id, type, prompt, objective, ...)")
            return None
        for key in item:
            if key not in QUESTION_KEYS:
                self.add((*path, key), f"unknown key '{key}'", at_key=True)
        qid = item.get("id")
        if not isinstance(qid, str) or not ID_RE.match(qid):
            self.add(
                (*path, "id") if "id" in item else path,
                "each question needs an 'id' of letters, digits, '.', '_' or '-'",
            )
            return None
        kind = item.get("type")
        if kind not in QUESTION_TYPES:
            self.add(
                (*path, "type") if "type" in item else path,
                f"question '{qid}': 'type' must be one of {', '.join(QUESTION_TYPES)}",
            )
            return None
        prompt = (
            self.text((*path, "prompt"), item.get("prompt"), "prompt", neutral_ok=False)
            if "prompt" in item
            else None
        )
        if "prompt" not in item:
            self.add(path, f"question '{qid}' has no 'prompt'")
        objective = item.get("objective")
        if isinstance(objective, float | int) and not isinstance(objective, bool):
            # YAML reads 211.10 as the number 211.1: only a quoted objective is what was meant.
            self.add(
                (*path, "objective"),
                f"question '{qid}': quote the objective "
                f"('{objective}'): unquoted, YAML reads it as a number",
            )
            objective = ""
        elif not isinstance(objective, str) or not OBJECTIVE_RE.match(objective):
            self.add(
                (*path, "objective") if "objective" in item else path,
                f"question '{qid}': 'objective' is an exam objective such as '211.1' (quoted)",
            )
            objective = ""
        explanation = Text({})
        if "explanation" in item:
            explanation = (
                self.text(
                    (*path, "explanation"), item["explanation"], "explanation", neutral_ok=False
                )
                or explanation
            )
        else:
            self.add(path, f"question '{qid}' has no 'explanation'", WARNING)
        difficulty = item.get("difficulty", 2)
        if (
            not isinstance(difficulty, int)
            or isinstance(difficulty, bool)
            or not 1 <= difficulty <= 5
        ):
            self.add((*path, "difficulty"), "'difficulty' is a whole number from 1 to 5")
            difficulty = 2
        source = item.get("source", "")
        if not isinstance(source, str):
            self.add((*path, "source"), "'source' is the lesson page that teaches this")
            source = ""
        choices: tuple[Choice, ...] = ()
        choose = 1
        typed = None
        if kind == "typed":
            for key in ("choices", "choose"):
                if key in item:
                    self.add((*path, key), f"a typed question has no '{key}'", at_key=True)
            typed = self.typed(path, item)
        else:
            for key in TYPED_ONLY & set(item):
                self.add((*path, key), f"'{key}' belongs to typed questions", at_key=True)
            choices = self.choices(path, item, kind)
            choose = self.choose(path, item, kind, choices)
        if prompt is None:
            return None
        return Question(
            id=qid,
            type=kind,
            prompt=prompt,
            objective=objective,
            bank=self.bank,
            choices=choices,
            choose=choose,
            typed=typed,
            explanation=explanation,
            facts=self.strings((*path, "facts"), item.get("facts"), "facts"),
            tags=self.strings((*path, "tags"), item.get("tags"), "tags"),
            source=source,
            difficulty=difficulty,
            file=self.doc.file,
            line=self.doc.line_of(path) or 0,
        )

    def choices(self, path: tuple[Any, ...], item: dict[str, Any], kind: str) -> tuple[Choice, ...]:
        raw = item.get("choices")
        where = (*path, "choices")
        if not isinstance(raw, list) or len(raw) < 2:
            self.add(
                where if "choices" in item else path,
                f"a {kind} question needs a 'choices' list of at least two",
            )
            return ()
        result: list[Choice] = []
        ids: set[str] = set()
        for i, entry in enumerate(raw):
            at = (*where, i)
            if not isinstance(entry, dict):
                self.add(at, "a choice is a mapping {id, text, correct}")
                continue
            for key in entry:
                if key not in ("id", "text", "correct"):
                    self.add((*at, key), f"unknown key '{key}'", at_key=True)
            cid = entry.get("id")
            if isinstance(cid, int) and not isinstance(cid, bool):
                cid = str(cid)
            if not isinstance(cid, str) or not ID_RE.match(cid):
                self.add(at, "each choice needs a stable 'id' (letters, digits, '.', '_', '-')")
                continue
            if cid in ids:
                self.add((*at, "id"), f"duplicate choice id '{cid}'")
                continue
            ids.add(cid)
            text = self.text((*at, "text"), entry.get("text"), f"choice '{cid}'", neutral_ok=True)
            correct = entry.get("correct", False)
            if not isinstance(correct, bool):
                self.add((*at, "correct"), "'correct' is true or false")
                correct = False
            if kind == "order" and "correct" in entry:
                self.add(
                    (*at, "correct"),
                    "an order question's right answer is the order of its choices; drop 'correct'",
                    at_key=True,
                )
            if text is not None:
                result.append(Choice(cid, text, correct))
        return tuple(result)

    def choose(
        self, path: tuple[Any, ...], item: dict[str, Any], kind: str, choices: tuple[Choice, ...]
    ) -> int:
        right = sum(c.correct for c in choices)
        if kind == "order":
            return len(choices)
        if kind == "single":
            if "choose" in item:
                self.add(
                    (*path, "choose"),
                    "a single question has one answer; drop 'choose'",
                    at_key=True,
                )
            if choices and right != 1:
                self.add(
                    (*path, "choices"),
                    f"a single question needs exactly one right answer (has {right})",
                )
            return 1
        choose = item.get("choose", right)
        if not isinstance(choose, int) or isinstance(choose, bool):
            self.add((*path, "choose"), "'choose' is the number of answers to pick")
            return right
        if choices and choose != right:
            self.add((*path, "choose"), f"'choose: {choose}' but {right} choices are right")
        if choices and (right < 2 or right >= len(choices)):
            self.add(
                (*path, "choices"),
                "a multi question needs at least two right answers and at least one wrong one",
            )
        return choose

    def typed(self, path: tuple[Any, ...], item: dict[str, Any]) -> TypedSpec:
        accept = tuple(
            clean_text(str(x))
            for x in self.strings((*path, "accept"), item.get("accept"), "accept")
        )
        patterns = self.strings((*path, "match"), item.get("match"), "match")
        rules = self.strings((*path, "rules"), item.get("rules", ["spacing"]), "rules")
        for i, rule in enumerate(rules):
            if rule not in RULES:
                self.add((*path, "rules", i), f"unknown rule '{rule}' (rules: {', '.join(RULES)})")
        rules = tuple(r for r in rules if r in RULES)
        with_args = item.get("options_with_args", "")
        if not isinstance(with_args, str):
            self.add((*path, "options_with_args"), "'options_with_args' is a string of letters")
            with_args = ""
        run = self.run(path, item["run"]) if "run" in item else None
        if not accept and not patterns and run is None:
            self.add(path, "a typed question needs 'accept', 'match' or 'run'")
        for i, form in enumerate(accept):
            try:
                canonical = normalise(form, rules, with_args, strict=True)
            except NormaliseError as exc:
                self.add((*path, "accept", i), str(exc))
                continue
            if not canonical:
                self.add((*path, "accept", i), "this accepted answer is empty once normalised")
        for i, pattern in enumerate(patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                self.add((*path, "match", i), f"not a valid regular expression: {exc}")
        return TypedSpec(accept, patterns, rules or ("spacing",), with_args, run)

    def run(self, path: tuple[Any, ...], raw: Any) -> RunSpec | None:
        where = (*path, "run")
        if not isinstance(raw, dict):
            self.add(where, "'run' is a mapping {checks, output, setup, example}")
            return None
        for key in raw:
            if key not in RUN_KEYS:
                self.add((*where, key), f"unknown key '{key}'", at_key=True)
        checks = raw.get("checks", [])
        if not isinstance(checks, list) or not all(isinstance(c, dict) for c in checks):
            self.add((*where, "checks"), "'checks' is a list of lab checks")
            checks = []
        output = raw.get("output")
        if output is not None:
            if (
                not isinstance(output, dict)
                or not output
                or set(output) - OUTPUT_KEYS
                or not all(isinstance(v, str) for v in output.values())
            ):
                self.add(
                    (*where, "output"),
                    "'output' is {contains: TEXT}, {regex: RE} or {equals: TEXT}",
                )
                output = None
            elif "regex" in output:
                try:
                    re.compile(output["regex"])
                except re.error as exc:
                    self.add((*where, "output", "regex"), f"not a valid regular expression: {exc}")
        if not checks and output is None:
            self.add(where, "'run' needs 'checks' or 'output' to judge the command by")
        setup = self.strings((*where, "setup"), raw.get("setup"), "setup")
        example = raw.get("example", "")
        if not isinstance(example, str) or not example.strip():
            self.add(where, "'run' needs an 'example' command line that does the job")
            example = ""
        spec = RunSpec(tuple(checks), output, setup, example)
        from mailsim.quiz import runjudge

        if (
            checks
            and runjudge.parse_checks(spec, self.problems, self.doc, (*where, "checks")) is None
        ):
            self.add(
                (*where, "checks"),
                "'run' checks need the lab check vocabulary, missing from this build",
            )
        if self.run_examples and example and not has_errors(self.problems):
            verdict = runjudge.judge(spec, example)
            if not verdict.correct:
                self.add(
                    (*where, "example"),
                    "the example does not pass its own checks: " + "; ".join(verdict.reasons),
                )
        return spec


def parse_file(
    path: str | os.PathLike[str],
    display: str | None = None,
    bank: str = "",
    run_examples: bool = True,
) -> tuple[list[Question], list[Problem]]:
    """Questions and problems of one bank file."""
    try:
        doc = load_yaml(path, display=display if display is not None else str(path))
    except YamlSourceError as exc:
        return [], [exc.problem]
    checker = _Checker(doc, bank or Path(path).stem, run_examples)
    questions = checker.build()
    return questions, checker.problems


def validate_file(path: str | os.PathLike[str], display: str | None = None) -> list[Problem]:
    """Every problem of one bank file (errors and warnings)."""
    return parse_file(path, display)[1]


def bank_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.suffix in BANK_SUFFIXES and p.is_file())


def parse_collection(
    directory: str | os.PathLike[str], bank: str = "", run_examples: bool = True
) -> tuple[list[Question], list[Problem]]:
    """All bank files of a folder; ids must be unique across the folder."""
    root = Path(directory)
    name = bank or root.name
    questions: list[Question] = []
    problems: list[Problem] = []
    first: dict[str, Question] = {}
    for file in bank_files(root):
        found, file_problems = parse_file(file, str(file.relative_to(root)), name, run_examples)
        problems.extend(file_problems)
        for q in found:
            if q.id in first:
                other = first[q.id]
                problems.append(
                    Problem(
                        q.file,
                        q.line,
                        None,
                        f"duplicate question id '{q.id}' (also in {other.file}:{other.line})",
                    )
                )
                continue
            first[q.id] = q
            questions.append(q)
    return questions, problems


def validate_collection(directory: str | os.PathLike[str]) -> list[Problem]:
    return parse_collection(directory)[1]


def load_bank(path: str | os.PathLike[str], bank: str = "", use_cache: bool = True) -> Bank:
    """The questions of a bank file or folder, from the cache when its files are unchanged.
    Raises ``BankError`` when the bank has errors."""
    source = Path(path)
    name = bank or (source.name if source.is_dir() else source.stem)
    if use_cache:
        from mailsim.quiz import cache

        cached = cache.load(source, name)
        if cached is not None:
            return Bank(name, cached)
    if source.is_dir():
        questions, problems = parse_collection(source, name)
    else:
        questions, problems = parse_file(source, bank=name)
    if has_errors(problems):
        raise BankError(problems)
    if use_cache:
        from mailsim.quiz import cache

        cache.store(source, name, questions)
    return Bank(name, questions)
