"""Messages of expectation propagation: moments, products, projections."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import autofit as af
from autofit.graphical.messages import (
    gaussian_kl,
    message_for_prior,
    natural_for_truncated_moments,
    natural_from_moments,
    truncated_moments,
)


@pytest.mark.parametrize(
    "mu, sigma, lower, upper",
    [(0.0, 1.0, -1.0, 2.0), (5.0, 2.0, 6.0, math.inf), (-3.0, 0.5, -math.inf, -3.2), (0, 1, 8, 9)],
)
def test_truncated_moments_match_scipy(mu, sigma, lower, upper):
    a, b = (lower - mu) / sigma, (upper - mu) / sigma
    mean, variance = truncated_moments(mu, sigma, lower, upper)
    assert mean == pytest.approx(stats.truncnorm.mean(a, b, mu, sigma), rel=1e-6)
    assert variance == pytest.approx(stats.truncnorm.var(a, b, mu, sigma), rel=1e-5)


def test_truncated_projection_recovers_the_underlying_normal():
    mean, variance = truncated_moments(1.0, 2.0, 0.0, 3.0)
    natural = natural_for_truncated_moments(float(mean), float(variance), 0.0, 3.0)
    assert natural == pytest.approx(natural_from_moments(1.0, 4.0), rel=1e-5)


def test_products_and_quotients_add_natural_parameters():
    a = af.NormalMessage(natural_from_moments(1.0, 4.0))
    b = af.NormalMessage(natural_from_moments(3.0, 4.0))
    product = a * b
    assert product.mean == pytest.approx(2.0) and product.variance == pytest.approx(2.0)
    assert (product / b).mean == pytest.approx(1.0)
    assert gaussian_kl(a.natural, a.natural) == pytest.approx(0.0)
    assert gaussian_kl(a.natural, b.natural) == pytest.approx(0.5)


def test_log_normal_moments():
    message = af.LogNormalMessage(natural_from_moments(1.0, 0.25))
    assert message.mean == pytest.approx(math.exp(1.0 + 0.125))
    assert message.variance == pytest.approx(math.expm1(0.25) * math.exp(2.25))
    truncated = af.LogNormalMessage(natural_from_moments(1.0, 0.25), 0.0, 1.0)
    samples = stats.truncnorm.rvs(-2.0, 0.0, 1.0, 0.5, size=400_000, random_state=1)
    assert truncated.mean == pytest.approx(np.exp(samples).mean(), rel=2e-3)


@pytest.mark.parametrize(
    "prior, family, prior_type",
    [
        (af.GaussianPrior(1.0, 2.0), af.NormalMessage, af.GaussianPrior),
        (af.GaussianPrior(1.0, 2.0, lower_limit=0.0), af.TruncatedNormalMessage, af.GaussianPrior),
        (af.UniformPrior(0.0, 4.0), af.TruncatedNormalMessage, af.UniformPrior),
        (af.LogUniformPrior(1.0, 10.0), af.LogNormalMessage, af.LogUniformPrior),
        (af.LogGaussianPrior(0.0, 1.0), af.LogNormalMessage, af.LogGaussianPrior),
    ],
)
def test_every_prior_is_an_exact_message(prior, family, prior_type):
    message = message_for_prior(prior)
    assert type(message) is family
    back = message.to_prior()
    assert type(back) is prior_type
    values = np.array([0.5, 1.0, 2.0, 3.0])
    # The message's density matches the prior's (up to a constant) in the prior's support.
    u = np.log(values) if message.log_coordinate else values
    jacobian = np.log(values) if message.log_coordinate else 0.0
    log_message = message.natural[0] * u + message.natural[1] * u**2 - jacobian
    log_prior = prior.log_prior_from_value(values)
    inside = np.isfinite(log_prior)
    difference = (log_message - log_prior)[inside]
    assert np.ptp(difference) == pytest.approx(0.0, abs=1e-9)
    if prior_type is af.UniformPrior:
        assert message.mean == pytest.approx(2.0, rel=1e-3)
        assert message.variance == pytest.approx(16.0 / 12.0, rel=1e-3)
