"""Bash's tokens, for what a mail admin types: words with their quoting, operators,
redirections, here-documents.

Words keep their quoting as segments, so expansion (``expand.py``) knows what may
be split and globbed. Input that needs more lines (an open quote, a pending
here-document, a backslash-newline) raises ``Incomplete``; bad input raises
``ShellSyntaxError`` carrying bash's wording. ``parser.py`` builds commands from
the tokens.
"""

from __future__ import annotations

from dataclasses import dataclass

# Segment kinds of a word.
LIT, VAR, CMD, TILDE, ARITH = "lit", "var", "cmd", "tilde", "arith"


@dataclass(frozen=True)
class Segment:
    kind: str
    text: str
    quoted: bool = False
    """Inside single or double quotes (or escaped): no field splitting, no globbing."""
    default: tuple[str, str] | None = None
    """For ``${VAR:-word}``-style expansions: (operator, word source)."""


@dataclass
class Word:
    segments: list[Segment]
    source: str = ""

    @property
    def is_quoted_anywhere(self) -> bool:
        return any(s.quoted for s in self.segments)


@dataclass
class Redirect:
    fd: int
    op: str  # ">", ">|", ">>", "<", "<<", "<<<", ">&", "<&", "&>", "&>>"
    target: Word | None = None
    heredoc: str | None = None
    heredoc_expand: bool = True


class ShellSyntaxError(Exception):
    """``str(exc)`` is bash's message after ``bash: ``."""

    line = 0
    """The line (from 1) of the input where the error is, when the parser knows it."""


class Incomplete(Exception):
    """More input is needed (bash would show its ``> `` prompt)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


OPERATORS = (
    "&&",
    "||",
    ";;",
    "|&",
    "<<<",
    "<<-",
    "&>>",
    "<<",
    ">>",
    ">&",
    "<&",
    "&>",
    ">|",
    "|",
    "&",
    ";",
    "(",
    ")",
    "<",
    ">",
)
META = set(" \t\n|&;()<>")
NAME_START = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
NAME_CHARS = NAME_START | set("0123456789")
SPECIAL_PARAMS = set("?$#!@*-0123456789")


@dataclass
class Token:
    kind: str  # "word", "op", "newline", "eof", "arith" (the inside of ``(( ))``)
    value: str
    word: Word | None = None
    fd: int | None = None  # for redirection operators written like 2>
    heredoc: Redirect | None = None  # the delimiter word of << carries its redirect
    start: int = 0
    """Where the token starts in the lexer's text (alias expansion replaces it)."""


def is_name(text: str) -> bool:
    return bool(text) and text[0] in NAME_START and all(c in NAME_CHARS for c in text)


