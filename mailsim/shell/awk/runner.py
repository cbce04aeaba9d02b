"""One awk run: options, BEGIN, the records of ARGV's files, END, and mawk's errors."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

from mailsim.shell.awk import builtins as bi
from mailsim.shell.awk.calls import Refused, no_commands
from mailsim.shell.awk.commands import NoShell
from mailsim.shell.awk.control import (
    BreakLoop,
    ContinueLoop,
    ExitProgram,
    NextFile,
    NextRecord,
    ReturnValue,
)
from mailsim.shell.awk.interp import Interpreter
from mailsim.shell.awk.io import IO, AwkFatal, Reader, from_bytes
from mailsim.shell.awk.lexer import AwkSyntaxError, unescape
from mailsim.shell.awk.parser import parse
from mailsim.shell.awk.values import StrNum, to_num, to_str, truth

if TYPE_CHECKING:
    from mailsim.shell.context import Context

_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z_0-9]*)=(.*)", re.DOTALL)

VERSION_ERR = (
    "random-funcs:       srandom/random\n"
    "regex-funcs:        internal\n"
    "compiled limits:\n"
    "sprintf buffer      8192\n"
    "maximum-integer     2147483647\n"
)


def usage() -> str:
    from pathlib import Path

    return (Path(__file__).parent / "usage.txt").read_text(encoding="utf-8")


class MainInput:
    """The main input: ARGV's operands in turn (read as they are reached), or stdin."""

    def __init__(self, interp: Interpreter, io: IO) -> None:
        self.interp = interp
        self.io = io
        self.index = 1
        self.reader: Reader | None = None
        self.used_file = False
        self.done = False

    def next_record(self) -> str | None:
        g = self.interp.g
        while not self.done:
            if self.reader is None and not self.open_next():
                self.done = True
                return None
            assert self.reader is not None
            self.interp.paragraph = self.io.rs == ""
            record = self.reader.read(self.io.rs)
            if record is not None:
                return record
            self.reader = None
        del g
        return None

    def open_next(self) -> bool:
        g = self.interp.g
        argv = g["ARGV"]
        while self.index < int(to_num(g["ARGC"])):
            arg = to_str(argv.get(str(self.index), ""), "%.6g")
            self.index += 1
            if arg == "":
                continue
            m = _ASSIGNMENT.fullmatch(arg)
            if m:
                assign(self.interp, m.group(1), m.group(2))
                continue
            text, error = self.io.load(arg)
            if text is None:
                if error == "Is a directory":
                    raise AwkFatal("read error (Is a directory)")
                raise AwkFatal(f"cannot open {arg} ({error})")
            self.start(text, arg)
            return True
        if self.used_file:
            return False
        self.used_file = True
        if self.io.ctx.stdin.interactive:
            self.start("", "-")
            self.reader = Reader("", self.typed_line)
            return True
        text, _error = self.io.load("-")
        self.start(text or "", "-")
        return True

    def typed_line(self) -> str:
        """The next line typed at the terminal; what awk printed so far shows first."""
        self.io.flush()
        self.interp.check()
        return from_bytes(self.io.ctx.stdin.readline())

    def start(self, text: str, name: str) -> None:
        self.used_file = True
        self.reader = Reader(text)
        self.interp.g["FILENAME"] = name
        self.interp.g["FNR"] = 0.0

    def skip_file(self) -> None:
        self.reader = None


def assign(interp: Interpreter, name: str, raw: str) -> None:
    value = StrNum(unescape(raw))
    if name == "NF":
        interp.set_nf(value)
        return
    if name in ("FS", "RS", "OFS", "ORS", "SUBSEP", "CONVFMT", "OFMT"):
        interp.setter(("var", name))[1](str(value))
        return
    interp.g[name] = value


def _options(args: list[str]) -> tuple[list[str], list[str], list[tuple[str, str]], str | None]:
    """(program files, operands, assignments and -F in order, error)."""
    files: list[str] = []
    settings: list[tuple[str, str]] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            return files, args[i + 1 :], settings, None
        if not a.startswith("-") or a == "-":
            break
        opt = a[1:2]
        if opt not in "fvFW":
            return files, [], settings, f"not an option: {a}"
        value = a[2:]
        if not value:
            i += 1
            if i >= len(args):
                return files, [], settings, f"option -{opt} lacks argument"
            value = args[i]
        if opt == "f":
            files.append(value)
        elif opt == "W":
            settings.append(("W", value))
        else:
            settings.append((opt, value))
        i += 1
    return files, args[i:], settings, None


