"""The question model: what a bank holds once loaded and validated.

Questions are plain frozen dataclasses, so a loaded bank can be cached as JSON
(``to_dict``/``from_dict``) and shared between the TUI and the plain runner.
Choices carry stable ids: every language shows the same choice under the same
id, so translations can never disagree on the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

QUESTION_TYPES = ("single", "multi", "typed", "order")
NEUTRAL = "*"
"""Language key of a text that reads the same in every language (a port, a command)."""

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Bank strings are shown as plain text or Markdown: drop ANSI escapes and control
    characters (keeping newlines and tabs), so a bank cannot drive the terminal."""
    return _CONTROL.sub("", _ANSI.sub("", text.replace("\r\n", "\n")))


@dataclass(frozen=True)
class Text:
    """A string per language; ``*`` holds a language-neutral string."""

    values: dict[str, str]

    def get(self, lang: str = "en") -> str:
        for key in (lang, NEUTRAL, "en"):
            if key in self.values:
                return self.values[key]
        return next(iter(self.values.values()), "")

    def languages(self) -> set[str]:
        return set(self.values)

    @property
    def neutral(self) -> bool:
        return NEUTRAL in self.values

    def to_data(self) -> dict[str, str]:
        return dict(self.values)


EMPTY = Text({})


@dataclass(frozen=True)
class Choice:
    """One option of a single, multi or order question."""

    id: str
    text: Text
    correct: bool = False


@dataclass(frozen=True)
class RunSpec:
    """A typed answer judged by running it: the learner's command line runs on a fresh
    machine (after ``setup``), then ``checks`` (the lab check vocabulary) and the optional
    output match decide."""

    checks: tuple[dict[str, Any], ...] = ()
    output: dict[str, str] | None = None
    """``{"contains": s}``, ``{"regex": r}`` or ``{"equals": s}`` on stdout."""
    setup: tuple[str, ...] = ()
    example: str = ""
    """A command line that does the job: validation runs it and expects it to pass."""


@dataclass(frozen=True)
class TypedSpec:
    """Accepted forms of a typed answer and how answers are normalised before comparing."""

    accept: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    """Regular expressions matched (fully) against the normalised answer."""
    rules: tuple[str, ...] = ("spacing",)
    options_with_args: str = ""
    """Short options that take an argument (``c`` for ``postconf -c DIR``), for the flags rule."""
    run: RunSpec | None = None


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: Text
    objective: str
    bank: str = ""
    """The pack or bank collection the question comes from (part of its key)."""
    choices: tuple[Choice, ...] = ()
    choose: int = 1
    typed: TypedSpec | None = None
    explanation: Text = EMPTY
    facts: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str = ""
    difficulty: int = 2
    file: str = ""
    line: int = 0

    @property
    def key(self) -> str:
        """Stable identity in the progress store."""
        return f"quiz:{self.bank}:{self.id}"

    @property
    def correct_ids(self) -> tuple[str, ...]:
        """Right choice ids; for an order question, the ids in the right order."""
        if self.type == "order":
            return tuple(c.id for c in self.choices)
        return tuple(c.id for c in self.choices if c.correct)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "prompt": self.prompt.to_data(),
            "objective": self.objective,
            "bank": self.bank,
            "choices": [
                {"id": c.id, "text": c.text.to_data(), "correct": c.correct} for c in self.choices
            ],
            "choose": self.choose,
            "explanation": self.explanation.to_data(),
            "facts": list(self.facts),
            "tags": list(self.tags),
            "source": self.source,
            "difficulty": self.difficulty,
            "file": self.file,
            "line": self.line,
        }
        if self.typed is not None:
            typed = self.typed
            data["typed"] = {
                "accept": list(typed.accept),
                "patterns": list(typed.patterns),
                "rules": list(typed.rules),
                "options_with_args": typed.options_with_args,
                "run": None
                if typed.run is None
                else {
                    "checks": list(typed.run.checks),
                    "output": typed.run.output,
                    "setup": list(typed.run.setup),
                    "example": typed.run.example,
                },
            }
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        typed = None
        if data.get("typed"):
            t = data["typed"]
            run = None
            if t.get("run"):
                r = t["run"]
                run = RunSpec(tuple(r["checks"]), r["output"], tuple(r["setup"]), r["example"])
            typed = TypedSpec(
                tuple(t["accept"]),
                tuple(t["patterns"]),
                tuple(t["rules"]),
                t["options_with_args"],
                run,
            )
        return cls(
            id=data["id"],
            type=data["type"],
            prompt=Text(data["prompt"]),
            objective=data["objective"],
            bank=data["bank"],
            choices=tuple(Choice(c["id"], Text(c["text"]), c["correct"]) for c in data["choices"]),
            choose=data["choose"],
            typed=typed,
            explanation=Text(data["explanation"]),
            facts=tuple(data["facts"]),
            tags=tuple(data["tags"]),
            source=data["source"],
            difficulty=data["difficulty"],
            file=data["file"],
            line=data["line"],
        )


@dataclass
class Bank:
    """The questions of one bank file (or of a collection of files)."""

    name: str
    questions: list[Question] = field(default_factory=list)
    languages: tuple[str, ...] = ("en", "ja")

    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}
