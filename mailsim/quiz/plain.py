"""``mailsim quiz --plain``: the quiz line by line, for screen readers and scripts.

Questions, feedback and the score go to stdout; complaints about an answer
that is not one go to stderr, and the same question is asked again. One line
of input answers one question. The protocol is documented in docs/quiz-plain.md;
keep the two in step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from mailsim.i18n import t
from mailsim.quiz.exam import ExamResult
from mailsim.quiz.session import InvalidAnswer, Presented, QuizSession

COMMANDS = {"s": "skip", "f": "flag", "q": "quit", "?": "help", "m": "map"}


class PlainRunner:
    def __init__(
        self,
        session: QuizSession,
        read: Callable[[], str | None],
        out: TextIO,
        err: TextIO,
        lang: str = "en",
        prompt: bool = False,
    ) -> None:
        self.session = session
        self.read = read
        self.out = out
        self.err = err
        self.lang = lang
        self.prompt = prompt

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def tr(self, msg_id: str, **params: object) -> str:
        return t(msg_id, lang=self.lang, **params)

    def run(self) -> int:
        s = self.session
        if s.exam is not None:
            self.say(
                self.tr(
                    "quiz.exam_header",
                    title=s.exam.title,
                    count=s.total,
                    minutes=f"{s.exam.minutes:g}",
                )
            )
            if not s.exam.lpi_weighted:
                self.say(self.tr("quiz.not_weighted"))
            self.say()
        while True:
            item = s.current()
            if item is None or s.expired:
                break
            self.show(item)
            if not self.ask(item):
                break
        if s.expired:
            self.say(self.tr("quiz.time_up"))
        self.summary(s.finish())
        return 0

    def show(self, item: Presented) -> None:
        s, q = self.session, item.question
        self.say(
            self.tr(
                "quiz.question_header", number=s.index + 1, total=s.total, objective=q.objective
            )
        )
        left = s.time_left()
        if left is not None:
            self.say(self.tr("quiz.time_left", minutes=int(left) // 60, seconds=int(left) % 60))
        self.say(q.prompt.get(self.lang).rstrip())
        choices = {c.id: c for c in q.choices}
        for n, cid in enumerate(item.order, 1):
            self.say(f"  {n}) {choices[cid].text.get(self.lang)}")
        if q.type == "single":
            self.say(self.tr("quiz.choose_one"))
        elif q.type == "multi":
            self.say(self.tr("quiz.choose_n", count=q.choose))
        elif q.type == "order":
            self.say(self.tr("quiz.order"))
        else:
            self.say(self.tr("quiz.typed"))

    def ask(self, item: Presented) -> bool:
        """Read lines until one answers the question; False ends the quiz."""
        s = self.session
        while True:
            if self.prompt:
                self.out.write("> ")
                self.out.flush()
            line = self.read()
            if line is None:
                return False
            text = line.rstrip("\r\n")
            command = (
                COMMANDS.get(text.strip().lower())
                if item.question.type != "typed" or text.strip() in ("?",)
                else None
            )
            if command is None and text.strip() in (":q", ":s", ":f", ":m"):
                command = COMMANDS[text.strip()[1]]
            if command == "quit":
                return False
            if command == "help":
                self.say(self.tr("quiz.help"))
                continue
            if command == "map":
                self.say(self.tr("quiz.map", map=self.map_line()))
                continue
            if command == "flag":
                s.flag(not item.flagged)
                self.say(self.tr("quiz.flagged"))
                continue
            if command == "skip":
                self.say(self.tr("quiz.skipped"))
                self.say()
                s.skip()
                return True
            if not text.strip():
                continue
            try:
                judgement = s.answer(text)
            except InvalidAnswer as exc:
                self.err.write(
                    self.tr("quiz.invalid", reason=self.tr(exc.msg_id, **exc.params)) + "\n"
                )
                self.err.flush()
                continue
            if s.expired and judgement is None and s.exam is not None:
                return False
            if judgement is not None:
                self.feedback(item)
            if s.store_error:
                self.err.write(self.tr("quiz.store_failed", reason=s.store_error) + "\n")
                s.store_error = ""
            self.say()
            s.next()
            return True

    def map_line(self) -> str:
        marks = {"current": ">", "flagged": "?", "answered": "*", "open": "."}
        return " ".join(
            f"{i}{marks[state]}" for i, state in enumerate(self.session.question_map(), 1)
        )

    def right_answer(self, item: Presented) -> str:
        q = item.question
        if q.type == "typed":
            spec = q.typed
            if spec is None:
                return ""
            return spec.accept[0] if spec.accept else (spec.run.example if spec.run else "")
        texts = {c.id: c.text.get(self.lang) for c in q.choices}
        numbers = item.display_numbers(q.correct_ids)
        return (
            " ".join(str(n) for n in numbers)
            + " ("
            + ", ".join(texts[cid] for cid in q.correct_ids)
            + ")"
        )

    def feedback(self, item: Presented) -> None:
        q, judgement = item.question, item.judgement
        if judgement is None:
            return
        self.say(self.tr("quiz.correct" if judgement.correct else "quiz.wrong"))
        if judgement.too_many:
            self.say(self.tr("quiz.too_many", count=q.choose))
        for reason in judgement.reasons:
            self.say(f"  {reason}")
        if not judgement.correct:
            self.say(self.tr("quiz.right_answer", answer=self.right_answer(item)))
        explanation = q.explanation.get(self.lang).strip()
        if explanation:
            self.say(self.tr("quiz.explanation", text=explanation))
        if q.source:
            self.say(self.tr("quiz.source", source=q.source))

    def summary(self, result: ExamResult) -> None:
        s = self.session
        self.say(
            self.tr(
                "quiz.summary", correct=result.correct, total=result.total, percent=result.percent
            )
        )
        for obj in result.per_objective.values():
            self.say(
                self.tr(
                    "quiz.objective_line",
                    objective=obj.objective,
                    correct=obj.correct,
                    total=obj.total,
                )
            )
        if result.estimate is not None:
            self.say(self.tr("quiz.estimate", score=result.estimate))
            self.say(
                self.tr(
                    "quiz.passed_estimate" if result.passed_estimate else "quiz.failed_estimate"
                )
            )
        if s.exam is not None and result.wrong:
            self.say()
            self.say(self.tr("quiz.review_header"))
            for index in result.wrong:
                item = s.items[index]
                self.say(f"{index + 1}. {item.question.prompt.get(self.lang).strip()}")
                self.say("   " + self.tr("quiz.right_answer", answer=self.right_answer(item)))
                explanation = item.question.explanation.get(self.lang).strip()
                if explanation:
                    self.say("   " + self.tr("quiz.explanation", text=explanation))
        if s.store is not None and not s.store_error:
            self.say(self.tr("quiz.stored"))
