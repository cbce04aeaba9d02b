"""GNU sed 4.9: the stream editor, editing in place through the machine.

The script is compiled by ``sed_compile`` (GNU's positions in error messages);
this module runs it: cycles, hold space, ranges, the append queue, ``w`` files,
``-i``/``-s``/``-n``/``-z``, and GNU's treatment of a last line without newline.
"""

from __future__ import annotations

from mailsim.shell import posix_regex as pr
from mailsim.shell.commands.sed_compile import Addr, Cmd, Compiler, SedError
from mailsim.shell.commands.sed_text import Output, encode, expand_replacement, listing, usage
from mailsim.shell.context import Context
from mailsim.shell.getopt import GetoptError, getopt
from mailsim.shell.registry import command

SHORT = "nrsuzEe:f:l:i::"
LONG = [
    "quiet",
    "silent",
    "debug",
    "expression=",
    "file=",
    "follow-symlinks",
    "in-place=?",
    "line-length=",
    "posix",
    "regexp-extended",
    "separate",
    "sandbox",
    "unbuffered",
    "null-data",
    "zero-terminated",
    "help",
    "version",
]
MAX_SPACE = 64 << 20
"""Pattern/hold space size at which a runaway script stops (GNU would exhaust memory)."""

VERSION = "sed (GNU sed) 4.9\n"


class _Quit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Fatal(Exception):
    """An I/O error that ends sed with status 4."""


@command(
    "sed",
    synopsis="sed [OPTION]... {script-only-if-no-other-script} [input-file]...",
    summary="stream editor for filtering and transforming text",
)
def sed(ctx: Context) -> int:
    try:
        return Sed(ctx).main()
    except pr.RegexTimeout:
        ctx.err("sed: pattern too costly to match (mailsim's time limit)\n")
        return 4


