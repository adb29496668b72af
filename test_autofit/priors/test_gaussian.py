"""GaussianPrior, TruncatedGaussianPrior and LogGaussianPrior against scipy.stats."""

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

INF = math.inf
UNITS = np.array([0.0, 1e-6, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0 - 1e-6, 1.0])
INTERIOR = UNITS[1:-1]


def truncnorm(mean, sigma, lower, upper):
    return stats.truncnorm((lower - mean) / sigma, (upper - mean) / sigma, loc=mean, scale=sigma)


def lognorm(mean, sigma):
    return stats.lognorm(s=sigma, scale=math.exp(mean))


CASES = [
    (af.GaussianPrior(1.5, 2.0), stats.norm(1.5, 2.0)),
    (af.GaussianPrior(-40.0, 1e-3), stats.norm(-40.0, 1e-3)),
    (af.GaussianPrior(1.0, 2.0, lower_limit=0.0, upper_limit=4.0), truncnorm(1.0, 2.0, 0.0, 4.0)),
    (af.GaussianPrior(0.0, 1.0, lower_limit=-1.0), truncnorm(0.0, 1.0, -1.0, INF)),
    (af.GaussianPrior(0.0, 1.0, lower_limit=3.0), truncnorm(0.0, 1.0, 3.0, INF)),
    (af.GaussianPrior(2.0, 0.5, upper_limit=2.2), truncnorm(2.0, 0.5, -INF, 2.2)),
    (af.TruncatedGaussianPrior(10.0, 3.0, 5.0, 30.0), truncnorm(10.0, 3.0, 5.0, 30.0)),
    (af.TruncatedGaussianPrior(0.0, 1.0, 8.0, 9.0), truncnorm(0.0, 1.0, 8.0, 9.0)),
    (af.TruncatedGaussianPrior(0.0, 1.0, -9.0, -8.0), truncnorm(0.0, 1.0, -9.0, -8.0)),
    (af.TruncatedGaussianPrior(5.0, 2.0, 20.0, 21.0), truncnorm(5.0, 2.0, 20.0, 21.0)),
    (af.LogGaussianPrior(0.5, 0.8), lognorm(0.5, 0.8)),
    (af.LogGaussianPrior(-2.0, 0.1), lognorm(-2.0, 0.1)),
]
CASE_IDS = [repr(prior) for prior, _ in CASES]


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


@pytest.mark.parametrize(("prior", "distribution"), CASES, ids=CASE_IDS)
def test_value_for_is_the_scipy_ppf_for_scalars_and_arrays(prior, distribution):
    expected = distribution.ppf(UNITS)
    array = prior.value_for(UNITS)
    assert isinstance(array, np.ndarray)
    assert_allclose(array, expected, rtol=1e-9)
    for unit, value in zip(UNITS, expected, strict=True):
        result = prior.value_for(float(unit))
        assert isinstance(result, float)
        assert result == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize(("prior", "distribution"), CASES, ids=CASE_IDS)
def test_unit_value_for_is_the_scipy_cdf(prior, distribution):
    values = distribution.ppf(INTERIOR)
    assert_allclose(prior.unit_value_for(values), distribution.cdf(values), rtol=1e-9, atol=1e-14)
    for value in values:
        assert prior.unit_value_for(float(value)) == pytest.approx(
            distribution.cdf(value), rel=1e-9, abs=1e-14
        )


@pytest.mark.parametrize(("prior", "distribution"), CASES, ids=CASE_IDS)
def test_log_prior_is_the_scipy_logpdf_inside_the_support(prior, distribution):
    values = distribution.ppf(INTERIOR)
    assert_allclose(prior.log_prior_from_value(values), distribution.logpdf(values), rtol=1e-9)
    for value in values:
        assert prior.log_prior_from_value(float(value)) == pytest.approx(
            distribution.logpdf(value), rel=1e-9
        )


