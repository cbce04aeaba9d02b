"""Statements of the awk interpreter, compiled to closures (a part of Interpreter).

Loops call ``tick`` on every turn, which looks at the terminal's cancel flag now
and then, so Ctrl+C stops ``while (1)`` without any cap on iterations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mailsim.shell.awk.control import (
    BreakLoop,
    ContinueLoop,
    ExitProgram,
    NextFile,
    NextRecord,
    ReturnValue,
)
from mailsim.shell.awk.values import UNINIT, StrNum, d_to_int, to_num, truth

if TYPE_CHECKING:
    from mailsim.shell.awk.interp import Interpreter
    from mailsim.shell.awk.parser import Node

Stmt = Callable[[], None]


def stmt(interp: Interpreter, node: Node) -> Stmt:
    """The closure running one statement node."""
    return _KINDS[node[0]](interp, node)


def s_block(interp: Interpreter, node: Node) -> Stmt:
    stmts = [stmt(interp, s) for s in node[1]]
    if len(stmts) == 1:
        return stmts[0]

    def block() -> None:
        for s in stmts:
            s()

    return block


def s_expr(interp: Interpreter, node: Node) -> Stmt:
    e = interp.expr(node[1])

    def run() -> None:
        e()

    return run


def s_print(interp: Interpreter, node: Node) -> Stmt:
    from mailsim.shell.awk.calls import print_statement

    return print_statement(interp, node)


def s_printf(interp: Interpreter, node: Node) -> Stmt:
    from mailsim.shell.awk.calls import print_statement

    return print_statement(interp, node)


def s_if(interp: Interpreter, node: Node) -> Stmt:
    cond = interp.expr(node[1])
    then = stmt(interp, node[2])
    other = stmt(interp, node[3]) if node[3] is not None else None

    def run() -> None:
        if truth(cond()):
            then()
        elif other is not None:
            other()

    return run


def s_while(interp: Interpreter, node: Node) -> Stmt:
    cond, body = interp.expr(node[1]), stmt(interp, node[2])
    tick = interp.tick

    def run() -> None:
        while truth(cond()):
            tick()
            try:
                body()
            except BreakLoop:
                break
            except ContinueLoop:
                continue

    return run


def s_do(interp: Interpreter, node: Node) -> Stmt:
    body, cond = stmt(interp, node[1]), interp.expr(node[2])
    tick = interp.tick

    def run() -> None:
        while True:
            tick()
            try:
                body()
            except BreakLoop:
                break
            except ContinueLoop:
                pass
            if not truth(cond()):
                break

    return run


def s_for(interp: Interpreter, node: Node) -> Stmt:
    init = stmt(interp, node[1]) if node[1] is not None else None
    cond = interp.expr(node[2]) if node[2] is not None else None
    step = stmt(interp, node[3]) if node[3] is not None else None
    body = stmt(interp, node[4])
    tick = interp.tick

    def run() -> None:
        if init is not None:
            init()
        while cond is None or truth(cond()):
            tick()
            try:
                body()
            except BreakLoop:
                break
            except ContinueLoop:
                pass
            if step is not None:
                step()

    return run


def s_forin(interp: Interpreter, node: Node) -> Stmt:
    _get, put = interp.setter(("var", node[1]))
    arr = interp.array_of(node[2])
    body = stmt(interp, node[3])
    tick = interp.tick

    def run() -> None:
        for k in list(arr()):
            tick()
            put(StrNum(k))
            try:
                body()
            except BreakLoop:
                break
            except ContinueLoop:
                pass

    return run


def _raiser(signal: type[Exception]) -> Callable[[Interpreter, Node], Stmt]:
    """next, nextfile, break and continue: a statement that raises its control signal."""

    def build(interp: Interpreter, node: Node) -> Stmt:
        def run() -> None:
            raise signal()

        return run

    return build


s_next = _raiser(NextRecord)
s_nextfile = _raiser(NextFile)
s_break = _raiser(BreakLoop)
s_continue = _raiser(ContinueLoop)


def s_exit(interp: Interpreter, node: Node) -> Stmt:
    e = interp.expr(node[1]) if node[1] is not None else None

    def run() -> None:
        raise ExitProgram(d_to_int(to_num(e())) & 0xFF if e is not None else None)

    return run


def s_return(interp: Interpreter, node: Node) -> Stmt:
    e = interp.expr(node[1]) if node[1] is not None else None

    def run() -> None:
        raise ReturnValue(e() if e is not None else UNINIT)

    return run


def s_delete(interp: Interpreter, node: Node) -> Stmt:
    arr = interp.array_of(node[1])
    if node[2] is None:
        return lambda: arr().clear()
    key = interp.subscript([interp.expr(x) for x in node[2]])

    def run() -> None:
        arr().pop(key(), None)

    return run


_KINDS: dict[str, Callable[[Interpreter, Node], Stmt]] = {
    "block": s_block,
    "expr": s_expr,
    "print": s_print,
    "printf": s_printf,
    "if": s_if,
    "while": s_while,
    "do": s_do,
    "for": s_for,
    "forin": s_forin,
    "next": s_next,
    "nextfile": s_nextfile,
    "break": s_break,
    "continue": s_continue,
    "exit": s_exit,
    "return": s_return,
    "delete": s_delete,
}
