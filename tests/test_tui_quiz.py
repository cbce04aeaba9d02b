"""Pilot tests of the quiz and result screens: what a learner does, and what is stored."""

from __future__ import annotations

import pytest
from rich.text import Text
from test_tui_quiz_support import (
    NOW,
    answer_right,
    make_app,
    make_session,
    open_test_store,
    pilot_test,
    question,
    quiz_env,  # noqa: F401 - the fixture below
)
from textual.widgets import Button, Markdown, Static

from mailsim.machine.clock import Clock
from mailsim.quiz.session import Presented
from mailsim.tui.screens.quiz import QuizScreen
from mailsim.tui.screens.quiz_result import QuizResultScreen, objective_lines
from mailsim.tui.widgets.question import (
    MultiChoice,
    OrderList,
    SingleChoice,
    TypedAnswer,
    marked_choices,
    right_answer,
)
from mailsim.tui.widgets.question_map import QuestionMap, render_map

pytestmark = pytest.mark.usefixtures("quiz_env")

ALL = ["smtp-port", "access-protocols", "maildir-param", "aliases-order"]


def static_text(screen: object, selector: str) -> str:
    widget = screen.query_one(selector, Static)  # type: ignore[attr-defined]
    return str(widget.render())


@pilot_test
async def test_practice_quiz_of_every_type_finishes_with_result_and_stored_answers() -> None:
    clock = Clock(NOW)
    store = open_test_store(clock)
    session = make_session(ALL, clock=clock, store=store)
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widgets = []
        for _ in ALL:
            screen = app.screen
            assert isinstance(screen, QuizScreen)
            widgets.append(type(screen._answer_widget()).__name__)
            await answer_right(pilot, session)
            assert "Correct." in static_text(screen, "#quiz-feedback")
            await pilot.press("enter")  # the focused Next button
            await pilot.pause()
        assert widgets == ["SingleChoice", "MultiChoice", "TypedAnswer", "OrderList"]
        assert isinstance(app.screen, QuizResultScreen)
        assert "Score: 4 of 4 (100%)" in static_text(app.screen, "#result-summary")
        assert "No wrong answers" in str(app.screen.query(".review-title").first().render())
    rows = store.history()
    assert sorted((r["item"], r["correct"], r["mode"]) for r in rows) == sorted(
        (qid, True, "practice") for qid in ALL
    )
    store.close()


@pilot_test
async def test_practice_feedback_marks_the_wrong_choice_and_shows_the_explanation() -> None:
    session = make_session(["smtp-port"])
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        item = session.current()
        assert item is not None
        wrong = item.display_numbers(("b",))[0]
        await pilot.press(str(wrong), "enter")
        await pilot.pause()
        screen = app.screen
        feedback = static_text(screen, "#quiz-feedback")
        assert "Wrong." in feedback and "The answer: 25" in feedback
        assert "port **25**" in screen.query_one("#quiz-explanation", Markdown).source
        shown = str(screen.query_one(".answer-shown", Static).render())
        assert f"✗ ▸{wrong}. 110" in shown
        source = screen.query_one("#quiz-source", Button)
        assert not source.has_class("-hidden")
        assert "mini/maildir#intro" in str(source.label)
        assert screen.focused is screen.query_one("#quiz-submit", Button)


@pilot_test
async def test_number_keys_and_clicks_only_choose_enter_answers() -> None:
    """Regression: a digit or a click on a choice used to answer at once, so a stray
    key recorded a wrong answer the learner never meant to give."""
    session = make_session(["smtp-port", "sieve-keep"])
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("3")
        widget = app.screen.query_one(SingleChoice)
        assert widget.highlighted == 2
        assert session.current() is session.items[0] and not session.items[0].answered
        await pilot.click(SingleChoice, offset=(4, 1))
        await pilot.pause()
        assert widget.highlighted == 0
        assert not session.items[0].answered
        await pilot.press("enter")
        assert session.items[0].answered


