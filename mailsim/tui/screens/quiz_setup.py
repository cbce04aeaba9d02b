"""Starting a quiz from the home screen or the palette: load the banks off the UI thread.

With an exam date set (on the Progress screen), review and weak sessions are ordered
by predicted recall on that day, as ``mailsim quiz --exam-date`` orders them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mailsim.tui.app import MailsimApp


def start_quiz(
    app: MailsimApp, mode: str, pack: str | None = None, count: int | None = None
) -> None:
    from mailsim.tui.data.quizzes import QuizLoadError, load_questions

    def load() -> None:
        try:
            questions = load_questions(pack, app.extra_packs)
        except QuizLoadError as exc:
            app.call_from_thread(app.notify, str(exc), severity="error", markup=False)
            return
        app.call_from_thread(_open, app, questions, mode, count, exam_date())

    app.run_worker(load, thread=True, exclusive=True, group="quiz-load")


def exam_date() -> float | None:
    """The moment to order reviews for: the start of the learner's exam day, unless
    none is set or it has passed (then reviews follow what is due now)."""
    from mailsim.machine.clock import Clock
    from mailsim.progress.examdate import exam_moment, upcoming_exam_date

    day = upcoming_exam_date(Clock.from_env().now())
    return None if day is None else exam_moment(day)


def _open(
    app: MailsimApp, questions: list, mode: str, count: int | None, exam_at: float | None = None
) -> None:
    from mailsim.i18n import t
    from mailsim.machine.clock import Clock
    from mailsim.quiz.session import build_session
    from mailsim.tui.screens.quiz import QuizScreen

    clock = Clock.from_env()
    seed = int(clock.now()) if clock.fixed else None
    session = build_session(
        questions, mode, count=count, seed=seed, store=app.store, clock=clock, exam_date=exam_at
    )
    if not session.items:
        app.notify(t("quiz.no_questions", bank="all", objective="all"), severity="warning")
        return
    app.push_screen(QuizScreen(session))
