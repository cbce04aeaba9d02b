"""`mailsim sandbox NAME`: open a sandbox machine directly."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser("sandbox", help="open a free machine in the TUI")
    parser.add_argument("name", nargs="?", default="default", metavar="NAME")
    parser.set_defaults(func=cmd_sandbox)


def cmd_sandbox(args: argparse.Namespace) -> int:
    from mailsim.tui.app import run

    return run(lang=args.lang, packs=args.pack, sandbox=args.name)
