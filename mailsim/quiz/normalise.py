"""Typed-answer normalisation: two answers that mean the same thing compare equal.

A question lists the rules that apply to it (``rules:`` in the bank):

- ``spacing``: runs of white space collapse; no space around ``=`` or after ``,``
  (``myhostname = mail`` ≡ ``myhostname=mail``).
- ``case``: case does not matter.
- ``flags``: a command line; bundled and separate short options are the same and
  their order does not matter (``postconf -n -f`` ≡ ``postconf -fn``), ``--opt=v`` ≡
  ``--opt v``, a leading ``sudo`` and the command's directory are dropped.
  Options that take an argument are named by the question (``options_with_args``).
- ``services``: service names and their ports are the same, as Debian's
  ``/etc/services`` has them (``imap`` ≡ ``imap2`` ≡ ``143``, ``smtps`` ≡
  ``submissions`` ≡ ``465``).
- ``path``: repeated and trailing slashes do not matter.
- ``quotes``: surrounding quotes do not matter.
- ``unordered``: the order of words does not matter (``imap pop3`` ≡ ``pop3 imap``).
"""

from __future__ import annotations

import re
import shlex

RULES = ("spacing", "case", "flags", "services", "path", "quotes", "unordered")

SERVICES: dict[str, str] = {
    "smtp": "25",
    "mail": "25",
    "pop3": "110",
    "pop-3": "110",
    "imap2": "143",
    "imap": "143",
    "submissions": "465",
    "ssmtp": "465",
    "smtps": "465",
    "urd": "465",
    "submission": "587",
    "imaps": "993",
    "pop3s": "995",
    "sieve": "4190",
}
"""Mail services of Debian 12's /etc/services (netbase), names and aliases → port."""

_WS = re.compile(r"\s+")
_SERVICE_TOKEN = re.compile(r"(?<![\w.-])[A-Za-z][\w-]*(?![\w.-])")
_TIGHT = re.compile(r"\s*=\s*|,\s*")


class NormaliseError(ValueError):
    """An accepted form that the rules cannot read (unbalanced quotes in a command line)."""


def normalise(
    text: str, rules: tuple[str, ...] | list[str], options_with_args: str = "", strict: bool = False
) -> str:
    """The canonical form of ``text`` under ``rules``. ``strict`` raises NormaliseError
    where a lenient reading is possible (used when validating a bank's accepted forms)."""
    value = text.strip()
    if "spacing" in rules:
        value = _WS.sub(" ", value)
    if "case" in rules:
        value = value.casefold()
    if "quotes" in rules and len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1].strip()
    if "services" in rules:
        value = _SERVICE_TOKEN.sub(lambda m: SERVICES.get(m.group(0).lower(), m.group(0)), value)
    if "path" in rules:
        value = " ".join(_normalise_path(word) for word in value.split(" "))
    if "flags" in rules:
        value = _canonical_command(value, options_with_args, strict, "spacing" in rules)
    if "unordered" in rules:
        value = " ".join(sorted(value.split()))
    if "spacing" in rules:
        value = _tighten(value)
    return value


def _tighten(value: str) -> str:
    return _TIGHT.sub(lambda m: "=" if "=" in m.group(0) else ",", _WS.sub(" ", value.strip()))


def _normalise_path(word: str) -> str:
    if "/" not in word:
        return word
    collapsed = re.sub(r"/{2,}", "/", word)
    return collapsed.rstrip("/") or "/"


def _canonical_command(line: str, options_with_args: str, strict: bool, tight: bool) -> str:
    try:
        words = shlex.split(line)
    except ValueError as exc:
        if strict:
            raise NormaliseError(f"cannot read {line!r} as a command line: {exc}") from None
        words = line.split()
    while words and words[0] in ("sudo", "command", "exec"):
        words = words[1:]
    if not words:
        return ""
    command = words[0].rsplit("/", 1)[-1] if words[0].startswith("/") else words[0]
    flags: set[str] = set()
    with_args: list[tuple[str, str]] = []
    positional: list[str] = []
    rest = iter(words[1:])
    for word in rest:
        if word == "--":
            positional.extend(rest)
            break
        if word.startswith("--") and len(word) > 2:
            name, eq, value = word.partition("=")
            if eq:
                with_args.append((name, value))
            else:
                flags.add(name)
        elif word.startswith("-") and len(word) > 1:
            letters = word[1:]
            for i, letter in enumerate(letters):
                if letter in options_with_args:
                    value = letters[i + 1 :] or next(rest, "")
                    with_args.append(("-" + letter, value))
                    break
                flags.add("-" + letter)
        else:
            positional.append(word)
    if tight:  # 'myhostname = mail' and myhostname=mail are the same argument
        positional = [_tighten(p) for p in positional]
        with_args = [(name, _tighten(value)) for name, value in with_args]
    parts = [command, *sorted(flags)]
    for name, value in sorted(with_args):
        parts.extend([name, shlex.quote(value)])
    parts.extend(shlex.quote(p) for p in positional)
    return " ".join(parts)


def matches(
    answer: str,
    accept: tuple[str, ...] | list[str],
    patterns: tuple[str, ...] | list[str],
    rules: tuple[str, ...] | list[str],
    options_with_args: str = "",
) -> bool:
    """Is ``answer`` one of the accepted forms (or a full match of a pattern) once normalised?"""
    given = normalise(answer, rules, options_with_args)
    if not given:
        return False
    if any(given == normalise(form, rules, options_with_args) for form in accept):
        return True
    flags = re.IGNORECASE if "case" in rules else 0
    for pattern in patterns:
        try:
            if re.fullmatch(pattern, given, flags):
                return True
        except re.error:
            continue
    return False
