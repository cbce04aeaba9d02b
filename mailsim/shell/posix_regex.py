"""POSIX basic and extended regular expressions, as glibc and GNU grep/sed read them.

The pattern is translated into the syntax of the ``regex`` package (a superset of
``re``) and compiled with its ``POSIX`` flag, which gives the leftmost-longest
match POSIX requires (``echo abcd | sed -E 's/a|ab/X/'`` gives ``Xcd``, where
Python's leftmost-first rule would give ``Xbcd``).

Bounded time: glibc and grep's DFA never backtrack, Python engines can. Every
search runs with a timeout (``TIMEOUT`` seconds per call); a pattern that
exceeds it raises ``RegexTimeout``, which the tools report as a one-line error
instead of hanging the learner's terminal. We chose a timeout over rejecting
nested quantifiers because learners do write ``\\(a*\\)*`` and real tools accept it.

Text is ``str`` decoded from bytes with ``surrogateescape``: bytes that are not
UTF-8 become U+DC80..U+DCFF, which ``.`` and ``[^…]`` never match, as in a
UTF-8 locale.

API: ``compile_bre(pattern, flags)``, ``compile_ere(pattern, flags)``,
``compile_fixed(text, flags)`` → ``Regex``; errors are ``RegexError`` carrying
glibc's message (``Unmatched ( or \\(``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

ICASE = 1
"""Case-insensitive (grep -i, sed's I flag)."""
MULTILINE = 2
"""``^``/``$`` at every newline and ``.`` not matching one (sed's M flag)."""
WORD = 4
"""The match must be a whole word (grep -w)."""
LINE = 8
"""The match must be the whole line (grep -x)."""

GLIBC = 16
"""glibc's regcomp rules, as sed has them, instead of grep's DFA: ``*`` with nothing
to repeat and a malformed ERE interval are errors, not literals, and a BRE
repetition cannot repeat a repetition (``a**``)."""

REGCOMP = 32
"""With GLIBC: regcomp alone, as Postfix's regexp: tables call it, without the checks
GNU grep and sed add from their DFA (``[:space:]`` is a plain bracket there), and
a pattern that ends right after ``[`` or ``[^`` is regcomp's 'Invalid regular
expression'."""

C_LOCALE = 64
"""The C locale's character classes and case folding (ASCII only), for text given
one character per byte (``latin-1`` over the UTF-8 bytes): Postfix runs its
lookups in the C locale whatever the environment says."""

TIMEOUT = 0.25
"""Seconds one search may take before it is abandoned."""

DUP_MAX = 0x7FFF
"""glibc's RE_DUP_MAX: larger interval counts are 'Regular expression too big'."""

_CLASSES = {
    "alpha",
    "digit",
    "alnum",
    "upper",
    "lower",
    "space",
    "blank",
    "punct",
    "print",
    "graph",
    "cntrl",
    "xdigit",
}
_INVALID_BYTES = "\udc80-\udcff"
_WORD = "[_[:alnum:]]"


class RegexError(ValueError):
    """A pattern glibc would refuse; ``str(exc)`` is glibc's message."""


class RegexTimeout(RuntimeError):
    """A search ran longer than ``TIMEOUT``."""


@dataclass
class Regex:
    """A compiled POSIX pattern whose searches are time-bounded."""

    source: str
    translated: str
    groups: int
    compiled: Any
    warnings: list[str] = field(default_factory=list)
    """grep's warnings (``* at start of expression``)."""

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        try:
            if endpos is None:
                return self.compiled.search(text, pos, timeout=TIMEOUT)
            return self.compiled.search(text, pos, endpos, timeout=TIMEOUT)
        except TimeoutError:
            raise RegexTimeout(self.source) from None

    def finditer(self, text: str) -> Iterator[Any]:
        """Non-overlapping matches, GNU style: no empty match right after a match."""
        pos = 0
        last_end = -1
        while pos <= len(text):
            m = self.search(text, pos)
            if m is None:
                break
            if m.end() == m.start() and m.start() == last_end:
                # An empty match touching the previous one does not count (sed s///g).
                if m.start() >= len(text):
                    break
                pos = m.start() + 1
                continue
            yield m
            last_end = m.end()
            pos = m.end() if m.end() > m.start() else m.end() + 1


def _regex_module() -> Any:
    import regex  # imported on first use: keeps the shell's start fast

    return regex


class _Translator:
    """One pass over a BRE or ERE, producing a ``regex`` pattern."""

    def __init__(self, pattern: str, extended: bool, flags: int) -> None:
        self.p = pattern
        self.ere = extended
        self.multiline = bool(flags & MULTILINE)
        self.strict = bool(flags & GLIBC)
        self.regcomp_only = bool(flags & REGCOMP)
        self.escaped_lower_never_matches = self.regcomp_only and bool(flags & ICASE)
        self.i = 0
        self.out: list[str] = []
        self.groups = 0
        self.closed: set[int] = set()
        self.open: list[int] = []
        self.warnings: list[str] = []
        # Index into out where the last atom starts (None: nothing to repeat yet).
        self.atom: int | None = None
        self.atom_repeated = False
        self.at_start = True  # start of the expression, a group or an alternative

    def run(self) -> str:
        while self.i < len(self.p):
            self.step()
        if self.open:
            raise RegexError("Unmatched ( or \\(")
        return "".join(self.out)

    def emit_atom(self, text: str) -> None:
        self.atom = len(self.out)
        self.atom_repeated = False
        self.out.append(text)
        self.at_start = False

    def emit_anchor(self, text: str) -> None:
        self.out.append(text)
        self.atom = None

    def step(self) -> None:
        p, c = self.p, self.p[self.i]
        self.i += 1
        if c == "\\":
            if self.i >= len(p):
                raise RegexError("Trailing backslash")
            e = p[self.i]
            self.i += 1
            self.escape(e)
        elif c == "[":
            self.emit_atom(self.bracket())
        elif c == ".":
            excluded = "\\n" + _INVALID_BYTES if self.multiline else _INVALID_BYTES
            self.emit_atom(f"[^{excluded}]")
        elif c == "*":
            if self.atom is None:
                if self.ere:
                    self.nothing_to_repeat("*")
                    return
                self.emit_atom("\\*")
                return
            self.repeat("*")
        elif c == "^":
            if self.ere or self.at_start:
                self.emit_anchor("^")
                if not self.ere:
                    self.at_start = True  # BRE: '*' after a leading '^' is literal
            else:
                self.emit_atom("\\^")
        elif c == "$":
            if self.ere or self.bre_dollar_is_anchor():
                self.emit_anchor("$" if self.multiline else "\\Z")
            else:
                self.emit_atom("\\$")
        elif self.ere and c in "+?":
            if self.atom is None:
                self.nothing_to_repeat(c)
                return
            self.repeat(c)
        elif self.ere and c == "{":
            if not self.interval(ere=True):
                self.emit_atom("\\{")
        elif self.ere and c == "(":
            self.open_group()
        elif self.ere and c == ")":
            if self.open:
                self.close_group()
            else:
                self.emit_atom("\\)")
        elif self.ere and c == "|":
            self.alternative()
        else:
            self.emit_atom(_lit(c))

    def bre_dollar_is_anchor(self) -> bool:
        rest = self.p[self.i :]
        return rest == "" or rest.startswith("\\)") or rest.startswith("\\|")

    def nothing_to_repeat(self, what: str) -> None:
        if self.strict:
            raise RegexError("Invalid preceding regular expression")
        self.warn(f"{what} at start of expression")

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def escape(self, e: str) -> None:
        if not self.ere and e == "(":
            self.open_group()
        elif not self.ere and e == ")":
            if not self.open:
                raise RegexError("Unmatched ) or \\)")
            self.close_group()
        elif not self.ere and e == "|":
            self.alternative()
        elif not self.ere and e == "{":
            if self.atom is None and not self.strict:
                self.emit_atom("\\{")
            elif self.atom is None:
                # regcomp refuses a BRE interval with nothing before it at once,
                # before looking for its end (sed 's/\{//').
                raise RegexError("Invalid preceding regular expression")
            elif not self.interval(ere=False):
                raise RegexError("Unmatched \\{")
        elif not self.ere and e == "}" and self.atom is None:
            self.emit_atom("\\}")
        elif not self.ere and e in "+?":
            if self.atom is None:
                self.emit_atom(_lit(e))
            else:
                self.repeat(e)
        elif e.isdigit() and e != "0":
            n = int(e)
            if n not in self.closed:
                raise RegexError("Invalid back reference")
            self.emit_atom(f"(?:\\g<{n}>)")
        elif e == "w":
            self.emit_atom(_WORD)
        elif e == "W":
            self.emit_atom("[^_[:alnum:]]")
        elif e == "s":
            self.emit_atom("[[:space:]]")
        elif e == "S":
            self.emit_atom(f"[^[:space:]{_INVALID_BYTES}]")
        elif e == "b":
            self.emit_anchor("\\b")
        elif e == "B":
            self.emit_anchor("\\B")
        elif e == "<":
            self.emit_anchor(f"\\b(?={_WORD})")
        elif e == ">":
            self.emit_anchor(f"\\b(?<={_WORD})")
        elif e == "`":
            self.emit_anchor("\\A")
        elif e == "'":
            self.emit_anchor("\\Z")
        elif self.escaped_lower_never_matches and "a" <= e <= "z":
            # regcomp with REG_ICASE keeps an escaped letter as written but folds the
            # text to upper case, so `\t` or `\d` matches nothing (postmap shows it).
            self.emit_atom("(?!)")
        else:
            self.emit_atom(_lit(e))

    def open_group(self) -> None:
        self.groups += 1
        self.open.append(self.groups)
        self.out.append("(")
        self.atom = None
        self.at_start = True

    def close_group(self) -> None:
        n = self.open.pop()
        self.closed.add(n)
        # Find the matching "(" to make the whole group the atom.
        depth = 0
        for index in range(len(self.out) - 1, -1, -1):
            if self.out[index] == ")":
                depth += 1
            elif self.out[index] == "(":
                if depth == 0:
                    self.out.append(")")
                    self.atom = index
                    self.atom_repeated = False
                    self.at_start = False
                    return
                depth -= 1

    def alternative(self) -> None:
        self.out.append("|")
        self.atom = None
        self.at_start = True

    def repeat(self, quant: str) -> None:
        assert self.atom is not None
        if self.atom_repeated and self.strict and not self.ere:
            raise RegexError("Invalid preceding regular expression")
        if self.atom_repeated:
            # a** or a*? : repeat the repeated atom (never Python's lazy/possessive forms).
            inner = "".join(self.out[self.atom :])
            del self.out[self.atom :]
            self.out.append(f"(?:{inner})")
        self.out.append(quant)
        self.atom_repeated = True
        self.at_start = False

    def interval(self, ere: bool) -> bool:
        """Parse ``m,n}`` (ERE) or ``m,n\\}`` (BRE) after the brace; False when not one."""
        close = "}" if ere else "\\}"
        end = self.p.find(close, self.i)
        if end < 0:
            if self.strict:
                raise RegexError("Unmatched \\{")
            return False
        body = self.p[self.i : end]
        low, comma, high = body.partition(",")
        valid = (low.isdigit() or (low == "" and comma)) and (high.isdigit() or high == "")
        if not valid or (not low and not comma):
            if ere and body != "" and not self.strict:
                return False
            raise RegexError("Invalid content of \\{\\}")
        lo = int(low) if low else 0
        hi = int(high) if high else None
        if lo > DUP_MAX or (hi is not None and hi > DUP_MAX):
            raise RegexError("Regular expression too big")
        if hi is not None and hi < lo:
            raise RegexError("Invalid content of \\{\\}")
        self.i = end + len(close)
        if self.atom is None:
            if self.strict:
                raise RegexError("Invalid preceding regular expression")
            self.warn("{...} at start of expression")
            return True
        if not comma:
            self.repeat(f"{{{lo}}}")
        else:
            self.repeat(f"{{{lo},{'' if hi is None else hi}}}")
        return True

    def bracket(self) -> str:
        p = self.p
        i = self.i
        negate = False
        if i < len(p) and p[i] == "^":
            negate, i = True, i + 1
        if i >= len(p) and self.regcomp_only:
            raise RegexError("Invalid regular expression")
        items: list[str] = []
        first = True
        while True:
            if i >= len(p):
                raise RegexError("Unmatched [, [^, [:, [., or [=")
            c = p[i]
            if c == "]" and not first:
                i += 1
                break
            first = False
            if c == "[" and i + 1 < len(p) and p[i + 1] in ":=.":
                kind = p[i + 1]
                end = p.find(kind + "]", i + 2)
                if end < 0:
                    raise RegexError("Unmatched [, [^, [:, [., or [=")
                name = p[i + 2 : end]
                i = end + 2
                if kind == ":":
                    if name not in _CLASSES:
                        raise RegexError("Invalid character class name")
                    items.append(f"[:{name}:]")
                    continue
                if len(name) != 1:
                    raise RegexError("Invalid collation character")
                start = name
            else:
                start = c
                i += 1
            if i + 1 < len(p) and p[i] == "-" and p[i + 1] != "]":
                end_char = p[i + 1]
                i += 2
                if end_char == "[" and i < len(p) and p[i] in ".=":
                    kind = p[i]
                    close = p.find(kind + "]", i + 1)
                    if close < 0:
                        raise RegexError("Unmatched [, [^, [:, [., or [=")
                    end_char = p[i + 1 : close]
                    i = close + 2
                    if len(end_char) != 1:
                        raise RegexError("Invalid collation character")
                if ord(end_char) < ord(start):
                    raise RegexError("Invalid range end")
                items.append(f"{_set_char(start)}-{_set_char(end_char)}")
            else:
                items.append(_set_char(start))
        raw = p[self.i : i - 1][1 if negate else 0 :]
        if len(raw) >= 2 and raw[0] == ":" and raw[-1] == ":" and not self.regcomp_only:
            # GNU's DFA refuses what is almost surely a misspelt class.
            raise RegexError("character class syntax is [[:space:]], not [:space:]")
        self.i = i
        body = "".join(items)
        if negate:
            newline = "\\n" if self.multiline else ""
            return f"[^{body}{newline}{_INVALID_BYTES}]"
        return f"[{body}]"


def _lit(c: str) -> str:
    """A character matched literally."""
    if c == "\n":
        return "\\n"
    if c == "\t":
        return "\\t"
    if ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF:
        return _code(c)
    return "\\" + c if not c.isalnum() else c


def _code(c: str) -> str:
    return f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"


def _set_char(c: str) -> str:
    if c in "\\]^-[":
        return "\\" + c
    if ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF:
        return _code(c)
    return c


def _compile(source: str, translated: str, groups: int, flags: int, warnings: list[str]) -> Regex:
    rx = _regex_module()
    if flags & LINE:
        translated = f"^(?:{translated})\\Z"
    elif flags & WORD:
        translated = f"(?<!{_WORD})(?:{translated})(?!{_WORD})"
    options = rx.POSIX | rx.VERSION0
    if flags & ICASE:
        options |= rx.IGNORECASE
    if flags & MULTILINE:
        options |= rx.MULTILINE
    if flags & C_LOCALE:
        options |= rx.ASCII
    try:
        compiled = rx.compile(translated, options)
    except rx.error as exc:  # a translation we did not foresee: say so in glibc's words
        raise RegexError("Invalid regular expression") from exc
    return Regex(source, translated, groups, compiled, warnings)


def _compile_posix(pattern: str, flags: int, extended: bool) -> Regex:
    tr = _Translator(pattern, extended, flags)
    translated = tr.run()
    return _compile(pattern, translated, tr.groups, flags, tr.warnings)


def compile_bre(pattern: str, flags: int = 0) -> Regex:
    """A POSIX basic regular expression with GNU's extensions (``\\+ \\? \\|``)."""
    return _compile_posix(pattern, flags, extended=False)


def compile_ere(pattern: str, flags: int = 0) -> Regex:
    """A POSIX extended regular expression (grep -E, sed -E)."""
    return _compile_posix(pattern, flags, extended=True)


def compile_fixed(text: str, flags: int = 0) -> Regex:
    """A fixed string (grep -F)."""
    return _compile(text, "".join(_lit(c) for c in text), 0, flags, [])
