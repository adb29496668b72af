"""Tests of af.Emcee: recovery, early stopping, aliases, determinism and the process pool."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af
from test_autofit.searches.conftest import TRUTH

FIXED_LENGTH = af.AutoCorrelationsSettings(check_for_convergence=False)


class ModuleAnalysis(af.ex.Analysis):
    """An analysis class defined in this test module (sent to pool workers with dill) that
    rejects every point with centre > 70."""

    def log_likelihood_function(self, instance) -> float:
        if instance.centre > 70.0:
            raise af.exc.FitException("centre > 70")
        return super().log_likelihood_function(instance)


def emcee(**kwargs) -> af.Emcee:
    settings = {
        "nwalkers": 20,
        "nsteps": 60,
        "auto_correlation_settings": FIXED_LENGTH,
        "seed": 1,
        "silence": True,
    }
    return af.Emcee(**{**settings, **kwargs})


@pytest.fixture(scope="module")
def recovery(data):
    """An Emcee fit of the simulated Gaussian: 30 walkers, 400 steps."""
    search = emcee(nwalkers=30, nsteps=400, seed=1)
    return search.fit(model=af.Model(af.ex.Gaussian), analysis=af.ex.Analysis(*data))


def test_median_within_three_sigma_errors_of_truth(recovery):
    samples = recovery.samples
    lower = np.array(samples.values_at_lower_sigma(3.0, as_instance=False))
    upper = np.array(samples.values_at_upper_sigma(3.0, as_instance=False))
    assert np.all(lower < TRUTH) and np.all(TRUTH < upper)


def test_errors_match_the_fisher_matrix(recovery, exact):
    # The likelihood is nearly Gaussian, so the 1 sigma half-widths of the marginals are the
    # square roots of the diagonal of (J^T J)^-1; ~9000 correlated samples (tau ~ 20 steps)
    # estimate them to a few per cent, and 25% allows for the quantile noise.
    lower = np.array(recovery.samples.errors_at_lower_sigma(1.0, as_instance=False))
    upper = np.array(recovery.samples.errors_at_upper_sigma(1.0, as_instance=False))
    np.testing.assert_allclose(lower, exact.errors, rtol=0.25)
    np.testing.assert_allclose(upper, exact.errors, rtol=0.25)


def test_median_close_to_maximum_likelihood(recovery, exact):
    median = np.array(recovery.samples.median_pdf(as_instance=False))
    assert np.all(np.abs(median - exact.parameters) < 0.5 * exact.errors)


def test_max_likelihood_instance_is_near_the_exact_maximum(recovery, exact):
    assert isinstance(recovery.instance, af.ex.Gaussian)
    assert recovery.log_likelihood <= exact.log_likelihood + 1e-9
    # The best of ~9000 posterior samples lies well within chi^2_3 / 2 of the peak.
    assert recovery.log_likelihood > exact.log_likelihood - 1.5
    assert recovery.samples.samples_info["total_steps"] == 400
    assert recovery.samples.total_samples == 400 * 30


def test_pdf_drops_burn_in_but_keeps_full_chain(recovery):
    samples = recovery.samples
    burn_in = samples.burn_in
    assert 0 < burn_in <= 200
    parameters, weights = samples.pdf()
    assert parameters.shape[0] == (400 - burn_in) * 30
    np.testing.assert_array_equal(parameters, samples.parameters[burn_in * 30 :])
    assert len(samples.parameter_lists) == 400 * 30


def test_early_stopping_stops_before_nsteps(model, analysis):
    settings = af.AutoCorrelationsSettings(
        check_for_convergence=True, check_size=100, required_length=10, change_threshold=0.2
    )
    search = emcee(nsteps=2000, auto_correlation_settings=settings)
    samples = search.fit(model=model, analysis=analysis).samples
    total_steps = samples.samples_info["total_steps"]
    assert total_steps < 2000
    assert total_steps % 100 == 0
    assert samples.total_samples == total_steps * 20
    # It stopped because the chain is longer than required_length autocorrelation times.
    tau = np.array(samples.samples_info["auto_correlation_times"])
    assert np.all(10 * tau < total_steps)


def test_without_convergence_check_runs_all_steps(model, analysis):
    samples = emcee(nsteps=70).fit(model=model, analysis=analysis).samples
    assert samples.samples_info["total_steps"] == 70
    assert samples.total_samples == 70 * 20


def test_auto_correlations_settings_alias():
    settings = af.AutoCorrelationsSettings(check_for_convergence=False, check_size=7)
    search = af.Emcee(auto_correlations_settings=settings)
    assert search.auto_correlation_settings is settings
    assert search.sampler_settings["auto_correlation_settings"]["check_size"] == 7


def test_alias_and_name_together_raise():
    settings = af.AutoCorrelationsSettings()
    with pytest.raises(TypeError, match="auto_correlation_settings"):
        af.Emcee(auto_correlation_settings=settings, auto_correlations_settings=settings)


def test_same_seed_gives_identical_samples(model, analysis):
    first = emcee(seed=11).fit(model=model, analysis=analysis).samples
    second = emcee(seed=11).fit(model=model, analysis=analysis).samples
    np.testing.assert_array_equal(first.parameters, second.parameters)
    np.testing.assert_array_equal(first.log_likelihood, second.log_likelihood)


def test_different_seed_gives_different_samples(model, analysis):
    first = emcee(seed=11).fit(model=model, analysis=analysis).samples
    second = emcee(seed=12).fit(model=model, analysis=analysis).samples
    assert not np.array_equal(first.parameters, second.parameters)


def test_two_cores_give_the_samples_of_one_core(data, output_path):
    model = af.Model(af.ex.Gaussian)
    serial = emcee(seed=5, path_prefix="serial", name="fit").fit(
        model=model, analysis=ModuleAnalysis(*data)
    )
    pooled = emcee(seed=5, path_prefix="pool", name="fit", number_of_cores=2).fit(
        model=model, analysis=ModuleAnalysis(*data)
    )
    np.testing.assert_array_equal(serial.samples.parameters, pooled.samples.parameters)
    np.testing.assert_array_equal(serial.samples.log_likelihood, pooled.samples.log_likelihood)

    def summary(prefix, key):
        (path,) = (output_path / prefix).glob("fit/*/search.summary")
        (line,) = [line for line in path.read_text().splitlines() if line.startswith(key)]
        return int(line.split()[-1])

    # The workers' likelihood calls and rejections are counted in the parent process.
    calls, rejected = "Total Likelihood Calls", "Rejected Points"
    assert summary("serial", calls) == summary("pool", calls)
    assert summary("serial", rejected) == summary("pool", rejected) > 0
    assert np.all(pooled.samples.parameters[:, 0] <= 70.0)
