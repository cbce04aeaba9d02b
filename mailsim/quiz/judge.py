"""Is a response right? One place for every question type.

A response is what the learner gave, in choice ids (never display numbers, which
depend on the shuffle): a tuple of ids for single, multi and order questions,
a string for a typed answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mailsim.quiz.model import Question
from mailsim.quiz.normalise import matches

Response = tuple[str, ...] | str


@dataclass
class Judgement:
    correct: bool
    reasons: list[str] = field(default_factory=list)
    """Why a run: answer failed (what the checks saw)."""
    too_many: bool = False
    """More choices ticked than the question asks for (the test centre warns about this)."""


def judge(question: Question, response: Response | None) -> Judgement:
    if response is None or response == () or response == "":
        return Judgement(False)
    if question.type == "typed":
        text = response if isinstance(response, str) else " ".join(response)
        spec = question.typed
        if spec is None:
            return Judgement(False)
        if spec.run is not None and not (spec.accept or spec.patterns):
            from mailsim.quiz import runjudge

            verdict = runjudge.judge(spec.run, text)
            return Judgement(verdict.correct, verdict.reasons)
        if matches(text, spec.accept, spec.patterns, spec.rules, spec.options_with_args):
            return Judgement(True)
        if spec.run is not None:
            from mailsim.quiz import runjudge

            verdict = runjudge.judge(spec.run, text)
            return Judgement(verdict.correct, verdict.reasons)
        return Judgement(False)
    ids = (response,) if isinstance(response, str) else tuple(response)
    if question.type == "order":
        return Judgement(ids == question.correct_ids)
    right = set(question.correct_ids)
    return Judgement(
        set(ids) == right and len(ids) == len(right), too_many=len(set(ids)) > question.choose
    )
