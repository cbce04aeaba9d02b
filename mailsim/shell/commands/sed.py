"""GNU sed 4.9: the stream editor, editing in place through the machine.

The script is compiled by ``sed_compile`` (GNU's positions in error messages)
and run by ``sed_cycle`` (cycles, hold space, ranges, the append queue); this
module is the command line, the input files, ``w`` files, ``-i``/``-s``/``-n``/``-z``
and GNU's treatment of a last line without newline.
"""

from __future__ import annotations

from mailsim.shell import posix_regex as pr
from mailsim.shell.commands.sed_compile import Compiler, SedError
from mailsim.shell.commands.sed_cycle import Cycle, Fatal, Quit
from mailsim.shell.commands.sed_text import Output, usage
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
VERSION = "sed (GNU sed) 4.9\n"


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
        self.wfiles: dict[str, list[bytes]] = {}

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
        self.cycle = Cycle(ctx, compiler.program, self.quiet, self.line_length, self.wfiles)
        if self.in_place is not None and not operands:
            ctx.err("sed: no input files\n")
            return 4
        try:
            for name in compiler.wfiles:
                self.open_wfile(name)
            self.execute(operands or ["-"])
        except Fatal as exc:
            ctx.err(f"sed: {exc}\n")
            self.flush_wfiles()
            return 4
        except Quit as q:
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
            raise Fatal(f"couldn't open file {name}: {exc.strerror}") from None
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
                raise Fatal(f"couldn't edit {name}: not a regular file")
            raise Fatal(f"read error on {name}: Is a directory")
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
            self.cycle.run_unit(lines, out)
            return
        for name in operands:
            data = self.load(name)
            if data is None:
                continue
            if self.in_place is None or name == "-":
                self.cycle.run_unit(self.split(name, data), Output(self.ctx.stdout.write, self.sep))
                continue
            path = self.ctx.abspath(name)
            try:
                self.check_writable(path)
            except OSError:
                raise Fatal(f"couldn't open temporary file {name}: Permission denied") from None
            chunks: list[bytes] = []
            try:
                self.cycle.run_unit(self.split(name, data), Output(chunks.append, self.sep))
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
