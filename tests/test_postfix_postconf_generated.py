"""Generated main.cf files, run through the real postconf and the simulated one.

Hypothesis writes main.cf files from parameter names of the real table,
user-defined names, values with ``$`` references and conditional forms,
comments, blank lines, continuation lines and repeated names; for each, the
simulated ``postconf -n``, ``NAME…``, ``-d NAME``, ``-x NAME``, ``-h NAME``
and ``-e`` must print what Postfix 3.7 prints (see test_postfix_postconf_real
for the one normalisation).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_postfix_postconf_real import (
    assert_same,
    host_like_machine,
    image_file,
    needs_real,
    run_real,
    simulate,
)

BUILTIN = [
    "myhostname",
    "mydomain",
    "myorigin",
    "mydestination",
    "relayhost",
    "mynetworks",
    "mynetworks_style",
    "inet_interfaces",
    "inet_protocols",
    "alias_maps",
    "alias_database",
    "home_mailbox",
    "mailbox_command",
    "smtpd_banner",
    "compatibility_level",
    "smtpd_recipient_restrictions",
    "smtpd_relay_restrictions",
    "virtual_alias_maps",
    "transport_maps",
    "recipient_delimiter",
    "message_size_limit",
    "mail_name",
    "smtpd_restriction_classes",
    "default_transport",
    "maildrop_destination_recipient_limit",
    "smtputf8_enable",
    "append_dot_mydomain",
    "biff",
    "delay_warning_time",
]
USER = ["foo", "bar", "my_map", "strict_class", "lonely"]
NAMES = BUILTIN + USER
WORDS = [
    "yes",
    "no",
    "0",
    "10240000",
    "hash:/etc/postfix/virtual",
    "example.com",
    "permit_mynetworks",
    "reject",
    "[mx.example.net]:587",
    "ipv4",
    "all",
    "+",
    "3.6",
    "strict_class",
    "foo",
]

name_st = st.sampled_from(NAMES)
ref_st = st.one_of(
    name_st.map(lambda n: f"${n}"),
    name_st.map(lambda n: f"${{{n}}}"),
    name_st.map(lambda n: f"$({n})"),
    st.tuples(name_st, st.sampled_from(WORDS)).map(lambda t: f"${{{t[0]}?{t[1]}}}"),
    st.tuples(name_st, st.sampled_from(WORDS)).map(lambda t: f"${{{t[0]}:{t[1]}}}"),
    st.tuples(name_st, st.sampled_from(WORDS), st.sampled_from(WORDS)).map(
        lambda t: f"${{{t[0]}?{{{t[1]}}}:{{{t[2]}}}}}"
    ),
    st.tuples(name_st, st.sampled_from(WORDS)).map(
        lambda t: f"${{{{${t[0]}}} == {{{t[1]}}} ? {{same}} : {{different}}}}"
    ),
    st.sampled_from(["$$", "${{$compatibility_level} <level {3.6} ? {old} : {new}}"]),
)
token_st = st.one_of(st.sampled_from(WORDS), ref_st)
value_st = st.lists(token_st, max_size=4).flatmap(
    lambda tokens: st.sampled_from([", ", " ", "  ", ","]).map(lambda sep: sep.join(tokens))
)


@st.composite
def main_cf(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["setting"] * 6 + ["comment", "blank", "continued"]))
        if kind == "comment":
            lines.append("# " + draw(st.sampled_from(WORDS)))
        elif kind == "blank":
            lines.append(draw(st.sampled_from(["", "   "])))
        else:
            name = draw(name_st)
            # A value naming its own parameter loops; with two such loops the real
            # postconf reports whichever its hash table visits first (random).
            value = draw(value_st.filter(lambda v, n=name: n not in v))
            spacing = draw(st.sampled_from([" = ", "=", " =", "   =  "]))
            lines.append(f"{name}{spacing}{value}".rstrip() if value else f"{name} =")
            if kind == "continued":
                lines.append(draw(st.sampled_from(["  ", "\t"])) + draw(st.sampled_from(WORDS)))
    return "\n".join(lines) + "\n"


COMMANDS = st.one_of(
    st.just(["-n"]),
    st.lists(name_st, min_size=1, max_size=3),
    st.lists(name_st, min_size=1, max_size=3).map(lambda n: ["-d", *n]),
    st.lists(name_st, min_size=1, max_size=3).map(lambda n: ["-x", *n]),
    st.lists(name_st, min_size=1, max_size=3).map(lambda n: ["-h", *n]),
    st.tuples(name_st, value_st).map(lambda t: ["-e", f"{t[0]} = {t[1]}"]),
)


# Real runs tried before a fatal outcome counts as different: six missed a 40%
# outcome about once in 250 such examples; 24 miss it about once in 10**9.
ATTEMPTS = 24


@needs_real
@settings(max_examples=220, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=main_cf(), args=COMMANDS)
def test_generated_main_cf_matches_the_real_postconf(text: str, args: list[str]) -> None:
    master_cf = image_file("master.cf")
    with tempfile.TemporaryDirectory() as tmp:
        machine = host_like_machine(Path(tmp) / "m")
        sim = simulate(machine, args, text, master_cf)
    nesting = "unreasonable macro call nesting"
    # Where main.cf has fatal entries the real tool reports whichever its hash
    # table visits first, and the order changes from run to run: the simulation
    # must match one of its outcomes (observed: "dictionary mail_dict: macro
    # processing error" or "macro processing error" for one main.cf, 60/40).
    # Each attempt strips the loop lines from the original outputs, so a later
    # attempt still compares like with like.
    for _attempt in range(ATTEMPTS):
        real = run_real(args, text, master_cf)
        expected, got = real, sim
        if nesting in sim[1] and nesting in real[1]:
            # With several $name loops the real postconf names whichever loop its
            # hash table visits first: compare all but which loop it names.
            got = (sim[0], _without(sim[1], nesting), sim[2], sim[3])
            expected = (real[0], _without(real[1], nesting), real[2], real[3])
        try:
            assert_same(got, expected)
            return
        except AssertionError:
            if real[2] == 0:
                raise
    assert_same(got, expected)


def _without(stderr: str, text: str) -> str:
    return "".join(line for line in stderr.splitlines(keepends=True) if text not in line)
