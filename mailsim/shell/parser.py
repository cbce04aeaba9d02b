"""Bash's grammar, for what a mail admin types.

``parse(text)`` turns one or more lines into a list of and-or lists over the
tokens of ``lexer.py``. Input that needs more lines (an open quote, a pending
heredoc, a trailing ``|`` or ``&&``, a backslash-newline) raises ``Incomplete``;
bad input raises ``ShellSyntaxError`` carrying bash's wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mailsim.shell.cond import CondCommand, Item, parse_cond
from mailsim.shell.lexer import (
    CMD,
    LIT,
    TILDE,
    VAR,
    Incomplete,
    Lexer,
    Redirect,
    Segment,
    ShellSyntaxError,
    Token,
    Word,
    is_name,
)

__all__ = [
    "CMD",
    "LIT",
    "TILDE",
    "VAR",
    "AndOr",
    "Arith",
    "Case",
    "Command",
    "Compound",
    "CondCommand",
    "For",
    "FunctionDef",
    "Group",
    "If",
    "Incomplete",
    "Lexer",
    "Pipeline",
    "Redirect",
    "Segment",
    "ShellSyntaxError",
    "SimpleCommand",
    "Subshell",
    "While",
    "Word",
    "parse",
]


@dataclass
class SimpleCommand:
    assignments: list[tuple[str, Word]] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class Subshell:
    body: list[AndOr]
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class Group:
    """``{ list; }``: runs in the current shell."""

    body: list[AndOr]
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class If:
    clauses: list[tuple[list[AndOr], list[AndOr]]]
    """(condition, body) for the ``if`` and each ``elif``."""
    else_body: list[AndOr] | None = None
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class For:
    name: str
    words: list[Word] | None
    """None for ``for NAME; do``: the positional parameters."""
    body: list[AndOr]
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class While:
    condition: list[AndOr]
    body: list[AndOr]
    until: bool = False
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class Case:
    word: Word
    items: list[tuple[list[Word], list[AndOr]]]
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class Arith:
    """``(( expression ))``: status 0 when the value is not zero."""

    source: str
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class FunctionDef:
    """``name() compound-command`` or ``function name { ...; }``."""

    name: str
    body: Command
    redirects: list[Redirect] = field(default_factory=list)


Compound = Group | If | For | While | Case | Arith | CondCommand | FunctionDef
Command = SimpleCommand | Subshell | Compound

RESERVED = frozenset(
    {"if", "then", "elif", "else", "fi", "for", "while", "until", "do", "done", "case", "esac"}
    | {"{", "}", "!", "in", "function"}
)
_CLOSERS = frozenset({"then", "elif", "else", "fi", "do", "done", "esac", "}"})
"""Reserved words that can only end a list: at a command's start they are errors."""


@dataclass
class Pipeline:
    commands: list[Command]
    negate: bool = False


@dataclass
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]] = field(default_factory=list)
    background: bool = False


