"""Word expansion in bash's order: tilde, parameters, command substitution,
field splitting of unquoted results, pathname expansion, quote removal."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from mailsim.shell.arith import ArithError, evaluate
from mailsim.shell.lexer import (
    ARITH,
    CMD,
    LIT,
    TILDE,
    VAR,
    Incomplete,
    Lexer,
    ShellSyntaxError,
    Word,
)

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine

GLOB_CHARS = set("*?[")


class ExpansionError(Exception):
    """bash reports it and the command does not run (status 1)."""


class LineAborted(Exception):
    """An error that abandons the rest of the command line (an arithmetic error,
    ``set -u``'s unbound variable): bash reports it, status 1, next prompt."""

    def __init__(self, message: str, exit_status: int = 1) -> None:
        super().__init__(message)
        self.exit_status = exit_status
        """A non-interactive bash exits with this status."""


class Expander:
    """Expands words against a shell's variables and the machine's files."""

    def __init__(
        self,
        lookup: Callable[[str], str | None],
        assign: Callable[[str, str], None],
        command_output: Callable[[str], str],
        machine: Machine,
        cwd: str,
        home_of: Callable[[str], str | None],
    ) -> None:
        self.lookup = lookup
        self.assign = assign
        self.command_output = command_output
        self.machine = machine
        self.cwd = cwd
        self.home_of = home_of
        self.positional: list[str] = []
        """The words "$@" becomes."""
        self.nounset = False
        """``set -u``: expanding an unset variable aborts the line."""

    def _param(self, name: str, default: tuple[str, str] | None) -> str:
        if name.startswith("#") and len(name) > 1:
            return str(len(self.lookup(name[1:]) or ""))
        value = self.lookup(name)
        if default is None:
            if value is None and self.nounset and name not in ("@", "*"):
                raise LineAborted(f"{name}: unbound variable", 127)
            return value or ""
        op, source = default
        alt = self.expand_string(source)
        empty = value is None or (op.startswith(":") and value == "")
        if op in (":-", "-"):
            return alt if empty else (value or "")
        if op in (":=", "="):
            if empty:
                self.assign(name, alt)
                return alt
            return value or ""
        return "" if empty else alt  # :+ and +

    def expand_string(self, source: str) -> str:
        """Expand a fragment as if double-quoted (defaults, heredoc bodies)."""
        try:
            segments = Lexer(source + '"')._double_quoted()
        except Incomplete as exc:  # `$((`))`: bash's parser would have refused it
            raise LineAborted(f"unexpected EOF while looking for matching `{exc.detail}'") from None
        except ShellSyntaxError as exc:
            raise LineAborted(str(exc)) from None
        return "".join(self.segment_text(seg) for seg in segments)

    def segment_text(self, seg) -> str:  # type: ignore[no-untyped-def]
        """One segment's expansion, before field splitting and globbing."""
        if seg.kind == LIT:
            return seg.text
        if seg.kind == VAR:
            return self._param(seg.text, seg.default)
        if seg.kind == CMD:
            return self.command_output(seg.text).rstrip("\n")
        if seg.kind == TILDE:
            return self._tilde(seg.text)
        if seg.kind == ARITH:
            return self.arithmetic(seg.text)
        return ""

    def arithmetic(self, source: str) -> str:
        """``$((source))``: parameters and command substitutions first, then the sum."""
        text = self.expand_string(source)
        try:
            return str(evaluate(text, self.lookup, self.assign))
        except ArithError as exc:
            raise LineAborted(str(exc)) from None

    def _tilde(self, user: str) -> str:
        if user == "":
            return self.lookup("HOME") or "/root"
        if user == "+":
            return self.cwd
        home = self.home_of(user)
        return home if home is not None else "~" + user

    def expand_heredoc(self, body: str) -> str:
        out = []
        i = 0
        while i < len(body):
            ch = body[i]
            if ch == "\\" and i + 1 < len(body) and body[i + 1] in "$`\\\n":
                if body[i + 1] != "\n":
                    out.append(body[i + 1])
                i += 2
                continue
            if ch in "$`":
                lexer = Lexer(body)
                lexer.pos = i
                try:
                    seg = lexer._dollar(True) if ch == "$" else lexer._backquote(True)
                except Incomplete as exc:
                    raise LineAborted(
                        f"unexpected EOF while looking for matching `{exc.detail}'"
                    ) from None
                except ShellSyntaxError as exc:
                    raise LineAborted(str(exc)) from None
                out.append(self.segment_text(seg))
                i = lexer.pos
                continue
            out.append(ch)
            i += 1
        return "".join(out)

    def fields(self, word: Word, glob: bool = True) -> list[str]:
        """One word → zero or more arguments."""
        # Each field is a list of (text, quoted) pieces so globbing knows what was quoted.
        fields: list[list[tuple[str, bool]]] = [[]]
        had_quoted = False
        for seg in word.segments:
            if seg.kind == VAR and seg.text == "@" and seg.quoted:
                # "$@": one field per positional parameter, none when there are none.
                for index, param in enumerate(self.positional):
                    had_quoted = True
                    if index:
                        fields.append([])
                    fields[-1].append((param, True))
                continue
            text = self.segment_text(seg)
            if seg.quoted:
                had_quoted = True
                fields[-1].append((text, True))
            elif seg.kind in (VAR, CMD, ARITH):
                parts = re.split(r"[ \t\n]+", text)
                if text[:1] in (" ", "\t", "\n") and fields[-1]:
                    fields.append([])
                parts = [p for p in parts if p != ""] if parts else []
                for k, part in enumerate(parts):
                    if k:
                        fields.append([])
                    fields[-1].append((part, False))
                if text[-1:] in (" ", "\t", "\n") and parts:
                    fields.append([])
            else:
                fields[-1].append((text, seg.kind == TILDE))
        result: list[str] = []
        for pieces in fields:
            if not pieces:
                continue
            joined = "".join(t for t, _ in pieces)
            if glob and any(not q and GLOB_CHARS & set(t) for t, q in pieces):
                pattern = "".join(t if not q else _escape_glob(t) for t, q in pieces)
                matches = self.glob(pattern)
                if matches:
                    result.extend(matches)
                    continue
            result.append(joined)
        if not result and had_quoted and not any(fields):
            result.append("")
        elif not result and had_quoted:
            result.append("")
        return result

    def glob(self, pattern: str) -> list[str]:
        """Pathname expansion on the machine (hidden files only when asked for)."""
        absolute = pattern.startswith("/")
        parts = [p for p in pattern.split("/") if p]
        bases = ["/" if absolute else ""]
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            next_bases = []
            for base in bases:
                if not any(c in part for c in GLOB_CHARS):
                    candidate = _join(base, _unescape_glob(part))
                    if last or self.machine.is_dir(candidate, self.cwd):
                        next_bases.append(candidate)
                    continue
                directory = base or "."
                try:
                    names = self.machine.listdir(directory, self.cwd)
                except OSError:
                    continue
                regex = re.compile(fnmatch.translate(part), re.S)
                for name in names:
                    if name.startswith(".") and not part.startswith("."):
                        continue
                    if regex.fullmatch(name):
                        candidate = _join(base, name)
                        if last or self.machine.is_dir(candidate, self.cwd):
                            next_bases.append(candidate)
            bases = next_bases
            if not bases:
                return []
        if pattern.endswith("/"):
            bases = [b + "/" for b in bases]
        if all(self.machine.lexists(b, self.cwd) for b in bases):
            return sorted(bases)
        return []


def _join(base: str, name: str) -> str:
    if base == "":
        return name
    if base == "/":
        return "/" + name
    return base + "/" + name


def _escape_glob(text: str) -> str:
    return "".join(f"[{c}]" if c in GLOB_CHARS else c for c in text)


def _unescape_glob(text: str) -> str:
    return re.sub(r"\[([*?\[])\]", r"\1", text)
