"""Tests of af.Drawer: prior draws weighted by the likelihood (importance sampling)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import logsumexp

import autofit as af
from test_autofit.searches.analyses import CountingAnalysis

#: Uniform priors containing the posterior (at least 3.8 Fisher sigma either side of the peak).
BOUNDS = {"centre": (47.0, 53.0), "normalization": (21.0, 28.0), "sigma": (8.5, 11.5)}


def narrow_model() -> af.Model:
    model = af.Model(af.ex.Gaussian)
    for name, (lower, upper) in BOUNDS.items():
        setattr(model, name, af.UniformPrior(lower_limit=lower, upper_limit=upper))
    return model


@pytest.fixture(scope="module")
def drawn(data):
    return af.Drawer(total_draws=20000, seed=1, silence=True).fit(
        model=narrow_model(), analysis=af.ex.Analysis(*data)
    )


def test_importance_weights_approximate_the_posterior(drawn, exact):
    samples = drawn.samples
    # Effective sample size ~450, so medians are known to ~0.05 sigma and widths to ~5%.
    assert 1.0 / np.sum(samples.weights**2) > 200
    median = np.array(samples.median_pdf(as_instance=False))
    np.testing.assert_array_less(np.abs(median - exact.parameters), 0.3 * exact.errors)
    lower = np.array(samples.errors_at_lower_sigma(1.0, as_instance=False))
    upper = np.array(samples.errors_at_upper_sigma(1.0, as_instance=False))
    np.testing.assert_allclose(lower, exact.errors, rtol=0.25)
    np.testing.assert_allclose(upper, exact.errors, rtol=0.25)


def test_evidence_matches_the_laplace_approximation(drawn, exact):
    # log Z = log L_max + (k / 2) log 2 pi + log det(C) / 2 - log(prior volume) for a Gaussian
    # likelihood well inside uniform priors.
    volume = np.prod([upper - lower for lower, upper in BOUNDS.values()])
    laplace = (
        exact.log_likelihood
        + 1.5 * np.log(2.0 * np.pi)
        + 0.5 * np.log(np.linalg.det(exact.covariance))
        - np.log(volume)
    )
    assert drawn.samples.log_evidence == pytest.approx(laplace, abs=0.15)


def test_weights_are_normalised_likelihoods(data):
    analysis = CountingAnalysis(*data)
    samples = (
        af.Drawer(total_draws=50, seed=2, silence=True)
        .fit(model=narrow_model(), analysis=analysis)
        .samples
    )
    assert samples.total_samples == 50 == analysis.calls
    np.testing.assert_allclose(samples.parameters, np.array(analysis.points), rtol=1e-12)
    expected = np.exp(samples.log_likelihood - logsumexp(samples.log_likelihood))
    np.testing.assert_allclose(samples.weights, expected, rtol=1e-10)
    # Uniform priors: the log prior is minus the log of the prior volume.
    volume = np.prod([upper - lower for lower, upper in BOUNDS.values()])
    np.testing.assert_allclose(samples.log_prior, -np.log(volume), rtol=1e-12)
    assert samples.log_evidence == pytest.approx(
        logsumexp(samples.log_likelihood) - np.log(50), rel=1e-12
    )


def test_draws_lie_within_the_priors(drawn):
    for column, (lower, upper) in enumerate(BOUNDS.values()):
        values = drawn.samples.parameters[:, column]
        assert np.all((lower <= values) & (values <= upper))
        # Uniform draws: the mean of 20000 is the midpoint to ~0.4% of the width.
        assert values.mean() == pytest.approx((lower + upper) / 2, abs=0.01 * (upper - lower))