class Lexer:
    def __init__(self, text: str, lenient_heredoc: bool = False) -> None:
        self.text = text
        self.lenient_heredoc = lenient_heredoc
        """At end of input a heredoc ends where the text does (bash warns and goes on)."""
        self.pos = 0
        self.token_start = 0
        self.pending_heredocs: list[Redirect] = []
        self._heredoc_op: str | None = None

    def _peek(self, offset: int = 0) -> str:
        i = self.pos + offset
        return self.text[i] if i < len(self.text) else ""

    def tokens(self) -> list[Token]:
        out: list[Token] = []
        while True:
            tok = self.next()
            out.append(tok)
            if tok.kind == "eof":
                return out

    def next(self) -> Token:
        tok = self._next()
        tok.start = self.token_start
        if self._heredoc_op is not None and tok.kind != "op":
            op, self._heredoc_op = self._heredoc_op, None
            if tok.kind == "word" and tok.word is not None:
                # Registered here, not in the parser: the parser's lookahead may
                # already have lexed the newline where the body starts.
                tok.heredoc = _heredoc_redirect(op, tok.word)
                self.pending_heredocs.append(tok.heredoc)
        elif tok.kind == "op" and tok.value in ("<<", "<<-"):
            self._heredoc_op = tok.value
        return tok

    def _next(self) -> Token:
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in " \t":
                self.pos += 1
            elif ch == "\\" and self._peek(1) == "\n":
                self.pos += 2
            elif ch == "\\" and self.pos + 1 == len(text):
                raise Incomplete("backslash")
            elif ch == "#":
                while self.pos < len(text) and text[self.pos] != "\n":
                    self.pos += 1
            else:
                break
        self.token_start = self.pos
        if self.pos >= len(text):
            if self.pending_heredocs:
                if not self.lenient_heredoc:
                    raise Incomplete("heredoc", self.pending_heredocs[0].heredoc or "")
                self._read_heredocs()
            return Token("eof", "")
        ch = text[self.pos]
        if ch == "\n":
            self.pos += 1
            self._read_heredocs()
            return Token("newline", "\n")
        # A file descriptor number directly before a redirection: 2>, 2>>, 2>&1, 0<
        if ch.isdigit():
            j = self.pos
            while j < len(text) and text[j].isdigit():
                j += 1
            if j < len(text) and text[j] in "<>":
                fd = int(text[self.pos : j])
                self.pos = j
                tok = self._operator()
                tok.fd = fd
                return tok
        if ch == "(" and self._peek(1) == "(":
            end = _arith_end(text, self.pos + 2)
            if end is not None:
                source = text[self.pos + 2 : end]
                self.pos = end + 2
                return Token("arith", source)
        if ch in "|&;()<>":
            return self._operator()
        return self._word()

    def _operator(self) -> Token:
        for op in OPERATORS:
            if self.text.startswith(op, self.pos):
                self.pos += len(op)
                return Token("op", op)
        raise AssertionError("unreachable")  # pragma: no cover

    def _word(self) -> Token:
        text = self.text
        start = self.pos
        segments: list[Segment] = []
        buf: list[str] = []

        def flush(quoted: bool = False) -> None:
            if buf:
                segments.append(Segment(LIT, "".join(buf), quoted))
                buf.clear()

        if text[self.pos] == "~":
            j = self.pos + 1
            while j < len(text) and text[j] not in META and text[j] not in "/\"'$`":
                j += 1
            if j >= len(text) or text[j] in META or text[j] == "/":
                segments.append(Segment(TILDE, text[self.pos + 1 : j]))
                self.pos = j
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in META:
                break
            if ch == "\\":
                nxt = self._peek(1)
                if nxt == "":
                    raise Incomplete("backslash")
                if nxt == "\n":
                    self.pos += 2
                    continue
                flush()
                segments.append(Segment(LIT, nxt, True))
                self.pos += 2
            elif ch == "'":
                end = text.find("'", self.pos + 1)
                if end < 0:
                    raise Incomplete("quote", "'")
                flush()
                segments.append(Segment(LIT, text[self.pos + 1 : end], True))
                self.pos = end + 1
            elif ch == '"':
                flush()
                self.pos += 1
                segments.extend(self._double_quoted())
            elif ch == "$":
                flush()
                segments.append(self._dollar(quoted=False))
            elif ch == "`":
                flush()
                segments.append(self._backquote(quoted=False))
            else:
                buf.append(ch)
                self.pos += 1
        flush()
        word = Word(segments, text[start : self.pos])
        return Token("word", text[start : self.pos], word)

    def _double_quoted(self) -> list[Segment]:
        text = self.text
        segments: list[Segment] = []
        buf: list[str] = []
        while True:
            if self.pos >= len(text):
                raise Incomplete("quote", '"')
            ch = text[self.pos]
            if ch == '"':
                self.pos += 1
                break
            if ch == "\\" and self._peek(1) in ('"', "\\", "$", "`", "\n"):
                if self._peek(1) != "\n":
                    buf.append(self._peek(1))
                self.pos += 2
            elif ch == "$":
                if buf:
                    segments.append(Segment(LIT, "".join(buf), True))
                    buf = []
                segments.append(self._dollar(quoted=True))
            elif ch == "`":
                if buf:
                    segments.append(Segment(LIT, "".join(buf), True))
                    buf = []
                segments.append(self._backquote(quoted=True))
            else:
                buf.append(ch)
                self.pos += 1
        if buf or not segments:
            segments.append(Segment(LIT, "".join(buf), True))
        return segments

    def _dollar(self, quoted: bool) -> Segment:
        text = self.text
        nxt = self._peek(1)
        if nxt == "{":
            end = text.find("}", self.pos + 2)
            if end < 0:
                raise Incomplete("quote", "}")
            body = text[self.pos + 2 : end]
            self.pos = end + 1
            for op in (":-", ":=", ":+", "-", "=", "+"):
                name, sep, rest = body.partition(op)
                if sep and (is_name(name) or name in SPECIAL_PARAMS):
                    return Segment(VAR, name, quoted, (op, rest))
            if body.startswith("#") and (is_name(body[1:]) or body[1:] in SPECIAL_PARAMS):
                return Segment(VAR, body, quoted)
            if not (is_name(body) or body in SPECIAL_PARAMS):
                raise ShellSyntaxError(f"${{{body}}}: bad substitution")
            return Segment(VAR, body, quoted)
        if nxt == "(" and self._peek(2) == "(":
            arith_end = _arith_end(text, self.pos + 3)
            if arith_end is not None:
                source = text[self.pos + 3 : arith_end]
                self.pos = arith_end + 2
                return Segment(ARITH, source, quoted)
        if nxt == "(":
            depth, j = 1, self.pos + 2
            while j < len(text) and depth:
                c = text[j]
                if c == "\\":
                    j += 2
                    continue
                if c == "'":
                    k = text.find("'", j + 1)
                    j = (k if k >= 0 else len(text)) + 1
                    continue
                if c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                j += 1
            if depth:
                raise Incomplete("quote", ")")
            source = text[self.pos + 2 : j - 1]
            self.pos = j
            return Segment(CMD, source, quoted)
        if nxt and nxt in SPECIAL_PARAMS:
            self.pos += 2
            return Segment(VAR, nxt, quoted)
        if nxt and nxt in NAME_START:
            j = self.pos + 1
            while j < len(text) and text[j] in NAME_CHARS:
                j += 1
            name = text[self.pos + 1 : j]
            self.pos = j
            return Segment(VAR, name, quoted)
        if nxt == "'" and not quoted:
            # $'...' ANSI-C quoting
            end = self.pos + 2
            buf = []
            while end < len(text) and text[end] != "'":
                if text[end] == "\\" and end + 1 < len(text):
                    buf.append(_ansi_c(text[end + 1]))
                    end += 2
                    continue
                buf.append(text[end])
                end += 1
            if end >= len(text):
                raise Incomplete("quote", "'")
            self.pos = end + 1
            return Segment(LIT, "".join(buf), True)
        self.pos += 1
        return Segment(LIT, "$", quoted)

    def _backquote(self, quoted: bool) -> Segment:
        end = self.text.find("`", self.pos + 1)
        if end < 0:
            raise Incomplete("quote", "`")
        source = self.text[self.pos + 1 : end]
        self.pos = end + 1
        return Segment(CMD, source, quoted)

    def _read_heredocs(self) -> None:
        """Heredoc bodies start on the line after the operator."""
        while self.pending_heredocs:
            redirect = self.pending_heredocs[0]
            delim = redirect.heredoc or ""
            strip_tabs = redirect.op == "<<-"
            lines: list[str] = []
            while True:
                if self.pos >= len(self.text):
                    if self.lenient_heredoc:
                        break
                    raise Incomplete("heredoc", delim)
                end = self.text.find("\n", self.pos)
                if end < 0:
                    line, self.pos = self.text[self.pos :], len(self.text)
                    if (line.lstrip("\t") if strip_tabs else line) != delim:
                        if not self.lenient_heredoc:
                            raise Incomplete("heredoc", delim)
                        lines.append(line + "\n")
                        break
                else:
                    line, self.pos = self.text[self.pos : end], end + 1
                check = line.lstrip("\t") if strip_tabs else line
                if check == delim:
                    break
                lines.append(check + "\n")
            redirect.heredoc = "".join(lines)
            self.pending_heredocs.pop(0)


def _arith_end(text: str, start: int) -> int | None:
    """Where the ``))`` closing ``$((`` at ``start`` is; None when the text is a
    command substitution after all (``$((cd /; ls); pwd)``) or has no end yet."""
    depth = 0
    j = start
    while j < len(text):
        c = text[j]
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return j if text.startswith("))", j) else None
            depth -= 1
        j += 1
    return None


def _ansi_c(ch: str) -> str:
    return {
        "n": "\n",
        "t": "\t",
        "r": "\r",
        "a": "\a",
        "b": "\b",
        "e": "\x1b",
        "\\": "\\",
        "'": "'",
        '"': '"',
        "0": "\0",
    }.get(ch, "\\" + ch)


def _heredoc_redirect(op: str, word: Word) -> Redirect:
    delim = "".join(s.text for s in word.segments if s.kind in (LIT, TILDE))
    if any(s.kind == TILDE for s in word.segments):
        delim = "~" + delim
    return Redirect(0, op, None, delim, not word.is_quoted_anywhere)
