"""The FalkorDB parameter header: exact literals, and refusals that name the parameter."""

from __future__ import annotations

import pytest
from falkordb.helpers import stringify_param_value

from portfolio_graph.graph.backend import BackendError
from portfolio_graph.graph.falkordb_params import literal, params_header


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

