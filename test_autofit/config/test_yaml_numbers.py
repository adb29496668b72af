"""Numbers that PyYAML reads as strings."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autofit.config.yaml_numbers import parse_number, parse_numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("inf", math.inf),
        ("-inf", -math.inf),
        ("+inf", math.inf),
        ("Infinity", math.inf),
        ("-INFINITY", -math.inf),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("1e-6", 1e-6),
        ("1E6", 1e6),
        (" -2.5e+3 ", -2500.0),
    ],
)
def test_parse_number_reads_strings_that_spell_numbers(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("value", ["Uniform", "nan", "", None, True, [1]])
def test_parse_number_leaves_other_values_unchanged(value):
    assert parse_number(value) is value


@given(st.floats(allow_nan=False))
def test_parse_number_round_trips_the_repr_of_any_float(number):
    assert parse_number(repr(number)) == number


def test_parse_numbers_converts_nested_values_and_keeps_keys():
    raw = {"1e3": ["-inf", {"x": "2e0"}], "type": "Uniform"}
    assert parse_numbers(raw) == {"1e3": [-math.inf, {"x": 2.0}], "type": "Uniform"}
    assert raw == {"1e3": ["-inf", {"x": "2e0"}], "type": "Uniform"}
