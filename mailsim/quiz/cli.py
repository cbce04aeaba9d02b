"""``mailsim quiz``: the TUI's quiz screen, or ``--plain`` line by line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from mailsim.cli import UsageError
from mailsim.i18n import t


def register(sub: Any) -> None:
    quiz = sub.add_parser(
        "quiz",
        help="practise questions, take a mock exam or review what is due",
        description="Practise questions, take a mock exam (exam), review what is due (review) "
        "or work on the weakest objectives (weak). --plain runs line by line on "
        "stdin/stdout (see docs/quiz-plain.md).",
    )
    quiz.add_argument(
        "--pack",
        dest="quiz_pack",
        action="append",
        default=[],
        metavar="P",
        help="a bank file, a bank folder, a pack folder or an installed pack id",
    )
    quiz.add_argument("--objective", help="an exam objective such as 211.1 (or 211 for all)")
    quiz.add_argument("--tag", action="append", default=[], help="only questions with this tag")
    quiz.add_argument("--mode", choices=("practice", "exam", "review", "weak"), default="practice")
    quiz.add_argument(
        "--exam",
        choices=("211", "108.3", "211-drill"),
        help="which mock exam (default: from --objective)",
    )
    quiz.add_argument("--count", type=int, metavar="N", help="number of questions (default 10)")
    quiz.add_argument("--seed", type=int, metavar="N", help="fix the selection and order")
    quiz.add_argument(
        "--exam-date", metavar="DATE", help="order reviews by predicted recall on DATE (YYYY-MM-DD)"
    )
    quiz.add_argument("--plain", action="store_true", help="run line by line on stdin/stdout")
    quiz.set_defaults(func=cmd_quiz)


def _parse_date(value: str) -> float:
    from datetime import UTC, datetime

    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"quiz: --exam-date: not a date: {value!r} (use YYYY-MM-DD)") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def load_questions(packs: list[str], extra: tuple[str, ...] = ()) -> list[Any]:
    """The questions of the named banks; without any, of every installed bank and ``extra``
    (the packs offered with ``mailsim --pack DIR``)."""
    from mailsim.quiz import discover
    from mailsim.quiz.bank import BankError, load_bank

    sources = []
    for spec in packs:
        source = discover.resolve(spec)
        if source is None:
            raise UsageError(f"quiz: --pack {spec}: no such bank, folder or pack")
        sources.append(source)
    if not packs:
        sources = discover.all_sources()
        for spec in extra:
            source = discover.resolve(spec)
            if source is not None and source not in sources:
                sources.append(source)
    questions = []
    for source in sources:
        try:
            questions.extend(load_bank(source.path, source.name).questions)
        except BankError as exc:
            lines = [t("quiz.bank_errors", bank=str(source.path))]
            lines += [f"  {p}" for p in exc.problems if p.is_error]
            raise UsageError("\n".join(lines)) from None
    if not questions and not packs:
        raise UsageError(t("quiz.no_banks"))
    return questions


def cmd_quiz(args: argparse.Namespace) -> int:
    from mailsim.i18n import detect_language, set_language
    from mailsim.machine.clock import Clock
    from mailsim.quiz.session import build_session

    lang = args.lang or detect_language()
    set_language(lang)
    if args.count is not None and args.count < 1:
        raise UsageError("quiz: --count must be at least 1")
    exam_date = _parse_date(args.exam_date) if args.exam_date else None
    questions = load_questions(args.quiz_pack, tuple(args.pack))
    clock = Clock.from_env()
    store = _open_store(clock)
    session = build_session(
        questions,
        args.mode,
        objective=args.objective,
        tags=tuple(args.tag),
        count=args.count,
        seed=args.seed,
        store=store,
        clock=clock,
        exam=args.exam,
        exam_date=exam_date,
    )
    if not session.items:
        raise UsageError(
            t(
                "quiz.no_questions",
                bank=", ".join(args.quiz_pack) or "all",
                objective=args.objective or "all",
            )
        )
    try:
        if not args.plain:
            try:
                from mailsim.tui.app import run as run_tui
            except ImportError:
                sys.stderr.write(t("quiz.tui_missing") + "\n")
            else:
                return int(run_tui(lang=lang, packs=args.pack, quiz=session) or 0)
        if exam_date is not None:
            _forecast(questions, args.objective, store, exam_date, lang)
        from mailsim.quiz.plain import PlainRunner

        def read() -> str | None:
            line = sys.stdin.readline()
            return line if line else None

        runner = PlainRunner(session, read, sys.stdout, sys.stderr, lang, prompt=sys.stdin.isatty())
        return runner.run()
    finally:
        if store is not None:
            store.close()


def _open_store(clock: Any) -> Any:
    from mailsim.progress.store import StoreError, open_store

    try:
        store = open_store(clock=clock)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    if store.notice:
        sys.stderr.write(f"mailsim: {store.notice}\n")
    return store


def _forecast(
    questions: list[Any], objective: str | None, store: Any, when: float, lang: str
) -> None:
    from mailsim.progress.forecast import forecast
    from mailsim.quiz.session import filter_questions

    pool = filter_questions(questions, objective)
    result = forecast(store, [(q.key, q.objective) for q in pool], when)
    print(t("quiz.readiness_header", lang=lang, date=result.date))
    for r in result.objectives.values():
        print(
            t(
                "quiz.readiness_line",
                lang=lang,
                objective=r.objective,
                percent=round(100 * r.exam_day),
                seen=r.seen,
                total=r.total,
            )
        )
    print()
