"""Tokens of an awk program, as mawk 1.3.4 scans them.

A ``/`` starts a regular expression unless it follows something that ends an
operand (a name, a number, a string, ``)``, ``]``, ``$``-less ``++``/``--``),
which is how every awk tells division from a pattern. Newlines are tokens: the
grammar decides where they end a statement and where they are only blanks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEYWORDS = {
    "BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break",
    "continue", "next", "nextfile", "exit", "return", "delete", "in", "getline",
    "print", "printf",
}  # fmt: skip

BUILTINS = {
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower",
    "toupper", "int", "sqrt", "exp", "log", "sin", "cos", "atan2", "rand", "srand",
    "system", "close", "fflush",
}  # fmt: skip


class AwkSyntaxError(Exception):
    """A compile-time error; ``str(exc)`` is mawk's text after ``mawk: ``."""


@dataclass(slots=True)
class Token:
    kind: str
    """NUMBER STRING ERE NAME FUNC_NAME BUILTIN NEWLINE EOF, a keyword, or the operator itself."""
    value: str
    line: int
    number: float = 0.0


_OPERATORS = [
    "+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--",
    "&&", "||", ">>", "!~",
    "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<",
    "|", "?", ":", "~", "$", "=",
]  # fmt: skip
_OPERATORS.sort(key=len, reverse=True)

_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_ENDS_OPERAND = {"NUMBER", "STRING", "ERE", "NAME", ")", "]", "$", "++", "--"}
"""After these a / divides. Not after a builtin's name: mawk reads length /x/ as a regex."""

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "/": "/", "a": "\a",
            "b": "\b", "f": "\f", "v": "\v"}  # fmt: skip


def unescape(text: str, in_regex: bool = False) -> str:
    """Backslash escapes of a string constant (and of a regex's text, keeping those a
    regex needs: ``\\.`` stays ``\\.`` so the dot is literal)."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        e = text[i + 1]
        if e in "01234567":
            j = i + 1
            while j < n and j < i + 4 and text[j] in "01234567":
                j += 1
            ch = chr(int(text[i + 1 : j], 8) & 0xFF)
            out.append(re.escape(ch) if in_regex else ch)
            i = j
            continue
        if (e == "/" and in_regex) or (e == '"' and not in_regex):
            out.append(e)
        elif e in _ESCAPES and e not in '\\"/':
            out.append(_ESCAPES[e])
        elif in_regex:
            out.append("\\" + e)
        elif e == "\\":
            out.append("\\")
        else:
            # mawk keeps an unknown escape as the backslash and the character.
            out.append("\\" + e)
        i += 2
    return "".join(out)


class Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.last = "NEWLINE"
        self.tokens: list[Token] = []

    def error(self, message: str) -> AwkSyntaxError:
        return AwkSyntaxError(f"line {self.line}: {message}")

    def run(self) -> list[Token]:
        text = self.text
        n = len(text)
        while True:
            # Blanks, comments and escaped newlines.
            while self.pos < n:
                c = text[self.pos]
                if c in " \t\r\f\v":
                    self.pos += 1
                elif c == "\\" and text.startswith("\n", self.pos + 1):
                    self.pos += 2
                    self.line += 1
                elif c == "\\" and text.startswith("\r\n", self.pos + 1):
                    self.pos += 3
                    self.line += 1
                elif c == "#":
                    while self.pos < n and text[self.pos] != "\n":
                        self.pos += 1
                else:
                    break
            if self.pos >= n:
                self.add("EOF", "")
                return self.tokens
            self.step()

    def add(self, kind: str, value: str, number: float = 0.0) -> None:
        self.tokens.append(Token(kind, value, self.line, number))
        self.last = kind

    def step(self) -> None:
        text = self.text
        c = text[self.pos]
        if c == "\n":
            self.add("NEWLINE", "\n")
            self.pos += 1
            self.line += 1
            return
        if c == '"':
            self.string()
            return
        if c == "/" and self.last not in _ENDS_OPERAND:
            self.regex()
            return
        if c.isdigit() or (c == "." and text[self.pos + 1 : self.pos + 2].isdigit()):
            m = _NUMBER.match(text, self.pos)
            assert m is not None
            self.pos = m.end()
            self.add("NUMBER", m.group(0), float(m.group(0)))
            return
        m = _NAME.match(text, self.pos)
        if m:
            word = m.group(0)
            self.pos = m.end()
            if word in KEYWORDS:
                self.add("function" if word == "func" else word, word)
            elif word in BUILTINS:
                self.add("BUILTIN", word)
            elif text.startswith("(", self.pos):
                self.add("FUNC_NAME", word)
            else:
                self.add("NAME", word)
            return
        for op in _OPERATORS:
            if text.startswith(op, self.pos):
                self.pos += len(op)
                self.add(op, op)
                return
        self.pos += 1
        raise self.error(f"syntax error at or near {c}")

    def string(self) -> None:
        text = self.text
        start = self.pos + 1
        i = start
        n = len(text)
        while i < n and text[i] != '"':
            if text[i] == "\n":
                break
            if text[i] == "\\" and i + 1 < n:
                if text[i + 1] == "\n":
                    self.line += 1
                i += 2
                continue
            i += 1
        if i >= n or text[i] != '"':
            raise self.error(f'runaway string constant "{text[start : start + 10]} ...')
        raw = text[start:i].replace("\\\n", "")
        self.pos = i + 1
        self.add("STRING", unescape(raw))

    def regex(self) -> None:
        text = self.text
        start = self.pos + 1
        i = start
        n = len(text)
        in_bracket = False
        while i < n and text[i] != "\n":
            ch = text[i]
            if ch == "\\" and i + 1 < n:
                i += 2
                continue
            if ch == "[" and not in_bracket:
                in_bracket = True
                # A ] right after [ or [^ is a member.
                if text.startswith("^", i + 1):
                    i += 1
                if text.startswith("]", i + 1):
                    i += 1
            elif ch == "]" and in_bracket:
                in_bracket = False
            elif ch == "/" and not in_bracket:
                break
            i += 1
        if i >= n or text[i] != "/":
            raise self.error(f"runaway regular expression /{text[start : start + 10]} ...")
        self.pos = i + 1
        self.add("ERE", text[start:i])
