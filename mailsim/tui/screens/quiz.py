"""One question at a time: practice with feedback, or a timed mock exam with a question map.

The screen drives a ``QuizSession`` (the engine decides what is right, what is stored
and when an exam's time is up) and shows it; the plain runner drives the same session.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Markdown, Static

from mailsim.i18n import t
from mailsim.tui.actions import Action, bindings, localise
from mailsim.tui.widgets.question import (
    MultiChoice,
    OrderList,
    SingleChoice,
    Submit,
    TypedAnswer,
    marked_choices,
    right_answer,
)
from mailsim.tui.widgets.question_map import QuestionMap

if TYPE_CHECKING:
    from mailsim.quiz.judge import Judgement, Response
    from mailsim.quiz.session import Presented, QuizSession

log = logging.getLogger("mailsim.tui")


def clock_text(seconds: float) -> str:
    minutes, rest = divmod(int(seconds + 0.999), 60)
    return t("quiz.time_left", minutes=minutes, seconds=rest)


class QuizScreen(Screen[None]):
    CSS_PATH = "quiz.tcss"
    ACTIONS = (
        Action("quiz.leave", "escape", "leave"),
        Action("quiz.next", "pagedown,ctrl+n", "next", priority=True),
        Action("quiz.previous", "pageup,ctrl+b", "previous", priority=True),
        Action("quiz.flag", "ctrl+f", "flag", priority=True),
        Action("quiz.finish", "ctrl+e", "finish", priority=True),
    )
    BINDINGS = bindings(ACTIONS)

    def __init__(self, session: QuizSession) -> None:
        super().__init__()
        localise(self)
        self.session = session
        self.answered_here = False
        """Practice: the current question was answered and its feedback is showing."""
        self.judging = False
        """A typed answer is being judged by running it (in a worker thread)."""
        self._done = False

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "en")

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="quiz-top"):
            yield Static("", id="quiz-position", markup=False)
            yield Static("", id="quiz-timer", markup=False)
        yield QuestionMap("", id="quiz-map")
        with VerticalScroll(id="quiz-body"):
            yield Markdown("", id="quiz-prompt")
            yield Static("", id="quiz-instruction", markup=False)
            yield Static("", id="quiz-warning", markup=False)
            with Horizontal(id="quiz-actions"):
                yield Button(t("tuiquiz.answer"), id="quiz-submit", compact=True)
            yield Static("", id="quiz-feedback")
            yield Markdown("", id="quiz-explanation")
            yield Button("", id="quiz-source", compact=True, classes="-hidden")
        yield Footer()

    def on_mount(self) -> None:
        exam = self.session.exam
        self.title = exam.title if exam is not None else t(f"tuiquiz.mode.{self.session.mode}")
        self.set_class(exam is not None, "-exam")
        if exam is not None:
            self.set_interval(1.0, self.check_time)
        self._show()

    # -- showing -------------------------------------------------------------------

    def _show(self) -> None:
        item = self.session.current()
        if item is None:
            self._all_answered()
            return
        self.answered_here = False
        q = item.question
        position = t(
            "quiz.question_header",
            number=self.session.index + 1,
            total=self.session.total,
            objective=q.objective,
        )
        if item.flagged:
            position += "  ⚑ " + t("tuiquiz.flagged")
        self.query_one("#quiz-position", Static).update(position)
        self.query_one("#quiz-prompt", Markdown).update(q.prompt.get(self.lang))
        self.query_one("#quiz-instruction", Static).update(self._instruction(item))
        self._warn("")
        self.query_one("#quiz-feedback", Static).update("")
        self.query_one("#quiz-explanation", Markdown).update("")
        self.query_one("#quiz-source", Button).add_class("-hidden")
        submit = self.query_one("#quiz-submit", Button)
        submit.label = t("tuiquiz.answer")
        submit.disabled = False
        self._mount_answer(item)
        self._refresh_map()
        self.check_time()
        self.query_one("#quiz-body", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()

    def _instruction(self, item: Presented) -> str:
        q = item.question
        if q.type == "single":
            return t("tuiquiz.choose_one")
        if q.type == "multi":
            return t("tuiquiz.choose_n", count=q.choose)
        if q.type == "order":
            return t("tuiquiz.order")
        return t("tuiquiz.typed")

    def _mount_answer(self, item: Presented) -> None:
        self.query(".answer, .answer-shown").remove()
        q = item.question
        choices = [(cid, self._choice_text(item, cid)) for cid in item.order]
        previous = item.response
        widget: SingleChoice | MultiChoice | OrderList | TypedAnswer
        if q.type == "single":
            chosen = previous[0] if isinstance(previous, tuple) and previous else None
            widget = SingleChoice(choices, chosen)
        elif q.type == "multi":
            widget = MultiChoice(choices, previous if isinstance(previous, tuple) else ())
        elif q.type == "order":
            if isinstance(previous, tuple) and previous:
                choices = [(cid, self._choice_text(item, cid)) for cid in previous]
            widget = OrderList(choices)
        else:
            text = previous if isinstance(previous, str) else ""
            widget = TypedAnswer(text, t("tuiquiz.typed_placeholder"))
        widget.add_class("answer")
        self.query_one("#quiz-body").mount(widget, after="#quiz-instruction")
        widget.focus()

    def _choice_text(self, item: Presented, cid: str) -> str:
        for choice in item.question.choices:
            if choice.id == cid:
                return choice.text.get(self.lang)
        return cid

    def _answer_widget(self) -> SingleChoice | MultiChoice | OrderList | TypedAnswer | None:
        for widget in self.query(".answer"):
            if isinstance(widget, SingleChoice | MultiChoice | OrderList | TypedAnswer):
                return widget
        return None

    def _refresh_map(self) -> None:
        if self.session.exam is not None:
            marks = ["⚑" if p.flagged else "✓" if p.answered else "" for p in self.session.items]
            self.query_one("#quiz-map", QuestionMap).show(self.session.question_map(), marks)

    def _warn(self, text: str) -> None:
        self.query_one("#quiz-warning", Static).update(text)

    def check_time(self) -> None:
        """Show the time left; end the exam when it is up (the interval calls this)."""
        left = self.session.time_left()
        if left is None or self.session.finished:
            return
        timer = self.query_one("#quiz-timer", Static)
        timer.update(clock_text(left))
        timer.set_class(left < 60, "-low")
        if self.session.expired:
            self.notify(t("quiz.time_up"), severity="warning", markup=False)
            self._finish()

    # -- answering -----------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        if not event.character or event.character not in "123456789":
            return
        widget = self._answer_widget()
        if isinstance(widget, SingleChoice | MultiChoice | OrderList) and not self.answered_here:
            widget.pick(int(event.character))
            widget.focus()
            event.stop()

    @on(MultiChoice.Changed)
    def _ticked(self, event: MultiChoice.Changed) -> None:
        item = self.session.current()
        if item is None:
            return
        ticked = len(event.choice_list.selected)
        choose = item.question.choose
        self._warn(t("quiz.too_many", count=choose) if ticked > choose else "")

    @on(Button.Pressed, "#quiz-submit")
    def _submit_pressed(self) -> None:
        if self.answered_here:
            self.action_next()
            return
        widget = self._answer_widget()
        if widget is not None:
            self._answer(widget.response())

    @on(Submit)
    def _submitted(self, event: Submit) -> None:
        event.stop()
        if self.answered_here:
            self.action_next()
        else:
            self._answer(event.response)

    def _answer(self, response: Response) -> None:
        item = self.session.current()
        if item is None or self.judging:
            return
        if response in ((), ""):
            q = item.question
            self._warn(
                t("tuiquiz.type_something")
                if q.type == "typed"
                else t("quiz.invalid_count", count=q.choose)
            )
            return
        typed = item.question.typed
        if typed is not None and typed.run is not None:
            # Judged by running the command on a fresh machine (a tenth of a second or
            # more): say so, and judge in a worker so the screen stays live. Only the
            # verdict comes back: the session writes to the progress store, whose
            # SQLite connection belongs to the UI thread.
            self.judging = True
            self._warn(t("tuiquiz.checking"))
            self.query_one("#quiz-submit", Button).disabled = True
            self._judge(item, response)
            return
        self._answered(item, self.session.answer(response))

    @work(thread=True, exclusive=True, group="quiz-judge")
    def _judge(self, item: Presented, response: Response) -> None:
        from mailsim.quiz.session import InvalidAnswer

        try:
            parsed, judgement = item.evaluate(response)
        except InvalidAnswer as exc:
            reason = t(exc.msg_id, **exc.params)  # type: ignore[arg-type]
            self.app.call_from_thread(self._judged, item, None, reason)
            return
        except Exception as exc:  # a broken check is said, never a traceback
            log.exception("judging %s", item.question.key)
            self.app.call_from_thread(self._judged, item, None, str(exc) or type(exc).__name__)
            return
        self.app.call_from_thread(self._judged, item, (parsed, judgement), "")

    def _judged(
        self, item: Presented, verdict: tuple[Response, Judgement] | None, problem: str
    ) -> None:
        self.judging = False
        self._warn(problem)
        self.query_one("#quiz-submit", Button).disabled = False
        # The learner may have moved on (or time ran out) while the command ran.
        if verdict is None or self.session.current() is not item:
            return
        response, judgement = verdict
        self._answered(item, self.session.answer(response, judgement=judgement))

    def _answered(self, item: Presented, judgement: Judgement | None) -> None:
        if self.session.store_error:
            self.notify(
                t("quiz.store_failed", reason=self.session.store_error),
                severity="error",
                markup=False,
            )
            self.session.store_error = ""
        if judgement is None:
            # An exam: no feedback until the end; on to the next open question.
            if self.session.expired:
                self._finish()
                return
            self.session.next()
            self._show()
            return
        self.answered_here = True
        # The "choose one: 1–9…" line no longer applies; say what moves on instead.
        self.query_one("#quiz-instruction", Static).update(t("tuiux.quiz.after_answer"))
        self._feedback(item, judgement)

    def _feedback(self, item: Presented, judgement: Judgement) -> None:
        q = item.question
        if q.type != "typed":
            self.query(".answer").remove()
            shown = Static(marked_choices(item, self.lang), classes="answer-shown")
            self.query_one("#quiz-body").mount(shown, after="#quiz-instruction")
        else:
            widget = self._answer_widget()
            if widget is not None:
                widget.disabled = True
        text = Text()
        if judgement.correct:
            text.append("✓ " + t("quiz.correct"), style="bold green")
        else:
            text.append("✗ " + t("quiz.wrong"), style="bold red")
            text.append("\n" + t("quiz.right_answer", answer=right_answer(item, self.lang)))
            for reason in judgement.reasons:
                text.append("\n  " + reason, style="dim")
        self.query_one("#quiz-feedback", Static).update(text)
        self.query_one("#quiz-explanation", Markdown).update(q.explanation.get(self.lang))
        if q.source:
            source = self.query_one("#quiz-source", Button)
            source.label = Text(t("tuiquiz.read_source", source=source_title(self, q.source)))
            source.remove_class("-hidden")
        submit = self.query_one("#quiz-submit", Button)
        submit.label = t("tuiquiz.next")
        submit.focus()
        self.refresh_bindings()

    @on(Button.Pressed, "#quiz-source")
    def _open_source(self) -> None:
        item = self.session.current()
        if item is not None:
            open_source(self, item.question.source)

    def on_screen_resume(self) -> None:
        # Back from the lesson a feedback link opened: Enter goes on to the next
        # question, instead of opening the lesson again from the focused link.
        if self.answered_here and not self.session.finished:
            self.query_one("#quiz-submit", Button).focus()

    # -- moving --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("flag", "previous"):
            return self.session.exam is not None
        return True

    def action_next(self) -> None:
        if self.session.finished or self.judging:
            return
        self.session.next()
        self._show()

    def action_previous(self) -> None:
        if self.session.index > 0 and not self.judging:
            self.session.goto(self.session.index - 1)
            self._show()

    @on(QuestionMap.Jump)
    def _jump(self, event: QuestionMap.Jump) -> None:
        if not self.judging:
            self.session.goto(event.index)
            self._show()

    def action_flag(self) -> None:
        item = self.session.current()
        if item is None:
            return
        self.session.flag(not item.flagged)
        position = self.query_one("#quiz-position", Static)
        base = t(
            "quiz.question_header",
            number=self.session.index + 1,
            total=self.session.total,
            objective=item.question.objective,
        )
        position.update(base + ("  ⚑ " + t("tuiquiz.flagged") if item.flagged else ""))
        self._refresh_map()

    def _all_answered(self) -> None:
        if self.session.exam is None:
            self._finish()
            return
        from mailsim.tui.screens.confirm import ConfirmScreen

        def decided(yes: bool | None) -> None:
            if yes:
                self._finish()
                return
            flagged = [i for i, p in enumerate(self.session.items) if p.flagged]
            self.session.revisiting = False
            self.session.goto(flagged[0] if flagged else 0)
            self._show()

        self.app.push_screen(
            ConfirmScreen(t("tuiquiz.all_answered"), t("tuiquiz.finish_yes")), decided
        )

    def action_finish(self) -> None:
        from mailsim.tui.screens.confirm import ConfirmScreen

        def decided(yes: bool | None) -> None:
            if yes:
                self._finish()

        # With questions still open an Enter too many must not end a mock exam: the safe
        # answer (Cancel) has the focus then. Ending practice early loses nothing.
        unanswered = self.session.exam is not None and any(
            not p.answered for p in self.session.items
        )
        self.app.push_screen(
            ConfirmScreen(t("tuiquiz.finish_question"), t("tuiquiz.finish_yes"), unanswered),
            decided,
        )

    def _finish(self) -> None:
        from mailsim.tui.screens.quiz_result import QuizResultScreen

        if self._done:
            return
        self._done = True
        result = self.session.finish()
        if self.session.store_error:
            self.notify(
                t("quiz.store_failed", reason=self.session.store_error),
                severity="error",
                markup=False,
            )
        # Time can run out under a dialog: close it so the result replaces this screen.
        while len(self.app.screen_stack) > 1 and self.app.screen is not self:
            self.app.pop_screen()
        self.app.switch_screen(QuizResultScreen(self.session, result))

    def action_leave(self) -> None:
        from mailsim.tui.screens.confirm import ConfirmScreen

        if not any(p.answered for p in self.session.items):
            self.app.pop_screen()
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self._finish()

        self.app.push_screen(
            ConfirmScreen(t("tuiquiz.leave_question"), t("tuiquiz.finish_yes")), decided
        )


def source_title(screen: Screen[Any], source: str) -> str:
    """A question's ``pack/lesson#page`` as the learner knows it (the lesson's and the
    page's titles), or the link itself when the pack is not loaded."""
    pack_id, _, rest = source.partition("/")
    lesson_id, _, page_id = rest.partition("#")
    finder = getattr(screen.app, "catalog_or_none", None)
    catalog = finder() if finder is not None else None
    pack = catalog.find(pack_id) if catalog is not None else None
    lesson = next((x for x in pack.lessons if x.id == lesson_id), None) if pack else None
    if pack is None or lesson is None:
        return source
    lang = getattr(screen.app, "lang", "en")
    title = pack.text(lesson.title, lang)
    page = next((p for p in lesson.pages if p.id == page_id), None)
    if page is not None and pack.text(page.title, lang) != title:
        title += " › " + pack.text(page.title, lang)
    return title


def open_source(screen: Screen[Any], source: str) -> None:
    """Open a question's ``pack/lesson#page`` in the lesson screen, or show the link."""
    pack, _, rest = source.partition("/")
    lesson, _, page = rest.partition("#")
    opener = getattr(screen.app, "open_lesson_link", None)
    if opener is None or not pack or not lesson:
        screen.notify(source, title=t("tuiquiz.source_title"), markup=False)
        return
    opener(pack, lesson, page)
