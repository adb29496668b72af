"""Integrated autocorrelation times and the burn-in rule (samples/autocorrelation.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autofit.samples.autocorrelation import (
    autocorrelation_function,
    burn_in_length,
    integrated_time,
)


def ar1_chain(rho: float, steps: int, walkers: int, parameters: int, seed: int) -> np.ndarray:
    """``x_t = rho x_{t-1} + e_t`` in every walker and parameter, started in the stationary
    distribution, shaped ``(steps, walkers, parameters)``."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(steps, walkers, parameters))
    noise[0] /= math.sqrt(1.0 - rho**2)
    chain = np.empty_like(noise)
    chain[0] = noise[0]
    for step in range(1, steps):
        chain[step] = rho * chain[step - 1] + noise[step]
    return chain


def reference_time(chain: np.ndarray, window_constant: float = 5.0) -> float:
    """Sokal's windowed estimate written out directly: walker-averaged autocorrelation from
    explicit lagged sums, ``tau(M) = 1 + 2 sum_{t<=M} rho(t)``, smallest ``M >= c tau(M)``."""
    steps, walkers = chain.shape[:2]
    rho = np.zeros(steps)
    for walker in range(walkers):
        centred = chain[:, walker] - chain[:, walker].mean()
        lagged = np.array([centred[: steps - t] @ centred[t:] for t in range(steps)])
        rho += lagged / lagged[0] / walkers
    tau = 1.0
    for window in range(steps):
        tau = 1.0 + 2.0 * rho[1 : window + 1].sum()
        if window >= window_constant * tau:
            break
    return max(tau, 1.0)


def test_autocorrelation_function_by_hand():
    # Centred series -1.5 -0.5 0.5 1.5: lag sums 5, 1.25, -1.5, -2.25.
    rho = autocorrelation_function([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(rho, [1.0, 0.25, -0.3, -0.45], atol=1e-12)


def test_autocorrelation_function_of_a_constant_series_is_zero():
    np.testing.assert_array_equal(autocorrelation_function(np.full(10, 3.0)), np.zeros(10))


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.8])
def test_integrated_time_of_an_ar1_chain_matches_the_analytic_value(rho):
    # For AR(1), tau = sum_t rho^|t| = (1 + rho) / (1 - rho).
    chain = ar1_chain(rho, steps=20_000, walkers=8, parameters=2, seed=int(10 * rho))
    expected = (1.0 + rho) / (1.0 - rho)
    np.testing.assert_allclose(integrated_time(chain), [expected, expected], rtol=0.15)


def test_integrated_time_distinguishes_parameters():
    slow = ar1_chain(0.9, steps=40_000, walkers=8, parameters=1, seed=1)
    fast = ar1_chain(0.2, steps=40_000, walkers=8, parameters=1, seed=2)
    times = integrated_time(np.concatenate([fast, slow], axis=2))
    np.testing.assert_allclose(times, [1.5, 19.0], rtol=0.15)


def test_integrated_time_matches_the_direct_window_computation():
    chain = ar1_chain(0.7, steps=600, walkers=3, parameters=1, seed=4)
    assert integrated_time(chain)[0] == pytest.approx(reference_time(chain[:, :, 0]), rel=1e-9)


def test_integrated_time_of_a_constant_chain_is_one():
    np.testing.assert_array_equal(integrated_time(np.ones((50, 4, 2))), [1.0, 1.0])


@pytest.mark.parametrize(("rho", "steps", "seed"), [(0.0, 500, 0), (0.6, 2000, 1), (0.9, 3000, 2)])
def test_burn_in_is_three_autocorrelation_times(rho, steps, seed):
    chain = ar1_chain(rho, steps=steps, walkers=4, parameters=1, seed=seed)
    tau = reference_time(chain[:, :, 0])
    assert 3.0 * tau < steps // 2
    assert burn_in_length(chain) == math.ceil(3.0 * tau)


def test_burn_in_uses_the_slowest_parameter():
    fast = ar1_chain(0.1, steps=2000, walkers=4, parameters=1, seed=5)
    slow = ar1_chain(0.8, steps=2000, walkers=4, parameters=1, seed=6)
    chain = np.concatenate([fast, slow], axis=2)
    assert burn_in_length(chain) == math.ceil(3.0 * reference_time(slow[:, :, 0]))


@pytest.mark.parametrize("steps", [4, 5])
def test_burn_in_is_capped_at_half_the_chain(steps):
    # tau >= 1, so 3 tau >= 3 exceeds half of a 4 or 5 step chain: the cap (2 steps) applies.
    chain = np.random.default_rng(steps).normal(size=(steps, 3, 2))
    assert 3.0 * integrated_time(chain).max() > steps // 2
    assert burn_in_length(chain) == 2


@pytest.mark.parametrize("steps", [8, 12, 30])
def test_burn_in_of_short_chains_follows_the_rule(steps):
    chain = np.random.default_rng(steps).normal(size=(steps, 3, 1))
    expected = min(math.ceil(3.0 * reference_time(chain[:, :, 0])), steps // 2)
    assert burn_in_length(chain) == expected


def test_chains_shorter_than_four_steps_have_no_burn_in():
    assert burn_in_length(np.arange(6.0).reshape(3, 2, 1)) == 0
