"""bash's ``[[ ]]`` conditional command: parsed with the rest of the line (so
``[[ a b ]]`` is an error before anything runs), evaluated without field
splitting or globbing; ``==`` matches a pattern, ``=~`` a POSIX extended
regular expression, ``-eq`` and friends compare arithmetic expressions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mailsim.shell.lexer import LIT, Redirect, Segment, ShellSyntaxError, Word

if TYPE_CHECKING:
    from mailsim.shell.session import Shell
    from mailsim.shell.streams import InputStream, OutputStream

UNARY = frozenset("-" + c for c in "abcdefghknoprstuvwxzGLNOS")
STRING_OPS = frozenset({"==", "=", "!=", "<", ">", "=~"})
FILE_OPS = frozenset({"-nt", "-ot", "-ef"})
INT_OPS = frozenset({"-eq", "-ne", "-lt", "-le", "-gt", "-ge"})
BINARY = STRING_OPS | FILE_OPS | INT_OPS

Item = tuple[str, str, Word | None]
"""("word", text, word) or ("op", text, None), as the lexer read them."""


@dataclass
class Cond:
    """A node: kind is "and", "or", "not", "unary", "binary" or "word"."""

    kind: str
    op: str = ""
    words: tuple[Word, ...] = ()
    children: tuple[Cond, ...] = ()


@dataclass
class CondCommand:
    expr: Cond | None
    """None for ``[[ ]]``: false, as in bash."""
    redirects: list[Redirect] = field(default_factory=list)


class _BadRegex(Exception):
    """bash answers status 2 for a regular expression it cannot compile."""


class _CondParser:
    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.pos = 0

    def _peek(self, offset: int = 0) -> Item | None:
        i = self.pos + offset
        return self.items[i] if i < len(self.items) else None

    def _is(self, kind: str, text: str, offset: int = 0) -> bool:
        item = self._peek(offset)
        return item is not None and item[0] == kind and item[1] == text

    def parse(self) -> Cond:
        node = self.or_()
        if self.pos < len(self.items):
            raise ShellSyntaxError(
                f"syntax error in conditional expression: unexpected token `{self.items[self.pos][1]}'"
            )
        return node

    def or_(self) -> Cond:
        node = self.and_()
        while self._is("op", "||"):
            self.pos += 1
            node = Cond("or", children=(node, self.and_()))
        return node

    def and_(self) -> Cond:
        node = self.not_()
        while self._is("op", "&&"):
            self.pos += 1
            node = Cond("and", children=(node, self.not_()))
        return node

    def not_(self) -> Cond:
        if self._is("word", "!"):
            self.pos += 1
            return Cond("not", children=(self.not_(),))
        return self.primary()

    def primary(self) -> Cond:
        item = self._peek()
        if item is None:
            raise ShellSyntaxError("unexpected argument to conditional expression")
        if item[0] == "op" and item[1] == "(":
            self.pos += 1
            node = self.or_()
            if not self._is("op", ")"):
                raise ShellSyntaxError("syntax error in conditional expression")
            self.pos += 1
            return node
        if item[0] != "word" or item[2] is None:
            raise ShellSyntaxError(
                f"syntax error in conditional expression: unexpected token `{item[1]}'"
            )
        following = self._peek(1)
        if item[1] in UNARY and not (following and following[1] in BINARY):
            if following is None or following[0] != "word" or following[2] is None:
                raise ShellSyntaxError("unexpected argument `]]' to conditional unary operator")
            self.pos += 2
            return Cond("unary", item[1], (following[2],))
        if following is not None and following[1] in BINARY:
            right = self._peek(2)
            if right is None or right[2] is None:
                raise ShellSyntaxError("unexpected argument to conditional binary operator")
            self.pos += 3
            if following[1] == "=~":
                return Cond("binary", "=~", (item[2], self._regex_word(right)))
            return Cond("binary", following[1], (item[2], right[2]))
        if following is not None and following[0] == "word":
            raise ShellSyntaxError("conditional binary operator expected")
        self.pos += 1
        return Cond("word", words=(item[2],))

    def _regex_word(self, first: Item) -> Word:
        """After ``=~`` the regex runs on over ``(``, ``|`` and ``)`` as bash reads it."""
        assert first[2] is not None
        if not self._is("op", "(") and not self._is("op", "|"):
            return first[2]
        parts: list[Segment] = list(first[2].segments)
        depth = 0
        while (item := self._peek()) is not None:
            if item[0] == "op" and item[1] in ("&&", "||") and depth == 0:
                break
            if item[0] == "op" and item[1] == ")" and depth == 0:
                break
            depth += item[1] == "("
            depth -= item[1] == ")" and item[0] == "op"
            parts.extend(item[2].segments if item[2] is not None else [Segment(LIT, item[1])])
            self.pos += 1
        return Word(parts)


def parse_cond(items: list[Item]) -> CondCommand:
    if not items:
        return CondCommand(None)
    return CondCommand(_CondParser(items).parse())


def run_cond(
    shell: Shell,
    node: CondCommand,
    stdin: InputStream,
    stdout: OutputStream,
    stderr: OutputStream,
) -> int:
    from mailsim.shell.arith import ArithError

    if node.expr is None:
        return 1
    try:
        return 0 if _Evaluator(shell, stdin, stdout, stderr).eval(node.expr) else 1
    except ArithError as exc:
        stderr.write(f"bash: [[: {exc}\n")
        return 1
    except _BadRegex:
        return 2


class _Evaluator:
    def __init__(self, shell: Shell, stdin, stdout, stderr) -> None:  # type: ignore[no-untyped-def]
        from mailsim.shell.commands.test_cmd import _Test
        from mailsim.shell.context import Context

        self.shell = shell
        self.expander = shell.expander()
        ctx = Context(
            ["[["],
            stdin,
            stdout,
            stderr,
            shell.machine,
            dict(shell.env),
            shell.cwd,
            shell.user,
            shell.terminal,
            shell,
        )
        self.test = _Test(ctx, [])

    def text(self, word: Word) -> str:
        return "".join(self.expander.segment_text(seg) for seg in word.segments)

    def eval(self, node: Cond) -> bool:
        if node.kind == "and":
            return self.eval(node.children[0]) and self.eval(node.children[1])
        if node.kind == "or":
            return self.eval(node.children[0]) or self.eval(node.children[1])
        if node.kind == "not":
            return not self.eval(node.children[0])
        if node.kind == "word":
            return self.text(node.words[0]) != ""
        if node.kind == "unary":
            return self.test.unary_test(node.op[1], self.text(node.words[0]))
        left_word, right_word = node.words
        left = self.text(left_word)
        op = node.op
        if op in ("==", "=", "!="):
            from mailsim.shell.compound import _pattern_regex

            matched = _pattern_regex(self.expander, right_word).fullmatch(left) is not None
            return matched if op != "!=" else not matched
        right = self.text(right_word)
        if op == "<":
            return left < right
        if op == ">":
            return left > right
        if op == "=~":
            return self.regex(left, right_word)
        if op in FILE_OPS:
            return self.test.compare_files(left, op, right)
        from mailsim.shell.arith import evaluate

        a = evaluate(left, self.shell.lookup, self.shell.assign)
        b = evaluate(right, self.shell.lookup, self.shell.assign)
        return {"-eq": a == b, "-ne": a != b, "-lt": a < b, "-le": a <= b, "-gt": a > b}.get(
            op, a >= b
        )

    def regex(self, subject: str, word: Word) -> bool:
        """Quoted parts of the pattern match literally, as in bash."""
        import re

        from mailsim.shell.posix_regex import RegexError, RegexTimeout, compile_ere

        pattern = "".join(
            re.sub(r"([][\\.^$*+?(){}|])", r"\\\1", self.expander.segment_text(seg))
            if seg.quoted
            else self.expander.segment_text(seg)
            for seg in word.segments
        )
        try:
            match = compile_ere(pattern).search(subject)
        except (RegexError, RegexTimeout):
            raise _BadRegex() from None
        self.shell.assign("BASH_REMATCH", match.group(0) if match else "")
        return match is not None