class Parser:
    def __init__(
        self, text: str, lenient_heredoc: bool = False, aliases: dict[str, str] | None = None
    ) -> None:
        self.lexer = Lexer(text, lenient_heredoc)
        self.aliases = aliases or {}
        self._alias_next_at: int | None = None
        """Where the text of an alias ending in a blank ends: the word there may be
        an alias too."""
        self.tok = self.lexer.next()

    def _advance(self) -> Token:
        tok = self.tok
        self.tok = self.lexer.next()
        return tok

    def _unexpected(self, tok: Token) -> ShellSyntaxError:
        if tok.kind == "eof":
            error = ShellSyntaxError("syntax error: unexpected end of file")
        else:
            value = {"newline": "newline", "arith": "("}.get(tok.kind, tok.value)
            error = ShellSyntaxError(f"syntax error near unexpected token `{value}'")
        error.line = self.lexer.text.count("\n", 0, tok.start) + 1
        return error

    def _after_blank_alias(self, tok: Token) -> bool:
        return self._alias_next_at is not None and tok.start >= self._alias_next_at

    def _expand_alias(self, seen: set[str]) -> bool:
        """Replace an alias in command position by its value, as an interactive
        bash does; ``seen`` stops ``alias ls='ls -F'`` from expanding forever."""
        tok = self.tok
        if not self.aliases or tok.kind != "word" or tok.word is None:
            return False
        segments = tok.word.segments
        if not (len(segments) == 1 and segments[0].kind == LIT and not segments[0].quoted):
            return False
        value = self.aliases.get(tok.value)
        if value is None or tok.value in seen:
            return False
        seen.add(tok.value)
        lexer = self.lexer
        lexer.text = lexer.text[: tok.start] + value + lexer.text[lexer.pos :]
        lexer.pos = tok.start
        if value.endswith((" ", "\t")):
            self._alias_next_at = tok.start + len(value)
        elif self._alias_next_at is not None and tok.start < self._alias_next_at:
            # An alias inside the text of one ending in a blank: that text grew.
            self._alias_next_at += len(value) - len(tok.value)
        self.tok = lexer.next()
        return True

    def _skip_newlines(self) -> None:
        while self.tok.kind == "newline":
            self._advance()

    def _reserved(self) -> str | None:
        """The reserved word the current token is, when it stands unquoted."""
        tok = self.tok
        if tok.kind != "word" or tok.value not in RESERVED or tok.word is None:
            return None
        segments = tok.word.segments
        if len(segments) == 1 and segments[0].kind == LIT and not segments[0].quoted:
            return tok.value
        return None

    def _is_literal(self, text: str) -> bool:
        tok = self.tok
        if tok.kind != "word" or tok.value != text or tok.word is None:
            return False
        return all(seg.kind == LIT and not seg.quoted for seg in tok.word.segments)

    def cond_command(self) -> CondCommand:
        """``[[ ... ]]``: the tokens up to ``]]``, parsed by ``cond.py``."""
        self._advance()
        items: list[Item] = []
        while not self._is_literal("]]"):
            tok = self.tok
            if tok.kind == "eof":
                raise Incomplete("compound")
            if tok.kind == "newline" and items and items[-1][1] in ("&&", "||", "("):
                self._advance()  # the expression goes on on the next line
                continue
            if tok.kind == "newline":
                raise ShellSyntaxError(
                    "unexpected token `newline', conditional binary operator expected"
                )
            if tok.kind == "word":
                items.append(("word", tok.value, tok.word))
            elif tok.kind == "op" and tok.value in ("&&", "||", "(", ")", "<", ">", "|"):
                items.append(("op", tok.value, None))
            else:
                raise self._unexpected(tok)
            self._advance()
        self._advance()
        return parse_cond(items)

    def _at_closer(self, closers: frozenset[str]) -> bool:
        if self.tok.kind == "op":
            return self.tok.value in closers
        return self._reserved() in closers

    def program(self, closers: frozenset[str] = frozenset()) -> list[AndOr]:
        items: list[AndOr] = []
        self._skip_newlines()
        while self.tok.kind != "eof":
            if self._at_closer(closers):
                break
            item = self.and_or()
            items.append(item)
            if self.tok.kind == "op" and self.tok.value in (";", "&"):
                item.background = self.tok.value == "&"
                self._advance()
            elif self.tok.kind == "newline":
                pass
            elif self.tok.kind == "eof" or (self.tok.kind == "op" and self.tok.value in closers):
                break
            else:
                raise self._unexpected(self.tok)
            self._skip_newlines()
        return items

    def _body(self, closers: frozenset[str], allow_empty: bool = False) -> list[AndOr]:
        """A list up to one of ``closers``; input ending first needs more lines."""
        body = self.program(closers)
        if self.tok.kind == "eof":
            raise Incomplete("compound")
        if not body and not allow_empty:
            raise self._unexpected(self.tok)
        return body

    def _expect(self, word: str) -> None:
        if self.tok.kind == "eof":
            raise Incomplete("compound")
        if self._reserved() != word:
            raise self._unexpected(self.tok)
        self._advance()

    def and_or(self) -> AndOr:
        node = AndOr(self.pipeline())
        while self.tok.kind == "op" and self.tok.value in ("&&", "||"):
            op = self._advance().value
            self._skip_newlines_or_incomplete()
            node.rest.append((op, self.pipeline()))
        return node

    def _skip_newlines_or_incomplete(self) -> None:
        self._skip_newlines()
        if self.tok.kind == "eof":
            raise Incomplete("operator")

    def pipeline(self) -> Pipeline:
        negate = False
        if self.tok.kind == "word" and self.tok.value == "!":
            negate = True
            self._advance()
        commands = [self.command()]
        while self.tok.kind == "op" and self.tok.value in ("|", "|&"):
            op = self._advance().value
            if op == "|&" and isinstance(commands[-1], SimpleCommand):
                commands[-1].redirects.append(Redirect(2, ">&", Word([Segment(LIT, "1")])))
            self._skip_newlines_or_incomplete()
            commands.append(self.command())
        return Pipeline(commands, negate)

    def command(self) -> Command:
        seen: set[str] = set()
        while self._expand_alias(seen):
            pass
        tok = self.tok
        if self._is_literal("[["):
            cond = self.cond_command()
            while self._is_redirect():
                cond.redirects.append(self.redirect())
            return cond
        reserved = self._reserved()
        if reserved is not None and reserved not in ("!", "in"):
            compound = self.compound(reserved)
            while self._is_redirect():
                compound.redirects.append(self.redirect())
            return compound
        if tok.kind == "arith":
            self._advance()
            arith = Arith(tok.value)
            while self._is_redirect():
                arith.redirects.append(self.redirect())
            return arith
        if tok.kind == "op" and tok.value == "(":
            self._advance()
            body = self.program(frozenset({")"}))
            if self.tok.kind == "eof":
                raise Incomplete("paren")
            if not body:
                raise self._unexpected(self.tok)
            self._advance()
            sub = Subshell(body)
            while self._is_redirect():
                sub.redirects.append(self.redirect())
            return sub
        cmd = SimpleCommand()
        later: set[str] = set()  # aliases expanded after one ending in a blank
        while True:
            tok = self.tok
            if tok.kind == "word":
                assert tok.word is not None
                name, eq, _ = tok.value.partition("=")
                if not cmd.words and eq and is_name(name):
                    value_word = _split_assignment(tok.word, len(name) + 1)
                    cmd.assignments.append((name, value_word))
                elif not cmd.words and self._expand_alias(seen):
                    continue
                elif self._after_blank_alias(tok) and self._expand_alias(later):
                    continue
                else:
                    cmd.words.append(tok.word)
                    if self._after_blank_alias(tok):
                        self._alias_next_at = None
                self._advance()
            elif self._is_redirect():
                cmd.redirects.append(self.redirect())
            else:
                break
        if not (cmd.words or cmd.assignments or cmd.redirects):
            raise self._unexpected(self.tok)
        if (
            len(cmd.words) == 1
            and not (cmd.assignments or cmd.redirects)
            and self.tok.kind == "op"
            and self.tok.value == "("
        ):
            return self.function_def(cmd.words[0].source)
        return cmd

    def function_def(self, name: str, parens: bool = True) -> FunctionDef:
        """The rest of a definition after its name: ``()`` and a compound command."""
        if parens:
            self._advance()
            if self.tok.kind == "eof":
                raise Incomplete("compound")
            if not (self.tok.kind == "op" and self.tok.value == ")"):
                raise self._unexpected(self.tok)
            self._advance()
        self._skip_newlines()
        if self.tok.kind == "eof":
            raise Incomplete("compound")
        starts_compound = (
            self._reserved() in ("{", "if", "for", "while", "until", "case")
            or (self.tok.kind == "op" and self.tok.value == "(")
            or self.tok.kind == "arith"
            or self._is_literal("[[")
        )
        if not starts_compound:
            raise self._unexpected(self.tok)
        return FunctionDef(name, self.command())

    def compound(self, reserved: str) -> Compound:
        if reserved in _CLOSERS:
            raise self._unexpected(self.tok)
        self._advance()
        if reserved == "{":
            body = self._body(frozenset({"}"}))
            self._advance()
            return Group(body)
        if reserved == "if":
            return self.if_clause()
        if reserved == "function":
            name = self._word_or_more().value
            parens = self.tok.kind == "op" and self.tok.value == "("
            return self.function_def(name, parens)
        if reserved in ("while", "until"):
            condition = self._body(frozenset({"do"}))
            self._advance()
            body = self._body(frozenset({"done"}))
            self._advance()
            return While(condition, body, reserved == "until")
        if reserved == "for":
            return self.for_clause()
        return self.case_clause()

    def if_clause(self) -> If:
        clauses: list[tuple[list[AndOr], list[AndOr]]] = []
        else_body: list[AndOr] | None = None
        while True:
            condition = self._body(frozenset({"then"}))
            self._advance()
            body = self._body(frozenset({"elif", "else", "fi"}))
            clauses.append((condition, body))
            word = self._reserved()
            self._advance()
            if word == "elif":
                continue
            if word == "else":
                else_body = self._body(frozenset({"fi"}))
                self._advance()
            return If(clauses, else_body)

    def _word_or_more(self) -> Token:
        if self.tok.kind == "eof":
            raise Incomplete("compound")
        if self.tok.kind != "word":
            raise self._unexpected(self.tok)
        return self._advance()

    def for_clause(self) -> For:
        name_tok = self._word_or_more()
        words: list[Word] | None = None
        if self.tok.kind == "op" and self.tok.value == ";":
            self._advance()
        else:
            self._skip_newlines()
            if self._reserved() == "in":
                self._advance()
                words = []
                while self.tok.kind == "word":
                    assert self.tok.word is not None
                    words.append(self._advance().word)  # type: ignore[arg-type]
                if self.tok.kind == "eof":
                    raise Incomplete("compound")
                if not (self.tok.kind == "newline" or self.tok.value == ";"):
                    raise self._unexpected(self.tok)
                self._advance()
        self._skip_newlines()
        self._expect("do")
        body = self._body(frozenset({"done"}))
        self._advance()
        return For(name_tok.value, words, body)

    def case_clause(self) -> Case:
        word = self._word_or_more().word
        assert word is not None
        self._skip_newlines()
        self._expect("in")
        items: list[tuple[list[Word], list[AndOr]]] = []
        self._skip_newlines()
        while self._reserved() != "esac":
            if self.tok.kind == "op" and self.tok.value == "(":
                self._advance()
            patterns = [self._word_or_more().word]
            while self.tok.kind == "op" and self.tok.value == "|":
                self._advance()
                patterns.append(self._word_or_more().word)
            if self.tok.kind == "eof":
                raise Incomplete("compound")
            if not (self.tok.kind == "op" and self.tok.value == ")"):
                raise self._unexpected(self.tok)
            self._advance()
            body = self._body(frozenset({";;", "esac"}), allow_empty=True)
            items.append(([p for p in patterns if p is not None], body))
            if self.tok.kind == "op" and self.tok.value == ";;":
                self._advance()
                self._skip_newlines()
            if self.tok.kind == "eof":
                raise Incomplete("compound")
        self._advance()
        return Case(word, items)

    def _is_redirect(self) -> bool:
        return self.tok.kind == "op" and self.tok.value in (
            "<",
            ">",
            ">>",
            "<<",
            "<<-",
            "<<<",
            ">&",
            "<&",
            "&>",
            "&>>",
            ">|",
        )

    def redirect(self) -> Redirect:
        tok = self._advance()
        op = tok.value
        fd = tok.fd if tok.fd is not None else (0 if op.startswith("<") else 1)
        if self.tok.kind != "word":
            raise self._unexpected(self.tok)
        word_tok = self._advance()
        if word_tok.heredoc is not None:
            self._last_heredoc = word_tok.heredoc
        target = word_tok.word
        assert target is not None
        if op in ("<<", "<<-"):
            redirect = self._last_heredoc
            redirect.fd = fd
            return redirect
        return Redirect(fd, op, target)


def _split_assignment(word: Word, skip: int) -> Word:
    """The value part of ``NAME=value`` (the first segment starts with ``NAME=``)."""
    segments = list(word.segments)
    first = segments[0]
    rest = first.text[skip:]
    value = ([Segment(LIT, rest, first.quoted)] if rest else []) + segments[1:]
    if (
        len(value) >= 1
        and value[0].kind == LIT
        and value[0].text.startswith("~")
        and not value[0].quoted
        and value[0].text in ("~",)
    ):
        value[0] = Segment(TILDE, "")
    return Word(value, word.source[skip:])


def parse(
    text: str, lenient_heredoc: bool = False, aliases: dict[str, str] | None = None
) -> list[AndOr]:
    """Parse complete input; raises Incomplete or ShellSyntaxError."""
    parser = Parser(text, lenient_heredoc, aliases)
    result = parser.program()
    if parser.tok.kind != "eof":
        raise parser._unexpected(parser.tok)
    return result
