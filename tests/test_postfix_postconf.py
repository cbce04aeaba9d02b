"""postconf, case by case: the simulated tool against the real Postfix 3.7.

Each case runs against the real postconf where it is installed, and always
against the expectations recorded from it (tests/data/postfix/postconf_cases.json;
see test_postfix_postconf_real.py for the normalisation and how to re-record).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_postfix_postconf_real import (
    NO_FILE,
    assert_same,
    host_like_machine,
    image_file,
    load_recorded,
    needs_real,
    run_real,
    simulate,
)

DUP = "myhostname = one.example\nmyhostname = two.example\n"
CONT = "mydestination = $myhostname,\n  localhost.$mydomain,\n# a comment inside\n\n  localhost\n"
USER = (
    "smtpd_restriction_classes = strict\nstrict = reject_unknown_sender_domain\n"
    "lonely = 1\nused = 2\nrelayhost = [$used]:25\nbar = $foo\nfoo = x\n"
)
EXPR = (
    "compatibility_level = 2\nmyhostname = h.example.org\n"
    "a = ${{$compatibility_level} <level {3.6} ? {old} : {new}}\n"
    "b = ${{$myhostname} == {h.example.org} ? {yes} : {no}}\n"
    "c = ${{10} < {9} ? {numeric-lt} : {numeric-ge}}\n"
    "d = ${relayhost:none} ${myhostname?set} ${relayhost?{x}:{y}} $$literal $(myhostname)\n"
    "smtpd_banner = $a $b $c $d\n"
)
BROKEN_EXPR = "smtpd_banner = ${myhostname\n"
BAD_EXPRESSIONS = [
    "$",
    "x $ y",
    "${a?{b}",
    "${{a} =~ {b}}",
    "${{a} == {b} x}",
    "${{a} <level {b} ? {x} : {y}}",
    "${a:{b}} extra",
    "$a$(b",
    "$loop1",
    "${{1} <level {3.6} ? {a} : {b}}",
    "${x y}",
    "${{a} == {b}}",
    "${{a} != {b} ? {c}}",
]
LOOPS = "loop1 = $loop2\nloop2 = $loop1\n"
COMPAT = "${{$compatibility_level} <level {3.6} ? {old} : {new}}"
# Where an expansion fails, Postfix names the dictionary only when it evaluated
# main.cf alone (mail_conf_lookup_eval: a host-derived default, the restriction
# classes); a parameter's own expansion says just "macro processing error".
MACRO_ERRORS = [
    # myhostname's default evaluates main.cf's mydomain, where compatibility_level is unset.
    ("mydomain-main-cf-alone", f"mydomain = {COMPAT}\n", ["myorigin"]),
    ("own-expansion", f"relayhost = {COMPAT}\ncompatibility_level = yes\n", ["-n"]),
    ("rest-classes", "smtpd_restriction_classes = strict ${x\nstrict = reject\n", ["-n"]),
    ("scan-then-expand", "myorigin = ${x\n", ["-x", "myorigin"]),
    # A relational loop crashes the real postconf after its scan warnings.
    (
        "crash-after-warning",
        "mydestination = ${foo?yes}, ${{$myorigin} == {yes} ? {a} : {b}}\n"
        "myhostname = $mydestination, $foo\n",
        ["-n"],
    ),
]
SPACES = "smtpd_banner   =    $myhostname    ESMTP\t  x   \nrelayhost=\n"

CASES: list[dict] = [
    {"id": "image-n", "args": ["-n"]},
    {"id": "image-names", "args": ["myhostname", "mydomain", "myorigin", "mynetworks", "bogus"]},
    {"id": "image-x", "args": ["-x", "mydestination", "smtpd_banner", "smtputf8_enable"]},
    {"id": "image-h", "args": ["-h", "myhostname", "relayhost", "alias_maps"]},
    {
        "id": "image-d-names",
        "args": [
            "-d",
            "myhostname",
            "mydomain",
            "mynetworks",
            "smtputf8_enable",
            "mynetworks_style",
        ],
    },
    {
        "id": "image-dx",
        "args": [
            "-dx",
            "mynetworks_style",
            "smtputf8_enable",
            "smtpd_relay_restrictions",
            "mydestination",
        ],
    },
    {"id": "image-d-all", "args": ["-d"]},
    {"id": "image-all", "args": []},
    {"id": "image-nx", "args": ["-nx"]},
    {"id": "image-f", "args": ["-f", "-d", "default_rbl_reply", "proxy_read_maps"]},
    {"id": "image-H", "args": ["-H", "-n"]},
    {"id": "image-M", "args": ["-M"]},
    {"id": "image-Mf", "args": ["-Mf"]},
    {"id": "image-M-patterns", "args": ["-M", "smtp/inet", "relay", "bogus/unix", "smtp"]},
    {"id": "image-F", "args": ["-F", "relay/unix/command", "smtp/inet/chroot"]},
    {"id": "image-P", "args": ["-P"]},
    {"id": "image-m", "args": ["-m"]},
    {"id": "image-l", "args": ["-l"]},
    {"id": "image-a", "args": ["-a"]},
    {"id": "image-A", "args": ["-A"]},
    {"id": "image-t", "args": ["-t"]},
    {"id": "image-b", "args": ["-b"]},
    {
        "id": "templates-b",
        "main_cf": "delay_warning_time = 90m\nmaximal_queue_lifetime = 2w\n",
        "args": ["-b"],
    },
    {"id": "templates-two", "args": ["-t", "a", "b"]},
    {"id": "opt-bad", "args": ["-z"]},
    {"id": "opt-nd", "args": ["-n", "-d"]},
    {"id": "opt-Mn", "args": ["-M", "-n"]},
    {"id": "opt-MF", "args": ["-M", "-F"]},
    {"id": "opt-an", "args": ["-a", "-n"]},
    {"id": "opt-ef", "args": ["-e", "-f", "a=1"]},
    {"id": "opt-e-alone", "args": ["-e"]},
    {"id": "opt-X-alone", "args": ["-X"]},
    {"id": "opt-X-value", "args": ["-X", "a=b"]},
    {"id": "opt-X-blank", "args": ["-X", ""]},
    {"id": "opt-e-comment", "args": ["-e", "#x=1"]},
    {"id": "opt-e-noeq", "args": ["-e", "foo"]},
    {"id": "opt-e-noname", "args": ["-e", "=x"]},
    {"id": "opt-after-name", "args": ["myhostname", "-x"]},
    {"id": "opt-C-bogus", "args": ["-C", "bogus"]},
    {"id": "opt-o", "args": ["-o", "myhostname=zz.example", "-x", "mydestination"]},
    {"id": "opt-o-bad", "args": ["-o", "bad"]},
    {"id": "syntax-noeq", "main_cf": "biff = no\nfoo\n", "args": ["-n"]},
    {"id": "syntax-noname", "main_cf": "=x\n", "args": ["-n"]},
    {"id": "syntax-space-in-name", "main_cf": "a b = 1\n", "args": []},
    {"id": "syntax-d-ignores-main", "main_cf": "foo\n", "args": ["-d", "biff"]},
    {"id": "indent", "main_cf": "  indented = 1\nbiff = no\n", "args": ["-n"]},
    {
        "id": "indent-long",
        "main_cf": "    a_rather_long_parameter_name = with a value\n",
        "args": ["-n"],
    },
    {"id": "duplicate", "main_cf": DUP, "args": ["-n"]},
    {"id": "continuation", "main_cf": CONT, "args": ["-n"]},
    {"id": "continuation-x", "main_cf": CONT, "args": ["-x", "mydestination"]},
    {"id": "unused", "main_cf": USER, "args": ["-n"]},
    {"id": "unused-names", "main_cf": USER, "args": ["strict", "lonely", "used", "foo"]},
    {"id": "unused-x", "main_cf": USER, "args": ["-x", "relayhost"]},
    {"id": "expressions", "main_cf": EXPR, "args": ["-x", "a", "b", "c", "d", "smtpd_banner"]},
    {"id": "expressions-n", "main_cf": EXPR, "args": ["-n"]},
    {"id": "broken-expression", "main_cf": BROKEN_EXPR, "args": ["-x", "smtpd_banner"]},
    *[
        {
            "id": f"bad-expression-{i}",
            "main_cf": f"smtpd_banner = {text}\n{LOOPS}",
            "args": ["-x", "smtpd_banner"],
        }
        for i, text in enumerate(BAD_EXPRESSIONS)
    ],
    {"id": "whitespace", "main_cf": SPACES, "args": ["-n"]},
    {"id": "readonly", "main_cf": "process_id = 5\nbiff = no\n", "args": ["-n"]},
    {
        "id": "service-param",
        "main_cf": "maildrop_destination_recipient_limit = 1\n",
        "args": ["-n"],
    },
    {"id": "mynetworks-host", "main_cf": "mynetworks_style = host\n", "args": ["mynetworks"]},
    {"id": "mynetworks-ipv4", "main_cf": "inet_protocols = ipv4\n", "args": ["mynetworks"]},
    {
        "id": "mynetworks-loopback",
        "main_cf": "inet_interfaces = loopback-only\n",
        "args": ["mynetworks"],
    },
    {
        "id": "mynetworks-compat",
        "main_cf": "compatibility_level = 3.6\n",
        "args": ["mynetworks_style", "mynetworks"],
    },
    {"id": "mydomain-set", "main_cf": "mydomain = foo.org\n", "args": ["myhostname", "mydomain"]},
    {"id": "myhostname-set", "main_cf": "myhostname = a.b.c.d\n", "args": ["mydomain"]},
    {"id": "myhostname-short", "main_cf": "myhostname = abc\n", "args": ["mydomain"]},
    {
        "id": "edit-replace",
        "main_cf": "a = 1\n#c\nmyhostname = x\n  cont\n# keep\nmydomain = y\n",
        "args": ["-e", "myhostname=new", "mydomain = $myhostname", "relayhost="],
    },
    {"id": "edit-append", "main_cf": "biff = no\n", "args": ["-e", "new = q"]},
    {"id": "edit-implicit", "main_cf": "biff = no\n", "args": ["relayhost=[mx.example]:587"]},
    {"id": "edit-twice", "main_cf": "biff = no\n", "args": ["-e", "a=1", "a=2"]},
    {"id": "edit-multiple", "main_cf": "biff = no\nbiff = yes\n", "args": ["-e", "biff = maybe"]},
    {
        "id": "edit-X",
        "main_cf": "a = 1\nmyhostname = x\n  cont\n#keep\n",
        "args": ["-X", "myhostname", "a", "bogus"],
    },
    {
        "id": "edit-comment-out",
        "main_cf": "a = 1\nmyhostname = x\n  cont\n#keep\n",
        "args": ["-#", "myhostname", "a", "bogus"],
    },
    *[
        {"id": f"master-{name}", "master_cf": text, "args": args}
        for name, text, args in [
            ("field-count", "smtp inet n - y - - smtpd\nbad unix -\n", ["-M"]),
            ("field-count-n", "smtp inet n - y - - smtpd\nbad unix -\n", ["-n"]),
            ("type", "x bogus n - y - - smtpd\n", ["-n"]),
            ("private", "x unix nn - y - - smtpd\n", ["-M"]),
            ("wakeup", "x unix n - y abc - smtpd\n", ["-M"]),
            ("process-limit", "x unix n - y 10? 1x smtpd\n", ["-M"]),
            ("orphan", "  smtp inet n - y - - smtpd\n", ["-M"]),
            ("braces", "x unix - - y - - smtpd\n  -o {a = b} {x y}\n", ["-M"]),
            ("braces-bad", "x unix - - y - - smtpd -o {a b}\n", ["-n"]),
            ("unused-o", "x unix - - y - - smtpd -o foo=1 -o bar=$foo\n", ["-n"]),
            (
                "valid-o",
                "x unix - - y - - smtpd -o smtpd_client_restrictions=$cl -o cl=permit\n",
                ["-P"],
            ),
            (
                "service-params",
                "dovecot unix - n n - - pipe flags=DRhu user=vmail"
                " argv=/usr/lib/dovecot/deliver -d ${recipient}\n",
                ["-d", "dovecot_destination_recipient_limit", "dovecot_time_limit"],
            ),
            ("missing-n", NO_FILE, ["-n"]),
            ("missing-M", NO_FILE, ["-M"]),
        ]
    ],
    {"id": "edit-image", "args": ["-e", "myhostname = mx.example.com", "relayhost = [smtp.isp]"]},
    *[
        {"id": f"macro-error-{name}", "main_cf": text, "args": args}
        for name, text, args in MACRO_ERRORS
    ],
]


def _machine(tmp_path: Path, recorded: dict | None = None):  # type: ignore[no-untyped-def]
    if recorded is None:
        return host_like_machine(tmp_path / "m")
    host = recorded["host"]
    return host_like_machine(tmp_path / "m", host["hostname"], host["interfaces"])


@needs_real
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_against_the_real_postconf(case: dict, tmp_path: Path) -> None:
    main_cf = case.get("main_cf", image_file("main.cf"))
    master_cf = case.get("master_cf", image_file("master.cf"))
    sim = simulate(_machine(tmp_path), case["args"], main_cf, master_cf)
    assert_same(sim, run_real(case["args"], main_cf, master_cf))


def _recorded_cases() -> list[dict]:
    try:
        return load_recorded()["cases"]
    except FileNotFoundError:
        return []


@pytest.mark.parametrize("case", _recorded_cases(), ids=lambda c: c["id"])
def test_against_recorded_output(case: dict, tmp_path: Path) -> None:
    recorded = load_recorded()
    sim = simulate(_machine(tmp_path, recorded), case["args"], case["main_cf"], case["master_cf"])
    assert_same(sim, (case["stdout"], case["stderr"], case["status"], case["main_cf_after"]))


def test_every_case_is_recorded() -> None:
    """The recorded file covers the current case list (re-record after adding cases)."""
    assert [c["id"] for c in _recorded_cases()] == [c["id"] for c in CASES]


@pytest.mark.parametrize(
    "case",
    [c for c in _recorded_cases() if c["id"].startswith("macro-error-")],
    ids=lambda c: c["id"],
)
def test_macro_errors_keep_the_real_order(case: dict, tmp_path: Path) -> None:
    """No hash-order lines here: warnings and the fatal line match in order too."""
    recorded = load_recorded()
    sim = simulate(_machine(tmp_path, recorded), case["args"], case["main_cf"], case["master_cf"])
    assert (sim[1], sim[2]) == (case["stderr"], case["status"])
