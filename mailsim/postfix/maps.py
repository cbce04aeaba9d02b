"""Postfix lookup tables: ``type:name`` → a table with ``get`` and (where the type can) ``seq``.

Types: hash and btree (our own ``.db`` format, see dbfile.py), texthash, inline,
static, cidr, regexp (glibc's POSIX ERE/BRE rules, through shell/posix_regex.py, as
grep and sed) and pcre (Python's ``re`` is close to PCRE). Warnings and fatals carry the real tools' text.
"""

from __future__ import annotations

import ipaddress
import re
import threading
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

from mailsim.shell import posix_regex

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine

Warn = Callable[[str], None]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Pattern = re.Pattern[str] | posix_regex.Regex
"""A compiled rule: Python's ``re`` for pcre:, a time-bounded POSIX pattern for regexp:."""

DB_TYPES = ("hash", "btree")
# The dictionary types Debian 12's Postfix with postfix-pcre knows (postconf -m).
SUPPORTED = tuple(
    "btree cidr environ fail hash inline internal memcache nis pcre pipemap proxy randmap"
    " regexp socketmap static tcp texthash unionmap unix".split()
)
MATCH_SECONDS = 1.0


class MapFatal(Exception):
    """A ``fatal:`` ending (the text after ``fatal: ``); ``prefix`` lines come before it."""

    def __init__(self, message: str, prefix: str = "") -> None:
        super().__init__(message)
        self.prefix = prefix


class Table:
    """A table that is looked up by key; subclasses say how."""

    kind = ""

    def __init__(self, name: str) -> None:
        self.name = name

    def get(self, key: str) -> str | None:
        raise NotImplementedError

    def seq(self) -> list[tuple[str, str]]:
        raise MapFatal(f"table {self.kind}:{self.name}: sequence operation is not supported")


class DictTable(Table):
    def __init__(self, kind: str, name: str, entries: dict[str, str], fold: bool) -> None:
        super().__init__(name)
        self.kind, self.entries, self.fold = kind, entries, fold

    def get(self, key: str) -> str | None:
        return self.entries.get(key.lower() if self.fold else key)

    def seq(self) -> list[tuple[str, str]]:
        items = list(self.entries.items())
        if self.kind == "btree":
            return sorted(items, key=lambda kv: kv[0].encode())
        # Postfix lists hash files in Berkeley DB's order and in-memory tables in a
        # randomly seeded hash order; insertion order stands in for both.
        return items


class StaticTable(Table):
    kind = "static"

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.value = name[1:-1].strip() if name.startswith("{") and name.endswith("}") else name

    def get(self, key: str) -> str | None:
        return self.value