@pytest.mark.parametrize(
    "prior",
    [prior for prior, _ in CASES if isinstance(prior, af.GaussianPrior) and prior.is_truncated],
    ids=repr,
)
def test_truncated_log_prior_is_minus_infinity_outside_the_limits(prior):
    lower, upper = prior.lower_limit, prior.upper_limit
    candidates = (lower - 1.0, lower - 1e-6, upper + 1e-6, upper + 1.0)
    outside = np.array([value for value in candidates if math.isfinite(value)])
    assert np.all(prior.log_prior_from_value(outside) == -np.inf)
    for value in outside:
        assert prior.log_prior_from_value(float(value)) == -math.inf
    for value in (lower, upper):
        if math.isfinite(value):
            assert prior.log_prior_from_value(value) > -math.inf


def test_untruncated_log_prior_is_finite_far_in_the_tails():
    prior = af.GaussianPrior(0.0, 1.0)
    assert prior.log_prior_from_value(40.0) == pytest.approx(stats.norm.logpdf(40.0), rel=1e-12)
    assert prior.log_prior_from_value(-40.0) == pytest.approx(stats.norm.logpdf(-40.0), rel=1e-12)


def test_log_gaussian_log_prior_is_minus_infinity_at_and_below_zero():
    prior = af.LogGaussianPrior(0.0, 1.0)
    assert prior.log_prior_from_value(0.0) == -math.inf
    assert prior.log_prior_from_value(-1.0) == -math.inf
    assert np.all(prior.log_prior_from_value(np.array([-2.0, 0.0])) == -np.inf)


def test_gaussian_closed_forms():
    prior = af.GaussianPrior(3.0, 2.0)
    assert prior.value_for(0.5) == pytest.approx(3.0, rel=1e-15)
    assert prior.value_for(stats.norm.cdf(1.0)) == pytest.approx(5.0, rel=1e-12)
    assert prior.log_prior_from_value(3.0) == pytest.approx(-0.5 * math.log(2 * math.pi * 4.0))
    log_prior = af.LogGaussianPrior(1.0, 0.5)
    assert log_prior.value_for(0.5) == pytest.approx(math.e, rel=1e-15)


def test_symmetric_truncation_keeps_the_median_at_the_mean():
    prior = af.GaussianPrior(4.0, 1.0, lower_limit=2.0, upper_limit=6.0)
    assert prior.value_for(0.5) == pytest.approx(4.0, rel=1e-14)
    # the normalising mass is erf(2 / sqrt 2)
    expected = -0.5 * math.log(2 * math.pi) - math.log(math.erf(2.0 / math.sqrt(2.0)))
    assert prior.log_prior_from_value(4.0) == pytest.approx(expected, rel=1e-12)


def test_limits_and_truncation_flag():
    prior = af.GaussianPrior(0.0, 1.0)
    assert (prior.lower_limit, prior.upper_limit) == (-INF, INF)
    assert not prior.is_truncated
    assert af.GaussianPrior(0.0, 1.0, lower_limit=0.0).is_truncated
    assert af.GaussianPrior(0.0, 1.0, upper_limit=0.0).is_truncated
    truncated = af.TruncatedGaussianPrior(0.0, 1.0, -2.0, 3.0)
    assert (truncated.lower_limit, truncated.upper_limit) == (-2.0, 3.0)
    assert truncated.is_truncated
    log_prior = af.LogGaussianPrior(0.0, 1.0)
    assert (log_prior.lower_limit, log_prior.upper_limit) == (0.0, INF)


def test_truncated_gaussian_is_the_same_distribution_as_a_gaussian_with_limits():
    truncated = af.TruncatedGaussianPrior(1.0, 2.0, -1.0, 6.0)
    gaussian = af.GaussianPrior(1.0, 2.0, lower_limit=-1.0, upper_limit=6.0)
    assert isinstance(truncated, af.GaussianPrior)
    assert_allclose(truncated.value_for(UNITS), gaussian.value_for(UNITS), rtol=0.0)
    values = np.linspace(-2.0, 7.0, 10)
    assert_allclose(
        truncated.log_prior_from_value(values), gaussian.log_prior_from_value(values), rtol=0.0
    )


def test_log_gaussian_honours_finite_limits():
    prior = af.LogGaussianPrior(0.0, 1.0, lower_limit=1.0, upper_limit=2.0)
    values = prior.value_for(INTERIOR)
    assert np.all((values >= 1.0) & (values <= 2.0))
    assert prior.log_prior_from_value(0.5) == -math.inf
    assert prior.log_prior_from_value(3.0) == -math.inf


# -- argument validation ----------------------------------------------------------------------

