"""MCMC samples: chain layout, burn-in removed from the PDF and its override (samples/mcmc.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autofit as af
from autofit.samples.autocorrelation import burn_in_length, integrated_time

CENTRE = np.array([50.0, 2.0, 5.0])
STEPS, WALKERS, FAR_STEPS = 400, 10, 120


def far_start_chain(seed: int = 0) -> np.ndarray:
    """White noise around CENTRE whose first FAR_STEPS steps sit 1000 higher."""
    chain = np.random.default_rng(seed).normal(size=(STEPS, WALKERS, 3)) + CENTRE
    chain[:FAR_STEPS] += 1000.0
    return chain


def ar1_chain(rho: float, steps: int, walkers: int, parameters: int, seed: int) -> np.ndarray:
    """A stationary AR(1) chain ``x_t = rho x_{t-1} + e_t``, shaped (steps, walkers, parameters)."""
    noise = np.random.default_rng(seed).normal(size=(steps, walkers, parameters))
    chain = np.empty_like(noise)
    chain[0] = noise[0] / math.sqrt(1.0 - rho**2)
    for step in range(1, steps):
        chain[step] = rho * chain[step - 1] + noise[step]
    return chain


def mcmc_samples(chain: np.ndarray, **info) -> af.SamplesMCMC:
    steps, walkers, count = chain.shape
    parameters = chain.reshape(steps * walkers, count)  # all walkers of step 0 first
    total = parameters.shape[0]
    return af.SamplesMCMC(
        af.Model(af.ex.Gaussian),
        parameters,
        np.zeros(total),
        np.zeros(total),
        samples_info={"nwalkers": walkers, **info},
    )


def test_kind_and_walkers():
    samples = mcmc_samples(far_start_chain())
    assert samples.kind == "mcmc"
    assert samples.samples_info["kind"] == "mcmc"
    assert samples.nwalkers == WALKERS


def test_chain_is_stored_step_by_step():
    chain = far_start_chain()
    samples = mcmc_samples(chain)
    np.testing.assert_array_equal(samples.chain, chain)
    assert samples.parameter_lists[WALKERS + 3] == chain[1, 3].tolist()


def test_auto_correlation_times_and_burn_in_come_from_the_chain():
    chain = far_start_chain()
    samples = mcmc_samples(chain)
    np.testing.assert_allclose(samples.auto_correlation_times, integrated_time(chain))
    assert samples.burn_in == burn_in_length(chain)
    assert samples.burn_in == min(math.ceil(3.0 * integrated_time(chain).max()), STEPS // 2)


def test_pdf_drops_the_far_away_burn_in():
    samples = mcmc_samples(far_start_chain())
    assert FAR_STEPS <= samples.burn_in <= STEPS // 2
    assert samples.median_pdf(as_instance=False) == pytest.approx(CENTRE, abs=0.1)
    # Were the first 30% of the chain kept, the 84% quantile would sit near 1000 + CENTRE.
    assert samples.values_at_upper_sigma(1.0, as_instance=False) == pytest.approx(
        CENTRE + 1.0, abs=0.15
    )
    assert samples.values_at_lower_sigma(1.0, as_instance=False) == pytest.approx(
        CENTRE - 1.0, abs=0.15
    )
    np.testing.assert_allclose(samples.covariance_matrix(), np.eye(3), atol=0.1)


def test_parameter_lists_keep_the_full_chain():
    chain = far_start_chain()
    samples = mcmc_samples(chain)
    assert samples.total_samples == STEPS * WALKERS
    assert len(samples.parameter_lists) == STEPS * WALKERS
    assert samples.parameter_lists[0] == chain[0, 0].tolist()
    assert len(samples.weight_list) == STEPS * WALKERS


def test_random_draws_come_from_after_the_burn_in():
    samples = mcmc_samples(far_start_chain())
    rng = np.random.default_rng(0)
    draws = np.array(
        [samples.draw_randomly_via_pdf(as_instance=False, rng=rng) for _ in range(300)]
    )
    assert np.all(np.abs(draws - CENTRE) < 10.0)


def test_samples_info_burn_in_overrides_the_rule():
    chain = far_start_chain()
    everything = mcmc_samples(chain, burn_in=0)
    assert everything.burn_in == 0
    # 30% of the samples are 1000 higher: the 84% quantile lies among them.
    assert everything.values_at_upper_sigma(1.0, as_instance=False)[0] > 900.0
    exact = mcmc_samples(chain, burn_in=FAR_STEPS)
    assert exact.burn_in == FAR_STEPS
    expected = np.median(chain[FAR_STEPS:].reshape(-1, 3), axis=0)
    assert exact.median_pdf(as_instance=False) == pytest.approx(expected, abs=0.01)


def test_median_pdf_after_an_explicit_burn_in_uses_only_the_kept_steps():
    # Two walkers, six steps of one value each; burn-in of 2 steps keeps steps 2..5.
    chain = np.zeros((6, 2, 3))
    chain[:, :, 0] = np.array([100.0, 90.0, 1.0, 2.0, 3.0, 4.0])[:, None]
    chain[:, :, 1:] = 1.0
    samples = mcmc_samples(chain, burn_in=2)
    kept = samples.pdf()[0][:, 0]
    np.testing.assert_array_equal(np.sort(kept), [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0])
    assert samples.values_at_upper_sigma(1.0, as_instance=False)[0] <= 4.0
    assert samples.values_at_lower_sigma(1.0, as_instance=False)[0] >= 1.0


def test_ar1_chain_autocorrelation_through_samples():
    rho = 0.8
    chain = ar1_chain(rho, steps=20_000, walkers=6, parameters=3, seed=9) + CENTRE
    samples = mcmc_samples(chain)
    np.testing.assert_allclose(samples.auto_correlation_times, [9.0, 9.0, 9.0], rtol=0.15)
    assert samples.burn_in == math.ceil(3.0 * samples.auto_correlation_times.max())


def test_with_paths_keeps_the_burn_in_and_type():
    samples = mcmc_samples(far_start_chain())
    subset = samples.with_paths(["centre"])
    assert type(subset) is af.SamplesMCMC
    assert subset.burn_in == samples.burn_in
    assert subset.median_pdf(as_instance=False) == pytest.approx([CENTRE[0]], abs=0.1)
    assert subset.total_samples == STEPS * WALKERS


def test_summary_of_mcmc_samples_uses_the_pdf_after_burn_in():
    samples = mcmc_samples(far_start_chain())
    summary = samples.summary()
    assert summary.median_pdf(as_instance=False) == pytest.approx(CENTRE, abs=0.1)
