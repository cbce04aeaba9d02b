"""The running sed script: GNU sed 4.9's cycle over the lines of one input unit.

Pattern and hold space, address ranges, the append queue (``a``, ``r``, ``R``),
``w`` files and every command's effect. The command line, the input files and
``-i`` are ``sed``'s; the script was compiled by ``sed_compile``.
"""

from __future__ import annotations

from mailsim.shell import posix_regex as pr
from mailsim.shell.commands.sed_compile import Addr, Cmd
from mailsim.shell.commands.sed_text import Output, encode, expand_replacement, listing
from mailsim.shell.context import Context

MAX_SPACE = 64 << 20
"""Pattern/hold space size at which a runaway script stops (GNU would exhaust memory)."""


class Quit(Exception):
    """``q`` or ``Q``: sed ends with this status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Fatal(Exception):
    """An I/O error that ends sed with status 4."""


class Cycle:
    """The compiled program at work; the hold space and the last regex outlive a unit."""

    def __init__(
        self,
        ctx: Context,
        program: list[Cmd],
        quiet: bool,
        line_length: int,
        wfiles: dict[str, list[bytes]],
    ) -> None:
        self.ctx = ctx
        self.program = program
        self.quiet = quiet
        self.line_length = line_length
        self.wfiles = wfiles
        """What ``w`` wrote, by file name; ``sed`` opens and flushes the files."""
        self.hold = ""
        self.last_rx: pr.Regex | None = None
        self.rfiles: dict[str, list[str]] = {}

    def run_unit(self, lines: list[tuple[str, bool, str]], out: Output) -> None:
        self.lines, self.next_index, self.out = lines, 0, out
        self.lineno = 0
        for cmd in self.program:
            cmd.range_active = False
        self.append_queue: list[tuple[str, str]] = []
        ps: str | None = None
        while True:
            if ps is None:
                if not self.read_line():
                    return
            self.ctx.terminal.check_cancelled()
            self.replaced = False
            restart = self.run_program()
            if restart is None:
                if not self.quiet:
                    out.line(self.ps, self.chomped)
                self.dump_append()
                ps = None
            elif restart == "delete":
                self.dump_append()
                ps = None
            else:  # "D" with a newline: run again on what is left, reading nothing
                self.dump_append()
                ps = self.ps

    def read_line(self) -> bool:
        if self.next_index >= len(self.lines):
            return False
        self.ps, self.chomped, self.filename = self.lines[self.next_index]
        self.next_index += 1
        self.lineno += 1
        return True

    def is_last(self) -> bool:
        return self.next_index >= len(self.lines)

    def dump_append(self) -> None:
        for kind, value in self.append_queue:
            if kind == "text":
                self.out.raw(value)
            elif kind == "rline":
                self.out.line(value)
            else:
                try:
                    data = self.ctx.machine.read_bytes(self.ctx.abspath(value))
                except OSError:
                    continue
                if data:
                    self.out.raw(data.decode("utf-8", "surrogateescape"))
        self.append_queue = []

    def matches(self, addr: Addr) -> bool:
        kind = addr.kind
        if kind == "num":
            return self.lineno == addr.n
        if kind == "mod":
            return self.lineno >= addr.n and (self.lineno - addr.n) % addr.step == 0
        if kind == "last":
            return self.is_last()
        if kind == "re":
            return self.search(addr.rx, self.ps) is not None
        return False

    def search(self, rx: pr.Regex | None, text: str):  # type: ignore[no-untyped-def]
        if rx is None:
            if self.last_rx is None:
                raise Fatal("no previous regular expression")
            rx = self.last_rx
        self.last_rx = rx
        return rx.search(text)

    def selected(self, cmd: Cmd) -> bool:
        if cmd.a1 is None:
            return True
        if cmd.a2 is None:
            return self.matches(cmd.a1)
        a2 = cmd.a2
        if cmd.range_active:
            if a2.kind in ("num", "plus", "tilde"):
                end = a2.n if a2.kind == "num" else cmd.range_end
                if self.lineno >= end:
                    cmd.range_active = False
                    return self.lineno == end or a2.kind != "num"
                return True
            if self.matches(a2):
                cmd.range_active = False
            return True
        if cmd.a1.kind == "zero":
            if self.lineno != 1:
                return False
            cmd.range_active = not self.matches(a2)
            return True
        if not self.matches(cmd.a1):
            return False
        if a2.kind == "num":
            cmd.range_active = a2.n > self.lineno
        elif a2.kind == "plus":
            cmd.range_end = self.lineno + a2.n
            cmd.range_active = a2.n > 0
        elif a2.kind == "tilde":
            cmd.range_end = -(-self.lineno // a2.n) * a2.n if a2.n else self.lineno
            cmd.range_active = cmd.range_end > self.lineno
        else:
            cmd.range_active = True
        return True

    def run_program(self) -> str | None:
        """One pass of the script; None: end of cycle, "delete": no autoprint, "D": restart."""
        program = self.program
        pc = 0
        steps = 0
        while pc < len(program):
            cmd = program[pc]
            steps += 1
            if steps % 4096 == 0:
                self.ctx.terminal.check_cancelled()
                if len(self.ps) + len(self.hold) > MAX_SPACE:
                    raise Fatal("couldn't re-allocate memory")
            if self.selected(cmd) == cmd.bang:
                pc = cmd.jump if cmd.name == "{" else pc + 1
                continue
            pc += 1
            result = self.do(cmd)
            if result is None:
                continue
            if isinstance(result, int):
                pc = result
                continue
            return None if result == "end" else result
        return None

    def do(self, cmd: Cmd) -> int | str | None:  # noqa: C901 - one branch per command
        name, out = cmd.name, self.out
        if name in ("{", "}"):
            return None
        if name == "s":
            self.substitute(cmd)
            return None
        if name == "p":
            out.line(self.ps, self.chomped)
        elif name == "d":
            return "delete"
        elif name == "D":
            if "\n" not in self.ps:
                return "delete"
            self.ps = self.ps.split("\n", 1)[1]
            return "D"
        elif name == "n":
            if self.is_last():
                return "end"  # GNU: no next line, so print (unless -n) and stop
            if not self.quiet:
                out.line(self.ps, self.chomped)
            self.dump_append()
            self.read_line()
        elif name == "N":
            if self.is_last():
                return "end"
            self.dump_append()
            ps = self.ps
            self.read_line()
            self.ps = ps + "\n" + self.ps
        elif name == "P":
            head, nl, _ = self.ps.partition("\n")
            out.line(head, bool(nl) or self.chomped)
        elif name == "=":
            out.raw(f"{self.lineno}\n")
        elif name == "a":
            self.append_queue.append(("text", cmd.text))
        elif name == "i":
            out.raw(cmd.text)
        elif name == "c":
            if cmd.a2 is None or cmd.bang or not cmd.range_active:
                out.raw(cmd.text)
            return "delete"
        elif name == "b":
            return cmd.jump
        elif name in ("t", "T"):
            jump = self.replaced if name == "t" else not self.replaced
            self.replaced = False
            if jump:
                return cmd.jump
        elif name in ("q", "Q"):
            if name == "q":
                if not self.quiet:
                    out.line(self.ps, self.chomped)
                self.dump_append()
            raise Quit(max(cmd.int_arg, 0))
        elif name == "h":
            self.hold = self.ps
        elif name == "H":
            self.hold += "\n" + self.ps
        elif name == "g":
            self.ps = self.hold
        elif name == "G":
            self.ps += "\n" + self.hold
        elif name == "x":
            self.ps, self.hold = self.hold, self.ps
        elif name == "z":
            self.ps = ""
        elif name == "y":
            self.ps = self.ps.translate(cmd.ymap)
        elif name == "l":
            out.raw(listing(self.ps, cmd.int_arg if cmd.int_arg >= 0 else self.line_length))
        elif name == "F":
            out.raw(f"{self.filename}\n")
        elif name == "r":
            self.append_queue.append(("file", cmd.fname))
        elif name == "R":
            line = self.next_r_line(cmd.fname)
            if line is not None:
                self.append_queue.append(("rline", line))
        elif name in ("w", "W"):
            text = self.ps if name == "w" else self.ps.split("\n", 1)[0]
            self.write_to(cmd.fname, text)
        elif name == "e":
            self.run_e(cmd.text)
        elif name == "L":  # compiled but no longer implemented by GNU sed 4.9
            raise Fatal("INTERNAL ERROR: Bad cmd L")
        return None

    def next_r_line(self, name: str) -> str | None:
        if name not in self.rfiles:
            try:
                data = self.ctx.machine.read_text(self.ctx.abspath(name))
            except OSError:
                data = ""
            self.rfiles[name] = data.splitlines()
        queue = self.rfiles[name]
        return queue.pop(0) if queue else None

    def write_to(self, name: str, text: str) -> None:
        if name == "/dev/stdout":
            self.out.line(text)
        elif name == "/dev/stderr":
            self.ctx.stderr.write(encode(text + "\n"))
        else:
            self.wfiles.setdefault(name, []).append(encode(text + "\n"))

    def run_e(self, command_text: str) -> None:
        shell = self.ctx.shell
        if shell is None:
            return
        if command_text:
            self.out.raw(shell.capture(command_text))
        else:
            self.ps = shell.capture(self.ps).removesuffix("\n")

    def substitute(self, cmd: Cmd) -> None:
        sub = cmd.subst
        assert sub is not None
        rx = sub.rx if sub.rx is not None else self.last_rx
        if rx is None:
            raise Fatal("no previous regular expression")
        self.last_rx = rx
        ps = self.ps
        pieces: list[str] = []
        pos = 0
        count = 0
        done = False
        for m in rx.finditer(ps):
            count += 1
            if count < sub.nth:
                continue
            pieces.append(ps[pos : m.start()])
            pieces.append(expand_replacement(sub.replacement, m))
            pos = m.end()
            done = True
            if not sub.global_:
                break
        if not done:
            return
        self.ps = "".join(pieces) + ps[pos:]
        self.replaced = True
        if sub.eval_:
            self.run_e("")
        if sub.print_:
            self.out.line(self.ps, self.chomped)
        if sub.wfile:
            self.write_to(sub.wfile, self.ps)