class Sed:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.quiet = False
        self.separate = False
        self.in_place: str | None = None
        self.line_length = 70
        self.sep = "\n"
        self.status = 0
        self.hold = ""
        self.last_rx: pr.Regex | None = None
        self.wfiles: dict[str, list[bytes]] = {}
        self.rfiles: dict[str, list[str]] = {}

    # -- command line ------------------------------------------------------------

    def main(self) -> int:
        ctx = self.ctx
        try:
            opts, operands = getopt(ctx.args, SHORT, LONG)
        except GetoptError as exc:
            ctx.err(f"sed: {exc}\n{usage()}")
            return 1
        pieces: list[tuple[str, str]] = []
        extended = False
        for opt, val in opts:
            if opt in ("-n", "--quiet", "--silent"):
                self.quiet = True
            elif opt in ("-E", "-r", "--regexp-extended"):
                extended = True
            elif opt in ("-s", "--separate"):
                self.separate = True
            elif opt in ("-z", "--null-data", "--zero-terminated"):
                self.sep = "\0"
            elif opt in ("-i", "--in-place"):
                self.in_place = val
                self.separate = True
            elif opt in ("-l", "--line-length"):
                digits = val[: len(val) - len(val.lstrip("0123456789"))]
                self.line_length = int(digits or 0)  # atoi(), as GNU sed reads it
            elif opt in ("-e", "--expression"):
                count = sum(1 for _, w in pieces if w.startswith("-e")) + 1
                pieces.append((val, f"-e expression #{count}"))
            elif opt in ("-f", "--file"):
                data = self.read_script(val)
                if data is None:
                    return 1 if self.status == 1 else 4
                pieces.append((data[:-1] if data.endswith("\n") else data, f"file {val}"))
            elif opt == "--help":
                # Only the successful --help names where to report bugs.
                ctx.out(usage() + "E-mail bug reports to: <bug-sed@gnu.org>.\n")
                return 0
            elif opt == "--version":
                ctx.out(VERSION)
                return 0
        if not pieces:
            if not operands:
                ctx.err(usage())
                return 1
            pieces.append((operands.pop(0), "-e expression #1"))
        compiler = Compiler(extended)
        try:
            for index, (text, where) in enumerate(pieces):
                compiler.compile(text, where, first=index == 0)
            compiler.finish()
        except SedError as exc:
            ctx.err(f"sed: {exc}\n")
            return exc.status
        if compiler.quiet_marker:
            self.quiet = True
        self.program = compiler.program
        if self.in_place is not None and not operands:
            ctx.err("sed: no input files\n")
            return 4
        try:
            for name in compiler.wfiles:
                self.open_wfile(name)
            self.execute(operands or ["-"])
        except _Fatal as exc:
            ctx.err(f"sed: {exc}\n")
            self.flush_wfiles()
            return 4
        except _Quit as q:
            self.flush_wfiles()
            return q.status
        self.flush_wfiles()
        return self.status

    def read_script(self, name: str) -> str | None:
        if name == "-":
            return self.ctx.stdin.read().decode("utf-8", "surrogateescape")
        try:
            return self.ctx.machine.read_text(self.ctx.abspath(name))
        except OSError as exc:
            self.ctx.err(f"sed: couldn't open file {name}: {exc.strerror}\n")
            return None

    def open_wfile(self, name: str) -> None:
        if name in ("/dev/stdout", "/dev/stderr") or name in self.wfiles:
            return
        path = self.ctx.abspath(name)
        try:
            self.check_writable(path)
            self.ctx.machine.write_bytes(path, b"")
        except OSError as exc:
            raise _Fatal(f"couldn't open file {name}: {exc.strerror}") from None
        self.wfiles[name] = []

    def check_writable(self, path: str) -> None:
        if self.ctx.user.uid != 0:
            import errno
            import os

            from mailsim.machine.access import may_write

            if not may_write(self.ctx.machine, path, self.ctx.user):
                raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    def flush_wfiles(self) -> None:
        for name, chunks in self.wfiles.items():
            if chunks:
                self.ctx.machine.write_bytes(self.ctx.abspath(name), b"".join(chunks), append=True)

    # -- input -----------------------------------------------------------------------

    def load(self, name: str) -> bytes | None:
        ctx = self.ctx
        if name == "-":
            return ctx.stdin.read()
        path = ctx.abspath(name)
        try:
            st = ctx.machine.stat(path)
        except OSError as exc:
            ctx.err(f"sed: can't read {name}: {exc.strerror}\n")
            self.status = 2
            return None
        if st.is_dir:
            if self.in_place is not None:
                raise _Fatal(f"couldn't edit {name}: not a regular file")
            raise _Fatal(f"read error on {name}: Is a directory")
        if ctx.user.uid != 0:
            from mailsim.machine.access import may_read

            if not may_read(ctx.machine, path, ctx.user):
                ctx.err(f"sed: can't read {name}: Permission denied\n")
                self.status = 2
                return None
        return ctx.machine.read_bytes(path)

    def split(self, name: str, data: bytes) -> list[tuple[str, bool, str]]:
        text = data.decode("utf-8", "surrogateescape")
        parts = text.split(self.sep)
        last_chomped = True
        if parts[-1] == "":
            parts.pop()
        else:
            last_chomped = False
        lines = [(p, True, name) for p in parts]
        if lines and not last_chomped:
            lines[-1] = (lines[-1][0], False, name)
        return lines

    def execute(self, operands: list[str]) -> None:
        if not self.separate:
            lines: list[tuple[str, bool, str]] = []
            for name in operands:
                data = self.load(name)
                if data is not None:
                    lines.extend(self.split(name, data))
            out = Output(self.ctx.stdout.write, self.sep)
            self.run_unit(lines, out)
            return
        for name in operands:
            data = self.load(name)
            if data is None:
                continue
            if self.in_place is None or name == "-":
                self.run_unit(self.split(name, data), Output(self.ctx.stdout.write, self.sep))
                continue
            path = self.ctx.abspath(name)
            try:
                self.check_writable(path)
            except OSError:
                raise _Fatal(f"couldn't open temporary file {name}: Permission denied") from None
            chunks: list[bytes] = []
            try:
                self.run_unit(self.split(name, data), Output(chunks.append, self.sep))
            finally:
                self.write_in_place(name, path, data, b"".join(chunks))

    def write_in_place(self, name: str, path: str, old: bytes, new: bytes) -> None:
        machine = self.ctx.machine
        if self.in_place:
            base = name.rsplit("/", 1)[-1]
            backup = (
                self.in_place.replace("*", base) if "*" in self.in_place else base + self.in_place
            )
            if "/" not in backup:
                backup = path.rsplit("/", 1)[0] + "/" + backup
            st = machine.stat(path)
            machine.write_bytes(self.ctx.abspath(backup), old)
            machine.set_meta(self.ctx.abspath(backup), owner=st.owner, group=st.group, mode=st.mode)
        machine.write_bytes(path, new)

    # -- the cycle ---------------------------------------------------------------------

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
                raise _Fatal("no previous regular expression")
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
                    raise _Fatal("couldn't re-allocate memory")
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
            raise _Quit(max(cmd.int_arg, 0))
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
            raise _Fatal("INTERNAL ERROR: Bad cmd L")
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
            raise _Fatal("no previous regular expression")
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
