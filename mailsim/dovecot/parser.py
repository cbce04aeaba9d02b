"""Parse dovecot.conf (with its includes) into a tree, as Dovecot 2.3 reads it.

The parser follows ``src/config/config-parser.c``: includes are read in glob
order where they appear, ``$name`` is expanded only in ``key = $key …`` (or
everywhere with ``-x``), ``<file`` values are read only with ``-x``, sections
with the same kind and name merge, ``protocol``/``local``/``remote``/
``local_name`` blocks are filters, and the obsolete settings that
``old-set-parser.c`` rewrites give the same warnings. The first error stops
the parse with the real message; warnings are kept in the order they appear.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mailsim.dovecot import lexer
from mailsim.dovecot.obsolete import ObsoleteSettings
from mailsim.dovecot.settings import InvalidValue, Table, normalize, table

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine

FILTER_KINDS = ("protocol", "local", "remote", "local_name")


@dataclass
class Value:
    """A setting's value as doveconf prints it, and the line that set it."""

    text: str
    file: str
    line: int


@dataclass
class Section:
    """``kind [name] { … }``; the root of the file and each filter are sections too."""

    kind: str
    name: str
    file: str
    line: int
    settings: dict[str, Value] = field(default_factory=dict)
    children: list[Section] = field(default_factory=list)

    def find(self, kind: str, name: str) -> Section | None:
        for child in self.children:
            if child.kind == kind and child.name == name:
                return child
        return None

    def all(self, kind: str) -> list[Section]:
        return [c for c in self.children if c.kind == kind]


@dataclass
class Filter:
    """``protocol imap { … }``, ``local 10.0.0.1 { … }`` and their nestings."""

    protocol: str | None = None
    local: str | None = None
    local_bits: int = 0
    remote: str | None = None
    remote_bits: int = 0
    local_name: str | None = None
    root: Section = field(default_factory=lambda: Section("", "", "", 0))

    def key(self) -> tuple:
        return (self.protocol, self.local, self.remote, self.local_name)


@dataclass
class ParseError(Exception):
    """The first fatal error; ``str()`` is the text after ``doveconf: Fatal: ``."""

    message: str
    file: str
    line: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return f"Error in configuration file {self.file}: {self.message}"
        return f"Error in configuration file {self.file} line {self.line}: {self.message}"


@dataclass
class Parsed:
    path: str
    root: Section
    filters: list[Filter]
    warnings: list[str]
    files: list[str]
    """Every file and globbed directory read, for cache validation."""
    error: ParseError | None = None


class _Frame:
    def __init__(
        self,
        section: Section,
        filt: Filter | None,
        path: str,
        is_filter: bool,
        kind: str,
        open_file: str,
        open_line: int,
    ) -> None:
        self.section, self.filter, self.path, self.is_filter = section, filt, path, is_filter
        self.kind, self.open_file, self.open_line = kind, open_file, open_line


def _escape(name: str) -> str:
    """settings_section_escape: how a section name appears in a setting path."""
    out = []
    for ch in name:
        out.append({"=": "\\e", "/": "\\s", "\\": "\\\\", " ": "\\_", ",": "\\+"}.get(ch, ch))
    return "".join(out)


def _parse_net(value: str) -> tuple[str, int] | None:
    import ipaddress

    try:
        net = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return None
    if "/" not in value:
        return str(net.network_address), net.max_prefixlen
    return str(ipaddress.ip_address(value.split("/")[0])), net.prefixlen


def _bad_net(value: str) -> str:
    """Dovecot's error for a local/remote filter whose address does not parse."""
    if "/" in value:
        return f"Invalid network mask: {value}"
    return f"gethostbyname({value}) failed: Name or service not known"


