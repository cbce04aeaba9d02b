"""`mailsim sandbox NAME`: open a sandbox machine directly; and ``--exam-date`` for
the TUI's entries (kept for the Progress screen's forecast and the review order)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser("sandbox", help="open a free machine in the TUI")
    parser.add_argument("name", nargs="?", default="default", metavar="NAME")
    parser.set_defaults(func=cmd_sandbox)


def apply_exam_date(value: str | None, lang: str | None = None) -> None:
    """Keep the exam date given on the command line (YYYY-MM-DD, today or later)
    before the TUI opens; a bad one is mailsim's usage error, never a traceback."""
    if value is None:
        return
    from mailsim.cli import UsageError
    from mailsim.i18n import detect_language, set_language, t
    from mailsim.machine.clock import Clock
    from mailsim.progress.examdate import ExamDateError, parse_exam_date, save_exam_date

    set_language(lang or detect_language())
    try:
        save_exam_date(parse_exam_date(value, Clock.from_env().now()))
    except ExamDateError as exc:
        raise UsageError(t("examdate.option", message=str(exc))) from None


def cmd_sandbox(args: argparse.Namespace) -> int:
    from mailsim.tui.app import run

    apply_exam_date(getattr(args, "tui_exam_date", None), args.lang)
    return run(lang=args.lang, packs=args.pack, sandbox=args.name)
