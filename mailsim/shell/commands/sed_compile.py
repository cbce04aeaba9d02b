"""The GNU sed 4.9 script compiler: text → a list of commands.

It reads the script one character at a time as GNU's ``compile.c`` does, so
error messages carry the same position (``-e expression #1, char 5:
unterminated `s' command``, ``file x.sed line 2: unknown command: `k'``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mailsim.shell import posix_regex as pr
from mailsim.shell.commands.sed_escapes import (
    ESCAPES,
    convert_regex_escapes,
    numeric_escape,
    parse_replacement,
    y_text,
)

EOF = ""


class SedError(Exception):
    """A script error; ``str(exc)`` is GNU's message without the leading ``sed: ``."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Addr:
    kind: str  # "num", "mod" (first~step), "last", "re", "plus" (+N), "tilde" (~N), "zero"
    n: int = 0
    step: int = 0
    rx: pr.Regex | None = None
    """None with kind "re": the empty regex, meaning the last one used."""


@dataclass
class Subst:
    rx: pr.Regex | None
    replacement: list[tuple[str, object]]
    """("lit", text), ("grp", n) or ("case", "U"/"L"/"u"/"l"/"E")."""
    global_: bool = False
    print_: int = 0
    nth: int = 1
    wfile: str | None = None
    eval_: bool = False


@dataclass
class Cmd:
    name: str
    a1: Addr | None = None
    a2: Addr | None = None
    bang: bool = False
    text: str = ""
    label: str = ""
    int_arg: int = -1
    fname: str = ""
    subst: Subst | None = None
    ymap: dict[int, str] = field(default_factory=dict)
    jump: int = -1
    """Where `{` goes when its address does not match; where b/t/T go."""
    range_active: bool = False
    range_end: int = 0


