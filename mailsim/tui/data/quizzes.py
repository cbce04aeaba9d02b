"""Questions for the quiz screen: every installed bank, a pack's banks, or --pack ones."""

from __future__ import annotations

import logging
from typing import Any

from mailsim.i18n import t

log = logging.getLogger("mailsim.tui")


class QuizLoadError(Exception):
    """Said to the learner as it is."""


def load_questions(pack: str | None, extra: list[str]) -> list[Any]:
    """The questions of ``pack`` (an id or folder), else of every bank offered."""
    from mailsim.quiz import discover
    from mailsim.quiz.bank import BankError, load_bank

    if pack is not None:
        source = discover.resolve(pack)
        sources = [source] if source is not None else []
        for spec in extra:
            found = discover.resolve(spec)
            if found is not None and found.name == pack:
                sources = [found]
    else:
        sources = list(discover.all_sources())
        for spec in extra:
            found = discover.resolve(spec)
            if found is not None and found not in sources:
                sources.append(found)
    questions: list[Any] = []
    problems: list[str] = []
    for source in sources:
        try:
            questions.extend(load_bank(source.path, source.name).questions)
        except BankError as exc:
            problems.append(t("quiz.bank_errors", bank=str(source.path)))
            problems.extend(f"  {p}" for p in exc.problems if p.is_error)
        except Exception as exc:  # a broken bank never stops the others
            log.exception("loading bank %s", source.path)
            problems.append(f"{source.path}: {exc}")
    if not questions:
        raise QuizLoadError("\n".join(problems) or t("quiz.no_banks"))
    return questions
