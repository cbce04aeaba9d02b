"""Tab completion for the learner's shell, as bash-completion would offer it.

Command names first; then, by what the command declares (``completes``):
machine paths, Postfix parameter names after ``postconf``, Dovecot setting
names after ``doveconf``, and subcommands (``postfix ch<TAB>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mailsim.machine import paths

if TYPE_CHECKING:
    from mailsim.shell.session import Shell

BREAKS = " \t|;&<>()"

SUBCOMMANDS: dict[str, tuple[str, ...]] = {
    "postfix": (
        "abort",
        "check",
        "flush",
        "reload",
        "set-permissions",
        "start",
        "start-fg",
        "status",
        "stop",
        "upgrade-configuration",
    ),
    "systemctl": (
        "disable",
        "enable",
        "is-active",
        "is-enabled",
        "list-units",
        "reload",
        "restart",
        "start",
        "status",
        "stop",
    ),
    "doveadm": ("auth", "help", "kick", "log", "pw", "reload", "stop", "user", "who"),
    "service": (),
}
COMPLETES: dict[str, str] = {
    "postconf": "postfix-params",
    "doveconf": "dovecot-settings",
    "service": "services",
    "su": "users",
    "id": "users",
    "passwd": "users",
    "man": "commands",
    "which": "commands",
    "type": "commands",
}
"""Declared here rather than read from each command's metadata, so that TAB
never has to import a command's module."""


LEADING_KEYWORDS = frozenset({"if", "then", "elif", "else", "do", "while", "until", "!", "{"})
KEYWORDS = frozenset(
    {"case", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "then"}
    | {"until", "while"}
)


@dataclass(frozen=True)
class Completion:
    start: int
    """Where the completed word starts in the line."""
    candidates: list[str]

    def common_prefix(self) -> str:
        if not self.candidates:
            return ""
        first, last = min(self.candidates), max(self.candidates)
        i = 0
        while i < len(first) and i < len(last) and first[i] == last[i]:
            i += 1
        return first[:i]


def complete(shell: Shell, line: str, cursor: int | None = None) -> Completion:
    cursor = len(line) if cursor is None else cursor
    head = line[:cursor]
    start = max(head.rfind(c) for c in BREAKS) + 1
    word = head[start:]
    before = head[:start]
    segment_start = max(before.rfind(c) for c in "|;&(") + 1
    words_before = before[segment_start:].split()
    # After `if`, `then`, `do`... a command starts again: `for f in *; do ca<TAB>`.
    while words_before and words_before[0] in LEADING_KEYWORDS:
        words_before.pop(0)
    if not words_before:
        return Completion(start, _commands(shell, word))
    command = words_before[0].rsplit("/", 1)[-1]
    kind = COMPLETES.get(command, "paths")
    subs = SUBCOMMANDS.get(command, ())
    if command == "systemctl" and len(words_before) >= 2:
        kind = "services"
    elif subs and len(words_before) == 1 and not word.startswith(("-", "/", ".")):
        return Completion(start, sorted(s for s in subs if s.startswith(word)))
    if kind == "postfix-params" and not word.startswith(("-", "/")):
        from mailsim.postfix.params import table

        names = table().defaults
        return Completion(start, sorted(n for n in names if n.startswith(word)))
    if kind == "dovecot-settings" and not word.startswith(("-", "/")):
        from mailsim.dovecot.settings import table as dtable

        return Completion(start, sorted(n for n in dtable().globals if n.startswith(word)))
    if kind == "services":
        from mailsim.machine.services import unit_names

        return Completion(start, [n for n in unit_names() if n.startswith(word)])
    if kind == "users":
        return Completion(start, sorted(n for n in shell.machine.users() if n.startswith(word)))
    if kind == "commands":
        return Completion(start, _commands(shell, word))
    return Completion(start, _paths(shell, word))


def _commands(shell: Shell, word: str) -> list[str]:
    if "/" in word:
        return _paths(shell, word)
    path = shell.env.get("PATH", "")
    names = {
        name
        for name in shell.registry.names()
        if name.startswith(word) and shell.registry.find(name, path) is not None
    }
    # bash offers aliases and (once a letter is typed) keywords among the commands.
    names.update(name for name in shell.aliases if name.startswith(word))
    names.update(name for name in shell.functions if name.startswith(word))
    if word:
        names.update(name for name in KEYWORDS if name.startswith(word))
    return sorted(names)


def _paths(shell: Shell, word: str) -> list[str]:
    expanded = word
    if word.startswith("~"):
        expanded = shell.env.get("HOME", "/root") + word[1:]
    directory, _, prefix = expanded.rpartition("/")
    shown_dir = word[: len(word) - len(prefix)]
    base = directory if word.startswith(("/", "~")) or directory else ""
    lookup = paths.normalize(base or ".", shell.cwd) if expanded.count("/") or base else shell.cwd
    if expanded.startswith("/") and directory == "":
        lookup = "/"
    try:
        names = shell.machine.listdir(lookup)
    except OSError:
        return []
    out = []
    for name in names:
        if not name.startswith(prefix) or (name.startswith(".") and not prefix.startswith(".")):
            continue
        full = paths.normalize(name, lookup)
        suffix = "/" if shell.machine.is_dir(full) else ""
        out.append(shown_dir + name + suffix)
    return sorted(out)