class Parser(ObsoleteSettings):
    def __init__(self, machine: Machine, path: str, expand: bool = False) -> None:
        self.machine, self.path, self.expand = machine, path, expand
        self.table: Table = table()
        self.root = Section("", "", path, 0)
        self.filters: list[Filter] = []
        self.warnings: list[str] = []
        self.files: list[str] = []
        self.seen: dict[str, str] = {}
        self.section_counter = 0
        self.obsolete_noted = False
        self.stack: list[_Frame] = []
        self.file = path
        self.lineno = 0

    # -- reading files -------------------------------------------------------

    def parse(self) -> Parsed:
        result = Parsed(self.path, self.root, self.filters, self.warnings, self.files)
        try:
            text = self.machine.read_text(self.path)
        except OSError as exc:
            result.error = ParseError(
                f"open({self.path}) failed: {os.strerror(exc.errno or 2)}", self.path
            )
            result.error.line = None
            return result
        self.stack = [_Frame(self.root, None, "", False, "", self.path, 0)]
        try:
            self._read(self.path, text, [self.path])
            if len(self.stack) > 1:
                top = self.stack[-1]
                raise ParseError(
                    f"Missing '}}' (section started at {top.open_file}:{top.open_line})", self.path
                )
        except ParseError as exc:
            result.error = exc
        return result

    def _read(self, path: str, text: str, chain: list[str]) -> None:
        self.files.append(path)
        for line in lexer.lex(text, path):
            self.file, self.lineno = path, line.lineno
            if line.warning:
                self.warnings.append(line.warning)
            try:
                self._apply(line, chain)
            except InvalidValue as exc:
                raise ParseError(str(exc), path, line.lineno) from None

    def _fail(self, message: str) -> ParseError:
        return ParseError(message, self.file, self.lineno)

    def _relative(self, value: str) -> str:
        if value.startswith("/"):
            return value
        if "/" not in self.file:
            return value
        return self.file.rsplit("/", 1)[0] + "/" + value

    def _glob(self, pattern: str) -> list[str]:
        """glob(3) over the simulated disk, sorted; braces expand first."""
        if "{" in pattern and "}" in pattern:
            start = pattern.index("{")
            end = pattern.index("}", start)
            out: list[str] = []
            for alt in pattern[start + 1 : end].split(","):
                out.extend(self._glob(pattern[:start] + alt + pattern[end + 1 :]))
            return out
        parts = [p for p in pattern.split("/") if p]
        found = ["/"]
        for part in parts:
            nxt = []
            for base in found:
                prefix = base.rstrip("/") + "/"
                if any(c in part for c in "*?["):
                    self.files.append(base)
                    try:
                        names = self.machine.listdir(base)
                    except OSError:
                        continue
                    for name in names:
                        if name.startswith(".") and not part.startswith("."):
                            continue
                        if fnmatch.fnmatchcase(name, part):
                            nxt.append(prefix + name)
                elif self.machine.lexists(prefix + part):
                    nxt.append(prefix + part)
            found = nxt
        return sorted(found, key=lambda s: s.encode("utf-8", "surrogateescape"))

    def _include(self, value: str, try_only: bool, chain: list[str]) -> None:
        pattern = self._relative(value)
        matches = self._glob(pattern)
        if not matches:
            if try_only:
                return
            raise self._fail("No matches")
        for match in matches:
            if match in chain:
                raise self._fail(f"Recursive include file: {match}")
            try:
                text = self.machine.read_text(match)
            except OSError as exc:
                if try_only:
                    continue
                raise self._fail(
                    f"Couldn't open include file {match}: {os.strerror(exc.errno or errno.ENOENT)}"
                ) from None
            saved = (self.file, self.lineno)
            self._read(match, text, chain + [match])
            self.file, self.lineno = saved

    # -- applying lines ------------------------------------------------------

    @property
    def frame(self) -> _Frame:
        return self.stack[-1]

    def _apply(self, line: lexer.Line, chain: list[str]) -> None:
        kind = line.kind
        if kind == lexer.ERROR:
            raise self._fail(line.value)
        if kind in (lexer.INCLUDE, lexer.INCLUDE_TRY):
            self._include(line.value, kind == lexer.INCLUDE_TRY, chain)
            return
        if kind == lexer.SECTION_END:
            if len(self.stack) == 1:
                raise self._fail("Unexpected '}'")
            self.stack.pop()
            return
        if kind == lexer.SECTION_BEGIN:
            self._begin(line.key, line.value)
            return
        key, value = line.key, line.value
        if kind == lexer.KEYVALUE and self.frame.path == "" and self._old_root(key, value):
            return
        self._set(kind, key, value)

    def _set(self, kind: str, key: str, value: str) -> None:
        frame = self.frame
        full = frame.path + key
        self._check_seen(key, full)
        if kind == lexer.KEYFILE:
            if self.expand:
                path = self._relative(value)
                try:
                    value = self.machine.read_text(path)
                except OSError as exc:
                    raise self._fail(
                        f"{full}: Can't open file {path}: {os.strerror(exc.errno or errno.ENOENT)}"
                    ) from None
            else:
                value = "<" + value
        elif kind == lexer.KEYVARIABLE:
            value = self._expand_vars(key, value)
        self._store(key, value)

    def _check_seen(self, key: str, full: str) -> None:
        first = self.seen.get(full)
        if len(self.stack) == 1:
            if first is not None:
                self.warnings.append(
                    f"{self.file} line {self.lineno}: Global setting {key} won't change the "
                    f"setting inside an earlier filter at {first} (if this is intentional, "
                    f"avoid this warning by moving the global setting before {first})"
                )
            return
        if first is None:
            self.seen[full] = f"{self.file} line {self.lineno}"

    def _lookup_var(self, name: str) -> str | None:
        """A setting's current value for ``$name``: the section's, else the global one."""
        frame = self.frame
        if frame.filter is not None and name in frame.filter.root.settings:
            return frame.filter.root.settings[name].text
        if name in self.root.settings:
            return self.root.settings[name].text
        defn = self.table.globals.get(name)
        return defn.default if defn is not None else None

    def _expand_vars(self, key: str, value: str) -> str:
        """config_write_keyvariable: words split at a space; runs of white space collapse."""
        out: list[str] = []
        for word in re.split(r" [ \t]*", value):
            expand_parent = word.startswith("$") and word[1:] == key
            if not word.startswith("$") or (not self.expand and not expand_parent):
                out.append(word)
            elif word.startswith("$ENV:"):
                out.append("")  # the simulated doveconf runs with a clean environment
            else:
                found = self._lookup_var(word[1:])
                if found is None:
                    raise self._fail(f"Unknown variable: {word}")
                out.append(found)
        return " ".join(out)

    def _store(self, key: str, value: str) -> None:
        frame = self.frame
        section = frame.section
        if frame.kind in self.table.strlists:
            section.settings[key] = Value(value, self.file, self.lineno)
            return
        if frame.kind == "" or frame.is_filter:
            defn = self.table.globals.get(key)
            if (
                defn is not None
                and frame.filter is not None
                and frame.filter.remote_bits + frame.filter.local_bits
                and key in self.table.modules.get("auth", ())
            ):
                raise self._fail(f"Auth settings not supported inside local/remote blocks: {key}")
        else:
            sdef = self.table.sections.get(frame.kind)
            defn = sdef.fields.get(key) if sdef else None
        if defn is None:
            raise self._fail("Unknown setting: " + self._full_path(key))
        section.settings[key] = Value(normalize(defn, value), self.file, self.lineno)

    def _full_path(self, key: str) -> str:
        parts = [f"{f.kind} {{ " for f in self.stack[1:] if not f.is_filter]
        return "".join(parts) + key

    # -- sections and filters --------------------------------------------------

    def _begin(self, kind: str, name: str) -> None:
        frame = self.frame
        if kind in FILTER_KINDS and (len(self.stack) == 1 or frame.is_filter):
            self._begin_filter(kind, name)
            return
        if kind == "protocol" and name == "managesieve" and frame.path == "":
            self._obsolete("protocol managesieve {} has been replaced by protocol sieve { }")
        allowed: tuple[str, ...]
        if frame.kind == "" or frame.is_filter:
            allowed = self.table.top_sections + self.table.strlists
        elif frame.kind in self.table.sections:
            allowed = self.table.sections[frame.kind].children
        else:
            allowed = ()
        new_frame = _Frame(
            frame.section, frame.filter, frame.path, False, kind, self.file, self.lineno
        )
        self.stack.append(new_frame)
        if kind not in allowed:
            raise self._fail("Unknown setting: " + self._full_path(kind))
        if kind == "service" and name == "dns_client" and frame.path == "":
            self._obsolete("service dns_client {} has been replaced by service dns-client { }")
            name = "dns-client"
        section = None
        if kind in self.table.strlists:
            section = frame.section.find(kind, "")
            ident = kind
        else:
            unique = self.table.sections[kind].unique
            if name and unique:
                section = frame.section.find(kind, name)
            if name:
                ident = _escape(name)
            else:
                ident = str(self.section_counter)
                self.section_counter += 1
        if section is None:
            section = Section(kind, name, self.file, self.lineno)
            frame.section.children.append(section)
        new_frame.section = section
        new_frame.path = frame.path + (
            f"{kind}/" if kind in self.table.strlists else f"{kind}/{ident}/"
        )

    def _begin_filter(self, kind: str, value: str) -> None:
        parent = self.frame.filter or Filter()
        new = Filter(
            parent.protocol,
            parent.local,
            parent.local_bits,
            parent.remote,
            parent.remote_bits,
            parent.local_name,
        )
        error = None
        if kind == "protocol":
            if parent.protocol is not None:
                error = "Nested protocol { protocol { .. } } block not allowed"
            new.protocol = value
        elif kind == "local":
            net = _parse_net(value)
            if parent.remote_bits > 0:
                error = "remote { local { .. } } not allowed (use local { remote { .. } } instead)"
            elif parent.protocol is not None:
                error = (
                    "protocol { local { .. } } not allowed (use local { protocol { .. } } instead)"
                )
            elif parent.local_name is not None:
                error = (
                    "local_name { local { .. } } not allowed (use local { local_name "
                    "{ .. } } instead)"
                )
            elif net is None:
                error = _bad_net(value)
            else:
                new.local, new.local_bits = net
        elif kind == "local_name":
            if parent.remote_bits > 0:
                error = (
                    "remote { local_name { .. } } not allowed (use local_name { remote "
                    "{ .. } } instead)"
                )
            elif parent.protocol is not None:
                error = (
                    "protocol { local_name { .. } } not allowed (use local_name { protocol "
                    "{ .. } } instead)"
                )
            new.local_name = value
        else:
            net = _parse_net(value)
            if parent.protocol is not None:
                error = (
                    "protocol { remote { .. } } not allowed (use remote { protocol { .. } } "
                    "instead)"
                )
            elif net is None:
                error = _bad_net(value)
            else:
                new.remote, new.remote_bits = net
        self.stack.append(
            _Frame(self.root, new, self.frame.path, True, kind, self.file, self.lineno)
        )
        if error:
            raise self._fail(error)
        for existing in self.filters:
            if existing.key() == new.key():
                new = existing
                break
        else:
            new.root = Section("", "", self.file, self.lineno)
            self.filters.append(new)
        self.frame.filter = new
        self.frame.section = new.root


def parse(machine: Machine, path: str, expand: bool = False) -> Parsed:
    return Parser(machine, path, expand).parse()
