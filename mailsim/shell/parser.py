"""Bash's grammar, for what a mail admin types.

``parse(text)`` turns one or more lines into a list of and-or lists over the
tokens of ``lexer.py``. Input that needs more lines (an open quote, a pending
heredoc, a trailing ``|`` or ``&&``, a backslash-newline) raises ``Incomplete``;
bad input raises ``ShellSyntaxError`` carrying bash's wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    "Command",
    "Incomplete",
    "Lexer",
    "Pipeline",
    "Redirect",
    "Segment",
    "ShellSyntaxError",
    "SimpleCommand",
    "Subshell",
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


Command = SimpleCommand | Subshell


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
    def __init__(self, text: str, lenient_heredoc: bool = False) -> None:
        self.lexer = Lexer(text, lenient_heredoc)
        self.tok = self.lexer.next()

    def _advance(self) -> Token:
        tok = self.tok
        self.tok = self.lexer.next()
        return tok

    def _unexpected(self, tok: Token) -> ShellSyntaxError:
        if tok.kind == "eof":
            return ShellSyntaxError("syntax error: unexpected end of file")
        value = "newline" if tok.kind == "newline" else tok.value
        return ShellSyntaxError(f"syntax error near unexpected token `{value}'")

    def _skip_newlines(self) -> None:
        while self.tok.kind == "newline":
            self._advance()

    def program(self, closing: str | None = None) -> list[AndOr]:
        items: list[AndOr] = []
        self._skip_newlines()
        while self.tok.kind != "eof":
            if closing and self.tok.kind == "op" and self.tok.value == closing:
                break
            item = self.and_or()
            items.append(item)
            if self.tok.kind == "op" and self.tok.value in (";", "&"):
                item.background = self.tok.value == "&"
                self._advance()
            elif self.tok.kind == "newline":
                pass
            elif self.tok.kind == "eof" or (closing and self.tok.value == closing):
                break
            else:
                raise self._unexpected(self.tok)
            self._skip_newlines()
        return items

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
        tok = self.tok
        if tok.kind == "op" and tok.value == "(":
            self._advance()
            body = self.program(closing=")")
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
        while True:
            tok = self.tok
            if tok.kind == "word":
                assert tok.word is not None
                name, eq, _ = tok.value.partition("=")
                if not cmd.words and eq and is_name(name):
                    value_word = _split_assignment(tok.word, len(name) + 1)
                    cmd.assignments.append((name, value_word))
                else:
                    cmd.words.append(tok.word)
                self._advance()
            elif self._is_redirect():
                cmd.redirects.append(self.redirect())
            else:
                break
        if not (cmd.words or cmd.assignments or cmd.redirects):
            raise self._unexpected(self.tok)
        return cmd

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
        op = ">" if tok.value == ">|" else tok.value
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


def parse(text: str, lenient_heredoc: bool = False) -> list[AndOr]:
    """Parse complete input; raises Incomplete or ShellSyntaxError."""
    parser = Parser(text, lenient_heredoc)
    result = parser.program()
    if parser.tok.kind != "eof":
        raise parser._unexpected(parser.tok)
    return result