def logical_lines(text: str, path: str, warn: Warn) -> list[tuple[int, str]]:
    """readllines(): continuation lines (leading white space) join the previous line with
    their indentation kept; comments and blank lines are skipped; trailing space is trimmed."""
    out: list[tuple[int, str]] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for lineno, raw in enumerate(lines, 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw[0].isspace():
            if out:
                out[-1] = (out[-1][0], out[-1][1] + raw)
                continue
            warn(f'{path}: logical line must not start with whitespace: "{raw.rstrip()}"')
            continue
        out.append((lineno, raw))
    return [(n, line.rstrip()) for n, line in out]


def split_key_value(line: str) -> tuple[str, str] | None:
    match = re.match(r"(\S+)\s+(\S.*)$", line)
    return (match.group(1), match.group(2)) if match else None


def parse_source(
    text: str, path: str, warn: Warn, fold: bool, dup_where: str | None, texthash: bool = False
) -> dict[str, str]:
    """A postmap(1) source file: ``key whitespace value`` lines; the first of duplicates wins."""
    entries: dict[str, str] = {}
    for lineno, line in logical_lines(text, path, warn):
        pair = split_key_value(line)
        if pair is None:
            suffix = " -- ignoring this line" if texthash else ""
            warn(f"{path}, line {lineno}: expected format: key whitespace value{suffix}")
            continue
        key, value = pair
        if key.endswith(":"):
            warn(f'{path}, line {lineno}: record is in "key: value" format; is this an alias file?')
        if fold:
            key = key.lower()
        if key in entries:
            where = f"{path}, line {lineno}" if texthash else dup_where
            warn(f'{where}: duplicate entry: "{key}"')
            continue
        entries[key] = value
    return entries


def parse_inline(spec: str) -> dict[str, str]:
    """``{a=1, {b = 2 3}}``: the inline: table's own syntax, with its fatals."""
    if not (spec.startswith("{") and spec.endswith("}")) or not spec[1:-1].strip():
        raise MapFatal(f'bad syntax: "inline:{spec}"; need "inline:{{name=value...}}"')
    entries: dict[str, str] = {}
    for item in _split_braced(spec[1:-1]):
        if item.startswith("{") and item.endswith("}"):
            item = item[1:-1].strip()
        name, eq, value = item.partition("=")
        if not eq:
            raise MapFatal(
                f"missing '=' after attribute name: \"inline:{spec}\"; "
                'need "inline:{name=value...}"'
            )
        entries.setdefault(name.strip(), value.strip())
    return entries


def _split_braced(text: str) -> list[str]:
    """Split at commas outside ``{…}``."""
    items: list[str] = []
    depth, current = 0, ""
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if depth == 0 and ch == ",":
            if current.strip():
                items.append(current.strip())
            current = ""
            continue
        current += ch
    if current.strip():
        items.append(current.strip())
    return items


# -- cidr ----------------------------------------------------------------------


class CidrTable(Table):
    kind = "cidr"

    def __init__(self, name: str, text: str, warn: Warn) -> None:
        super().__init__(name)
        self.rules: list[tuple[Network, bool, str, list[tuple[Network, bool]]]] = []
        blocks: list[tuple[Network, bool]] = []
        for lineno, line in logical_lines(text, name, warn):
            where = f"cidr map {name}, line {lineno}"
            words = line.split(None, 1)
            if words[0] == "endif":
                if blocks:
                    blocks.pop()
                continue
            is_if = words[0] == "if"
            if is_if:
                pattern, value = (words[1].split()[0] if len(words) > 1 else ""), ""
            else:
                pattern, value = words[0], words[1] if len(words) > 1 else ""
            negate = pattern.startswith("!")
            net = _network(pattern.lstrip("!"), where, warn)
            if net is None:
                continue
            if is_if:
                blocks.append((net, negate))
            else:
                self.rules.append((net, negate, value, list(blocks)))

    def get(self, key: str) -> str | None:
        try:
            addr = ipaddress.ip_address(key.strip("[]"))
        except ValueError:
            return None
        for net, negate, value, conditions in self.rules:
            if all(_in(addr, c, n) for c, n in conditions) and _in(addr, net, negate):
                return value
        return None


def _in(addr: ipaddress.IPv4Address | ipaddress.IPv6Address, net: Network, negate: bool) -> bool:
    inside = addr.version == net.version and addr in net
    return inside != negate


def _network(text: str, where: str, warn: Warn) -> Network | None:
    bare = text.strip("[]") if "/" not in text else text.replace("[", "").replace("]", "")
    try:
        return ipaddress.ip_network(bare, strict=True)
    except ValueError:
        pass
    try:
        loose = ipaddress.ip_network(bare, strict=False)
    except ValueError:
        warn(f'{where}: bad address pattern: "{text}": skipping this rule')
        return None
    warn(
        f'{where}: non-null host address bits in "{text}", perhaps you should use '
        f'"{loose}" instead: skipping this rule'
    )
    return None


# -- regexp and pcre -----------------------------------------------------------


class RegexTable(Table):
    """regexp: and pcre: tables: first matching rule wins; $1…$9 substitute groups."""

    def __init__(self, kind: str, name: str, text: str, warn: Warn) -> None:
        super().__init__(name)
        self.kind = kind
        self.rules: list[tuple[Pattern, bool, str, int]] = []
        depth_stack: list[tuple[Pattern, bool]] = []
        self._conditions: dict[int, list[tuple[Pattern, bool]]] = {}
        for lineno, line in logical_lines(text, name, warn):
            where = f"{kind} map {name}, line {lineno}"
            if line.split()[0] == "endif":
                if depth_stack:
                    depth_stack.pop()
                continue
            is_if = line.split()[0] == "if"
            body = line[2:].lstrip() if is_if else line
            rule = parse_rule(kind, body, where, warn, need_value=not is_if)
            if rule is None:
                continue
            compiled, negate, value = rule
            if is_if:
                depth_stack.append((compiled, negate))
                continue
            self.rules.append((compiled, negate, value, lineno))
            if depth_stack:
                self._conditions[len(self.rules) - 1] = list(depth_stack)

    def get(self, key: str) -> str | None:
        bytewise = self.kind == "regexp"
        if bytewise:
            key = _as_c_text(key)
        for index, (pattern, negate, value, _) in enumerate(self.rules):
            if not all(
                (_search(p, key) is not None) != n for p, n in self._conditions.get(index, [])
            ):
                continue
            match = _search(pattern, key)
            if negate:
                if match is None:
                    return value
                continue
            if match is not None:
                return _substitute(value, match, bytewise)
        return None


def _search(pattern: Pattern, key: str) -> re.Match[str] | None:
    """A search with a time bound: a pathological pattern cannot hang the simulator."""
    if isinstance(pattern, posix_regex.Regex):
        try:
            return pattern.search(key)
        except posix_regex.RegexTimeout:
            return None
    if len(key) < 40:
        return pattern.search(key)
    box: list[re.Match[str] | None] = []
    worker = threading.Thread(target=lambda: box.append(pattern.search(key)), daemon=True)
    worker.start()
    worker.join(MATCH_SECONDS)
    return box[0] if box else None


def _as_c_text(text: str) -> str:
    """One character per UTF-8 byte: regcomp() in the C locale sees bytes, not letters."""
    return text.encode("utf-8", "surrogateescape").decode("latin-1")


def _from_c_text(text: str) -> str:
    return text.encode("latin-1").decode("utf-8", "surrogateescape")


def _substitute(value: str, match: re.Match[str], bytewise: bool = False) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        index = int(m.group(1) or m.group(2))
        group = match.group(index) or ""
        return _from_c_text(group) if bytewise else group

    return re.sub(r"\$\$|\$\{(\d)\}|\$(\d)", sub, value)


# -- rules of regexp: and pcre: tables ------------------------------------------

REGEXP_OPTIONS = "imx"
PCRE_OPTIONS = "imsxAEUX"
PCRE_POSIX_CLASSES = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z",
    "xdigit": "0-9A-Fa-f",
}