def run(ctx: Context) -> int:
    prog = ctx.name
    latin = [a.encode("utf-8", "surrogateescape").decode("latin-1") for a in ctx.args]
    files, operands, settings, error = _options(latin)
    io = IO(ctx, prog)

    def fail(message: str) -> int:
        io.flush()
        message = message.replace("{prog}", prog)
        ctx.stderr.write(f"{prog}: {message}\n".encode("latin-1"))
        return 2

    if error is not None:
        return fail(error)
    for opt, value in settings:
        if opt == "W" and value.startswith("v"):
            ctx.out(
                "mawk 1.3.4 20200120\nCopyright 2008-2019,2020, Thomas E. Dickey\n"
                "Copyright 1991-1996,2014, Michael D. Brennan\n\n"
            )
            ctx.err(VERSION_ERR)
            return 0
        if opt == "v" and not _ASSIGNMENT.fullmatch(value):
            return fail(f"improper assignment: -v {value}")
    if files:
        texts = []
        for name in files:
            text, err = io.load(name)
            if text is None:
                return fail(f"cannot open {name} ({err})")
            texts.append(text)
        source = "\n".join(texts)
    else:
        if not operands:
            ctx.err(usage())
            return 0
        source, operands = operands[0], operands[1:]
    try:
        program = parse(source)
        interp = Interpreter(program, io, ctx.terminal.check_cancelled)
    except AwkSyntaxError as exc:
        return fail(str(exc))
    except bi.AwkRegexError as exc:
        return fail(f"line 1: regular expression compile failed ({exc.reason})\n{exc.pattern}")
    except RecursionError:
        return fail("line 1: program too deeply nested")
    g = interp.g
    g["ARGV"] = {str(i): StrNum(a) for i, a in enumerate([prog, *operands])}
    g["ARGV"]["0"] = prog
    g["ARGC"] = float(len(operands) + 1)
    g["ENVIRON"] = {
        k.encode("utf-8", "surrogateescape").decode("latin-1"): StrNum(
            v.encode("utf-8", "surrogateescape").decode("latin-1")
        )
        for k, v in ctx.env.items()
    }
    main = MainInput(interp, io)
    interp.main = main
    for opt, value in settings:
        if opt == "F":
            fs = unescape(value)
            interp.setter(("var", "FS"))[1]("\t" if fs == "t" else fs)
        elif opt == "v":
            m = _ASSIGNMENT.fullmatch(value)
            assert m is not None
            assign(interp, m.group(1), m.group(2))
    status = 0
    # Deep awk recursion is deep Python recursion: allow it while this program runs
    # (Python-to-Python calls do not use the C stack since 3.11).
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 60000))
    try:
        status = _execute(interp, main)
    except bi.AwkLimit as exc:
        return fail(str(exc))
    except AwkFatal as exc:
        return fail(str(exc))
    except Refused as exc:
        return fail(str(exc))
    except NoShell:
        return fail(no_commands('print | "command"'))
    except bi.AwkRegexError as exc:
        return fail(f"line 1: regular expression compile failed ({exc.reason})\n{exc.pattern}")
    except bi.AwkRuntimeError as exc:
        return fail(f"run time error: {exc}\n" + _where(interp))
    except RecursionError:
        return fail("run time error: function call nesting too deep\n" + _where(interp))
    except (BreakLoop, ContinueLoop):
        status = 0
    except ReturnValue:
        status = 0
    finally:
        sys.setrecursionlimit(limit)
    try:
        io.close_all()
    except AwkFatal as exc:
        return fail(str(exc))
    except NoShell:
        return fail(no_commands('print | "command"'))
    return status


def _where(interp: Interpreter) -> str:
    g = interp.g
    name = to_str(g["FILENAME"], "%.6g")
    fnr = to_str(g["FNR"], "%.6g")
    nr = to_str(g["NR"], "%.6g")
    return f'\tFILENAME="{name}" FNR={fnr} NR={nr}'


def _execute(interp: Interpreter, main: MainInput) -> int:
    status: int | None = None
    try:
        for block in interp.begin:
            block()
        if interp.items or interp.end:
            _records(interp, main)
    except ExitProgram as exc:
        status = exc.status
    except NextRecord:
        pass
    try:
        for block in interp.end:
            block()
    except ExitProgram as exc:
        if exc.status is not None:
            status = exc.status
    return status or 0


def _records(interp: Interpreter, main: MainInput) -> None:
    g = interp.g
    items = interp.items
    active = interp.range_active
    check = interp.check
    while True:
        check()
        record = main.next_record()
        if record is None:
            return
        g["NR"] = to_num(g["NR"]) + 1
        g["FNR"] = to_num(g["FNR"]) + 1
        interp.set_record(record)
        try:
            for n, (pattern, second, action) in enumerate(items):
                if pattern is None:
                    matched = True
                elif second is None:
                    matched = truth(pattern())
                elif active[n]:
                    matched = True
                    if truth(second()):
                        active[n] = False
                elif truth(pattern()):
                    matched = True
                    active[n] = not truth(second())
                else:
                    matched = False
                if matched:
                    if action is None:
                        interp.io.write(interp.record + interp.s(g["ORS"]))
                    else:
                        action()
        except NextRecord:
            continue
        except NextFile:
            main.skip_file()


__all__ = ["from_bytes", "run"]
