"""Queries that cannot mean what they say raise at once, naming what to fix: a parameter
compared with text, and a model path no stored fit has (with the nearest one)."""

from __future__ import annotations

import pytest

import autofit as af
from autofit.exc import QueryException


@pytest.mark.parametrize("symbol", [">", "<", ">=", "<="])
def test_a_parameter_compared_with_text_by_order(aggregator, symbol):
    query = {
        ">": lambda: aggregator.model.profile.centre > "50",
        "<": lambda: aggregator.model.profile.centre < "50",
        ">=": lambda: aggregator.model.profile.centre >= "50",
        "<=": lambda: aggregator.model.profile.centre <= "50",
    }[symbol]
    with pytest.raises(TypeError, match=r"model.profile.centre .* compares with a number"):
        query()


def test_a_parameter_compared_with_text_that_names_no_class(aggregator):
    with pytest.raises(TypeError, match="not with the text 'fifty'"):
        aggregator.model.profile.centre == "fifty"  # noqa: B015
    with pytest.raises(TypeError, match="not with the text '50.0'"):
        aggregator.model.profile.centre != "50.0"  # noqa: B015


@pytest.mark.parametrize(
    "build, match",
    [
        (
            lambda agg: agg.model.profile.centr > 50.0,
            r"parameter model.profile.centr; did you mean model.profile.centre\?",
        ),
        (lambda agg: agg.model.profle.centre > 50.0, r"did you mean model.profile.centre\?"),
        (
            lambda agg: agg.model.profle == af.ex.Gaussian,
            r"component model.profle; did you mean model.profile\?",
        ),
        (lambda agg: agg.model.centre > 50.0, r"No stored fit has a parameter model.centre"),
        (
            lambda agg: (agg.search.name == "fit_1") & ~(agg.model.profile.sigm < 1.0),
            r"did you mean model.profile.sigma\?",
        ),
        (lambda agg: agg.model.profile > 5.0, "model.profile is a model component: compare it"),
        (
            lambda agg: agg.model.profile.centre == af.ex.Gaussian,
            "model.profile.centre is a parameter: compare it with a number",
        ),
    ],
    ids=[
        "parameter",
        "component-in-path",
        "component",
        "root",
        "nested",
        "component-as-number",
        "parameter-as-class",
    ],
)
def test_a_path_no_fit_has_names_the_nearest(aggregator, build, match):
    with pytest.raises(QueryException, match=match):
        aggregator.query(build(aggregator))


def test_paths_are_checked_against_every_fit_not_only_those_already_selected(aggregator):
    none = aggregator.query(aggregator.search.name == "no such fit")
    assert len(none) == 0
    assert len(none.query(none.model.profile.centre > 50.0)) == 0
    with pytest.raises(QueryException, match="did you mean"):
        none.query(none.model.profile.centr > 50.0)