class PcreError(Exception):
    """A pattern PCRE rejects and Python's ``re`` would not; ``str(exc)`` is PCRE's message."""


def parse_rule(
    kind: str, body: str, where: str, warn: Warn, need_value: bool = True
) -> tuple[Pattern, bool, str] | None:
    """``[!]/pattern/flags value`` → (compiled, negated, value), or None after a warning."""
    negate = body.startswith("!")
    if negate:
        body = body[1:].lstrip()
    if not body or body[0].isalnum():
        warn(f"{where}: ignoring unrecognized request")
        return None
    delim, i = body[0], 1
    while i < len(body) and body[i] != delim:
        i += 2 if body[i] == "\\" else 1
    if i >= len(body):
        action = "ignoring" if kind == "pcre" else "skipping"
        warn(f'{where}: no closing regexp delimiter "{delim}": {action} this rule')
        return None
    pattern = body[1:i]
    rest = body[i + 1 :]
    flags = re.match(r"\S*", rest).group(0)  # type: ignore[union-attr]
    value = rest[len(flags) :].strip()
    icase, extended, multiline, dotall, verbose = True, True, False, False, False
    for ch in flags:
        if ch not in (PCRE_OPTIONS if kind == "pcre" else REGEXP_OPTIONS):
            warn(f'{where}: unknown regexp option "{ch}": skipping this rule')
            return None
        if ch == "i":
            icase = not icase
        elif ch == "x" and kind == "regexp":
            extended = not extended
        elif ch == "x":
            verbose = not verbose
        elif ch == "m":
            multiline = not multiline
        elif ch == "s":
            dotall = not dotall
    if not value and need_value:
        warn(f"{where}: no replacement text: using empty string")
    compiled: Pattern
    try:
        if kind == "regexp":
            # dict_regexp calls regcomp() in the C locale: glibc's rules, bytes, ASCII
            # classes; REG_ICASE and REG_NEWLINE by flag.
            rx_flags = posix_regex.GLIBC | posix_regex.REGCOMP | posix_regex.C_LOCALE
            rx_flags |= (posix_regex.ICASE if icase else 0) | (
                posix_regex.MULTILINE if multiline else 0
            )
            compiled = (posix_regex.compile_ere if extended else posix_regex.compile_bre)(
                _as_c_text(pattern), rx_flags
            )
        else:
            options = (re.IGNORECASE if icase else 0) | (re.MULTILINE if multiline else 0)
            options |= (re.DOTALL if dotall else 0) | (re.VERBOSE if verbose else 0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                compiled = re.compile(_pcre(pattern), options)
    except (posix_regex.RegexError, PcreError) as exc:
        warn(f"{where}: {exc}")
        return None
    except re.error as exc:
        warn(f"{where}: {_pcre_message(exc, pattern)}")
        return None
    for ref in re.findall(r"\$\{(\d+)\}|\$(\d+)", value):
        index = int(ref[0] or ref[1])
        if index > compiled.groups:
            warn(f'{where}: out of range replacement index "{index}": skipping this rule')
            return None
    return compiled, negate, value


def _pcre(pattern: str) -> str:
    """PCRE syntax Python lacks: POSIX classes inside brackets, ``(?<name>``."""
    for match in re.finditer(r"\[:(\w*):\]", pattern):
        if match.group(1) not in PCRE_POSIX_CLASSES:
            raise PcreError(
                f"error in regex at offset {match.start() + 2}: unknown POSIX class name"
            )
    pattern = re.sub(r"\[:(\w+):\]", lambda m: PCRE_POSIX_CLASSES[m.group(1)], pattern)
    return re.sub(r"\(\?<(?![=!])", "(?P<", pattern)


def _pcre_message(exc: re.error, pattern: str) -> str:
    text, pos = exc.msg, exc.pos or 0
    table = [
        ("missing ), unterminated subpattern", "missing closing parenthesis", len(pattern)),
        ("unbalanced parenthesis", "unmatched closing parenthesis", pos),
        ("nothing to repeat", "quantifier does not follow a repeatable item", pos),
        ("multiple repeat", "quantifier does not follow a repeatable item", pos),
        ("bad character range", "range out of order in character class", pos + 2),
        ("unterminated character set", "missing terminating ] for character class", len(pattern)),
        ("unknown extension", "unrecognized character after (? or (?-", pos + 2),
    ]
    for python, pcre, offset in table:
        if text.startswith(python):
            return f"error in regex at offset {offset}: {pcre}"
    return f"error in regex at offset {pos}: {text}"


# -- opening -------------------------------------------------------------------


def open_table(
    machine: Machine, kind: str, name: str, warn: Warn, fold: bool = True, cwd: str = "/"
) -> Table:
    """Open ``kind:name`` for lookups, raising MapFatal with the real message."""
    from mailsim.postfix import dbfile

    if kind in DB_TYPES:
        db = dbfile.read(machine, name + ".db", kind, cwd)
        return DictTable(kind, name, db.entries, fold)
    if kind == "static":
        return StaticTable(name)
    if kind == "inline":
        entries = parse_inline(name)
        return DictTable(
            "inline",
            name,
            {k.lower() if fold else k: v for k, v in reversed(entries.items())},
            fold,
        )
    if kind not in ("texthash", "cidr", "regexp", "pcre"):
        raise MapFatal(f"unsupported dictionary type: {kind}")
    try:
        text = machine.read_text(name, cwd)
    except OSError as exc:
        import os

        shown = f"database {name}" if kind == "texthash" else name
        raise MapFatal(f"open {shown}: {os.strerror(exc.errno or 2)}") from None
    if kind == "texthash":
        return DictTable("texthash", name, parse_source(text, name, warn, fold, None, True), fold)
    if kind == "cidr":
        return CidrTable(name, text, warn)
    return RegexTable(kind, name, text, warn)


def split_spec(spec: str, default_type: str = "hash") -> tuple[str, str]:
    kind, colon, name = spec.partition(":")
    return (kind, name) if colon else (default_type, spec)


def lookup(machine: Machine, spec: str, key: str) -> str | None:
    """The value a table gives for ``key`` (None when not found or the table cannot open)."""
    kind, name = split_spec(spec)
    try:
        return open_table(machine, kind, name, lambda _message: None).get(key)
    except (MapFatal, OSError):
        return None
