"""postmap and postalias against the real tools: the same table files, the same command lines.

Each case runs in a directory holding the files of tests/data/postfix_control/tables
(relative names, so messages name the files alike). Recorded expectations
(maps_expected.json, written by running this module with MAILSIM_RECORD=1 where
Postfix is installed) keep the checks alive on machines without Postfix.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import make_ctx
from test_postfix_control_support import DATA, build_machine, run_real

from mailsim.machine.machine import Machine
from mailsim.shell.registry import REGISTRY

TABLES = DATA / "tables"
EXPECTED = DATA / "maps_expected.json"

# Each case: command lines run in order in one directory; the last one is compared
# (earlier ones build the databases it reads). "sort" compares listings as sets:
# Berkeley DB's hash order and the randomly seeded in-memory order are not reproduced.
CASES: dict[str, dict[str, object]] = {
    "postmap_build_warnings": {"lines": [["postmap", "access"]]},
    "postmap_query_folded": {
        "lines": [["postmap", "access"], ["postmap", "-q", "EXAMPLE.COM", "access"]]
    },
    "postmap_query_value_spaces": {
        "lines": [["postmap", "access"], ["postmap", "-q", "foo", "hash:access"]]
    },
    "postmap_query_missing_key": {
        "lines": [["postmap", "access"], ["postmap", "-q", "nothere", "access"]]
    },
    "postmap_query_first_dup_wins": {
        "lines": [["postmap", "access"], ["postmap", "-q", "x@y.com", "access"]]
    },
    "postmap_no_fold": {
        "lines": [["postmap", "access"], ["postmap", "-f", "-q", "EXAMPLE.COM", "access"]]
    },
    "postmap_list_sorted": {
        "lines": [["postmap", "access"], ["postmap", "-s", "access"]],
        "sort": True,
    },
    "postmap_btree_list": {
        "lines": [["postmap", "btree:access"], ["postmap", "-s", "btree:access"]]
    },
    "postmap_wrong_db_type": {
        "lines": [["postmap", "access"], ["postmap", "-q", "x", "btree:access"]]
    },
    "postmap_missing_db": {"lines": [["postmap", "-q", "x", "nothere"]]},
    "postmap_missing_source": {"lines": [["postmap", "nothere"]]},
    "postmap_alias_format_warning": {"lines": [["postmap", "continued"]]},
    "postmap_continuation_value": {
        "lines": [["postmap", "continued"], ["postmap", "-q", "k", "continued"]]
    },
    "postmap_texthash": {"lines": [["postmap", "-s", "texthash:access"]], "sort": True},
    "postmap_texthash_query": {"lines": [["postmap", "-q", "x@y.com", "texthash:access"]]},
    "postmap_lmdb_create": {"lines": [["postmap", "lmdb:access"]]},
    "postmap_lmdb_query": {"lines": [["postmap", "-q", "x", "lmdb:access"]]},
    "postmap_cidr_create": {"lines": [["postmap", "cidr:clients.cidr"]]},
    "postmap_cidr_query": {"lines": [["postmap", "-q", "192.168.3.4", "cidr:clients.cidr"]]},
    "postmap_cidr_negated": {"lines": [["postmap", "-q", "172.16.1.1", "cidr:clients.cidr"]]},
    "postmap_cidr_v6": {"lines": [["postmap", "-q", "2001:db8::1", "cidr:clients.cidr"]]},
    "postmap_cidr_seq": {"lines": [["postmap", "-s", "cidr:clients.cidr"]]},
    "postmap_cidr_delete": {"lines": [["postmap", "-d", "x", "cidr:clients.cidr"]]},
    "postmap_regexp_groups": {"lines": [["postmap", "-q", "aaabc", "regexp:checks.regexp"]]},
    "postmap_regexp_header": {
        "lines": [["postmap", "-q", "From: big spam", "regexp:checks.regexp"]]
    },
    "postmap_regexp_errors": {"lines": [["postmap", "-q", "x", "regexp:broken.regexp"]]},
    "postmap_pcre_errors": {"lines": [["postmap", "-q", "x", "pcre:broken.regexp"]]},
    # regcomp() in the C locale: bytes, ASCII classes; with REG_ICASE an escaped
    # lower-case letter (\d) matches nothing; a BRE \{ with nothing before it.
    "postmap_regexp_c_locale": {"lines": [["postmap", "-q", "caf\u00e9", "regexp:locale.regexp"]]},
    "postmap_regexp_icase_escape": {"lines": [["postmap", "-q", "d1", "regexp:locale.regexp"]]},
    "postmap_regexp_bytes_group": {
        "lines": [["postmap", "-q", "c\u00e9@x", "regexp:locale.regexp"]]
    },
    "postmap_pcre_groups": {"lines": [["postmap", "-q", "aaabc", "pcre:checks.regexp"]]},
    "postmap_inline": {"lines": [["postmap", "-q", "b", "inline:{a=1, {b = 2 3}}"]]},
    "postmap_inline_bad": {"lines": [["postmap", "-q", "x", "inline:{a}"]]},
    "postmap_inline_syntax": {"lines": [["postmap", "-q", "x", "inline:a=1"]]},
    "postmap_static": {"lines": [["postmap", "-q", "zz", "static:{a b}"]]},
    "postmap_static_seq": {"lines": [["postmap", "-s", "static:foo"]]},
    "postmap_usage": {"lines": [["postmap"]]},
    "postmap_two_modes": {"lines": [["postmap", "-s", "-q", "x", "access"]]},
    "postmap_unknown_type": {"lines": [["postmap", "-q", "x", "nosuch:/a"]]},
    "postmap_delete": {"lines": [["postmap", "access"], ["postmap", "-d", "foo", "access"]]},
    "postmap_delete_missing": {"lines": [["postmap", "access"], ["postmap", "-d", "zz", "access"]]},
    "postmap_stdin_queries": {
        "lines": [["postmap", "access"], ["postmap", "-q", "-", "access"]],
        "stdin": "example.com\nzzz\nFOO\n",
    },
    "postalias_warnings": {"lines": [["postalias", "aliases"]]},
    "postalias_query": {"lines": [["postalias", "aliases"], ["postalias", "-q", "foo", "aliases"]]},
    "postalias_query_upper": {
        "lines": [["postalias", "aliases"], ["postalias", "-q", "UPPER", "aliases"]]
    },
    "postalias_quoted_name": {
        "lines": [["postalias", "aliases"], ["postalias", "-q", "quoted name", "aliases"]]
    },
    "postalias_continued_value": {
        "lines": [["postalias", "aliases"], ["postalias", "-q", "qux", "aliases"]]
    },
    "postalias_sendmail_signature": {
        "lines": [["postalias", "aliases"], ["postalias", "-q", "@", "aliases"]]
    },
    "postalias_empty_value": {
        "lines": [["postalias", "aliases"], ["postalias", "-q", "baz", "aliases"]]
    },
    "postalias_leading_space": {"lines": [["postalias", "aliases_leading"]]},
    "postalias_forms": {"lines": [["postalias", "aliases_forms"]]},
    "postalias_forms_list": {
        "lines": [["postalias", "aliases_forms"], ["postalias", "-s", "aliases_forms"]],
        "sort": True,
    },
    "postalias_stdin_queries": {
        "lines": [["postalias", "aliases"], ["postalias", "-q", "-", "aliases"]],
        "stdin": "foo\nqux\nnope\nUPPER\n",
    },
    "postalias_missing": {"lines": [["postalias", "nothere"]]},
    "postalias_missing_db": {"lines": [["postalias", "-q", "x", "nothere"]]},
    "postalias_lmdb": {"lines": [["postalias", "lmdb:aliases"]]},
    "postalias_delete": {
        "lines": [
            ["postalias", "aliases"],
            ["postalias", "-d", "foo", "aliases"],
            ["postalias", "-q", "foo", "aliases"],
        ]
    },
}


# regexp: patterns through glibc's regcomp() in the C locale, each alone in a table
# and asked for every key at once (postmap -q -): operators, classes, anchors,
# back references, BRE (x flag), REG_NEWLINE (m), case (i), and the errors.
REGEXP_KEYS = "a\nabcd\naab\nfoo bar\nx.y\n(a)\nA\nFoo\na{2}\ncaf\u00e9\na]\nab ab\n*a\nd1\n"
REGEXP_PATTERNS = [
    ("(a|ab)(c|bcd)", ""),
    ("a{2,}", ""),
    ("^[[:upper:]]", ""),
    ("[[:alpha:]]+$", ""),
    ("[^a-z ]", ""),
    ("[]a]", ""),
    ("\\<foo\\>", ""),
    ("\\w+ \\w+", ""),
    ("(a)\\1", ""),
    ("a+*", ""),
    ("a**", "x"),
    ("\\.", ""),
    ("\\(a\\)", "x"),
    ("a\\{2\\}", "x"),
    ("a\\|d", "x"),
    ("^A", "i"),
    ("^a$", "m"),
    ("caf.$", ""),
    ("\\d", ""),
    ("[:alpha:]", ""),
    ("a[", ""),
    ("a{1", ""),
    ("{1}a", ""),
    ("()", ""),
    ("a|", ""),
]
for _number, (_pattern, _flags) in enumerate(REGEXP_PATTERNS):
    CASES[f"regexp_pattern_{_number:02d}"] = {
        "files": {"p.regexp": f"/{_pattern}/{_flags} HIT\n"},
        "lines": [["postmap", "-q", "-", "regexp:p.regexp"]],
        "stdin": REGEXP_KEYS,
    }


def _normalise(result: tuple[str, str, int], sort: bool) -> dict[str, object]:
    out, err, status = result
    # The NIS stamp lines name the build time and host: not part of what we compare.
    lines = [line for line in out.splitlines(keepends=True) if not line.startswith("YP_")]
    if sort:
        lines.sort()
    return {"stdout": "".join(lines), "stderr": err, "status": status}


def run_sim(tmp_path: Path, case: dict[str, object]) -> dict[str, object]:
    machine = build_machine(tmp_path / "m")
    for file in TABLES.iterdir():
        machine.write_bytes(f"/root/{file.name}", file.read_bytes())
    for name, text in _extra_files(case).items():
        machine.write_text(f"/root/{name}", text)
    result: tuple[str, str, int] = ("", "", 0)
    lines = case["lines"]
    assert isinstance(lines, list)
    for index, argv in enumerate(lines):
        stdin = str(case.get("stdin", "")).encode() if index == len(lines) - 1 else b""
        result = _call(machine, argv, stdin)
    return _normalise(result, bool(case.get("sort")))


def _call(machine: Machine, argv: list[str], stdin: bytes) -> tuple[str, str, int]:
    ctx = make_ctx(machine, argv, stdin)
    status = REGISTRY.func(argv[0])(ctx)
    return ctx.stdout.getvalue().decode(), ctx.stderr.getvalue().decode(), status


def _extra_files(case: dict[str, object]) -> dict[str, str]:
    files = case.get("files", {})
    assert isinstance(files, dict)
    return files


def run_host(tmp_path: Path, case: dict[str, object]) -> dict[str, object]:
    work = tmp_path / "real"
    shutil.copytree(TABLES, work)
    for name, text in _extra_files(case).items():
        (work / name).write_text(text, encoding="utf-8")
    result: tuple[str, str, int] = ("", "", 0)
    lines = case["lines"]
    assert isinstance(lines, list)
    for index, argv in enumerate(lines):
        stdin = str(case.get("stdin", "")).encode() if index == len(lines) - 1 else b""
        result = run_real(list(argv), stdin, cwd=str(work))
    return _normalise(result, bool(case.get("sort")))


def _expected() -> dict[str, dict[str, object]]:
    return json.loads(EXPECTED.read_text()) if EXPECTED.is_file() else {}


@pytest.mark.parametrize("name", sorted(CASES))
def test_recorded(name: str, tmp_path: Path) -> None:
    expected = _expected().get(name)
    if expected is None:
        pytest.skip(f"no recorded expectation for {name} (record with MAILSIM_RECORD=1)")
    assert run_sim(tmp_path, CASES[name]) == expected


@pytest.mark.skipif(shutil.which("postmap") is None, reason="Postfix (postmap) is not installed")
@pytest.mark.parametrize("name", sorted(CASES))
def test_against_real_postfix(name: str, tmp_path: Path) -> None:
    real = run_host(tmp_path, CASES[name])
    if os.environ.get("MAILSIM_RECORD"):
        data = _expected()
        data[name] = real
        EXPECTED.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    assert run_sim(tmp_path, CASES[name]) == real
