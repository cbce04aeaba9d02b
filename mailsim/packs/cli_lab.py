"""``mailsim lab start|check|solve PACK/LAB --root DIR``: labs from the command line.

``lab check`` prints the checklist (✓/✗), the reason of each failure and the
score, and exits 0 only when every task passes; ``--json`` prints the same for
machines. mailsim's own errors exit with 125, as everywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from mailsim.cli import UsageError
from mailsim.packs.cli import _say, _usage


def register(sub: Any) -> None:
    lab = sub.add_parser("lab", help="start, check and solve labs on a machine directory")
    verbs = lab.add_subparsers(dest="lab_command", metavar="COMMAND", parser_class=type(lab))
    lab.set_defaults(func=lambda _args: _usage(lab))

    start = verbs.add_parser("start", help="make DIR a fresh machine in the lab's start state")
    start.add_argument("ref", metavar="PACK/LAB")
    start.add_argument("--root", required=True, metavar="DIR")
    start.add_argument("--seed", type=int, help="pick the lab's variables with this seed")
    start.add_argument("--force", action="store_true", help="replace the mailsim machine in DIR")
    start.set_defaults(func=cmd_start)

    check = verbs.add_parser("check", help="grade the machine in DIR against the lab")
    check.add_argument(
        "ref", metavar="PACK/LAB", nargs="?", help="default: the lab DIR is bound to"
    )
    check.add_argument("--root", required=True, metavar="DIR")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    check.set_defaults(func=cmd_check)

    solve = verbs.add_parser("solve", help="run the lab's solution on the machine in DIR")
    solve.add_argument(
        "ref", metavar="PACK/LAB", nargs="?", help="default: the lab DIR is bound to"
    )
    solve.add_argument("--root", required=True, metavar="DIR")
    solve.set_defaults(func=cmd_solve)


def _find(ref: str, extra: list[str]) -> tuple[Any, Any]:
    from mailsim.packs.resolver import Resolver

    resolver = Resolver.discover(extra)
    found = resolver.lab(ref)
    if found is not None:
        return found
    pack_ref, _ = resolver.split(ref)
    entry = resolver.entry(pack_ref)
    if entry is not None and entry.pack is None:
        raise UsageError(f"{pack_ref}: {_say('packs.pack.broken', error=entry.error)}")
    if entry is None:
        raise UsageError(_say("packs.pack.not_found", ref=pack_ref))
    raise UsageError(_say("packs.lab.not_found", ref=ref))


def _machine(root: str) -> Any:
    from mailsim.machine.machine import Machine, NotAMachineError

    try:
        return Machine.open(root)
    except NotAMachineError as exc:
        raise UsageError(str(exc)) from None


def _bound_ref(machine: Any, ref: str | None) -> str:
    from mailsim.packs.binding import Binding

    binding = Binding.load(machine)
    if ref:
        return ref
    if binding is None:
        raise UsageError(f"{machine.root}: this machine is not bound to a lab (give PACK/LAB)")
    return f"{binding.pack}/{binding.lab}"


def cmd_start(args: argparse.Namespace) -> int:
    from mailsim.packs.session import LabError, LabSession

    pack, lab = _find(args.ref, args.pack)
    try:
        session = LabSession.start(pack, lab, args.root, seed=args.seed, force=args.force)
    except LabError as exc:
        raise UsageError(str(exc)) from None
    for error in session.start_report.errors if session.start_report else ():
        print(_say("packs.lab.start_problem", error=error), file=sys.stderr)
    print(
        _say(
            "packs.lab.started",
            lab=f"{pack.id}/{lab.id}",
            root=args.root,
            seed=session.binding.seed,
        )
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from mailsim.packs.grader import grade

    machine = _machine(args.root)
    pack, lab = _find(_bound_ref(machine, args.ref), args.pack)
    from mailsim.i18n import detect_language

    args.lang = args.lang or detect_language()
    result = grade(pack, lab, machine, lang=args.lang)
    if args.json:
        print(json.dumps(result.to_json(args.lang), ensure_ascii=False, indent=1))
        return 0 if result.all_passed else 1
    for task in result.tasks:
        mark = "✓" if task.passed else "✗"
        print(f"{mark} {task.title}")
        if not task.passed:
            if task.reason is not None:
                print(f"    {task.reason.render(args.lang)}")
            if task.author_reason:
                print(f"    {_say('packs.lab.why', lang=args.lang)}: {task.author_reason}")
            if task.link:
                print(f"    {_say('packs.lab.see', lang=args.lang)}: {task.link}")
    print(
        _say(
            "packs.lab.score",
            lang=args.lang,
            score=f"{result.score:.0f}",
            done=result.done,
            total=len(result.tasks),
        )
    )
    return 0 if result.all_passed else 1


def cmd_solve(args: argparse.Namespace) -> int:
    from mailsim.machine.lock import MachineLock
    from mailsim.packs.session import LabError, LabSession

    machine = _machine(args.root)
    pack, lab = _find(_bound_ref(machine, args.ref), args.pack)
    try:
        session = LabSession.open(pack, lab, machine)
    except LabError as exc:
        raise UsageError(str(exc)) from None
    with MachineLock(machine.state):
        results = session.solve()
    status = 0
    for result in results:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        status = result.status
    print(_say("packs.lab.solved", root=args.root))
    return status