GAUSSIAN_TYPES = [af.GaussianPrior, af.TruncatedGaussianPrior, af.LogGaussianPrior]


@pytest.mark.parametrize("cls", GAUSSIAN_TYPES)
@pytest.mark.parametrize("sigma", [0.0, -1.0, math.nan, math.inf])
def test_invalid_sigma_raises_naming_sigma_and_its_value(cls, sigma):
    with pytest.raises(af.exc.PriorException, match=rf"sigma={sigma!r}"):
        cls(0.0, sigma)


@pytest.mark.parametrize("cls", GAUSSIAN_TYPES)
@pytest.mark.parametrize("mean", [math.nan, math.inf, -math.inf])
def test_non_finite_mean_raises_naming_mean_and_its_value(cls, mean):
    with pytest.raises(af.exc.PriorException, match=rf"mean={mean!r}"):
        cls(mean, 1.0)


@pytest.mark.parametrize("cls", [af.GaussianPrior, af.TruncatedGaussianPrior])
@pytest.mark.parametrize(("lower", "upper"), [(2.0, 1.0), (1.0, 1.0)])
def test_lower_not_below_upper_raises_naming_both(cls, lower, upper):
    with pytest.raises(
        af.exc.PriorException, match=rf"lower_limit \({lower!r}\).*upper_limit \({upper!r}\)"
    ):
        cls(0.0, 1.0, lower_limit=lower, upper_limit=upper)


# -- vectorised and compiled forms ------------------------------------------------------------

BATCH_ARGUMENTS = [
    (0.0, 1.0, -INF, INF),
    (2.0, 0.5, 1.0, 4.0),
    (0.0, 1.0, 8.0, 9.0),
    (0.0, 1.0, -9.0, -8.0),
    (-3.0, 2.0, -1.0, INF),
    (1.0, 3.0, -INF, 0.0),
]


def test_gaussian_batch_functions_broadcast_per_element_arguments_over_a_batch():
    columns = [np.array(column) for column in zip(*BATCH_ARGUMENTS, strict=True)]
    priors = [af.GaussianPrior(*arguments) for arguments in BATCH_ARGUMENTS]
    rng = np.random.default_rng(7)
    units = rng.random((5, len(priors)))

    values = af.GaussianPrior.batch_value_for(units, *columns)
    assert values.shape == units.shape
    expected = np.array(
        [[p.value_for(u) for p, u in zip(priors, row, strict=True)] for row in units]
    )
    assert_allclose(values, expected, rtol=1e-14)

    assert_allclose(af.GaussianPrior.batch_unit_value_for(values, *columns), units, atol=1e-9)

    probe = values.copy()
    probe[0] = np.array([50.0, 0.0, 7.0, -10.0, -2.0, 1.0])  # outside every finite support
    log_priors = af.GaussianPrior.batch_log_prior(probe, *columns)
    expected_log = np.array(
        [[p.log_prior_from_value(v) for p, v in zip(priors, row, strict=True)] for row in probe]
    )
    assert_allclose(log_priors, expected_log, rtol=1e-14)
    assert np.all(log_priors[0, 1:] == -np.inf)
    assert log_priors[0, 0] == pytest.approx(stats.norm.logpdf(50.0))


def test_log_gaussian_batch_functions_broadcast_per_element_arguments_over_a_batch():
    means = np.array([0.0, 1.5, -2.0])
    sigmas = np.array([1.0, 0.2, 0.05])
    priors = [af.LogGaussianPrior(m, s) for m, s in zip(means, sigmas, strict=True)]
    units = np.random.default_rng(3).random((4, 3))

    values = af.LogGaussianPrior.batch_value_for(units, means, sigmas, 0.0, np.inf)
    expected = np.array(
        [[p.value_for(u) for p, u in zip(priors, row, strict=True)] for row in units]
    )
    assert_allclose(values, expected, rtol=1e-14)
    assert_allclose(
        af.LogGaussianPrior.batch_unit_value_for(values, means, sigmas, 0.0, np.inf),
        units,
        atol=1e-12,
    )

    probe = values.copy()
    probe[0, 0] = -1.0
    log_priors = af.LogGaussianPrior.batch_log_prior(probe, means, sigmas, 0.0, np.inf)
    expected_log = np.array(
        [[p.log_prior_from_value(v) for p, v in zip(priors, row, strict=True)] for row in probe]
    )
    assert_allclose(log_priors, expected_log, rtol=1e-14)
    assert log_priors[0, 0] == -np.inf


