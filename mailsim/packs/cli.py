"""``mailsim pack new|validate|list|install``: the instructor's tools."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from mailsim.cli import UsageError


def register(sub: Any) -> None:
    pack = sub.add_parser("pack", help="create, validate, list and install lesson packs")
    verbs = pack.add_subparsers(dest="pack_command", metavar="COMMAND", parser_class=type(pack))
    pack.set_defaults(func=lambda _args: _usage(pack))

    new = verbs.add_parser("new", help="create a working pack scaffold in DIR")
    new.add_argument("dir", metavar="DIR")
    new.set_defaults(func=cmd_new)

    check = verbs.add_parser(
        "validate",
        help="validate a pack (schema, references, labs replayed, transcripts, translations)",
    )
    check.add_argument(
        "dirs", nargs="+", metavar="DIR", help="a pack folder or a question-bank folder"
    )
    check.add_argument(
        "--watch", action="store_true", help="validate again whenever a file changes"
    )
    check.add_argument(
        "--no-replay", action="store_true", help="skip replaying labs and transcripts"
    )
    check.add_argument("--json", action="store_true", help="print the problems as JSON")
    check.set_defaults(func=cmd_validate)

    listing = verbs.add_parser("list", help="list the packs mailsim can see")
    listing.set_defaults(func=cmd_list)

    install = verbs.add_parser("install", help="install a pack (ZIP or DIR) into your pack folder")
    install.add_argument("source", metavar="ZIP|DIR")
    install.add_argument("--force", action="store_true", help="install over a newer version too")
    install.set_defaults(func=cmd_install)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    return 125


def _say(msg_id: str, **params: Any) -> str:
    from mailsim.i18n import t

    return t(msg_id, **params)


def cmd_new(args: argparse.Namespace) -> int:
    from mailsim.packs.scaffold import ScaffoldError, create

    try:
        root = create(args.dir)
    except (ScaffoldError, OSError) as exc:
        raise UsageError(f"pack new: {exc}") from None
    print(_say("packs.pack.created", path=root))
    return 0


def _report(path: str, replay: bool, as_json: bool) -> bool:
    import json

    from mailsim.packs.validate import validate_path

    report = validate_path(path, replay=replay)
    if as_json:
        print(
            json.dumps(
                {
                    "path": str(report.path),
                    "ok": report.ok,
                    "untranslated": report.untranslated,
                    "problems": [
                        {
                            "file": p.file,
                            "line": p.line,
                            "column": p.column,
                            "severity": p.severity,
                            "message": p.message,
                        }
                        for p in report.problems
                    ],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return report.ok
    for problem in report.problems:
        print(problem, file=sys.stderr if problem.is_error else sys.stdout)
    name = report.pack.id if report.pack else str(report.path)
    for lang, count in report.untranslated.items():
        if count:
            print(_say("packs.pack.untranslated", language=lang, count=count))
    if report.ok:
        seeds = max((len(s) for s in report.seeds.values()), default=0)
        labs = len(report.pack.labs) if report.pack else 0
        print(_say("packs.pack.valid", pack=name, labs=labs, seeds=seeds))
    else:
        print(
            _say(
                "packs.pack.invalid",
                pack=name,
                errors=len(report.errors),
                warnings=len(report.warnings),
            ),
            file=sys.stderr,
        )
    return report.ok


def _stamp(paths: list[str]) -> tuple[tuple[str, int, int], ...]:
    items = []
    for base in paths:
        for file in sorted(Path(base).rglob("*")):
            try:
                st = file.stat()
            except OSError:
                continue
            items.append((str(file), st.st_mtime_ns, st.st_size))
    return tuple(items)


def cmd_validate(args: argparse.Namespace) -> int:
    for path in args.dirs:
        if not Path(path).exists():
            raise UsageError(f"pack validate: {path}: No such file or directory")
    ok = all([_report(p, not args.no_replay, args.json) for p in args.dirs])
    if not args.watch:
        return 0 if ok else 1
    print(_say("packs.pack.watching", path=", ".join(args.dirs)))
    seen = _stamp(args.dirs)
    try:
        while True:
            time.sleep(0.5)
            now = _stamp(args.dirs)
            if now != seen:
                seen = now
                print()
                ok = all([_report(p, not args.no_replay, args.json) for p in args.dirs])
    except KeyboardInterrupt:
        return 0 if ok else 1


def cmd_list(args: argparse.Namespace) -> int:
    from mailsim.i18n import language
    from mailsim.packs.resolver import discover
    from mailsim.packs.text import pick

    for entry in discover(getattr(args, "pack", []) or []):
        if entry.pack is not None:
            title = pick(entry.pack.title, language(), entry.pack.languages)
            labs = ", ".join(entry.pack.labs) or "-"
            print(
                f"{entry.pack.id}\t{entry.pack.version}\t{entry.source}\t{title}\t[{labs}]\t{entry.path}"
            )
        else:
            error = entry.error or "?"
            print(
                f"{entry.id}\t-\t{entry.source}\t{_say('packs.pack.broken', error=error)}\t\t{entry.path}"
            )
    return 0


def cmd_install(args: argparse.Namespace) -> int:
    from mailsim.locations import packs_dir
    from mailsim.packs.install import InstallError, install

    try:
        pack, dest = install(Path(args.source), packs_dir(), force=args.force)
    except InstallError as exc:
        raise UsageError(f"pack install: {exc}") from None
    print(_say("packs.pack.installed", pack=pack.id, version=pack.version, path=dest))
    return 0
