"""bash's ``test`` and ``[`` builtins, with the parsing rules of bash's ``test.c``.

Up to four arguments follow POSIX's rules by count (so ``[ -f ]`` is true: one
non-empty string); more arguments go through the ``-a``/``-o``/``!``/``( )``
grammar. File tests look at the simulated machine.
"""

from __future__ import annotations

from mailsim.machine.files import Stat
from mailsim.shell.context import Context
from mailsim.shell.registry import command

UNARY = set("abcdefghknoprstuvwxzGLNOS")
BINARY = {"=", "==", "!=", "<", ">", "-nt", "-ot", "-ef"} | {
    "-eq",
    "-ne",
    "-lt",
    "-le",
    "-gt",
    "-ge",
}
_INT_LIMIT = 1 << 63


class TestError(Exception):
    """A usage error: bash prints ``bash: [: MESSAGE`` and the status is 2."""


def _is_unop(arg: str) -> bool:
    return len(arg) == 2 and arg[0] == "-" and arg[1] in UNARY


def _integer(text: str) -> int:
    stripped = text.strip(" \t\n")
    body = stripped[1:] if stripped[:1] in "+-" else stripped
    if not body.isdigit() or not body.isascii():
        raise TestError(f"{text}: integer expression expected")
    value = int(stripped)
    if not -_INT_LIMIT <= value < _INT_LIMIT:
        raise TestError(f"{text}: integer expression expected")
    return value


