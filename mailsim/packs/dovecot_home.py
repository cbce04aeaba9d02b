"""Where a Dovecot setting belongs, for the grader's "set it in FILE" reasons.

Debian spreads dovecot.conf over conf.d/, and each file shows its settings
commented out: the learner is sent to the file (and the block) that already
holds the setting, not to the first file that mentions its name.
"""

from __future__ import annotations

import re

from mailsim.machine.machine import Machine


def dovecot_home(machine: Machine, path: str, protocol: str | None = None) -> str:
    """Where Debian's files show this setting (commented out), else dovecot.conf.

    With ``protocol`` (a global setting the task wants inside ``protocol lda { }``)
    it is the file holding that protocol's block: 15-lda.conf, not 10-mail.conf.
    """
    parts = path.split("/")
    inner: re.Pattern[str] | None = None
    if protocol and len(parts) == 1:
        pattern = re.compile(rf"^\s*#?\s*protocol\s+{re.escape(protocol)}\s*{{")
        inner = re.compile(rf"^\s*#?\s*{re.escape(path)}\b")
    elif parts[0] == "service" and len(parts) > 1:
        # The file that holds this service's block (10-master.conf for pop3-login),
        # not the first file that mentions any service.
        pattern = re.compile(rf"^\s*#?\s*service\s+{re.escape(parts[1])}\s*{{")
        if len(parts) > 2:
            # Prefer the file whose block also shows the next part
            # (10-director.conf has a bare `service pop3-login {` too).
            inner = re.compile(rf"^\s*#?\s*{re.escape(parts[2])}\b")
    else:
        name = parts[0] if parts[0] == "plugin" else parts[-1]
        pattern = re.compile(rf"^\s*#?\s*{re.escape(name)}\b")
    candidates = ["/etc/dovecot/dovecot.conf"]
    try:
        candidates += [
            f"/etc/dovecot/conf.d/{n}"
            for n in machine.listdir("/etc/dovecot/conf.d")
            if n.endswith(".conf")
        ]
    except OSError:
        pass
    first = None
    for file in candidates[1:] + candidates[:1]:
        try:
            lines = machine.read_text(file).splitlines()
        except OSError:
            continue
        starts = [i for i, line in enumerate(lines) if pattern.match(line)]
        if starts:
            if inner is None or any(_block_has(lines, i, inner) for i in starts):
                return file
            first = first or file
    return first or "/etc/dovecot/dovecot.conf"


def _block_has(lines: list[str], start: int, inner: re.Pattern[str]) -> bool:
    """Whether the (possibly commented-out) block opening at ``start`` has a matching line."""
    depth = 0
    for line in lines[start:]:
        bare = line.strip().lstrip("#").strip()
        depth += bare.count("{") - bare.count("}")
        if inner.match(line):
            return True
        if depth <= 0:
            return False
    return False
