"""The FalkorDB parameter header: exact literals, and refusals that name the parameter."""

from __future__ import annotations

import pytest
from falkordb.helpers import stringify_param_value

from portfolio_graph.graph.backend import BackendError
from portfolio_graph.graph.params import literal, params_header


@pytest.mark.parametrize("value", [
    "plain", 'quote " and \\ backslash', "x'}) DETACH DELETE n //", "换行\n与\t制表", "",
    0, -7, 2**62, 1.5, -0.25, 1e-05, None,
    ["a", 1, None, ["nested"]], {"name": "利扬芯片", "tags": ["链主"], "n": 3},
])
def test_literals_match_the_falkordb_client_where_it_is_right(value):
    assert literal(value) == stringify_param_value(value)


def test_booleans_are_cypher_booleans():
    assert literal(True) == "true" and literal(False) == "false"
    assert literal([True, {"ok": False}]) == "[true,{`ok`:false}]"


def test_the_header_backticks_parameter_names():
    assert params_header({"rows": [{"key": "P1"}], "n": 2}) == 'CYPHER `rows`=[{`key`:"P1"}] `n`=2 '
    assert params_header({}) == "" and params_header(None) == ""


@pytest.mark.parametrize("params, message", [
    ({"rows": [{"props": {"name": "a\x00b"}}]}, "parameter $.rows[0].props.name contains a NUL byte"),
    ({"x": float("inf")}, "parameter $.x is not a finite number"),
    ({"x": {"bad`key": 1}}, "parameter $.x has an unusable key 'bad`key'"),
    ({"x": object()}, "parameter $.x has a value of type object"),
])
def test_unusable_values_are_refused_with_their_place(params, message):
    with pytest.raises(BackendError, match=message.replace("$", r"\$").replace("[", r"\[").replace("]", r"\]")):
        params_header(params)



@pytest.mark.parametrize("value, message", [
    (10**20, "is too large a number for a 64-bit integer"),
    (-(2**63) - 1, "is too large a number for a 64-bit integer"),
    ("a\x00b", "contains a NUL byte"),
    ("\udc80", "is not valid UTF-8 text"),
    (float("nan"), "is not a finite number"),
])
def test_portfolio_query_refuses_alike_on_both_engines(backend, value, message):
    from portfolio_graph import InputError, Portfolio

    with pytest.raises(InputError, match=message) as raised:
        Portfolio(backend).query("RETURN $v AS v", v=value)
    assert isinstance(raised.value, BackendError) and raised.value.exit_code == 2


def test_the_largest_64_bit_integers_pass_on_both_engines(backend):
    from portfolio_graph import Portfolio

    assert Portfolio(backend).rows("RETURN $a AS a, $b AS b", {"a": 2**63 - 1, "b": -(2**63)}) == \
        [{"a": 2**63 - 1, "b": -(2**63)}]
