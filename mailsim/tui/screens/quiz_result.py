"""The end of a quiz: the score per exam objective, the LPI estimate (labelled as one)
and a review of the wrong answers with their explanations and the lesson that teaches them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Markdown, Static

from mailsim.i18n import t
from mailsim.tui.actions import Action, bindings, localise
from mailsim.tui.widgets.chart import meter
from mailsim.tui.widgets.question import given_answer, marked_choices, right_answer

if TYPE_CHECKING:
    from mailsim.quiz.exam import ExamResult
    from mailsim.quiz.session import Presented, QuizSession


def objective_lines(result: ExamResult, width: int = 20) -> Text:
    """One line per objective: ``211.1   ██████░░░░  3/4  75%``."""
    text = Text()
    for obj in result.per_objective.values():
        percent = round(100 * obj.correct / obj.total) if obj.total else 0
        if text:
            text.append("\n")
        text.append(f"{obj.objective:<8}", style="bold")
        text.append_text(meter(percent, width))
        text.append(f" {obj.correct}/{obj.total}  {percent:>3}%")
    return text


class QuizResultScreen(Screen[None]):
    CSS_PATH = "quiz.tcss"
    ACTIONS = (
        Action("result.close", "escape", "close"),
        Action("result.progress", "p", "progress"),
    )
    BINDINGS = bindings(ACTIONS)

    def __init__(self, session: QuizSession, result: ExamResult) -> None:
        super().__init__()
        localise(self)
        self.session = session
        self.result = result

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "en")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="result-body"):
            yield Static(self._summary(), id="result-summary")
            yield Static(objective_lines(self.result), id="result-objectives")
            with Horizontal(id="result-actions"):
                yield Button(t("tuiquiz.close"), id="result-close", compact=True)
                yield Button(t("tuiquiz.open_progress"), id="result-progress", compact=True)
            wrong = [self.session.items[i] for i in self.result.wrong]
            if wrong:
                yield Static(t("quiz.review_header"), classes="review-title", markup=False)
            else:
                yield Static(t("tuiquiz.all_right"), classes="review-title", markup=False)
            for n, index in enumerate(self.result.wrong):
                yield from self._review(n, index, self.session.items[index])
        yield Footer()

    def on_mount(self) -> None:
        exam = self.session.exam
        title = t("tuiquiz.result_title")
        self.title = f"{title}: {exam.title}" if exam is not None else title
        self.query_one("#result-close", Button).focus()

    def _summary(self) -> Text:
        r = self.result
        text = Text(
            t("quiz.summary", correct=r.correct, total=r.total, percent=r.percent), style="bold"
        )
        unanswered = sum(1 for p in self.session.items if not p.answered)
        if unanswered:
            text.append("\n" + t("tuiquiz.unanswered_count", count=unanswered), style="dim")
        if r.timed_out:
            text.append("\n" + t("quiz.time_up"), style="bold yellow")
        if self.session.exam is not None:
            used = max(0.0, self.session.clock.now() - self.session.started)
            if self.session.deadline is not None:
                used = min(used, self.session.deadline - self.session.started)
            minutes, seconds = divmod(int(used), 60)
            text.append(
                "\n" + t("tuiquiz.time_used", minutes=minutes, seconds=seconds), style="dim"
            )
        if r.estimate is not None:
            text.append("\n" + t("quiz.estimate", score=r.estimate))
            text.append(
                "\n" + t("quiz.passed_estimate" if r.passed_estimate else "quiz.failed_estimate"),
                style="bold green" if r.passed_estimate else "bold red",
            )
        elif self.session.exam is not None:
            text.append("\n" + t("quiz.not_weighted"), style="dim")
        return text

    def _review(self, n: int, index: int, item: Presented) -> ComposeResult:
        q = item.question
        yield Static(
            t(
                "quiz.question_header",
                number=index + 1,
                total=self.result.total,
                objective=q.objective,
            ),
            classes="review-heading",
            markup=False,
        )
        yield Markdown(q.prompt.get(self.lang), classes="review-prompt")
        answer = Text()
        if q.type == "typed" or not item.answered:
            answer.append(t("tuiquiz.your_answer") + " ", style="bold")
            answer.append(given_answer(item, self.lang, t("tuiquiz.unanswered")), style="red")
            answer.append("\n")
        if q.type != "typed":
            answer.append_text(marked_choices(item, self.lang))
        answer.append(t("quiz.right_answer", answer=right_answer(item, self.lang)), style="green")
        yield Static(answer, classes="review-answer")
        explanation = q.explanation.get(self.lang)
        if explanation:
            yield Markdown(explanation, classes="review-explanation")
        if q.source:
            from mailsim.tui.screens.quiz import source_title

            yield Button(
                Text(t("tuiquiz.read_source", source=source_title(self, q.source))),
                id=f"source-{n}",
                classes="review-source",
                compact=True,
            )

    @on(Button.Pressed, ".review-source")
    def _open_source(self, event: Button.Pressed) -> None:
        from mailsim.tui.screens.quiz import open_source

        n = int((event.button.id or "source-0").removeprefix("source-"))
        open_source(self, self.session.items[self.result.wrong[n]].question.source)

    @on(Button.Pressed, "#result-close")
    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#result-progress")
    def action_progress(self) -> None:
        from mailsim.tui.screens.progress import ProgressScreen

        self.app.switch_screen(ProgressScreen())
