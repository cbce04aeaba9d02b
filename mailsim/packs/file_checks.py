"""File checks of a lab: existence, owner, mode, text, and configuration lines.

Lines are compared as the software reads them: comments dropped, spacing made
canonical, and continuation lines joined where the file's format has them, so
``home_mailbox=Maildir/`` and ``home_mailbox = Maildir/  # here`` are one line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mailsim.packs.checks import Check, compile_regex
from mailsim.packs.messages import Msg

if TYPE_CHECKING:
    from mailsim.machine.machine import Machine

CONTINUED = ("/etc/postfix/", "/etc/aliases")
"""Files where a line starting with white space continues the previous one."""


def file_problem(machine: Machine, check: Check) -> Msg | None:
    """Why a ``file:`` check fails on the machine, or None when it holds."""
    path = str(check.target)
    ops = check.ops
    exists = machine.exists(path)
    if "exists" in ops and bool(ops["exists"]) != exists:
        return Msg(
            "packs.check.file.missing" if exists is False else "packs.check.file.exists",
            file=path,
        )
    if not exists:
        if set(ops) - {"exists", "lacks", "no_line"}:
            return Msg("packs.check.file.missing", file=path)
        return None
    if {"mode", "owner", "group"} & set(ops):
        st = machine.stat(path)
        if "mode" in ops and st.mode != int(str(ops["mode"]), 8):
            return Msg(
                "packs.check.file.mode",
                file=path,
                have=f"{st.mode:04o}",
                need=f"{int(str(ops['mode']), 8):04o}",
            )
        for attr in ("owner", "group"):
            if attr in ops and getattr(st, attr) != ops[attr]:
                return Msg(
                    f"packs.check.file.{attr}",
                    file=path,
                    have=getattr(st, attr),
                    need=str(ops[attr]),
                )
    if not {"contains", "lacks", "matches", "line", "no_line"} & set(ops):
        return None
    text = machine.read_text(path)
    if "contains" in ops and str(ops["contains"]) not in text:
        return Msg("packs.check.file.lacks_text", file=path, text=str(ops["contains"]))
    if "lacks" in ops and str(ops["lacks"]) in text:
        return Msg("packs.check.file.has_text", file=path, text=str(ops["lacks"]))
    if "matches" in ops:
        pattern = compile_regex(str(ops["matches"]))
        if isinstance(pattern, str) or not pattern.search(text):
            return Msg("packs.check.file.no_match", file=path, pattern=str(ops["matches"]))
    if "line" in ops or "no_line" in ops:
        lines = logical_lines(text, path.startswith(CONTINUED))
        if "line" in ops:
            want = normalize_line(str(ops["line"]))
            if not any(norm == want for _, norm, _ in lines):
                key = line_key(want)
                similar = [(no, raw) for no, norm, raw in lines if key and line_key(norm) == key]
                if similar:
                    no, raw = similar[-1]
                    return Msg(
                        "packs.check.file.line_differs",
                        file=path,
                        line=no,
                        have=raw.strip(),
                        need=str(ops["line"]),
                    )
                return Msg("packs.check.file.line_missing", file=path, need=str(ops["line"]))
        if "no_line" in ops:
            unwanted = normalize_line(str(ops["no_line"]))
            for no, norm, raw in lines:
                if norm == unwanted:
                    return Msg(
                        "packs.check.file.line_present",
                        file=path,
                        line=no,
                        have=raw.strip(),
                    )
    return None


def normalize_line(line: str) -> str:
    """A configuration line with comments dropped and spacing made canonical."""
    line = re.sub(r"(^|\s)#.*$", "", line)
    line = re.sub(r"\s*([=:,])\s*", r"\1", line)
    return " ".join(line.split())


def line_key(norm: str) -> str:
    """The name a normalised line sets (``home_mailbox`` of ``home_mailbox=Maildir/``)."""
    match = re.match(r"[^\s=:]+", norm)
    return match.group(0) if match else ""


def logical_lines(text: str, continued: bool) -> list[tuple[int, str, str]]:
    """(first physical line number, normalised text, raw text) of each logical line."""
    out: list[tuple[int, str, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if (
            continued
            and raw[:1] in (" ", "\t")
            and out
            and raw.strip()
            and not raw.lstrip().startswith("#")
        ):
            first, _norm, joined = out[-1]
            joined = joined + " " + raw.strip()
            out[-1] = (first, normalize_line(joined), joined)
            continue
        out.append((number, normalize_line(raw), raw))
    return out
