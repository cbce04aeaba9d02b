"""The declarative check vocabulary of a lab task: data, never code.

A check is a mapping with exactly one *kind* key naming what it looks at, and
the operators that kind takes::

    - postfix: home_mailbox              # effective value after $name expansion
      equals: Maildir/
    - postfix: mydestination
      contains_item: "{{domain}}"        # compared as a Postfix list
    - dovecot: service/imap-login/inet_listener/imap/port
      equals: 0
    - file: /etc/aliases
      line: "postmaster: root"           # ignoring spacing and comments
    - command: postalias -q postmaster /etc/aliases
      stdout_equals: "root\\n"           # run on a throwaway copy of the machine
    - service: postfix
      reloaded_after_change: true
    - ran: newaliases
      after_change_of: /etc/aliases
    - alias: postmaster                  # postalias -q on the database as built
      equals: root
    - table: hash:/etc/postfix/virtual
      key: info@{{domain}}
      equals: alice
    - not: {postfix: relayhost, is_set: true}
    - any: [ ... ]   /   all: [ ... ]

``parse_check`` turns YAML data into a ``Check`` and reports problems with file
and line; ``mailsim.packs.evaluate`` decides whether a check holds on a machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mailsim.packs.problems import Problem
from mailsim.packs.variables import names_in, substitute_all
from mailsim.packs.yamlsrc import Location, YamlDoc

VALUE_OPS = frozenset({"equals", "any_of", "matches", "contains_item", "lacks_item"})

VOCABULARY: dict[str, frozenset[str]] = {
    "postfix": VALUE_OPS | {"is_set"},
    "dovecot": VALUE_OPS | {"is_set", "protocol"},
    "file": frozenset(
        {"contains", "lacks", "matches", "line", "no_line", "exists", "mode", "owner", "group"}
    ),
    "command": frozenset(
        {
            "status",
            "stdin",
            "stdout_contains",
            "stdout_matches",
            "stdout_equals",
            "stderr_contains",
            "stderr_equals",
        }
    ),
    "service": frozenset({"state", "reloaded_after_change", "config"}),
    "ran": frozenset({"after_change_of"}),
    "alias": VALUE_OPS | {"exists", "table"},
    "table": VALUE_OPS | {"exists", "key"},
    "all": frozenset(),
    "any": frozenset(),
    "not": frozenset(),
}
"""Kind → the operators it accepts. The lab schema's ``check`` definition lists the same."""

REQUIRED: dict[str, frozenset[str]] = {
    "ran": frozenset({"after_change_of"}),
    "table": frozenset({"key"}),
}
"""Operators a kind cannot do without."""

NEEDS_ONE_OF: dict[str, frozenset[str]] = {
    "postfix": VALUE_OPS | {"is_set"},
    "dovecot": VALUE_OPS | {"is_set"},
    "file": VOCABULARY["file"],
    "command": VOCABULARY["command"] - {"stdin"},
    "service": frozenset({"state", "reloaded_after_change"}),
    "alias": VALUE_OPS | {"exists"},
    "table": VALUE_OPS | {"exists"},
}
"""Kinds that say nothing without at least one of these operators."""

REGEX_OPS = frozenset({"matches", "stdout_matches"})
COMPOSITE = ("all", "any", "not")


@dataclass(frozen=True)
class Check:
    """One parsed check; ``ops`` holds the operators as written (after variables)."""

    kind: str
    target: Any
    """The kind key's value: a parameter, a path, a command, a service, a list of checks."""
    ops: dict[str, Any] = field(default_factory=dict)
    children: tuple[Check, ...] = ()
    file: str = ""
    line: int | None = None

    def bind(self, values: dict[str, str]) -> Check:
        """This check with ``{{name}}`` replaced by the learner's variable values."""
        if not values:
            return self
        return Check(
            self.kind,
            substitute_all(self.target, values) if not self.children else self.target,
            substitute_all(self.ops, values),
            tuple(c.bind(values) for c in self.children),
            self.file,
            self.line,
        )


def list_items(value: str) -> list[str]:
    """A Postfix list value's items (comma and/or white space separated)."""
    return [item for item in re.split(r"[\s,]+", value) if item]


