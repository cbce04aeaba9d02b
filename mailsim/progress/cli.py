"""``mailsim progress``: show, export, import and report the learner's progress."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mailsim.cli import UsageError
from mailsim.i18n import t


def register(sub: Any) -> None:
    progress = sub.add_parser("progress", help="show, export, import or report progress")
    actions = progress.add_subparsers(dest="progress_command", metavar="ACTION")
    show = actions.add_parser("show", help="accuracy, readiness and due reviews per objective")
    show.set_defaults(func=cmd_show)
    export = actions.add_parser("export", help="write the progress to a portable JSON file")
    export.add_argument("file", metavar="FILE")
    export.add_argument("--name", help="the learner's name to carry in the export (kept)")
    export.set_defaults(func=cmd_export)
    imp = actions.add_parser("import", help="merge a progress export into this progress")
    imp.add_argument("file", metavar="FILE")
    imp.set_defaults(func=cmd_import)
    report = actions.add_parser(
        "report", help="one CSV row per attempt; several exports make one gradebook"
    )
    report.add_argument("--csv", action="store_true", help="CSV on stdout (the only format)")
    report.add_argument(
        "exports",
        nargs="*",
        metavar="EXPORT",
        help="learners' export files (default: this progress)",
    )
    report.set_defaults(func=cmd_report)
    progress.set_defaults(func=cmd_show)


def _store() -> Any:
    from mailsim.progress.store import StoreError, open_store

    try:
        store = open_store()
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    if store.notice:
        sys.stderr.write(f"mailsim: {store.notice}\n")
    return store


def cmd_show(args: argparse.Namespace) -> int:
    with _store() as store:
        name = store.learner_name() or t("progress.no_learner")
        print(name)
        accuracy = store.accuracy_by_objective()
        readiness = store.readiness_by_objective()
        for objective in sorted(set(accuracy) | set(readiness)):
            right, total = accuracy.get(objective, (0, 0))
            r = readiness.get(objective)
            recall = round(100 * r.recall) if r else 0
            due = r.due if r else 0
            print(f"{objective}\t{right}/{total} right\trecall {recall}%\t{due} due")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from mailsim.progress.portable import write_export

    with _store() as store:
        if args.name is not None:
            store.set_learner_name(args.name)
        path = Path(args.file)
        try:
            count = write_export(store, path)
        except OSError as exc:
            raise UsageError(f"progress export: {args.file}: {exc.strerror}") from None
        print(t("progress.exported", count=count, name=store.learner_name() or "-", path=path))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from mailsim.progress.portable import ExportError, import_data, read_export

    try:
        data = read_export(Path(args.file))
    except ExportError as exc:
        raise UsageError(t("progress.bad_export", path=args.file, reason=str(exc))) from None
    with _store() as store:
        added = import_data(store, data)
    print(t("progress.imported", count=added, path=args.file))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from mailsim.progress.portable import ExportError, export_data, read_export, write_report

    exports = []
    for name in args.exports:
        try:
            exports.append(read_export(Path(name)))
        except ExportError as exc:
            raise UsageError(t("progress.bad_export", path=name, reason=str(exc))) from None
    if not args.exports:
        with _store() as store:
            exports.append(export_data(store))
    write_report(exports, sys.stdout)
    return 0