@pytest.mark.parametrize(
    "prior",
    [
        af.GaussianPrior(1.5, 2.0),
        af.GaussianPrior(0.0, 1.0),
        af.GaussianPrior(1.0, 2.0, lower_limit=0.0, upper_limit=4.0),
        af.TruncatedGaussianPrior(0.0, 1.0, 8.0, 9.0),
        af.LogGaussianPrior(0.5, 0.8),
    ],
    ids=repr,
)
@pytest.mark.parametrize("unit", [0.001, 0.3, 0.5, 0.9, 0.999])
def test_scalar_source_computes_value_for(prior, unit):
    assert evaluate_scalar_source(prior, unit) == pytest.approx(
        prior.value_for(unit), rel=1e-12, abs=1e-12
    )


# -- properties -------------------------------------------------------------------------------

units = st.floats(1e-6, 1.0 - 1e-6)
closed_units = st.floats(0.0, 1.0)
means = st.floats(-100.0, 100.0)
sigmas = st.floats(1e-2, 1e2)


@st.composite
def gaussian_priors(draw):
    return af.GaussianPrior(draw(means), draw(sigmas))


@st.composite
def truncated_gaussian_priors(draw, z_range=(-12.0, 12.0)):
    """Truncations anywhere from the far lower tail to the far upper tail, in units of sigma."""
    mean, sigma = draw(means), draw(sigmas)
    lower_z = draw(st.floats(z_range[0], z_range[1] - 0.05))
    upper_z = min(lower_z + draw(st.floats(0.05, 10.0)), z_range[1])
    lower = -INF if draw(st.booleans()) and lower_z < 0.0 else mean + sigma * lower_z
    upper = INF if draw(st.booleans()) and upper_z > 0.0 else mean + sigma * upper_z
    cls = draw(st.sampled_from([af.GaussianPrior, af.TruncatedGaussianPrior]))
    return cls(mean, sigma, lower_limit=lower, upper_limit=upper)


@st.composite
def log_gaussian_priors(draw):
    return af.LogGaussianPrior(draw(st.floats(-5.0, 5.0)), draw(st.floats(1e-2, 3.0)))


priors = st.one_of(
    gaussian_priors(),
    truncated_gaussian_priors(),
    truncated_gaussian_priors(z_range=(5.0, 12.0)),
    truncated_gaussian_priors(z_range=(-12.0, -5.0)),
    log_gaussian_priors(),
)


@settings(deadline=None, max_examples=300)
@given(prior=priors, unit=units)
def test_unit_round_trip(prior, unit):
    assert prior.unit_value_for(prior.value_for(unit)) == pytest.approx(unit, abs=1e-8)


@settings(deadline=None)
@given(prior=priors, first=units, second=units)
def test_value_for_is_monotonic(prior, first, second):
    low, high = sorted((first, second))
    assert prior.value_for(low) <= prior.value_for(high)


@settings(deadline=None)
@given(prior=truncated_gaussian_priors(), unit=closed_units)
def test_truncated_value_for_stays_within_the_limits(prior, unit):
    value = prior.value_for(unit)
    assert prior.lower_limit <= value <= prior.upper_limit
    if math.isfinite(value):
        assert prior.log_prior_from_value(value) > -math.inf


@settings(deadline=None)
@given(
    mean=st.floats(-3.0, 3.0),
    sigma=st.floats(0.1, 10.0),
    lower_z=st.floats(-10.0, 10.0),
    width_z=st.floats(0.1, 3.0),
    unit=units,
)
def test_truncated_value_for_matches_scipy_anywhere_in_the_tails(
    mean, sigma, lower_z, width_z, unit
):
    lower, upper = mean + sigma * lower_z, mean + sigma * (lower_z + width_z)
    prior = af.TruncatedGaussianPrior(mean, sigma, lower, upper)
    expected = truncnorm(mean, sigma, lower, upper).ppf(unit)
    assert prior.value_for(unit) == pytest.approx(expected, rel=1e-8, abs=1e-8 * sigma)