class _Test:
    """One evaluation over ``argv[1:]`` (without a closing ``]``)."""

    def __init__(self, ctx: Context, args: list[str], bracket: bool = False) -> None:
        self.ctx = ctx
        self.bracket = bracket
        """Run as ``[``: bash still sees the ``]`` past the end of the arguments."""
        self.argv = [ctx.name, *args]
        self.argc = len(self.argv)
        self.pos = 1

    def run(self) -> bool:
        if self.pos >= self.argc:
            return False
        value = self.posix()
        if self.pos != self.argc:
            if self.argv[self.pos].startswith("-"):
                raise TestError(f"syntax error: `{self.argv[self.pos]}' unexpected")
            raise TestError("too many arguments")
        return value

    def posix(self) -> bool:
        count = self.argc - 1
        argv = self.argv
        if count == 1:
            self.pos = self.argc
            return argv[1] != ""
        if count == 2:
            value = self.two()
            self.pos = self.argc
            return value
        if count == 3:
            return self.three()
        if count == 4:
            if argv[1] == "!":
                self.pos += 1
                return not self.three()
            if argv[1] == "(" and argv[4] == ")":
                self.pos += 1
                value = self.two()
                self.pos = self.argc
                return value
        return self.expr()

    def two(self) -> bool:
        first, second = self.argv[self.pos], self.argv[self.pos + 1]
        if first == "!":
            return second == ""
        if _is_unop(first):
            return self.unary()
        raise TestError(f"{first}: unary operator expected")

    def three(self) -> bool:
        argv, pos = self.argv, self.pos
        middle = argv[pos + 1]
        if middle in BINARY:
            value = self.binary()
        elif middle in ("-a", "-o"):
            left, right = argv[pos] != "", argv[pos + 2] != ""
            value = (left and right) if middle == "-a" else (left or right)
        elif argv[pos] == "!":
            self.pos += 1
            value = not self.two()
        elif argv[pos] == "(" and argv[pos + 2] == ")":
            value = argv[pos + 1] != ""
        else:
            raise TestError(f"{middle}: binary operator expected")
        self.pos = self.argc
        return value

    def _advance(self, need_more: bool) -> None:
        self.pos += 1
        if need_more and self.pos >= self.argc:
            raise TestError("argument expected")

    def expr(self) -> bool:
        if self.pos >= self.argc:
            raise TestError("argument expected")
        return self.or_()

    def or_(self) -> bool:
        value = self.and_()
        if self.pos < self.argc and self.argv[self.pos] == "-o":
            self._advance(False)
            right = self.or_()
            return value or right
        return value

    def and_(self) -> bool:
        value = self.term()
        if self.pos < self.argc and self.argv[self.pos] == "-a":
            self._advance(False)
            right = self.and_()
            return value and right
        return value

    def term(self) -> bool:
        if self.pos >= self.argc:
            raise TestError("argument expected")
        argv = self.argv
        if argv[self.pos] == "!":
            negate = False
            while self.pos < self.argc and argv[self.pos] == "!":
                self._advance(True)
                negate = not negate
            return not self.term() if negate else self.term()
        if argv[self.pos] == "(":
            self._advance(True)
            value = self.expr()
            if self.pos >= self.argc:
                raise TestError("`)' expected" + (", found ]" if self.bracket else ""))
            if argv[self.pos] != ")":
                raise TestError(f"`)' expected, found {argv[self.pos]}")
            self._advance(False)
            return value
        if self.pos + 3 <= self.argc and argv[self.pos + 1] in BINARY:
            return self.binary()
        if self.pos + 2 <= self.argc and _is_unop(argv[self.pos]):
            return self.unary()
        value = argv[self.pos] != ""
        self._advance(False)
        return value

    def binary(self) -> bool:
        left, op, right = self.argv[self.pos : self.pos + 3]
        self.pos += 3
        if op in ("=", "=="):
            return left == right
        if op == "!=":
            return left != right
        if op == "<":
            return left < right
        if op == ">":
            return left > right
        if op in ("-nt", "-ot", "-ef"):
            return self.compare_files(left, op, right)
        a, b = _integer(left), _integer(right)
        return {
            "-eq": a == b,
            "-ne": a != b,
            "-lt": a < b,
            "-le": a <= b,
            "-gt": a > b,
            "-ge": a >= b,
        }[op]

    def unary(self) -> bool:
        op = self.argv[self.pos]
        if op == "-t":
            self._advance(False)
            if self.pos < self.argc:
                arg = self.argv[self.pos]
                self._advance(False)
                return arg.strip() == "1" and self.ctx.stdout_is_tty
            return self.ctx.stdout_is_tty
        self._advance(True)
        arg = self.argv[self.pos]
        self._advance(False)
        return self.unary_test(op[1], arg)

    def _stat(self, path: str, follow: bool = True) -> Stat | None:
        if path == "":
            return None
        try:
            return self.ctx.machine.stat(self.ctx.abspath(path), follow=follow)
        except OSError:
            return None

    def unary_test(self, op: str, arg: str) -> bool:
        if op == "z":
            return arg == ""
        if op == "n":
            return arg != ""
        if op == "v":
            shell = self.ctx.shell
            return shell is not None and shell.lookup(arg) is not None
        if op == "o":
            shell = self.ctx.shell
            return shell is not None and arg in getattr(shell, "options", set())
        if op in "hL":
            st = self._stat(arg, follow=False)
            return st is not None and st.is_link
        st = self._stat(arg)
        if st is None:
            return False
        if op in "ae":
            return True
        if op == "f":
            return st.is_file
        if op == "d":
            return st.is_dir
        if op == "c":
            return st.kind == "char"
        if op in "bpS":
            return False  # the image holds no block devices, FIFOs or sockets
        if op == "s":
            return st.size > 0
        if op in "rwx":
            return self.may(st, op)
        if op == "u":
            return bool(st.mode & 0o4000)
        if op == "g":
            return bool(st.mode & 0o2000)
        if op == "k":
            return bool(st.mode & 0o1000)
        if op == "O":
            return st.owner == self.ctx.user.name
        if op == "G":
            from mailsim.machine.access import group_names

            return st.group in group_names(self.ctx.machine, self.ctx.user)
        if op == "N":
            return False
        return False

    def may(self, st: Stat, want: str) -> bool:
        if self.ctx.is_root:
            # Root reads and writes anything, but executes only what has an x bit.
            return want != "x" or st.is_dir or bool(st.mode & 0o111)
        from mailsim.machine.access import may

        return may(self.ctx.machine, st.path, self.ctx.user, want)

    def compare_files(self, left: str, op: str, right: str) -> bool:
        a, b = self._stat(left), self._stat(right)
        if op == "-ef":
            machine = self.ctx.machine
            return (
                a is not None
                and b is not None
                and machine.resolve(self.ctx.abspath(left))
                == machine.resolve(self.ctx.abspath(right))
            )
        if op == "-nt":
            return a is not None and (b is None or a.mtime > b.mtime)
        return b is not None and (a is None or a.mtime < b.mtime)


def run_test(ctx: Context, args: list[str], bracket: bool = False) -> int:
    try:
        return 0 if _Test(ctx, args, bracket).run() else 1
    except TestError as exc:
        ctx.err(f"bash: {ctx.name}: {exc}\n")
        return 2


@command("test", synopsis="test [expr]", summary="Evaluate conditional expression.")
def test(ctx: Context) -> int:
    return run_test(ctx, ctx.args)


@command("[", synopsis="[ arg... ]", summary="Evaluate conditional expression.")
def bracket(ctx: Context) -> int:
    if not ctx.args or ctx.args[-1] != "]":
        ctx.err("bash: [: missing `]'\n")
        return 2
    return run_test(ctx, ctx.args[:-1], bracket=True)
