"""The master.cf model: services, their 8 fields, ``-o name=value`` options.

Parsing and printing follow postconf's own master.cf code (postconf_master.c):
logical lines as in main.cf, fields split on blanks with ``{…}`` grouping,
field checks with the real fatal texts, and ``postconf -M``'s column layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from mailsim.postfix.maincf import BLANKS, split_nameval

MIN_FIELDS = 8
FIELD_NAMES = (
    "service",
    "type",
    "private",
    "unprivileged",
    "chroot",
    "wakeup",
    "process_limit",
    "command",
)
VALID_TYPES = ("unix", "unix-dgram", "fifo", "inet", "pass")
LINE_LIMIT = 80
INDENT = "    "


class MasterCfError(Exception):
    """A fatal master.cf problem; ``str(exc)`` is Postfix's text after ``postconf: fatal: ``."""


@dataclass
class Service:
    """One master.cf entry, with daemon arguments normalised as postconf does."""

    argv: list[str]
    line: int
    """Physical line where the entry starts."""
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.argv[0]

    @property
    def type(self) -> str:
        return self.argv[1]

    @property
    def command(self) -> str:
        return self.argv[7]

    def params(self) -> dict[str, str]:
        """The ``-o name=value`` settings, in order (later wins)."""
        result: dict[str, str] = {}
        field = MIN_FIELDS
        while field < len(self.argv):
            arg = self.argv[field]
            if not arg.startswith("-") or arg == "--":
                break
            if arg == "-o" and field + 1 < len(self.argv):
                parsed = split_nameval(self.argv[field + 1])
                if not isinstance(parsed, str):
                    result[parsed[0]] = parsed[1]
                field += 1
            field += 1
        return result


def _split_quoted(text: str) -> list[str]:
    """argv_splitq(): blank-separated words, ``{…}`` kept together (braces included)."""
    words: list[str] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in BLANKS:
            i += 1
        if i >= n:
            break
        start = i
        level = 0
        while i < n and (level > 0 or text[i] not in BLANKS):
            if text[i] == "{":
                level += 1
            elif text[i] == "}" and level > 0:
                level -= 1
            i += 1
        words.append(text[start:i])
    return words


def _extract_braces(word: str, warnings: list[str]) -> str:
    if word.startswith("{"):
        if word.endswith("}"):
            return word[1:-1].strip(BLANKS)
        warnings.append(f"master.cf: missing '}}' in \"{word}\"")
        return word[1:].strip(BLANKS)
    return word


def _check(argv: list[str], raw: str) -> None:
    raw = raw.replace("\n", " ")
    if argv[1] not in VALID_TYPES:
        raise MasterCfError(f'invalid type field "{argv[1]}" in "{raw}"')
    for field in (2, 3, 4):
        value = argv[field]
        if len(value) != 1 or value not in "yn-":
            raise MasterCfError(f'invalid {FIELD_NAMES[field]} field "{value}" in "{raw}"')
    wakeup = argv[5]
    digits = wakeup[:-1] if wakeup.endswith("?") else wakeup
    if wakeup != "-" and not digits.isdigit() and digits != "":
        raise MasterCfError(f'invalid wakeup field "{wakeup}" in "{raw}"')
    limit = argv[6]
    if limit != "-" and not limit.isdigit():
        raise MasterCfError(f'invalid process_limit field "{limit}" in "{raw}"')


def _normalize(argv: list[str], warnings: list[str]) -> list[str]:
    """Split ``-oname=value`` into ``-o`` ``name=value`` and strip ``{}``."""
    out = argv[:MIN_FIELDS]
    field = MIN_FIELDS
    while field < len(argv):
        arg = argv[field]
        if not arg.startswith("-") or arg == "--":
            break
        if "o" in arg[2:] and arg[1] != "o":
            cut = arg.index("o", 2)
            argv = argv[:field] + [arg[:cut], "-" + arg[cut:]] + argv[field + 1 :]
            arg = argv[field]
        out.append(arg if arg[1:2] != "o" else "-o")
        if arg[1:2] == "o":
            if len(arg) > 2:
                value = arg[2:]
            elif field + 1 < len(argv):
                field += 1
                value = argv[field]
            else:
                field += 1
                continue
            if value.startswith("{"):
                value = _extract_braces(value, warnings)
                parsed = split_nameval(value)
                if isinstance(parsed, str):
                    warnings.append(f'master.cf: {parsed}: "{value}"')
                else:
                    value = f"{parsed[0]}={parsed[1]}"
            out.append(value)
        field += 1
    for rest in argv[field:]:
        out.append(_extract_braces(rest, warnings))
    return out