@pilot_test
async def test_multi_choice_warns_when_more_are_ticked_than_asked() -> None:
    session = make_session(["access-protocols"])
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("1", "2")
        await pilot.pause()
        assert static_text(app.screen, "#quiz-warning") == ""
        await pilot.press("3")
        await pilot.pause()
        assert "more answers than asked for (2)" in static_text(app.screen, "#quiz-warning")
        await pilot.press("3")
        await pilot.pause()
        assert static_text(app.screen, "#quiz-warning") == ""
        assert len(app.screen.query_one(MultiChoice).selected) == 2


@pilot_test
async def test_enter_without_a_choice_or_text_warns_and_stores_nothing() -> None:
    session = make_session(["maildir-param", "access-protocols"])
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen.focused, TypedAnswer)
        await pilot.press("enter")
        await pilot.pause()
        assert "Type an answer first" in static_text(app.screen, "#quiz-warning")
        assert not session.items[0].answered
        await pilot.press("pagedown")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "choose exactly 2" in static_text(app.screen, "#quiz-warning")
        assert not session.items[1].answered


@pilot_test
async def test_order_items_move_with_shift_arrows_and_minus_plus() -> None:
    session = make_session(["aliases-order"])
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.screen.query_one(OrderList)
        start = [cid for cid, _ in widget.items]
        await pilot.press("1", "shift+down")
        assert [cid for cid, _ in widget.items] == [start[1], start[0], start[2]]
        await pilot.press("plus")
        assert [cid for cid, _ in widget.items] == [start[1], start[2], start[0]]
        await pilot.press("minus", "minus", "shift+up")
        assert [cid for cid, _ in widget.items] == [start[0], start[1], start[2]]
        assert widget.highlighted == 0


@pilot_test
async def test_bank_text_that_looks_like_markup_is_shown_as_written() -> None:
    session = make_session(["smtp-port", "access-protocols"], seed=1)
    app = make_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        widget = app.screen.query_one(SingleChoice)
        prompts = [
            widget.get_option_at_index(i).prompt.plain  # type: ignore[union-attr]
            for i in range(widget.option_count)
        ]
        assert any(p.endswith("[bold]587[/bold]") for p in prompts)
        await pilot.press("pagedown")
        await pilot.pause()
        prompt = app.screen.query_one("#quiz-prompt", Markdown).source
        assert prompt.endswith("[red]Choose two.[/red]")


@pilot_test
async def test_exam_time_runs_out_scores_what_was_answered() -> None:
    clock = Clock(NOW)
    store = open_test_store(clock)
    ids = ["smtp-port", "maildir-param", "access-protocols", "aliases-order"]
    session = make_session(ids, mode="exam", clock=clock, store=store, exam="211")
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert static_text(screen, "#quiz-timer") == "Time left: 12:00"
        await answer_right(pilot, session)
        assert static_text(screen, "#quiz-feedback") == ""  # no feedback in an exam
        assert session.index == 1
        clock.advance(11 * 60 + 30)
        screen.check_time()
        assert static_text(screen, "#quiz-timer") == "Time left: 0:30"
        assert screen.query_one("#quiz-timer").has_class("-low")
        await pilot.press("ctrl+e")  # the finish dialog is open when time runs out
        await pilot.pause()
        clock.advance(31)
        screen.check_time()
        await pilot.pause()
        result_screen = app.screen
        assert isinstance(result_screen, QuizResultScreen)
        summary = static_text(result_screen, "#result-summary")
        assert "Score: 1 of 4 (25%)" in summary
        assert "Time is up" in summary
        assert "Questions with no answer: 3" in summary
        assert "Estimated LPI score: 320" in summary and "an estimate" in summary
        assert "not yet a pass" in summary
        objectives = static_text(result_screen, "#result-objectives")
        assert "211.1" in objectives and "1/2" in objectives and "0/1" in objectives
        assert len(result_screen.query(".review-heading")) == 3
    exams = [r for r in store.history() if r["kind"] == "exam"]
    assert len(exams) == 1 and exams[0]["timed_out"] and exams[0]["correct"] == 1
    store.close()


