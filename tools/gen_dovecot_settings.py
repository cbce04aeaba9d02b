#!/usr/bin/env python3
"""Regenerate mailsim/dovecot/data/settings.json from a real Dovecot 2.3.

Run on a host with dovecot-core (and the -imapd, -pop3d, -sieve packages that
the simulated image installs):

    python tools/gen_dovecot_settings.py            # writes the data file
    python tools/gen_dovecot_settings.py --check    # exits 1 when it would change

Everything comes from the real tools: names, defaults and the section layout
from ``doveconf -c EMPTY -a`` (and ``-s`` for hidden settings); each setting's
type from the error the real parser gives for a bad value; enum choices from
the option strings compiled into the Dovecot binaries, each choice confirmed
by the real parser; per-module membership from ``doveconf -a -m MODULE``.
"""

from __future__ import annotations

import argparse
import glob
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "mailsim" / "dovecot" / "data" / "settings.json"

MODULES = (
    "aggregator auth dict director doveadm fs-crypt imap imap-login imap-urlauth "
    "imap-urlauth-login imap-urlauth-worker imapc lda lmtp login mail maildir master mbox "
    "mdbox pop3 pop3-login pop3c replicator stats submission submission-login"
).split()
"""Module names doveconf -m accepts (the settings roots of Dovecot 2.3)."""

PROBE_SECTIONS = """\
service zzz {
  inet_listener q1 {
  }
  unix_listener q2 {
  }
  fifo_listener q3 {
  }
}
namespace zzz {
  mailbox q {
  }
}
passdb {
  driver = pam
}
userdb {
  driver = passwd
}
metric zzz {
  filter = event=x
}
event_exporter zzz {
}
"""

SECTION_CONTEXT = {
    "service": ("service zzz {", "}"),
    "inet_listener": ("service zzz {\ninet_listener q {", "}\n}"),
    "unix_listener": ("service zzz {\nunix_listener q {", "}\n}"),
    "fifo_listener": ("service zzz {\nfifo_listener q {", "}\n}"),
    "namespace": ("namespace zzz {", "}"),
    "mailbox": ("namespace zzz {\nmailbox q {", "}\n}"),
    "passdb": ("passdb {\ndriver = pam", "}"),
    "userdb": ("userdb {\ndriver = passwd", "}"),
    "metric": ("metric zzz {\nfilter = event=x", "}"),
    "event_exporter": ("event_exporter zzz {", "}"),
}
"""How to reach each section type when probing one of its fields."""

UNIQUE = {
    "service",
    "inet_listener",
    "unix_listener",
    "fifo_listener",
    "namespace",
    "mailbox",
    "metric",
    "event_exporter",
}
"""Sections named by their instance (the rest are numbered in order)."""

ERROR_TYPES = [
    ("Invalid boolean value", "bool"),
    ("Invalid number", "uint"),
    ("Invalid size", "size"),
    ("Invalid time interval", "time"),
    ("Invalid port number", "port"),
    ("Invalid value", "enum"),
]


