"""The main.cf model: logical lines, ``name = value`` entries and in-place edits.

Parsing follows Postfix's readlline() + split_nameval(): a line whose first
non-blank character is ``#`` is a comment, blank lines are ignored, a line that
starts with white space continues the previous logical line (comment lines in
between do not end it). The model keeps every physical line so ``postconf -e``,
``-X`` and ``-#`` can rewrite the file exactly as the real postconf does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BLANKS = " \t\r\n\v\f"


class MainCfError(Exception):
    """A fatal syntax error: ``str(exc)`` is Postfix's text after ``FILE, line N: ``."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Entry:
    """One ``name = value`` logical line."""

    name: str
    value: str
    line: int
    """1-based number of the physical line where the logical line starts."""
    last_line: int


@dataclass
class MainCf:
    """A parsed main.cf: the last value of each name, plus what reading it warned."""

    entries: dict[str, Entry] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    """Messages without the ``postconf: warning: `` prefix; ``{path}`` stands for the file."""
    error: MainCfError | None = None

    def get(self, name: str) -> str | None:
        entry = self.entries.get(name)
        return entry.value if entry else None


def split_nameval(text: str) -> tuple[str, str] | str:
    """Postfix split_nameval(): (name, value) or the error text."""
    cp = text.lstrip(BLANKS)
    i = 0
    while i < len(cp) and cp[i] not in BLANKS and cp[i] != "=":
        i += 1
    name = cp[:i]
    if not name:
        return "missing attribute name"
    rest = cp[i:].lstrip(BLANKS)
    if not rest.startswith("="):
        return "missing '=' after attribute name"
    return name, rest[1:].strip(BLANKS)


def logical_lines(text: str) -> list[tuple[int, int, str]]:
    """(first line, last line, text) of each logical line; a leading-blank orphan gets first=-N."""
    result: list[tuple[int, int, str]] = []
    current: list[str] | None = None
    start = last = 0
    for number, line in enumerate(_physical_lines(text), start=1):
        stripped = line.lstrip(BLANKS)
        if not stripped or stripped.startswith("#"):
            continue
        if line[0] in BLANKS:
            if current is not None:
                current.append(line)
                last = number
                continue
            result.append((-number, number, line))
            continue
        if current is not None:
            result.append((start, last, "".join(current)))
        current, start, last = [line], number, number
    if current is not None:
        result.append((start, last, "".join(current)))
    return result


def parse(text: str) -> MainCf:
    """Parse main.cf text into a model; syntax errors end up in ``.error``."""
    model = MainCf()
    for first, last, line in logical_lines(text):
        if first < 0:
            shown = line if len(line) <= 30 else line[:30] + "..."
            model.warnings.append(
                f'{{path}}: logical line must not start with whitespace: "{shown}"'
            )
            continue
        value = line.rstrip(BLANKS)
        parsed = split_nameval(value)
        if isinstance(parsed, str):
            model.error = MainCfError(first, f'{parsed}: "{value}"')
            return model
        name, val = parsed
        old = model.entries.pop(name, None)
        if old is not None and old.value != val:
            model.warnings.append(
                f"{{path}}, line {first}: overriding earlier entry: {name}={old.value}"
            )
        model.entries[name] = Entry(name, val, first, last)
    return model


def _physical_lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _is_content(line: str) -> bool:
    stripped = line.lstrip(BLANKS)
    return bool(stripped) and not stripped.startswith("#")


def edit(text: str, changes: dict[str, str | None], mode: str) -> tuple[str, list[str]]:
    """Rewrite main.cf as ``postconf -e`` (mode "e"), ``-X`` ("X") or ``-#`` ("#") does.

    ``changes`` maps names to new values (None for -X/-#), in command-line
    order. Returns the new text and warnings (``{path}`` stands for the file).
    """
    out: list[str] = []
    warnings: list[str] = []
    found: dict[str, int] = dict.fromkeys(changes, 0)
    interesting = False
    for line in _physical_lines(text):
        if not _is_content(line):
            out.append(line + "\n")
            continue
        if line[0] in BLANKS:
            if not interesting:
                out.append(line + "\n")
            elif mode == "#":
                out.append("#" + line + "\n")
            continue
        end = 0
        while end < len(line) and line[end] not in BLANKS and line[end] != "=":
            end += 1
        key = line[:end]
        interesting = key in changes
        if not interesting:
            out.append(line + "\n")
            continue
        found[key] += 1
        if found[key] == 2:
            warnings.append(f'{{path}}: multiple entries for "{key}"')
        if mode == "e":
            out.append(f"{key} = {changes[key]}\n")
        elif mode == "#":
            out.append("#" + line.lstrip(BLANKS) + "\n")
    if mode == "e":
        # Postfix 3.7 appends in hash-table order, which differs from run to run;
        # command-line order is the stable choice among the orders it may show.
        for key in changes:
            if found[key] == 0:
                out.append(f"{key} = {changes[key]}\n")
    return "".join(out), warnings