@pilot_test
async def test_exam_map_flag_jump_and_change_an_answer() -> None:
    ids = ["smtp-port", "sieve-keep", "procmail-rc"]
    session = make_session(ids, mode="exam", exam="211")
    app = make_app(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("ctrl+f")
        assert session.items[0].flagged
        assert "⚑ flagged" in static_text(screen, "#quiz-position")
        assert " 1⚑" in static_text(screen, "#quiz-map")
        await pilot.press("pagedown", "pagedown")
        assert session.index == 2
        await pilot.click(QuestionMap, offset=(7, 0))  # the cell of question 2
        await pilot.pause()
        assert session.index == 1
        await pilot.press("2", "enter")
        await pilot.pause()
        assert session.items[1].answered and session.index == 2
        await pilot.press("pageup", "1", "enter")
        await pilot.pause()
        assert session.items[1].response == (session.items[1].order[0],)
        assert "2✓" in static_text(screen, "#quiz-map")


@pilot_test
async def test_exam_with_every_answer_asks_before_finishing() -> None:
    session = make_session(["smtp-port", "sieve-keep"], mode="exam", exam="211")
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(2):
            await answer_right(pilot, session)
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuizResultScreen)
        assert "Score: 2 of 2 (100%)" in static_text(app.screen, "#result-summary")
        assert "Estimate: pass" in static_text(app.screen, "#result-summary")


@pilot_test
async def test_leaving_before_any_answer_just_closes() -> None:
    session = make_session(["smtp-port"])
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuizScreen | QuizResultScreen)
        assert not session.finished


@pilot_test
async def test_leaving_after_an_answer_asks_then_shows_the_result() -> None:
    session = make_session(["smtp-port", "sieve-keep"])
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await answer_right(pilot, session)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuizResultScreen)
        assert "Score: 1 of 2 (50%)" in static_text(app.screen, "#result-summary")