def parse_entry(text: str, line: int = 0) -> Service:
    """One logical master.cf line → Service (raises MasterCfError)."""
    argv = _split_quoted(text)
    if len(argv) < MIN_FIELDS:
        raise MasterCfError("bad field count")
    _check(argv, text)
    warnings: list[str] = []
    return Service(_normalize(argv, warnings), line, tuple(warnings))


class Services(list):  # type: ignore[type-arg]
    """The services of a master.cf, plus what reading it warned (``{path}`` = the file)."""

    warnings: list[str]


def parse(text: str, path: str = "/etc/postfix/master.cf") -> Services:
    """All services of a master.cf; a malformed entry raises MasterCfError."""
    from mailsim.postfix.maincf import logical_lines

    services = Services()
    services.warnings = []
    for first, last, line in logical_lines(text):
        if first < 0:
            shown = line if len(line) <= 30 else line[:30] + "..."
            services.warnings.append(
                f'{{path}}: logical line must not start with whitespace: "{shown}"'
            )
            continue
        try:
            services.append(parse_entry(line, first))
        except MasterCfError as exc:
            if str(exc) == "bad field count":
                raise MasterCfError(f"file {path}: line {last}: bad field count") from None
            raise
    return services


def format_entry(service: Service, fold: bool = False, expand: object = None) -> str:
    """One service the way ``postconf -M`` (``-Mf`` with ``fold``) prints it."""
    return _layout(service, fold, expand)[0]


def _layout(service: Service, fold: bool, expand: object) -> tuple[str, int]:
    command_at = 0
    goals = (0, 11, 17, 25, 33, 41, 49, 57)
    argv = service.argv
    parts: list[str] = []
    length = 0
    for field in range(MIN_FIELDS):
        if length > 0:
            while True:
                parts.append(" ")
                length += 1
                if length >= goals[field]:
                    break
        if field == 7:
            command_at = length
        parts.append(argv[field])
        length += len(argv[field])
    in_options = True
    field = MIN_FIELDS
    while field < len(argv):
        arg = argv[field]
        arg_len = len(arg)
        value = None
        parens = False
        if in_options:
            if not arg.startswith("-") or arg == "--":
                in_options = False
            elif arg[1:2] == "o" and field + 1 < len(argv):
                value = argv[field + 1]
                length = LINE_LIMIT
                if callable(expand):
                    value = expand(value)
                arg_len += len(value) + 3
                parens = any(c in BLANKS for c in value)
                if parens:
                    arg_len += 2
        # Postfix 3.7 shows other arguments as they are, without {} around blanks.
        if length > len(INDENT):
            if not fold or length + 1 + arg_len < LINE_LIMIT:
                parts.append(" ")
                length += 1
            else:
                parts.append("\n" + INDENT)
                length = len(INDENT)
        if not in_options and parens:
            parts.append("{")
            length += 1
        parts.append(arg)
        length += len(arg)
        if not in_options and parens:
            parts.append("}")
            length += 1
        if value is not None:
            shown = "{" + value + "}" if parens else value
            parts.append(" " + shown)
            length += 1 + len(shown)
            field += 1
            length = LINE_LIMIT
        field += 1
    return "".join(parts) + "\n", command_at


def field_text(service: Service, field: int) -> str:
    """The value ``postconf -F`` shows for one field (command with its arguments)."""
    if field != 7:
        return service.argv[field]
    text, command_at = _layout(service, False, None)
    return text[command_at:].rstrip("\n")


def match(pattern: list[str], service: Service) -> bool:
    """Service pattern ``name[/type]`` (an empty part matches anything)."""
    if pattern[0] and pattern[0] != service.name:
        return False
    return not (len(pattern) > 1 and pattern[1] and pattern[1] != service.type)