class Compiler:
    """Compiles the pieces of one sed script (several -e, -f) into one program."""

    def __init__(self, extended: bool) -> None:
        self.extended = extended
        self.program: list[Cmd] = []
        self.blocks: list[tuple[int, str]] = []
        self.labels: dict[str, int] = {}
        self.jumps: list[tuple[int, str]] = []
        self.wfiles: list[str] = []
        self.quiet_marker = False
        self.has_regex = False
        self.pending: Cmd | None = None

    # -- reading ---------------------------------------------------------------

    def compile(self, text: str, where: str, first: bool) -> None:
        """``where`` is "-e expression #N" or "file NAME"."""
        self.text, self.pos, self.where, self.first = text, 0, where, first
        if self.pending is not None:
            self.pending.text = self.read_text("\n")
            self.pending = None
        self.run()

    def inchar(self) -> str:
        if self.pos >= len(self.text):
            return EOF
        c = self.text[self.pos]
        self.pos += 1
        return c

    def savchar(self, c: str) -> None:
        if c != EOF:
            self.pos -= 1

    def in_nonblank(self) -> str:
        c = self.inchar()
        while c in (" ", "\t"):
            c = self.inchar()
        return c

    def location(self) -> str:
        if self.where.startswith("-e"):
            return f"{self.where}, char {self.pos}"
        line = self.text.count("\n", 0, max(self.pos - 1, 0)) + 1
        return f"{self.where} line {line}"

    def bad(self, message: str) -> SedError:
        return SedError(f"{self.location()}: {message}")

    def in_integer(self, c: str) -> int:
        if not (c.isdigit() and c.isascii()):
            self.savchar(c)
            return 0
        digits = c
        while True:
            c = self.inchar()
            if not c.isdigit() or not c.isascii():
                self.savchar(c)
                return int(digits)
            digits += c

    # -- commands --------------------------------------------------------------

    def run(self) -> None:
        while True:
            c = self.inchar()
            while c == ";" or (c != EOF and c.isspace()):
                c = self.inchar()
            if c == EOF:
                return
            cmd = Cmd("")
            a = self.address(c)
            if a is not None:
                if a.kind in ("plus", "tilde"):
                    raise self.bad("invalid usage of +N or ~N as first address")
                cmd.a1 = a
                c = self.in_nonblank()
                if c == ",":
                    a2 = self.address(self.in_nonblank())
                    if a2 is None:
                        raise self.bad("unexpected `,'")
                    cmd.a2 = a2
                    c = self.in_nonblank()
                if cmd.a1.kind == "num" and cmd.a1.n == 0:
                    if cmd.a2 is None or cmd.a2.kind != "re":
                        raise self.bad("invalid usage of line address 0")
                    cmd.a1 = Addr("zero")
            if c == "!":
                cmd.bang = True
                c = self.in_nonblank()
                if c == "!":
                    raise self.bad("multiple `!'s")
                while c in (" ", "\t"):
                    c = self.in_nonblank()
            cmd.name = c
            if self.command(cmd, c):
                self.program.append(cmd)

    def command(self, cmd: Cmd, c: str) -> bool:
        if c == "#":
            if cmd.a1:
                raise self.bad("comments don't accept any addresses")
            c = self.inchar()
            if c == "n" and self.first and self.pos == 2:
                c = self.inchar()
                if c in ("\n", EOF):
                    self.quiet_marker = True
            while c not in (EOF, "\n"):
                c = self.inchar()
            return False
        if c == "v":
            self.read_label()
            return False
        if c == "{":
            self.blocks.append((len(self.program), self.location_of_block()))
        elif c == "}":
            if not self.blocks:
                raise self.bad("unexpected `}'")
            if cmd.a1:
                raise self.bad("`}' doesn't want any addresses")
            self.read_end_of_cmd()
            start, _ = self.blocks.pop()
            self.program[start].jump = len(self.program) + 1
        elif c in ("a", "i", "c"):
            c2 = self.in_nonblank()
            if c2 == EOF:
                raise self.bad("expected \\ after `a', `c' or `i'")
            if c2 == "\\":
                c2 = self.inchar()
                if c2 == EOF:
                    self.pending = cmd  # GNU: the text is the next -e
                    return True
            else:
                self.savchar(c2)
                c2 = "\n"
            cmd.text = self.read_text(c2)
        elif c == ":":
            if cmd.a1:
                raise self.bad(": doesn't want any addresses")
            label = self.read_label()
            if not label:
                raise self.bad('":" lacks a label')
            self.labels.setdefault(label, len(self.program))
            return False
        elif c in ("b", "t", "T"):
            cmd.label = self.read_label()
            self.jumps.append((len(self.program), cmd.label))
        elif c in ("q", "Q", "l", "L"):
            if c in "qQ" and cmd.a2:
                raise self.bad("command only uses one address")
            c2 = self.in_nonblank()
            if c2.isdigit():
                cmd.int_arg = self.in_integer(c2)
                c2 = self.in_nonblank()
            if c2 in ("}", "#"):
                self.savchar(c2)
            elif c2 not in (EOF, "\n", ";"):
                raise self.bad("extra characters after command")
        elif c in "=dDFgGhHnNpPzx" and c != EOF:
            self.read_end_of_cmd()
        elif c in ("r", "R", "w", "W"):
            cmd.fname = self.read_filename()
            if not cmd.fname:
                raise self.bad("missing filename in r/R/w/W commands")
            if c in "wW":
                self.wfiles.append(cmd.fname)
        elif c == "e":
            cmd.text = self.read_filename()
        elif c == "s":
            self.substitute(cmd)
        elif c == "y":
            self.transliterate(cmd)
        elif c == EOF:
            raise self.bad("missing command")
        else:
            raise self.bad(f"unknown command: `{c}'")
        return True

    def location_of_block(self) -> str:
        if self.where.startswith("-e"):
            return f"{self.where}, char 0"
        line = self.text.count("\n", 0, max(self.pos - 1, 0)) + 1
        return f"{self.where} line {line}"

    def read_end_of_cmd(self) -> None:
        c = self.in_nonblank()
        if c in ("}", "#"):
            self.savchar(c)
        elif c not in (EOF, "\n", ";"):
            raise self.bad("extra characters after command")

    def read_label(self) -> str:
        c = self.in_nonblank()
        label = ""
        while c not in (EOF, "\n", ";", "}") and not c.isspace():
            label += c
            c = self.inchar()
        if c == "}":
            self.savchar(c)
        return label

    def read_filename(self) -> str:
        c = self.in_nonblank()
        name = ""
        while c not in (EOF, "\n"):
            name += c
            c = self.inchar()
        return name

    def read_text(self, lead: str) -> str:
        """Text of a, i, c: up to an unescaped newline; ``\\`` escapes the next character."""
        out = [] if lead in ("\n", EOF) else [lead]
        c = self.inchar()
        while c not in (EOF, "\n"):
            if c == "\\":
                c = self.inchar()
                if c == EOF:
                    break
                if c in ESCAPES and c != "n":
                    c = ESCAPES[c]
                elif c in "docx":
                    found = numeric_escape(self.text, self.pos - 1)
                    if found is not None:
                        c, self.pos = found
            out.append(c)
            c = self.inchar()
        return "".join(out) + "\n"

    # -- addresses and regexes -------------------------------------------------------

    def address(self, c: str) -> Addr | None:
        if c in ("/", "\\"):
            if c == "\\":
                c = self.inchar()
            body = self.match_slash(c, regex=True)
            if body is None:
                raise self.bad("unterminated address regex")
            flags = 0
            while True:
                c = self.in_nonblank()
                if c == "I":
                    flags |= pr.ICASE
                elif c == "M":
                    flags |= pr.MULTILINE
                else:
                    self.savchar(c)
                    return Addr("re", rx=self.regex(body, flags))
        if c.isdigit() and c.isascii():
            n = self.in_integer(c)
            c = self.in_nonblank()
            if c != "~":
                self.savchar(c)
                return Addr("num", n)
            step = self.in_integer(self.in_nonblank())
            return Addr("mod", n, step) if step > 0 else Addr("num", n)
        if c in ("+", "~"):
            c2 = self.in_nonblank()
            n = self.in_integer(c2) if c2.isdigit() else 0
            return Addr("plus" if c == "+" else "tilde", n)
        if c == "$":
            return Addr("last")
        return None

    def match_slash(self, slash: str, regex: bool) -> str | None:
        if slash in (EOF, "\n", "\\"):
            return None
        out: list[str] = []
        c = self.inchar()
        while c not in (EOF, "\n"):
            if c == slash:
                return "".join(out)
            if c == "\\":
                c = self.inchar()
                if c == EOF:
                    break
                if c == "n" and regex:
                    c = "\n"
                elif c != "\n" and (c != slash or (not regex and c == "&")):
                    out.append("\\")
            elif c == "[" and regex:
                bracket = self.bracket_text()
                if bracket is None:
                    return None
                out.append(bracket)
                c = self.inchar()
                continue
            out.append(c)
            c = self.inchar()
        if c == "\n":
            self.savchar(c)
        return None

    def bracket_text(self) -> str | None:
        """A bracket expression read as is, so ``[/]`` does not end the regex.

        None when it never closes: GNU then reads on to the end of the line.
        """
        start = self.pos - 1
        i = self.pos
        if i < len(self.text) and self.text[i] == "^":
            i += 1
        if i < len(self.text) and self.text[i] == "]":
            i += 1
        while i < len(self.text) and self.text[i] not in ("]", "\n"):
            if self.text[i] == "[" and i + 1 < len(self.text) and self.text[i + 1] in ":.=":
                end = self.text.find(self.text[i + 1] + "]", i + 2)
                if end < 0:
                    break
                i = end + 2
                continue
            i += 1
        if i >= len(self.text) or self.text[i] != "]":
            self.pos = i
            return None
        self.pos = i + 1
        return self.text[start : i + 1]

    def regex(self, body: str, flags: int) -> pr.Regex | None:
        if body == "":
            if not self.has_regex:
                raise SedError(f"{self.where_zero()}: no previous regular expression")
            return None
        self.has_regex = True
        text = convert_regex_escapes(body)
        try:
            if self.extended:
                return pr.compile_ere(text, flags | pr.GLIBC)
            return pr.compile_bre(text, flags | pr.GLIBC)
        except pr.RegexError as exc:
            if str(exc).startswith("character class syntax"):
                raise SedError(str(exc), 4) from None
            raise self.bad(str(exc)) from None

    def where_zero(self) -> str:
        return f"{self.where}, char 0" if self.where.startswith("-e") else f"{self.where} line 1"

    def substitute(self, cmd: Cmd) -> None:
        slash = self.inchar()
        body = self.match_slash(slash, regex=True)
        if body is None:
            raise self.bad("unterminated `s' command")
        repl = self.match_slash(slash, regex=False)
        if repl is None:
            raise self.bad("unterminated `s' command")
        sub = Subst(None, parse_replacement(repl))
        flags = 0
        numbered = False
        while True:
            c = self.inchar()
            if c in ("i", "I"):
                flags |= pr.ICASE
            elif c in ("m", "M"):
                flags |= pr.MULTILINE
            elif c == "e":
                sub.eval_ = True
            elif c == "p":
                if sub.print_:
                    raise self.bad("multiple `p' options to `s' command")
                sub.print_ = 2 if sub.eval_ else 1
            elif c == "g":
                if sub.global_:
                    raise self.bad("multiple `g' options to `s' command")
                sub.global_ = True
            elif c == "w":
                sub.wfile = self.read_filename()
                if not sub.wfile:
                    raise self.bad("missing filename in r/R/w/W commands")
                self.wfiles.append(sub.wfile)
                break
            elif c.isdigit() and c.isascii():
                if numbered:
                    raise self.bad("multiple number options to `s' command")
                sub.nth = self.in_integer(c)
                numbered = True
                if sub.nth == 0:
                    raise self.bad("number option to `s' command may not be zero")
            elif c in ("}", "#"):
                self.savchar(c)
                break
            elif c in (" ", "\t"):
                continue
            elif c in ("\n", ";", EOF):
                break
            else:
                raise self.bad("unknown option to `s'")
        sub.rx = self.regex(body, flags)
        groups = sub.rx.groups if sub.rx is not None else 9
        for kind, value in sub.replacement:
            if kind == "grp" and isinstance(value, int) and value > groups:
                raise self.bad(f"invalid reference \\{value} on `s' command's RHS")
        cmd.subst = sub

    def transliterate(self, cmd: Cmd) -> None:
        slash = self.inchar()
        src = self.match_slash(slash, regex=False)
        if src is None:
            raise self.bad("unterminated `y' command")
        dst = self.match_slash(slash, regex=False)
        if dst is None:
            raise self.bad("unterminated `y' command")
        a, b = y_text(src), y_text(dst)
        if len(a) != len(b):
            raise self.bad("strings for `y' command are different lengths")
        cmd.ymap = {ord(x): y for x, y in zip(a, b, strict=True)}
        self.read_end_of_cmd()

    def finish(self) -> None:
        if self.blocks:
            raise SedError(f"{self.blocks[-1][1]}: unmatched `{{'")
        for index, label in self.jumps:
            if label == "":
                self.program[index].jump = len(self.program)
            elif label in self.labels:
                self.program[index].jump = self.labels[label]
            else:
                raise SedError(f"can't find label for jump to `{label}'", 4)
