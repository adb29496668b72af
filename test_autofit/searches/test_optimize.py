"""Tests of af.LBFGS and af.BFGS: the maximum-likelihood point of the simulated Gaussian."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af
from autofit.searches.optimize import OptimizerWarning
from test_autofit.searches.analyses import (
    CountingAnalysis,
    Float32Likelihood,
    RejectBelowSigma,
    RejectsAfter,
)
from test_autofit.searches.conftest import TRUTH


class RejectBelowSigmaCounting(CountingAnalysis):
    """Counts calls; rejects sigma < 9.9, next to the maximum at sigma ~ 9.77."""

    def log_likelihood_function(self, instance) -> float:
        value = super().log_likelihood_function(instance)
        if instance.sigma < 9.9:
            raise af.exc.FitException("sigma < 9.9")
        return value


OPTIMIZERS = {"lbfgs": af.LBFGS, "bfgs": af.BFGS}


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("search", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_finds_the_maximum_likelihood(search, seed, model, analysis, exact):
    result = search(seed=seed, silence=True).fit(model=model, analysis=analysis)
    best = np.array(result.samples.max_log_likelihood(as_instance=False))
    # The exact maximum comes from scipy least squares on the same data; a converged optimiser
    # lands within a small fraction of the statistical error (the Fisher sigma) of it.
    np.testing.assert_array_less(np.abs(best - exact.parameters), 0.01 * exact.errors)
    assert result.log_likelihood == pytest.approx(exact.log_likelihood, abs=1e-4)
    assert result.log_likelihood <= exact.log_likelihood + 1e-9
    # ... and within a few sigma of the parameters the data were simulated from.
    np.testing.assert_array_less(np.abs(best - TRUTH), 4.0 * exact.errors)
    assert isinstance(result.instance, af.ex.Gaussian)
    assert result.instance.centre == best[0]


@pytest.mark.parametrize("search", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_small_update_blocks_still_converge(search, model, analysis, exact, output_path):
    result = search(seed=1, silence=True, name="blocks", iterations_per_update=10).fit(
        model=model, analysis=analysis
    )
    best = np.array(result.samples.max_log_likelihood(as_instance=False))
    np.testing.assert_array_less(np.abs(best - exact.parameters), 0.01 * exact.errors)
    (checkpoint,) = output_path.glob("blocks/*/files/search_internal/optimizer.npz")
    with np.load(checkpoint, allow_pickle=False) as saved:
        assert bool(saved["done"])
        np.testing.assert_array_equal(saved["points"], result.samples.parameters)


@pytest.mark.parametrize("search", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_samples_are_the_evaluated_points_and_the_pdf_is_the_best(search, model, data):
    analysis = CountingAnalysis(*data)
    samples = search(seed=1, silence=True).fit(model=model, analysis=analysis).samples
    assert isinstance(samples, af.SamplesOptimizer)
    # Every accepted point the optimiser evaluated, after the initializer's 20 draws.
    assert samples.total_samples == analysis.calls - 20
    np.testing.assert_allclose(samples.parameters, np.array(analysis.points[20:]), rtol=1e-12)
    np.testing.assert_array_equal(
        samples.median_pdf(as_instance=False), samples.max_log_likelihood(as_instance=False)
    )
    np.testing.assert_array_equal(samples.errors_at_upper_sigma(3.0, as_instance=False), 0.0)


def test_maxiter_limits_the_iterations(model, analysis, exact):
    result = af.LBFGS(maxiter=2, seed=1, silence=True).fit(model=model, analysis=analysis)
    assert result.samples.samples_info["iterations"] <= 2
    assert result.log_likelihood < exact.log_likelihood - 1e-3


@pytest.mark.parametrize("analysis_class", [CountingAnalysis, RejectBelowSigmaCounting])
def test_maxfun_limits_the_likelihood_calls(model, data, analysis_class):
    # The optimiser computes its own finite differences (n + 1 likelihood calls per evaluation
    # scipy counts); maxfun still bounds the likelihood calls, give or take one gradient, and a
    # run stopped by it is not restarted after rejections.
    analysis = analysis_class(*data)
    af.LBFGS(maxfun=40, seed=1, silence=True).fit(model=model, analysis=analysis)
    assert 20 + 36 <= analysis.calls <= 20 + 40 + 4 * 2


def test_optimizer_settings_are_recorded():
    lbfgs = af.LBFGS(tol=1e-3, maxcor=5, ftol=1e-7, gtol=1e-4, eps=1e-7, maxfun=100, maxiter=50)
    assert lbfgs.sampler_settings == {
        "method": "L-BFGS-B",
        "tol": 1e-3,
        "maxiter": 50,
        "maxcor": 5,
        "ftol": 1e-7,
        "gtol": 1e-4,
        "eps": 1e-7,
        "maxfun": 100,
        "maxls": 20,
    }
    bfgs = af.BFGS(gtol=1e-3, maxiter=10)
    assert bfgs.sampler_settings["method"] == "BFGS"
    assert bfgs.sampler_settings["gtol"] == 1e-3
    assert bfgs.sampler_settings["maxiter"] == 10


@pytest.mark.parametrize("search", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_a_rejected_region_does_not_stop_the_optimiser_early(search, model, data, exact):
    # sigma < 1 is rejected (FitException) far from the maximum at sigma ~ 10. With a penalty of
    # 1e99 for rejected points, L-BFGS-B stopped at its first rejection ("converged") in half of
    # these seeds.
    analysis = RejectBelowSigma(*data, limit=1.0)
    for seed in range(10):
        result = search(seed=seed, silence=True).fit(model=model, analysis=analysis)
        best = np.array(result.samples.max_log_likelihood(as_instance=False))
        assert result.log_likelihood == pytest.approx(exact.log_likelihood, abs=1e-3), seed
        np.testing.assert_array_less(np.abs(best - exact.parameters), 0.05 * exact.errors)


@pytest.mark.parametrize("search", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_a_float32_likelihood_gets_a_step_it_can_resolve(search, model, data, exact):
    # With scipy's step of 1e-8 the finite differences of a float32 likelihood are zero and the
    # optimiser stopped at its start point; a step of sqrt(float32 precision) resolves them.
    for seed in range(5):
        result = search(seed=seed, silence=True).fit(model=model, analysis=Float32Likelihood(*data))
        best = np.array(result.samples.max_log_likelihood(as_instance=False))
        # float32 resolves the log likelihood to about 1e-5 here: within 0.05 of the maximum,
        # and within a fifth of the statistical error of the exact parameters.
        assert result.log_likelihood == pytest.approx(exact.log_likelihood, abs=0.05), seed
        np.testing.assert_array_less(np.abs(best - exact.parameters), 0.2 * exact.errors)
    assert result.search_internal.step == pytest.approx(np.sqrt(np.finfo(np.float32).eps))


def test_a_given_step_too_small_for_the_likelihood_warns(model, data):
    with pytest.warns(OptimizerWarning, match=r"stopped at its start point.*eps=1e-10"):
        result = af.LBFGS(seed=1, eps=1e-10, silence=True).fit(
            model=model, analysis=Float32Likelihood(*data)
        )
    assert result.search_internal.step == 1e-10


@pytest.mark.parametrize("search", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_stopping_on_a_rejected_point_warns(search, model, data):
    # The 20 initial points and 5 more are accepted, then every point is rejected.
    analysis = RejectsAfter(*data, accepted=25)
    with pytest.warns(OptimizerWarning, match="stopped at a point the analysis rejects"):
        result = search(seed=1, silence=True).fit(model=model, analysis=analysis)
    assert result.samples.total_samples == 5
    assert np.isfinite(result.log_likelihood)


@pytest.mark.parametrize("search", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_a_jax_likelihood_gives_its_gradient(search, model, data, exact):
    """With use_jax=True the optimiser gets JAX's exact gradient: the same maximum, one
    likelihood evaluation per point instead of one per parameter and one more."""
    pytest.importorskip("jax")
    results = {}
    for use_jax in (False, True):
        analysis = af.ex.Analysis(*data, use_jax=use_jax)
        results[use_jax] = search(seed=1, silence=True, name=f"jax_{use_jax}").fit(
            model=model, analysis=analysis
        )
    numeric, exact_gradient = results[False], results[True]
    assert numeric.samples.samples_info["gradient"] == "finite differences"
    assert exact_gradient.samples.samples_info["gradient"] == "jax"
    best = np.array(exact_gradient.samples.max_log_likelihood(as_instance=False))
    np.testing.assert_array_less(np.abs(best - exact.parameters), 0.01 * exact.errors)
    assert exact_gradient.log_likelihood == pytest.approx(exact.log_likelihood, abs=1e-4)
    # Calls recorded in the summary: the starts plus the optimiser's evaluations.
    calls = {
        use_jax: int(
            next(
                line.split()[-1]
                for line in (result.paths.output_path / "search.summary").read_text().splitlines()
                if line.startswith("Total Likelihood Calls")
            )
        )
        for use_jax, result in results.items()
    }
    assert calls[True] < calls[False] - 30
