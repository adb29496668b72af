"""Queries (autofit/aggregator/query.py): the same fits on a database and on output folders."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import sqlite

import autofit as af
from autofit.aggregator.query import ParameterComparison
from test_autofit.aggregator.study import COMPLETE, EXPONENTIAL_FITS, INTERRUPTED

ALL = {*COMPLETE, INTERRUPTED}
GAUSSIAN_FITS = set(COMPLETE) - EXPONENTIAL_FITS


def names(aggregator) -> set[str]:
    return {fit.name for fit in aggregator}


def fits(*indices: int) -> set[str]:
    return {f"fit_{index}" for index in indices}


# Each case: a function of the aggregator building the query, and the names it must find.
CASES = {
    "name ==": (lambda agg: agg.search.name == "fit_3", fits(3)),
    "name !=": (lambda agg: agg.search.name != "fit_3", ALL - fits(3)),
    "name < (text order)": (lambda agg: agg.search.name < "fit_3", fits(0, 1, 2)),
    "unique_tag ==": (lambda agg: agg.search.unique_tag == "dataset_1", fits(2, 3)),
    "unique_tag empty": (lambda agg: agg.search.unique_tag == "", {INTERRUPTED}),
    "path_prefix ==": (lambda agg: agg.search.path_prefix == "pilot", fits(7, 8, 9)),
    "is_complete": (lambda agg: agg.search.is_complete, set(COMPLETE)),
    "is_complete == True": (lambda agg: agg.search.is_complete == True, set(COMPLETE)),  # noqa: E712
    "is_complete == False": (lambda agg: agg.search.is_complete == False, {INTERRUPTED}),  # noqa: E712
    "is_complete != True": (lambda agg: agg.search.is_complete != True, {INTERRUPTED}),  # noqa: E712
    "component class": (lambda agg: agg.model.profile == af.ex.Gaussian, GAUSSIAN_FITS),
    "component as a Model": (
        lambda agg: agg.model.profile == af.Model(af.ex.Exponential),
        EXPONENTIAL_FITS,
    ),
    "component class path": (
        lambda agg: agg.model.profile == "autofit.example.model.Exponential",
        EXPONENTIAL_FITS,
    ),
    "component !=": (
        lambda agg: agg.model.profile != af.ex.Gaussian,
        EXPONENTIAL_FITS | {INTERRUPTED},
    ),
    "root component": (lambda agg: agg.model == af.ex.Gaussian, {INTERRUPTED}),
    "root collection": (lambda agg: agg.model == af.Collection, set(COMPLETE)),
    "centre >": (lambda agg: agg.model.profile.centre > 55.0, fits(6, 7, 8, 9)),
    "centre >=": (lambda agg: agg.model.profile.centre >= 55.0, fits(6, 7, 8, 9)),
    "centre <": (lambda agg: agg.model.profile.centre < 25.0, fits(0, 1, 2)),
    "centre <=": (lambda agg: agg.model.profile.centre <= 25.0, fits(0, 1, 2)),
    "reflected comparison": (lambda agg: 25.0 > agg.model.profile.centre, fits(0, 1, 2)),
    "sigma only in Gaussians": (lambda agg: agg.model.profile.sigma > -1.0, GAUSSIAN_FITS),
    "info number": (lambda agg: agg.info["index"] >= 7, fits(7, 8, 9)),
    "info number == float": (lambda agg: agg.info["index"] == 3.0, fits(3)),
    "info text ==": (lambda agg: agg.info["parity"] == "even", fits(0, 2, 4, 6, 8)),
    "info text >": (lambda agg: agg.info["parity"] > "f", fits(1, 3, 5, 7, 9)),
    "info bool": (lambda agg: agg.info["good"] == True, fits(0, 4, 8)),  # noqa: E712
    "info bool as number": (lambda agg: agg.info["good"] < 1, fits(1, 2, 3, 5, 6, 7, 9)),
    "info list": (lambda agg: agg.info["tags"] == [3], fits(3)),
    "info list !=": (lambda agg: agg.info["tags"] != [3], set(COMPLETE) - fits(3)),
    "info text vs number": (lambda agg: agg.info["index"] == "3", set()),
    "info missing key": (lambda agg: agg.info["absent"] == 1, set()),
    "and": (
        lambda agg: (agg.model.profile == af.ex.Gaussian) & (agg.model.profile.centre > 55.0),
        fits(6, 7, 9),
    ),
    "or": (
        lambda agg: (agg.search.unique_tag == "dataset_1") | (agg.search.path_prefix == "pilot"),
        fits(2, 3, 7, 8, 9),
    ),
    "not": (lambda agg: ~agg.search.is_complete, {INTERRUPTED}),
    "not of a missing parameter": (
        lambda agg: ~(agg.model.profile.centre > 55.0),
        fits(0, 1, 2, 3, 4, 5) | {INTERRUPTED},
    ),
    "nested": (
        lambda agg: (
            ~((agg.info["parity"] == "odd") | (agg.search.name == "fit_0")) & agg.search.is_complete
        ),
        fits(2, 4, 6, 8),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_query_finds_the_expected_fits_on_both_backends(study, case):
    build, expected = CASES[case]
    database, directory = study.database_aggregator(), study.directory_aggregator()
    found_in_database = database.query(build(database))
    found_in_directory = directory.query(build(directory))
    assert names(found_in_database) == expected
    assert found_in_database.ids == found_in_directory.ids
    assert set(found_in_database.ids) == {study.ids[name] for name in expected}


def test_parameter_equality_uses_the_stored_maximum_likelihood_value(aggregator):
    fit = aggregator.query(aggregator.search.name == "fit_3")[0]
    centre = fit.instance.profile.centre
    assert 30.0 <= centre <= 31.0
    assert names(aggregator.query(aggregator.model.profile.centre == centre)) == fits(3)
    # != holds for fits that have the parameter; ~(==) also for the fit without samples.
    unequal = aggregator.query(aggregator.model.profile.centre != centre)
    assert names(unequal) == set(COMPLETE) - fits(3)
    assert names(aggregator.query(~(aggregator.model.profile.centre == centre))) == ALL - fits(3)


def test_parameter_query_compiles_to_bound_parameters_on_the_parameter_table():
    from autofit.database.schema import Fit

    statement = select(Fit.id).where(ParameterComparison("profile.centre", ">", 50.0).sql())
    compiled = statement.compile(dialect=sqlite.dialect())
    text = str(compiled)
    assert "FROM parameter" in text and "parameter.max_log_likelihood >" in text
    assert "50" not in text and "profile.centre" not in text
    assert sorted(compiled.params.values(), key=str) == [50.0, "profile.centre"]


def test_text_values_are_bound_not_formatted_into_sql(study):
    agg = study.database_aggregator()
    hostile = "x' OR '1'='1"
    assert len(agg.query(agg.search.name == hostile)) == 0
    assert len(agg.query(agg.info["parity"] == hostile)) == 0
    assert len(agg) == len(ALL)


def test_a_query_has_no_truth_value_so_and_or_not_are_refused(aggregator):
    query = aggregator.search.name == "fit_1"
    with pytest.raises(TypeError, match="combine queries with &, | and ~"):
        bool(query)
    with pytest.raises(TypeError, match="combine queries with &, | and ~"):
        _ = query and aggregator.search.is_complete


def test_combining_a_query_with_something_else_is_a_type_error(aggregator):
    with pytest.raises(TypeError, match="both sides of &, | must be queries"):
        _ = (aggregator.search.name == "fit_1") & True
    with pytest.raises(TypeError, match="both sides"):
        _ = "x" | (aggregator.search.name == "fit_1")


@pytest.mark.parametrize(
    "build, error, message",
    [
        (lambda agg: agg.search.name == 3, TypeError, "compares with text"),
        (lambda agg: agg.search.is_complete == 1, TypeError, "True or False"),
        (lambda agg: agg.search.is_complete > False, TypeError, "'>' not supported"),
        (
            lambda agg: agg.model.profile.centre > "a",
            TypeError,
            "a parameter compares with a number",
        ),
        (lambda agg: agg.model.profile > af.ex.Gaussian, TypeError, "component compares with =="),
        (lambda agg: agg.model.profile.centre > None, TypeError, "compares with a number"),
        (lambda agg: agg.model.profile.centre > True, TypeError, "compares with a number"),
        (lambda agg: agg.model.profile.centre > float("nan"), ValueError, "NaN"),
        (lambda agg: agg.model > 1.0, ValueError, "Name a parameter"),
        (lambda agg: agg.info["tags"] < [1], ValueError, "Unsupported comparison '<'"),
        (lambda agg: agg.info["index"] > float("nan"), ValueError, "NaN"),
    ],
)
def test_invalid_comparisons_are_refused_with_a_message(aggregator, build, error, message):
    with pytest.raises(error, match=message):
        build(aggregator)


def test_info_numbers_too_large_for_a_float_match_no_number_query():
    from autofit.aggregator.query import info_number

    assert info_number(10**400) is None
    assert info_number(True) == 1.0
    assert info_number(float("inf")) is None
    assert info_number("3") is None
    assert info_number(7) == 7.0
