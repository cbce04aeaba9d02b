"""The `mailsim` command line: the TUI by default, and subcommands for scripts.

Each subcommand lives in its own module and registers itself through
``SUBCOMMANDS`` (name → module); a module exposes ``register(subparsers)``
which adds its parser and sets ``func``. mailsim's own errors exit with 125 and
one line on stderr, so they never look like a simulated command's status.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from mailsim import __version__

MAILSIM_ERROR = 125

SUBCOMMANDS: dict[str, str] = {
    "init": "mailsim.cli_machine",
    "exec": "mailsim.cli_machine",
    "pack": "mailsim.packs.cli",
    "lab": "mailsim.packs.cli_lab",
    "quiz": "mailsim.quiz.cli",
    "progress": "mailsim.progress.cli",
    "sandbox": "mailsim.tui.cli",
}
"""Subcommand → the module that registers it. Later layers add theirs here."""


class UsageError(Exception):
    """Bad use of mailsim itself: exits 125 with the message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(MAILSIM_ERROR)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mailsim",
        description="Practise Postfix and Dovecot administration on a simulated Debian host.",
    )
    parser.add_argument("--version", action="version", version=f"mailsim {__version__}")
    parser.add_argument("--lang", help="language of the interface (en, ja)")
    parser.add_argument(
        "--pack",
        action="append",
        default=[],
        metavar="DIR",
        help="also offer the lesson pack in DIR",
    )
    parser.add_argument(
        "--exam-date",
        dest="tui_exam_date",
        metavar="YYYY-MM-DD",
        help="remember the day of your exam (the Progress screen forecasts readiness for it)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    seen: set[str] = set()
    for module_name in dict.fromkeys(SUBCOMMANDS.values()):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue  # a layer not built yet
        if module_name not in seen:
            module.register(sub)
            seen.add(module_name)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else MAILSIM_ERROR
    from mailsim.locations import setup_logging

    setup_logging()
    try:
        if args.command is None:
            return _run_tui(args)
        return int(args.func(args) or 0)
    except UsageError as exc:
        sys.stderr.write(f"mailsim: {exc}\n")
        return MAILSIM_ERROR
    except KeyboardInterrupt:
        return 130


def _run_tui(args: argparse.Namespace) -> int:
    try:
        from mailsim.tui.app import run
    except ImportError:
        raise UsageError("the TUI is not available in this build") from None
    from mailsim.tui.cli import apply_exam_date

    apply_exam_date(args.tui_exam_date, args.lang)
    return int(run(lang=args.lang, packs=args.pack) or 0)