@pilot_test
async def test_result_review_links_the_lesson(monkeypatch: object) -> None:
    session = make_session(["smtp-port", "maildir-param"])
    app = make_app(session)
    opened: list[tuple[str, str, str]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_lesson_link = lambda *args: opened.append(args)  # type: ignore[method-assign]
        await pilot.pause()
        await pilot.press("ctrl+e", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizResultScreen)
        buttons = list(screen.query(".review-source").results(Button))
        assert [str(b.label) for b in buttons] == [
            "Read the lesson: mini/maildir#intro",
            "Read the lesson: mini/maildir#steps",
        ]
        buttons[1].press()
        await pilot.pause()
    assert opened == [("mini", "maildir", "steps")]


def test_marked_choices_and_right_answers_read_without_markup() -> None:
    item = Presented(question("access-protocols"), ("smtp", "pop3", "imap", "lmtp"))
    item.response = ("pop3", "smtp")
    assert marked_choices(item, "en").plain.splitlines() == [
        "✗ ▸1. SMTP",
        "✓ ▸2. POP3",
        "✓  3. IMAP",
        "   4. LMTP",
    ]
    assert right_answer(item, "en") == "POP3, IMAP"
    order = Presented(question("aliases-order"), ("test", "edit", "build"))
    order.response = ("edit", "test", "build")
    assert marked_choices(order, "ja").plain.splitlines() == [
        "✓ 1. /etc/aliases を編集",
        "✗ 2. テストメールを送る",
        "✗ 3. newaliases を実行",
    ]
    assert right_answer(order, "en") == "Edit /etc/aliases → Run newaliases → Send a test message"
    assert right_answer(Presented(question("maildir-param")), "en") == "home_mailbox"


def test_question_map_cells_carry_state_mark_and_click_target() -> None:
    text = render_map(["answered", "current", "flagged", "open"], ["✓", "", "⚑", ""])
    assert text.plain == " 1✓  2   3⚑  4  "
    metas = [s.style.meta for s in text.spans if not isinstance(s.style, str) and s.style.meta]
    assert metas == [{"question": i} for i in range(4)]


def test_objective_lines_show_a_bar_and_counts() -> None:
    from mailsim.quiz.exam import ExamResult, ObjectiveResult

    result = ExamResult(
        3, 4, False, {"211.1": ObjectiveResult("211.1", 3, 4)}, estimate=None, wrong=[0]
    )
    assert objective_lines(result, width=8).plain == "211.1   ██████░░ 3/4   75%"
    assert isinstance(objective_lines(result), Text)


@pilot_test
async def test_typed_answer_judged_by_running_it_says_it_is_checking_then_judges() -> None:
    import random
    from pathlib import Path

    from mailsim.quiz.bank import load_bank
    from mailsim.quiz.session import QuizSession, present

    bank = Path(__file__).parent / "data" / "tui_quiz" / "run" / "bank.yaml"
    [q] = load_bank(bank, "tuiquizrun").questions
    clock = Clock(NOW)
    store = open_test_store(clock)
    session = QuizSession([present(q, random.Random(1))], "practice", clock, store)
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        said: list[str] = []
        warn = screen._warn

        def record(text: str) -> None:
            said.append(text)
            warn(text)

        screen._warn = record  # type: ignore[method-assign]
        screen.query_one(TypedAnswer).value = "postconf -e 'inet_interfaces = 127.0.0.1'"
        await pilot.press("enter")
        for _ in range(100):
            if not screen.judging:
                break
            await pilot.pause(0.05)
        assert said[:2] == ["Checking your command on a fresh machine…", ""]
        assert "Correct." in static_text(screen, "#quiz-feedback")
    [row] = store.history()
    assert row["correct"] and row["response"] == "postconf -e 'inet_interfaces = 127.0.0.1'"
    store.close()


@pilot_test
async def test_a_run_answer_is_judged_off_the_ui_thread_and_stored_on_it() -> None:
    import random
    import threading
    from pathlib import Path
    from typing import Any

    from mailsim.quiz.bank import load_bank
    from mailsim.quiz.session import Presented, QuizSession, present

    bank = Path(__file__).parent / "data" / "tui_quiz" / "run" / "bank.yaml"
    [q] = load_bank(bank, "tuiquizrun").questions
    clock = Clock(NOW)
    store = open_test_store(clock)
    item = present(q, random.Random(1))
    threads: list[threading.Thread] = []
    evaluate = Presented.evaluate

    def evaluate_here(self: Presented, given: Any) -> Any:
        threads.append(threading.current_thread())
        return evaluate(self, given)

    session = QuizSession([item], "practice", clock, store)
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        item.evaluate = evaluate_here.__get__(item)  # type: ignore[method-assign]
        screen.query_one(TypedAnswer).value = "postconf -e 'inet_interfaces = all'"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.judging
        assert "Correct." not in static_text(screen, "#quiz-feedback")
    assert [th is threading.main_thread() for th in threads] == [False]
    # The store's connection belongs to the UI thread: the answer was written there.
    [row] = store.history()
    assert not row["correct"]
    store.close()


def test_every_string_of_these_screens_is_in_both_catalogues() -> None:
    import re
    from pathlib import Path

    import yaml

    import mailsim

    root = Path(mailsim.__file__).parent
    sources = [
        root / "tui" / "screens" / name for name in ("quiz.py", "quiz_result.py", "progress.py")
    ] + [root / "tui" / "widgets" / "question.py"]
    used = set()
    for source in sources:
        used |= set(re.findall(r't\("(tuiquiz\.[a-z_.]+)"', source.read_text(encoding="utf-8")))
    used |= {f"tuiquiz.mode.{mode}" for mode in ("practice", "review", "weak", "exam")}
    catalogue = root / "i18n" / "catalog"
    en = yaml.safe_load((catalogue / "tuiquiz.en.yaml").read_text(encoding="utf-8"))
    ja = yaml.safe_load((catalogue / "tuiquiz.ja.yaml").read_text(encoding="utf-8"))
    assert len(used) > 30
    assert sorted(used - set(en)) == []
    assert sorted(set(en) ^ set(ja)) == []


@pilot_test
async def test_finishing_an_exam_with_open_questions_defaults_to_cancel() -> None:
    """Regression: Ctrl+E's question had Finish focused, so one Enter too many ended a
    mock exam with questions still unanswered."""
    session = make_session(["smtp-port", "sieve-keep"], mode="exam", exam="211")
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await answer_right(pilot, session)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        assert app.screen.focused is not None and app.screen.focused.id == "no"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen) and not session.finished
