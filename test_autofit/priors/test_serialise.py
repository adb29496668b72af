"""Priors to and from their JSON form: dict contents, round trips, aliases and errors."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import autofit as af
from autofit.priors import PRIOR_TYPES, prior_from_dict

INF = math.inf
UNITS = np.array([0.0, 0.01, 0.3, 0.5, 0.8, 0.99, 1.0])


def test_uniform_dict():
    prior = af.UniformPrior(-1.0, 2.0, width_modifier={"type": "Absolute", "value": 0.5})
    assert prior.dict() == {
        "type": "Uniform",
        "lower_limit": -1.0,
        "upper_limit": 2.0,
        "width_modifier": {"type": "Absolute", "value": 0.5},
        "limits": {"lower": "-inf", "upper": "inf"},
    }


def test_log_uniform_dict_with_physical_limits():
    prior = af.LogUniformPrior(1e-3, 1e3, limits=(0.0, INF))
    assert prior.dict() == {
        "type": "LogUniform",
        "lower_limit": 1e-3,
        "upper_limit": 1e3,
        "limits": {"lower": 0.0, "upper": "inf"},
    }


def test_untruncated_gaussian_dict_has_no_limits():
    assert af.GaussianPrior(1.0, 2.0).dict() == {
        "type": "Gaussian",
        "mean": 1.0,
        "sigma": 2.0,
        "limits": {"lower": "-inf", "upper": "inf"},
    }


def test_truncated_gaussian_dicts_keep_their_limits_with_infinities_as_strings():
    assert af.GaussianPrior(1.0, 2.0, lower_limit=0.0).dict() == {
        "type": "Gaussian",
        "mean": 1.0,
        "sigma": 2.0,
        "lower_limit": 0.0,
        "upper_limit": "inf",
        "limits": {"lower": "-inf", "upper": "inf"},
    }
    assert af.TruncatedGaussianPrior(0.0, 1.0, -INF, 3.0).dict() == {
        "type": "TruncatedGaussian",
        "mean": 0.0,
        "sigma": 1.0,
        "lower_limit": "-inf",
        "upper_limit": 3.0,
        "limits": {"lower": "-inf", "upper": "inf"},
    }


def test_log_gaussian_dict():
    prior = af.LogGaussianPrior(0.5, 0.25, width_modifier={"type": "Relative", "value": 0.5})
    assert prior.dict() == {
        "type": "LogGaussian",
        "mean": 0.5,
        "sigma": 0.25,
        "width_modifier": {"type": "Relative", "value": 0.5},
        "limits": {"lower": "-inf", "upper": "inf"},
    }


ROUND_TRIP = [
    af.UniformPrior(-1.0, 2.0),
    af.UniformPrior(0.0, 100.0, width_modifier={"type": "Absolute", "value": 20.0}),
    af.LogUniformPrior(1e-6, 1e6, limits=(0.0, INF)),
    af.GaussianPrior(1.0, 2.0),
    af.GaussianPrior(1.0, 2.0, lower_limit=0.0, upper_limit=4.0, limits=(-1.0, 5.0)),
    af.GaussianPrior(0.0, 1.0, upper_limit=0.5),
    af.TruncatedGaussianPrior(0.0, 1.0, 8.0, 9.0),
    af.TruncatedGaussianPrior(3.0, 1.0),
    af.LogGaussianPrior(0.5, 0.8, width_modifier={"type": "Relative", "value": 0.1}),
    af.LogGaussianPrior(0.0, 1.0, lower_limit=1.0, upper_limit=5.0),
]


@pytest.mark.parametrize("prior", ROUND_TRIP, ids=repr)
def test_round_trip_through_json_gives_the_same_prior(prior):
    text = json.dumps(prior.dict(), allow_nan=False)
    copy = prior_from_dict(json.loads(text))
    assert copy is not prior
    assert type(copy) is type(prior)
    assert copy.arguments == prior.arguments
    assert (copy.lower_limit, copy.upper_limit) == (prior.lower_limit, prior.upper_limit)
    assert copy.limits == prior.limits
    assert copy.width_modifier == prior.width_modifier
    assert copy.dict() == prior.dict()
    np.testing.assert_array_equal(copy.value_for(UNITS), prior.value_for(UNITS))
    values = prior.value_for(UNITS[1:-1])
    np.testing.assert_array_equal(
        copy.log_prior_from_value(values), prior.log_prior_from_value(values)
    )


@pytest.mark.parametrize(
    ("entry", "cls"),
    [
        ({"type": "UniformPrior", "lower_limit": 0.5, "upper_limit": 2.0}, af.UniformPrior),
        ({"type": "LogUniformPrior", "lower_limit": 0.5, "upper_limit": 2.0}, af.LogUniformPrior),
        (
            {"type": "GaussianPrior", "mean": 1.0, "sigma": 0.5, "lower_limit": 0.5},
            af.GaussianPrior,
        ),
        (
            {"type": "TruncatedGaussianPrior", "mean": 1.0, "sigma": 0.5, "lower_limit": 0.5},
            af.TruncatedGaussianPrior,
        ),
        ({"type": "LogGaussianPrior", "mean": 1.0, "sigma": 0.5}, af.LogGaussianPrior),
        ({"type": "Constant", "value": 0.5}, af.Constant),
    ],
    ids=lambda value: value["type"] if isinstance(value, dict) else None,
)
def test_class_names_are_accepted_as_type_aliases(entry, cls):
    prior = prior_from_dict(entry)
    assert type(prior) is cls
    assert prior.value_for(0.0) == pytest.approx(0.5 if cls is not af.LogGaussianPrior else 0.0)


def test_an_argument_the_type_does_not_take_raises_naming_it():
    with pytest.raises(af.exc.PriorException, match="mean"):
        prior_from_dict({"type": "Uniform", "lower_limit": 0.0, "upper_limit": 1.0, "mean": 0.5})


def test_prior_types_map_names_to_classes():
    assert PRIOR_TYPES == {
        "Uniform": af.UniformPrior,
        "LogUniform": af.LogUniformPrior,
        "Gaussian": af.GaussianPrior,
        "TruncatedGaussian": af.TruncatedGaussianPrior,
        "LogGaussian": af.LogGaussianPrior,
    }


@pytest.mark.parametrize("kind", ["Normal", "uniform", None])
def test_unknown_type_raises_listing_the_valid_types(kind):
    entry = {"lower_limit": 0.0} if kind is None else {"type": kind, "lower_limit": 0.0}
    with pytest.raises(af.exc.PriorException, match=repr(kind)) as error:
        prior_from_dict(entry)
    for name in (
        "Constant",
        "Gaussian",
        "LogGaussian",
        "LogUniform",
        "TruncatedGaussian",
        "Uniform",
    ):
        assert repr(name) in str(error.value)


@pytest.mark.parametrize(
    ("entry", "missing"),
    [
        ({"type": "Uniform", "lower_limit": 0.0}, "upper_limit"),
        ({"type": "LogUniform", "upper_limit": 2.0}, "lower_limit"),
        ({"type": "Gaussian", "mean": 0.0}, "sigma"),
        ({"type": "LogGaussian", "sigma": 1.0}, "mean"),
    ],
)
def test_missing_arguments_raise_naming_them(entry, missing):
    with pytest.raises(af.exc.PriorException, match=missing):
        prior_from_dict(entry)


def test_invalid_arguments_raise_prior_exception():
    with pytest.raises(af.exc.PriorException, match=r"sigma=-1\.0"):
        prior_from_dict({"type": "Gaussian", "mean": 0.0, "sigma": -1.0})
    with pytest.raises(af.exc.PriorException, match="lower_limit"):
        prior_from_dict({"type": "Uniform", "lower_limit": 2.0, "upper_limit": 1.0})


def test_numbers_may_be_strings_and_limits_a_pair():
    prior = prior_from_dict(
        {
            "type": "TruncatedGaussian",
            "mean": "1e1",
            "sigma": "2",
            "lower_limit": "-inf",
            "upper_limit": "inf",
            "limits": ["0", "inf"],
        }
    )
    assert prior.arguments == (10.0, 2.0, -INF, INF)
    assert prior.limits == (0.0, INF)


def test_partial_limits_default_to_infinities():
    prior = prior_from_dict(
        {"type": "Uniform", "lower_limit": 0.0, "upper_limit": 1.0, "limits": {"lower": 0.0}}
    )
    assert prior.limits == (0.0, INF)
    prior = prior_from_dict({"type": "Uniform", "lower_limit": 0.0, "upper_limit": 1.0})
    assert prior.limits == (-INF, INF)
    assert prior.width_modifier is None
