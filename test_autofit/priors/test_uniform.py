"""UniformPrior and LogUniformPrior against scipy.stats, their validation and vectorised forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats

import autofit as af
from autofit.priors.scalar import SCALAR_NAMESPACE

UNITS = np.array([0.0, 1e-6, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0 - 1e-6, 1.0])
RTOL = 1e-12

UNIFORM_ARGUMENTS = [(-3.0, 5.0), (0.0, 1.0), (-1e-3, 2e-3), (100.0, 250.0)]
LOG_UNIFORM_ARGUMENTS = [(1e-3, 10.0), (1.0, 2.0), (1e-6, 1e6), (0.5, 0.7)]


def uniform_distribution(lower, upper):
    return stats.uniform(loc=lower, scale=upper - lower)


def log_uniform_distribution(lower, upper):
    return stats.loguniform(lower, upper)


CASES = [
    pytest.param(af.UniformPrior, uniform_distribution, arguments, id=f"Uniform{arguments}")
    for arguments in UNIFORM_ARGUMENTS
] + [
    pytest.param(
        af.LogUniformPrior, log_uniform_distribution, arguments, id=f"LogUniform{arguments}"
    )
    for arguments in LOG_UNIFORM_ARGUMENTS
]


def evaluate_scalar_source(prior, unit):
    """Evaluate ``prior.scalar_source`` the way the compiled model does."""
    namespace = dict(SCALAR_NAMESPACE)

    def constant(value):
        if type(value) is float and math.isfinite(value):
            return repr(value)
        name = f"_k{len(namespace)}"
        namespace[name] = value
        return name

    source = prior.scalar_source("unit", constant)
    return eval(source, namespace, {"unit": unit})


# -- agreement with scipy.stats ---------------------------------------------------------------


@pytest.mark.parametrize(("cls", "distribution", "arguments"), CASES)
def test_value_for_is_the_scipy_ppf_for_scalars_and_arrays(cls, distribution, arguments):
    prior = cls(*arguments)
    expected = distribution(*arguments).ppf(UNITS)
    for unit, value in zip(UNITS, expected, strict=True):
        result = prior.value_for(float(unit))
        assert isinstance(result, float)
        assert result == pytest.approx(value, rel=RTOL)
    array = prior.value_for(UNITS)
    assert isinstance(array, np.ndarray)
    assert_allclose(array, expected, rtol=RTOL)
    assert_allclose(prior.value_for(UNITS.reshape(3, 3)), expected.reshape(3, 3), rtol=RTOL)


@pytest.mark.parametrize(("cls", "distribution", "arguments"), CASES)
def test_unit_value_for_is_the_scipy_cdf(cls, distribution, arguments):
    prior = cls(*arguments)
    scipy_distribution = distribution(*arguments)
    values = scipy_distribution.ppf(UNITS)
    assert_allclose(prior.unit_value_for(values), scipy_distribution.cdf(values), atol=1e-12)
    for value in values:
        assert prior.unit_value_for(float(value)) == pytest.approx(
            scipy_distribution.cdf(value), abs=1e-12
        )


@pytest.mark.parametrize(("cls", "distribution", "arguments"), CASES)
def test_log_prior_is_the_scipy_logpdf_inside_and_minus_infinity_outside(
    cls, distribution, arguments
):
    prior = cls(*arguments)
    scipy_distribution = distribution(*arguments)
    lower, upper = arguments
    inside = scipy_distribution.ppf(np.array([0.0, 0.01, 0.3, 0.5, 0.99, 1.0]))
    inside = np.clip(inside, lower, upper)
    assert_allclose(
        prior.log_prior_from_value(inside), scipy_distribution.logpdf(inside), rtol=1e-12
    )
    for value in inside:
        assert prior.log_prior_from_value(float(value)) == pytest.approx(
            scipy_distribution.logpdf(value), rel=1e-12
        )
    width = upper - lower
    outside = np.array([lower - width, lower - 1e-9 * width, upper + 1e-9 * width, upper + width])
    assert np.all(prior.log_prior_from_value(outside) == -np.inf)
    assert prior.log_prior_from_value(float(upper + width)) == -math.inf


def test_uniform_log_density_is_minus_log_width():
    prior = af.UniformPrior(-2.0, 6.0)
    assert prior.log_prior_from_value(0.0) == pytest.approx(-math.log(8.0), rel=1e-15)
    assert prior.log_prior_from_value(-2.0) == pytest.approx(-math.log(8.0), rel=1e-15)
    assert prior.log_prior_from_value(6.0) == pytest.approx(-math.log(8.0), rel=1e-15)


def test_log_uniform_density_is_one_over_value_log_ratio():
    prior = af.LogUniformPrior(1.0, math.e**2)
    assert prior.log_prior_from_value(3.0) == pytest.approx(-math.log(3.0) - math.log(2.0))
    assert prior.log_prior_from_value(0.0) == -math.inf
    assert prior.log_prior_from_value(-1.0) == -math.inf


def test_log_uniform_is_uniform_in_the_logarithm():
    prior = af.LogUniformPrior(1e-2, 1e4)
    assert prior.value_for(0.5) == pytest.approx(10.0, rel=1e-12)
    assert prior.value_for(1.0 / 3.0) == pytest.approx(1.0, rel=1e-12)
    assert prior.unit_value_for(1e3) == pytest.approx(5.0 / 6.0, rel=1e-12)


def test_uniform_mean_is_the_midpoint():
    assert af.UniformPrior(-3.0, 5.0).mean == 1.0


def test_limits_are_the_given_bounds():
    prior = af.UniformPrior(-3.0, 5.0)
    assert (prior.lower_limit, prior.upper_limit) == (-3.0, 5.0)
    assert isinstance(prior.lower_limit, float)
    prior = af.LogUniformPrior(1, 100)
    assert (prior.lower_limit, prior.upper_limit) == (1.0, 100.0)
    assert isinstance(prior.upper_limit, float)


def test_defaults():
    assert af.UniformPrior().arguments == (0.0, 1.0)
    assert af.LogUniformPrior().arguments == (1e-6, 1e6)


def test_log_uniform_endpoint_stays_within_the_upper_limit():
    # exp(log(upper)) rounds one ulp above upper for these limits.
    prior = af.LogUniformPrior(0.4063813138428743, 600.1665984379367)
    assert prior.value_for(1.0) <= prior.upper_limit
    assert prior.log_prior_from_value(prior.value_for(1.0)) > -math.inf
    assert evaluate_scalar_source(prior, 1.0) <= prior.upper_limit


def test_log_uniform_endpoint_stays_within_the_lower_limit():
    # exp(log(lower)) rounds below lower for these limits.
    prior = af.LogUniformPrior(1000.0, 10000.0)
    assert prior.value_for(0.0) >= prior.lower_limit
    assert prior.log_prior_from_value(prior.value_for(0.0)) > -math.inf
    assert evaluate_scalar_source(prior, 0.0) >= prior.lower_limit


# -- argument validation ----------------------------------------------------------------------


@pytest.mark.parametrize("cls", [af.UniformPrior, af.LogUniformPrior])
@pytest.mark.parametrize(("lower", "upper"), [(2.0, 1.0), (3.0, 3.0)])
def test_lower_not_below_upper_raises_naming_both(cls, lower, upper):
    with pytest.raises(
        af.exc.PriorException, match=rf"lower_limit \({lower!r}\).*upper_limit \({upper!r}\)"
    ):
        cls(lower, upper)


@pytest.mark.parametrize("cls", [af.UniformPrior, af.LogUniformPrior])
@pytest.mark.parametrize(
    ("arguments", "pattern"),
    [
        ((1.0, math.inf), r"upper_limit=inf"),
        ((-math.inf, 1.0), r"lower_limit=-inf"),
        ((math.nan, 1.0), r"lower_limit=nan"),
        ((1.0, math.nan), r"upper_limit=nan"),
    ],
)
def test_non_finite_limits_raise_naming_the_argument(cls, arguments, pattern):
    with pytest.raises(af.exc.PriorException, match=pattern):
        cls(*arguments)


@pytest.mark.parametrize("lower", [0.0, -1.0])
def test_log_uniform_lower_limit_must_be_positive(lower):
    with pytest.raises(af.exc.PriorException, match=rf"lower_limit.*lower_limit={lower!r}"):
        af.LogUniformPrior(lower, 10.0)


def test_prior_exception_is_a_value_error():
    with pytest.raises(ValueError):
        af.UniformPrior(1.0, 0.0)


# -- vectorised and compiled forms ------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "arguments"),
    [
        (af.UniformPrior, UNIFORM_ARGUMENTS),
        (af.LogUniformPrior, LOG_UNIFORM_ARGUMENTS),
    ],
)
def test_batch_functions_broadcast_per_element_arguments_over_a_batch(cls, arguments):
    rng = np.random.default_rng(5)
    units = rng.random((6, len(arguments)))
    lower = np.array([a[0] for a in arguments])
    upper = np.array([a[1] for a in arguments])
    priors = [cls(*a) for a in arguments]

    values = cls.batch_value_for(units, lower, upper)
    assert values.shape == units.shape
    expected = np.array(
        [[p.value_for(u) for p, u in zip(priors, row, strict=True)] for row in units]
    )
    assert_allclose(values, expected, rtol=1e-14)

    assert_allclose(cls.batch_unit_value_for(values, lower, upper), units, atol=1e-12)

    probe = values.copy()
    probe[0] = lower - 1.0
    log_priors = cls.batch_log_prior(probe, lower, upper)
    expected_log = np.array(
        [[p.log_prior_from_value(v) for p, v in zip(priors, row, strict=True)] for row in probe]
    )
    assert np.all(log_priors[0] == -np.inf)
    assert_allclose(log_priors, expected_log, rtol=1e-14)


@pytest.mark.parametrize(
    "prior",
    [
        af.UniformPrior(-3.0, 5.0),
        af.UniformPrior(0.0, 4.0),
        af.LogUniformPrior(1e-3, 10.0),
        af.LogUniformPrior(2.0, 3.0),
    ],
    ids=repr,
)
@pytest.mark.parametrize("unit", [0.0, 0.1, 0.5, 0.97, 1.0])
def test_scalar_source_computes_value_for(prior, unit):
    assert evaluate_scalar_source(prior, unit) == pytest.approx(prior.value_for(unit), rel=1e-13)


# -- properties -------------------------------------------------------------------------------

units = st.floats(1e-6, 1.0 - 1e-6)
closed_units = st.floats(0.0, 1.0)


@st.composite
def uniform_priors(draw):
    lower = draw(st.floats(-1e3, 1e3))
    width = draw(st.floats(1e-3, 1e3))
    return af.UniformPrior(lower, lower + width)


@st.composite
def log_uniform_priors(draw):
    lower = 10.0 ** draw(st.floats(-6.0, 3.0))
    ratio = 10.0 ** draw(st.floats(1e-3, 6.0))
    return af.LogUniformPrior(lower, lower * ratio)


priors = st.one_of(uniform_priors(), log_uniform_priors())


@settings(deadline=None)
@given(prior=priors, unit=units)
def test_unit_round_trip(prior, unit):
    assert prior.unit_value_for(prior.value_for(unit)) == pytest.approx(unit, abs=1e-9)


@settings(deadline=None)
@given(prior=priors, first=closed_units, second=closed_units)
def test_value_for_is_monotonic(prior, first, second):
    low, high = sorted((first, second))
    assert prior.value_for(low) <= prior.value_for(high)


@settings(deadline=None)
@given(prior=uniform_priors(), unit=closed_units)
def test_uniform_value_for_stays_within_the_limits(prior, unit):
    value = prior.value_for(unit)
    assert prior.lower_limit <= value <= prior.upper_limit
    assert prior.log_prior_from_value(value) > -math.inf


@settings(deadline=None)
@given(prior=log_uniform_priors(), unit=closed_units)
def test_log_uniform_value_for_stays_within_the_limits(prior, unit):
    value = prior.value_for(unit)
    assert prior.lower_limit <= value <= prior.upper_limit
    assert prior.log_prior_from_value(value) > -math.inf
