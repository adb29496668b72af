"""The Prior base class: unit validation, physical limits, random draws, copies and text forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import autofit as af
from autofit.priors.abstract import MUTATIONS, Prior

INF = math.inf


def every_prior():
    """One prior of each type, with the matching scipy distribution."""
    return [
        (af.UniformPrior(-3.0, 5.0), stats.uniform(-3.0, 8.0)),
        (af.LogUniformPrior(1.0, 100.0), stats.loguniform(1.0, 100.0)),
        (af.GaussianPrior(1.5, 2.0), stats.norm(1.5, 2.0)),
        (
            af.GaussianPrior(1.0, 2.0, lower_limit=0.0, upper_limit=4.0),
            stats.truncnorm(-0.5, 1.5, loc=1.0, scale=2.0),
        ),
        (af.TruncatedGaussianPrior(0.0, 1.0, 8.0, 9.0), stats.truncnorm(8.0, 9.0)),
        (af.LogGaussianPrior(0.5, 0.5), stats.lognorm(s=0.5, scale=math.exp(0.5))),
    ]


PRIORS = [
    pytest.param(prior, distribution, id=repr(prior)) for prior, distribution in every_prior()
]
PRIOR_TYPES = [
    pytest.param(
        lambda **kw: af.UniformPrior(**{"lower_limit": 0.0, "upper_limit": 1.0, **kw}), id="Uniform"
    ),
    pytest.param(
        lambda **kw: af.LogUniformPrior(**{"lower_limit": 1.0, "upper_limit": 2.0, **kw}),
        id="LogUniform",
    ),
    pytest.param(lambda **kw: af.GaussianPrior(0.0, 1.0, **kw), id="Gaussian"),
    pytest.param(lambda **kw: af.TruncatedGaussianPrior(0.0, 1.0, **kw), id="TruncatedGaussian"),
    pytest.param(lambda **kw: af.LogGaussianPrior(0.0, 1.0, **kw), id="LogGaussian"),
]


# -- unit values ------------------------------------------------------------------------------


@pytest.mark.parametrize(("prior", "distribution"), PRIORS)
@pytest.mark.parametrize(
    ("unit", "shown"),
    [(-0.1, r"-0\.1"), (1.1, r"1\.1"), (math.nan, "nan"), (np.array([0.5, 1.5]), r"1\.5")],
    ids=["below", "above", "nan", "array"],
)
def test_value_for_outside_the_unit_interval_raises(prior, distribution, unit, shown):
    with pytest.raises(af.exc.PriorException, match=rf"\[0, 1\].*{shown}"):
        prior.value_for(unit)


@pytest.mark.parametrize(("prior", "distribution"), PRIORS)
def test_value_for_keeps_the_shape_of_its_input(prior, distribution):
    units = np.linspace(0.05, 0.95, 12).reshape(3, 4)
    values = prior.value_for(units)
    assert values.shape == (3, 4)
    np.testing.assert_allclose(values, distribution.ppf(units), rtol=1e-9)
    assert isinstance(prior.value_for(0.5), float)
    assert isinstance(prior.unit_value_for(prior.value_for(0.5)), float)
    assert isinstance(prior.log_prior_from_value(prior.value_for(0.5)), float)


def test_the_base_class_has_no_distribution():
    with pytest.raises(NotImplementedError):
        Prior().value_for(0.5)


# -- limits -----------------------------------------------------------------------------------


@pytest.mark.parametrize("make", PRIOR_TYPES)
@pytest.mark.parametrize("name", ["lower_limit", "upper_limit"])
def test_nan_limit_raises_naming_the_limit_and_its_value(make, name):
    with pytest.raises(af.exc.PriorException, match=rf"{name}.*nan"):
        make(**{name: math.nan})


@pytest.mark.parametrize("make", PRIOR_TYPES)
def test_physical_limits_default_to_the_real_line(make):
    assert make().limits == (-INF, INF)


@pytest.mark.parametrize("make", PRIOR_TYPES)
def test_physical_limits_are_stored_as_floats(make):
    prior = make(limits=(0, 10))
    assert prior.limits == (0.0, 10.0)
    assert all(isinstance(limit, float) for limit in prior.limits)


@pytest.mark.parametrize("make", PRIOR_TYPES)
@pytest.mark.parametrize(
    ("limits", "shown"),
    [((2.0, 1.0), r"\(2\.0, 1\.0\)"), ((1.0, 1.0), r"\(1\.0, 1\.0\)"), ((math.nan, 1.0), "nan")],
)
def test_invalid_physical_limits_raise_showing_them(make, limits, shown):
    with pytest.raises(af.exc.PriorException, match=rf"limits.*{shown}"):
        make(limits=limits)


def test_physical_limits_do_not_change_the_distribution():
    plain = af.GaussianPrior(0.0, 1.0)
    limited = af.GaussianPrior(0.0, 1.0, limits=(0.0, 0.5))
    units = np.linspace(0.01, 0.99, 7)
    np.testing.assert_array_equal(limited.value_for(units), plain.value_for(units))
    assert limited.log_prior_from_value(3.0) == plain.log_prior_from_value(3.0)


def test_is_within_limits_includes_the_end_points():
    prior = af.UniformPrior(-1.0, 2.0)
    assert prior.is_within_limits(-1.0)
    assert prior.is_within_limits(2.0)
    assert prior.is_within_limits(0.3)
    assert not prior.is_within_limits(-1.0000001)
    assert not prior.is_within_limits(2.0000001)
    assert af.GaussianPrior(0.0, 1.0).is_within_limits(1e300)


# -- random draws -----------------------------------------------------------------------------


@pytest.mark.parametrize(("prior", "distribution"), PRIORS)
def test_random_draws_lie_within_the_limits_and_are_reproducible(prior, distribution):
    first = [prior.random(np.random.default_rng(11)) for _ in range(3)]
    assert first[0] == first[1] == first[2]
    rng = np.random.default_rng(11)
    draws = [prior.random(rng) for _ in range(200)]
    assert draws[0] == first[0]
    assert all(isinstance(draw, float) for draw in draws)
    assert all(prior.lower_limit <= draw <= prior.upper_limit for draw in draws)
    assert len(set(draws)) == 200
    rng = np.random.default_rng(11)
    assert [prior.random(rng) for _ in range(200)] == draws
    assert prior.random(np.random.default_rng(12)) != first[0]


@pytest.mark.parametrize(("prior", "distribution"), PRIORS)
def test_random_without_a_generator_uses_the_global_state(prior, distribution):
    np.random.seed(4)
    first = [prior.random() for _ in range(5)]
    np.random.seed(4)
    assert [prior.random() for _ in range(5)] == first


@pytest.mark.parametrize(("prior", "distribution"), PRIORS)
def test_random_draws_have_the_mean_and_standard_deviation_of_the_distribution(prior, distribution):
    count = 20_000
    rng = np.random.default_rng(2024)
    draws = np.array([prior.random(rng) for _ in range(count)])
    mean, variance, excess_kurtosis = (float(x) for x in distribution.stats(moments="mvk"))
    std = math.sqrt(variance)
    assert abs(draws.mean() - mean) < 5.0 * std / math.sqrt(count)
    # standard error of the sample standard deviation
    std_error = std * math.sqrt((excess_kurtosis + 2.0) / (4.0 * count))
    assert abs(draws.std(ddof=1) - std) < 5.0 * std_error


# -- copies, arguments and text ---------------------------------------------------------------


@pytest.mark.parametrize(("prior", "distribution"), PRIORS)
def test_new_is_an_independent_prior_with_the_same_distribution(prior, distribution):
    copy = prior.new()
    assert copy is not prior
    assert copy != prior
    assert type(copy) is type(prior)
    assert copy.arguments == prior.arguments
    assert copy.dict() == prior.dict()
    copy.limits = (0.0, 1.0)
    assert prior.limits == (-INF, INF)


def test_arguments_follow_argument_names():
    assert af.UniformPrior(-1.0, 2.0).arguments == (-1.0, 2.0)
    assert af.LogUniformPrior(1.0, 2.0).arguments == (1.0, 2.0)
    assert af.GaussianPrior(3.0, 4.0).arguments == (3.0, 4.0, -INF, INF)
    assert af.TruncatedGaussianPrior(3.0, 4.0, 0.0, 9.0).arguments == (3.0, 4.0, 0.0, 9.0)
    assert af.LogGaussianPrior(3.0, 4.0).arguments == (3.0, 4.0, 0.0, INF)


def test_arguments_are_floats():
    prior = af.GaussianPrior(1, 2, lower_limit=0, upper_limit=5)
    assert all(type(argument) is float for argument in prior.arguments)


def test_repr_and_str_show_type_and_arguments():
    prior = af.UniformPrior(0.0, 2.5)
    assert repr(prior) == "UniformPrior(lower_limit=0.0, upper_limit=2.5)"
    assert str(prior) == "UniformPrior, lower_limit = 0.0, upper_limit = 2.5"
    assert repr(af.LogGaussianPrior(1.0, 0.5)) == "LogGaussianPrior(mean=1.0, sigma=0.5)"


def test_making_a_prior_keeps_compiled_models_and_changing_one_recompiles_them():
    model = af.Model(af.ex.Gaussian)
    compiled = model.compiled
    for prior in (af.UniformPrior(0.0, 1.0), af.GaussianPrior(0.0, 1.0), af.LogUniformPrior()):
        assert prior.lower_limit < prior.upper_limit
    assert model.compiled is compiled
    model.sigma.upper_limit = 5.0
    assert model.compiled is not compiled
    assert model.compiled.priors[2].upper_limit == 5.0


def test_changing_a_prior_is_counted_as_a_mutation():
    prior = af.UniformPrior(0.0, 1.0)
    before = MUTATIONS.value
    prior.upper_limit = 2.0
    assert MUTATIONS.value > before
    assert prior.value_for(1.0) == 2.0
