"""Arithmetic expansion ``$(( ))`` and the ``(( ))`` command, against bash 5.2."""

from __future__ import annotations

import pytest
from bash_diff import assert_same_as_bash, needs_bash
from helpers import run

from mailsim.shell.arith import ArithError, evaluate

PORTABLE = [
    "echo $((1+2))",
    "echo $((2**3)) $((7%3)) $((-7/2)) $((-5%3)) $((5%-3))",
    "echo $((x+1)) $((1<2)) $((2<=1)) $((3==3)) $((3!=3)) $((a=5)) $a",
    "x=3; echo $((x*2)) $(($x*2)) $(( (x+1) * 2 ))",
    "echo $((1 && 0 || 1)) $((!0)) $((~0)) $((5>>1)) $((1<<4)) $((6&3)) $((6|3)) $((6^3))",
    "echo $((1 ? 2 : 3)) $((0 ? 2 : 3)) $((1,2))",
    "echo $((0x10 + 010)) $((2#101)) $((64#z))",
    "echo $((9223372036854775807+1))",
    "echo $((x+=3)) $((x<<=1)) $x; echo $((x++)) $x $((--x)) $x",
    "x=abc; echo $((x)); y=a+b; echo $((y))",
    "echo $(( ))",
    "n=$(echo 4); echo $((n*n))",
    'echo "total: $((10 / 3))"',
    "echo $((1/0)); echo after",
    "echo $(( 5 / 0 ))",
    "echo $((1+))",
    "echo $(( 1 > ))",
    "echo $((1 +* 2))",
    "x=1+; echo $((x))",
    "echo $((08))",
    "echo $((3#4))",
    "echo $((2**-1))",
    "echo $((1=2))",
    "echo $((1 @ 2))",
    "echo $((1 ? 2))",
    "echo $((1 2 3))",
    "echo $((0 && 1/0)) $((1 || 1/0)) $((0 ? 1/0 : 7))",
    "echo $(( $(echo 2) * 3 ))",
    "echo $((echo sub); echo two)",
]


@needs_bash
@pytest.mark.parametrize("line", PORTABLE)
def test_matches_bash(machine, tmp_path, line):
    assert_same_as_bash(machine, tmp_path, line)


def test_error_abandons_the_rest_of_the_line(machine):
    """An interactive bash drops the rest of the line after an arithmetic error."""
    out, err, status = run(machine, "echo before; echo $((1/0)); echo after")
    assert out == "before\n"
    assert err == 'bash: 1/0: division by 0 (error token is "0")\n'
    assert status == 1


def test_variables_evaluate_as_expressions():
    values = {"a": "b+1", "b": "2"}
    assert evaluate("a * 3", values.get, values.__setitem__) == 9


def test_a_loop_of_references_is_an_error_not_a_crash():
    values = {"a": "b", "b": "a"}
    with pytest.raises(ArithError, match="expression recursion level exceeded"):
        evaluate("a", values.get, values.__setitem__)
