"""Quiz sessions: reading answers, choosing questions, storing as they are given."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from mailsim.machine.clock import Clock, parse_timestamp
from mailsim.progress.store import open_store
from mailsim.quiz.bank import load_bank
from mailsim.quiz.session import InvalidAnswer, build_session, present

BANK = Path(__file__).parent / "data" / "quiz" / "bank"
RUN_BANK = Path(__file__).parent / "data" / "quiz" / "run" / "run.yaml"
T0 = parse_timestamp("2026-11-25T08:29:01")


@pytest.fixture(scope="module")
def by_id() -> dict:
    return load_bank(BANK, use_cache=False).by_id()


def test_display_numbers_map_to_stable_choice_ids(by_id: dict) -> None:
    item = present(by_id["aliases-rebuild"], random.Random(0))
    numbers = {cid: n for n, cid in enumerate(item.order, 1)}
    a, b = numbers["newaliases"], numbers["postalias"]
    for text in (f"{a} {b}", f"{a},{b}", f" {b} , {a} ", f"{a}, {a} {b}"):
        assert set(item.parse(text)) == {"newaliases", "postalias"}
    with pytest.raises(InvalidAnswer) as info:
        item.parse("0")
    assert (info.value.msg_id, info.value.params) == ("quiz.invalid_number", {"count": 4})
    with pytest.raises(InvalidAnswer):
        item.parse("one")


def test_single_and_order_answers(by_id: dict) -> None:
    single = present(by_id["smtp-port"], random.Random(0))
    with pytest.raises(InvalidAnswer) as info:
        single.parse("1 2")
    assert info.value.msg_id == "quiz.invalid_count"
    order = present(by_id["queue-order"], random.Random(0))
    assert order.order != order.question.correct_ids  # never shown already in order
    with pytest.raises(InvalidAnswer) as info:
        order.parse("1 1 2")
    assert info.value.msg_id == "quiz.invalid_order"
    right = " ".join(map(str, order.display_numbers(order.question.correct_ids)))
    assert order.parse(right) == ("incoming", "active", "deferred")


def test_multi_warns_when_more_are_ticked_than_asked(by_id: dict) -> None:
    session = build_session([by_id["aliases-rebuild"]], seed=1, clock=Clock(T0))
    judgement = session.answer(("newaliases", "postalias", "postmap"))
    assert judgement is not None and not judgement.correct and judgement.too_many


def test_practice_selection_is_fixed_by_the_seed(by_id: dict) -> None:
    questions = list(by_id.values())
    first = build_session(questions, objective="211.1", count=5, seed=7, clock=Clock(T0))
    again = build_session(questions, objective="211.1", count=5, seed=7, clock=Clock(T0))
    assert [(p.question.id, p.order) for p in first.items] == [
        (p.question.id, p.order) for p in again.items
    ]
    assert {p.question.objective for p in first.items} == {"211.1"}
    assert len(first.items) == 5
    by_topic = build_session(questions, objective="211", count=50, seed=1, clock=Clock(T0))
    assert {p.question.objective for p in by_topic.items} == {"211.1", "211.2", "211.3"}
    tagged = build_session(questions, tags=("ports",), seed=1, clock=Clock(T0))
    assert {p.question.id for p in tagged.items} == {"smtp-port", "submissions-port"}


def test_practice_answers_are_stored_as_given_with_time_taken(by_id: dict, tmp_path: Path) -> None:
    clock = Clock(T0)
    with open_store(tmp_path / "p.sqlite3", clock=clock, fuzz=False) as store:
        session = build_session(
            [by_id["smtp-port"], by_id["imap-port"]], seed=1, store=store, clock=clock
        )
        clock.advance(7)
        first = session.current()
        assert first is not None
        n = (
            first.display_numbers(first.question.correct_ids)[0]
            if first.question.type == "single"
            else None
        )
        judgement = session.answer(str(n) if n else "imap")
        assert judgement is not None and judgement.correct
        [row] = store.history()
        assert (row["item"], row["correct"], row["time_taken"]) == (first.question.id, True, 7.0)


def test_review_puts_due_items_first_and_weak_the_weakest_objective(
    by_id: dict, tmp_path: Path
) -> None:
    clock = Clock(T0)
    questions = list(by_id.values())
    with open_store(tmp_path / "p.sqlite3", clock=clock, fuzz=False) as store:
        for qid, right in (("smtp-port", True), ("imaps-port", False), ("forward-file", True)):
            q = by_id[qid]
            store.record_answer(q.key, q.bank, q.id, q.objective, right)
        clock.advance(5 * 60)  # the wrong one is due (1 minute), the right ones not yet
        review = build_session(questions, "review", count=3, seed=1, store=store, clock=clock)
        assert review.items[0].question.id == "imaps-port"
        weak = build_session(questions, "weak", count=40, seed=1, store=store, clock=clock)
        objectives = [p.question.objective for p in weak.items]
        # 211.2 has nothing seen and 211.3's only answer was wrong: both readiness 0, so
        # they come first; 108.3 (one of three known) last.
        assert set(objectives[:6]) == {"211.2", "211.3"} and objectives[-1] == "108.3"


def test_a_store_that_fails_does_not_end_the_quiz(by_id: dict, tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.sqlite3", clock=Clock(T0))
    store.close()  # every write now fails
    session = build_session([by_id["myhostname-param"]], store=store, clock=Clock(T0))
    judgement = session.answer("myhostname")
    assert judgement is not None and judgement.correct
    assert session.store_error


def test_run_answers_are_judged_on_a_fresh_machine() -> None:
    questions = load_bank(RUN_BANK, use_cache=False).by_id()
    maildir = build_session([questions["set-maildir"]], clock=Clock(T0))
    verdict = maildir.answer("postconf -e 'home_mailbox = Maildir/'")
    assert verdict is not None and verdict.correct
    other = build_session([questions["set-maildir"]], clock=Clock(T0))
    verdict = other.answer("postconf -e home_mailbox=Maildir")
    assert verdict is not None and not verdict.correct
    assert verdict.reasons == [
        "you have home_mailbox = Maildir (/etc/postfix/main.cf, line 48); the task needs Maildir/"
    ]
    shown = build_session([questions["show-myhostname"]], clock=Clock(T0))
    verdict = shown.answer("postconf | grep ^myhostname")
    assert verdict is not None and verdict.correct


def test_quiz_and_progress_never_import_textual() -> None:
    code = (
        "import sys, mailsim.quiz.cli, mailsim.quiz.session, mailsim.quiz.plain, "
        "mailsim.progress.cli, mailsim.progress.portable; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
        "print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        check=True,
    ).stdout
    assert out == "[]\n"