def doveconf(conf_text: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as fh:
        fh.write(conf_text)
        name = fh.name
    try:
        return subprocess.run(
            ["doveconf", "-c", name, *args], capture_output=True, text=True, check=False
        )
    finally:
        Path(name).unlink()


def parse_human(text: str) -> tuple[list[tuple[str, str]], dict[str, list]]:
    """Top-level ``name = value`` pairs and the section blocks of doveconf output."""
    top: list[tuple[str, str]] = []
    sections: dict[str, list] = {}
    stack: list[dict] = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        stripped = line.strip()
        if stripped == "}":
            stack.pop()
            continue
        if stripped.endswith("{"):
            head = stripped[:-1].strip()
            kind, _, name = head.partition(" ")
            node = {"kind": kind, "name": name.strip('"'), "fields": [], "children": []}
            if stack:
                stack[-1]["children"].append(node)
            else:
                sections.setdefault(kind, []).append(node)
            stack.append(node)
            continue
        key, _, value = line.lstrip().partition(" = ")
        if value.startswith('"') and value.endswith('"') and len(value) > 1:
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        if stack:
            stack[-1]["fields"].append((key, value))
        else:
            top.append((key, value))
    return top, sections


def enum_candidates() -> list[str]:
    found: set[str] = set()
    pattern = re.compile(r"^[a-z0-9_.-]+(:[a-z0-9_.-]+)+$")
    files = [f for f in glob.glob("/usr/lib/dovecot/**", recursive=True) if Path(f).is_file()]
    files += ["/usr/sbin/dovecot", "/usr/bin/doveconf"]
    for file in files:
        out = subprocess.run(
            ["strings", "-a", file], capture_output=True, text=True, errors="replace", check=False
        ).stdout
        found.update(s for s in out.splitlines() if pattern.match(s))
    return sorted(found)


def probe_type(wrap: tuple[str, str], name: str, default: str) -> str:
    head, tail = wrap
    err = doveconf(f"{head}\n{name} = zz!9\n{tail}\n", "-n").stderr
    for needle, kind in ERROR_TYPES:
        if needle in err:
            if kind == "uint" and default.startswith("0") and len(default) > 1:
                return "octal"
            if kind == "time":
                err = doveconf(f"{head}\n{name} = 1500ms\n{tail}\n", "-n").stderr
                return "time" if "Milliseconds not supported" in err else "time_msecs"
            return kind
    return "string"


def probe_enum(wrap: tuple[str, str], name: str, default: str, candidates: list[str]) -> list[str]:
    head, tail = wrap
    best: list[str] = [default]
    for cand in candidates:
        values = cand.split(":")
        if values[0] != default or len(values) <= len(best):
            continue
        # each value alone: some are valid yet need another setting (pop3_delete_type=flag)
        if all(
            "Invalid value" not in doveconf(f"{head}\n{name} = {v}\n{tail}\n", "-n").stderr
            for v in values
        ):
            best = values
    return best


def describe(
    wrap: tuple[str, str],
    fields: list[tuple[str, str]],
    candidates: list[str],
    hidden: set[str] | None = None,
) -> list[list]:
    out = []
    for name, default in fields:
        kind = probe_type(wrap, name, default)
        values = probe_enum(wrap, name, default, candidates) if kind == "enum" else None
        row: list = [name, default, kind, values]
        if hidden is not None:
            row.append(name in hidden)
        out.append(row)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report whether the data is current"
    )
    opts = parser.parse_args()

    version = subprocess.run(
        ["dovecot", "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    full = doveconf("", "-a").stdout
    banners = [
        line[2:]
        for line in full.splitlines()[1:]
        if line.startswith("# ") and not line.startswith(("# OS:", "# Hostname:", "# NOTE:"))
    ]
    top, default_sections = parse_human(full)
    with_hidden, _ = parse_human(doveconf("", "-s").stdout)
    shown = {name for name, _ in top}
    hidden = {name for name, _ in with_hidden if name not in shown}

    candidates = enum_candidates()
    globals_ = describe(("", ""), with_hidden, candidates, hidden)

    _, probe_sections = parse_human(doveconf(PROBE_SECTIONS, "-a").stdout)
    fields_of: dict[str, list[tuple[str, str]]] = {}
    zzz = [s for s in probe_sections["service"] if s["name"] == "zzz"][0]
    fields_of["service"] = zzz["fields"]
    for child in zzz["children"]:
        fields_of[child["kind"]] = child["fields"]
    namespace = probe_sections["namespace"][0]
    fields_of["namespace"] = namespace["fields"]
    fields_of["mailbox"] = namespace["children"][0]["fields"]
    for kind in ("passdb", "userdb", "metric", "event_exporter"):
        seen: dict[str, str] = {}
        for key, value in probe_sections[kind][0]["fields"]:
            seen.setdefault(key, value)  # event_exporter is printed twice by 2.3.19
        if kind in ("passdb", "userdb"):
            seen["driver"] = ""
        if kind == "metric":
            seen["filter"] = ""
        fields_of[kind] = list(seen.items())

    sections = {}
    for kind, fields in fields_of.items():
        sections[kind] = {
            "unique": kind in UNIQUE,
            "fields": describe(SECTION_CONTEXT[kind], fields, candidates),
        }

    services = {}
    for svc in default_sections["service"]:
        services[svc["name"]] = {
            "fields": dict(svc["fields"]),
            "listeners": [[c["kind"], c["name"], dict(c["fields"])] for c in svc["children"]],
        }

    modules = {}
    for module in MODULES:
        probe = PROBE_SECTIONS + "plugin {\n  a = b\n}\ndict {\n  a = b\n}\n"
        mtop, msections = parse_human(doveconf(probe, "-s", "-m", module).stdout)
        modules[module] = sorted({n for n, _ in mtop} | set(msections))

    data = {
        "version": version,
        "banners": banners,
        "globals": globals_,
        "sections": sections,
        "nesting": {
            "service": ["fifo_listener", "inet_listener", "unix_listener"],
            "namespace": ["mailbox"],
        },
        "strlists": ["dict", "plugin"],
        "services": services,
        "modules": modules,
    }
    text = json.dumps(data, indent=1, sort_keys=False) + "\n"
    if opts.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date; run {sys.argv[0]}", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}: {len(globals_)} settings, {len(services)} services")
    return 0


if __name__ == "__main__":
    sys.exit(main())