def as_items(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return list_items(str(value))


def compile_regex(pattern: str) -> re.Pattern[str] | str:
    """The compiled pattern, or the error text."""
    try:
        return re.compile(pattern, re.MULTILINE)
    except re.error as exc:
        return str(exc)


def parse_check(
    data: Any,
    doc: YamlDoc,
    path: Location,
    problems: list[Problem],
    postfix_known: Any = None,
    dovecot_known: Any = None,
) -> Check | None:
    """Build a Check from YAML data, appending every problem found (schema shape is
    checked before this; here: the kind, operator combinations, regexes, names)."""
    line = doc.line_of(path)
    if not isinstance(data, dict):
        problems.append(doc.problem(path, "a check must be a mapping"))
        return None
    kinds = [k for k in data if k in VOCABULARY]
    if len(kinds) != 1:
        if not kinds:
            message = "a check needs one of: " + ", ".join(VOCABULARY)
        else:
            message = "a check names one kind, not " + " and ".join(kinds)
        problems.append(doc.problem(path, message))
        return None
    kind = kinds[0]
    allowed = VOCABULARY[kind]
    ops: dict[str, Any] = {}
    ok = True
    for key, value in data.items():
        if key == kind:
            continue
        if key not in allowed:
            takes = ", ".join(sorted(allowed)) or "no operators"
            problems.append(
                doc.problem(
                    (*path, key),
                    f"'{key}' does not apply to a {kind} check (it takes: {takes})",
                    at_key=True,
                )
            )
            ok = False
            continue
        ops[key] = value
    for needed in REQUIRED.get(kind, ()):
        if needed not in ops:
            problems.append(doc.problem(path, f"a {kind} check needs '{needed}'"))
            ok = False
    wanted = NEEDS_ONE_OF.get(kind)
    if wanted and not (wanted & set(ops)):
        problems.append(
            doc.problem(path, f"a {kind} check needs one of: {', '.join(sorted(wanted))}")
        )
        ok = False
    for key in REGEX_OPS & set(ops):
        if isinstance(ops[key], str) and "{{" not in ops[key]:
            error = compile_regex(ops[key])
            if isinstance(error, str):
                problems.append(doc.problem((*path, key), f"invalid regular expression: {error}"))
                ok = False
    target = data[kind]
    if kind in ("all", "any"):
        if not isinstance(target, list) or not target:
            problems.append(doc.problem((*path, kind), f"'{kind}' takes a list of checks"))
            return None
        children = [
            parse_check(item, doc, (*path, kind, i), problems, postfix_known, dovecot_known)
            for i, item in enumerate(target)
        ]
        if any(c is None for c in children):
            return None
        return Check(kind, None, {}, tuple(c for c in children if c), doc.file, line)
    if kind == "not":
        child = parse_check(target, doc, (*path, kind), problems, postfix_known, dovecot_known)
        return Check(kind, None, {}, (child,), doc.file, line) if child and ok else None
    if kind == "postfix" and postfix_known and isinstance(target, str) and not names_in(target):
        if not postfix_known(target):
            problems.append(doc.problem((*path, kind), f"unknown Postfix parameter '{target}'"))
            ok = False
    if kind == "dovecot" and dovecot_known and isinstance(target, str) and not names_in(target):
        if not dovecot_known(target):
            problems.append(doc.problem((*path, kind), f"unknown Dovecot setting '{target}'"))
            ok = False
    if not ok:
        return None
    return Check(kind, target, ops, (), doc.file, line)


def postfix_param_known(name: str) -> bool:
    """A parameter the Postfix table (or a default master.cf service) defines."""
    from mailsim.postfix import params

    table = params.table()
    if name in table.defaults:
        return True
    services = [
        ("smtp", "smtpd"),
        ("submission", "smtpd"),
        ("smtps", "smtpd"),
        ("relay", "smtp"),
        ("lmtp", "lmtp"),
        ("local", "local"),
        ("virtual", "virtual"),
    ]
    return name in params.service_params(services)


def dovecot_setting_known(path: str) -> bool:
    """A global setting, a plugin key, or a path through known sections."""
    from mailsim.dovecot.settings import table

    settings = table()
    parts = [p for p in path.split("/") if p]
    if not parts:
        return False
    if len(parts) == 1:
        return parts[0] in settings.globals
    if parts[0] == "plugin":
        return len(parts) == 2
    section = settings.sections.get(parts[-3] if len(parts) >= 3 else parts[0])
    if parts[0] not in settings.sections or section is None:
        return False
    return parts[-1] in section.fields
