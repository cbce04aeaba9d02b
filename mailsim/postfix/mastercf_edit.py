"""``postconf -Me``, ``-M#`` and ``-MX``: editing master.cf entries in place.

An entry is its first line plus the indented lines that continue it. ``-Me``
replaces a matching entry where it stands (or appends a new one) in
``postconf -Mf``'s layout; ``-M#`` comments an entry's lines out; ``-MX``
removes them.
"""

from __future__ import annotations

from mailsim.postfix import mastercf

NEEDS_TYPE = "-Me, -MX or -M# requires service_name/type"


class EditError(Exception):
    """Postfix's fatal text for a bad request."""


def _entries(lines: list[str]) -> list[tuple[int, int, str]]:
    """(first, end, logical text) of each entry, as physical line indexes."""
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.startswith("#") or line[0] in " \t":
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end][:1] in (" ", "\t") and lines[end].strip():
            end += 1
        text = " ".join(part.strip() for part in lines[i:end])
        out.append((i, end, text))
        i = end
    return out


def _key(text: str) -> list[str]:
    return text.split()[:2]


def edit(text: str, requests: list[str], mode: str) -> str:
    """Apply ``-Me`` (mode "e"), ``-M#`` ("#") or ``-MX`` ("X") requests to master.cf text."""
    lines = text.split("\n")
    trailing = lines[-1] == ""
    if trailing:
        lines.pop()
    for request in requests:
        if mode == "e":
            pattern_text, _eq, entry = request.partition("=")
            parts = pattern_text.strip().split("/")
            if len(parts) != 2 or not all(parts):
                raise EditError(NEEDS_TYPE)
            try:
                service = mastercf.parse_entry(entry.strip())
            except mastercf.MasterCfError as exc:
                raise EditError(f'{exc}: "{request}"') from None
            new = mastercf.format_entry(service, fold=True).rstrip("\n").split("\n")
        else:
            parts = request.split("/")
            if len(parts) != 2 or not all(parts):
                raise EditError(NEEDS_TYPE)
            new = []
        for first, end, logical in reversed(_entries(lines)):
            name_type = _key(logical)
            if not mastercf_matches(parts, name_type):
                continue
            if mode == "e":
                lines[first:end] = new
                new = []
                break
            if mode == "#":
                lines[first:end] = ["#" + line for line in lines[first:end]]
            else:
                del lines[first:end]
        if mode == "e" and new:
            lines.extend(new)
    return "\n".join(lines) + ("\n" if trailing else "")


def mastercf_matches(pattern: list[str], name_type: list[str]) -> bool:
    if pattern[0] != name_type[0]:
        return False
    return len(pattern) < 2 or len(name_type) > 1 and pattern[1] == name_type[1]
