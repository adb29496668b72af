"""af.BlackJAXNUTS and af.MultiStartAdam: settings and requirements checked before a fit starts
(their posteriors, maxima and resumes are tested in test_conformance.py)."""

from __future__ import annotations

import sys

import pytest

import autofit as af
from autofit.exc import SearchException

pytest.importorskip("jax")
pytest.importorskip("blackjax")
pytest.importorskip("optax")

DATA, NOISE_MAP = af.ex.simulate_data(noise=0.1, seed=1)

SEARCHES = {
    "BlackJAXNUTS": lambda: af.BlackJAXNUTS(num_warmup=10, num_samples=10, name="nuts"),
    "MultiStartAdam": lambda: af.MultiStartAdam(n_starts=2, n_steps=5, name="adam"),
}


@pytest.mark.parametrize("name", SEARCHES)
def test_a_numpy_analysis_is_refused_before_anything_is_written(name, output_path):
    search = SEARCHES[name]()
    with pytest.raises(SearchException, match=rf"af.{name} .*use_jax=True.*has use_jax=False"):
        search.fit(model=af.Model(af.ex.Gaussian), analysis=af.ex.Analysis(DATA, NOISE_MAP))
    assert not output_path.exists() or not any(output_path.rglob("*.json"))


@pytest.mark.parametrize(
    "name, module, extra",
    [("BlackJAXNUTS", "blackjax", "blackjax"), ("MultiStartAdam", "optax", "optax")],
)
def test_a_missing_package_names_its_extra(name, module, extra, monkeypatch):
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(
        ImportError, match=rf"af.{name} needs the '{module}' package.*autofit\[{extra}\]"
    ):
        SEARCHES[name]()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: af.BlackJAXNUTS(target_accept=1.0), r"target_accept must lie strictly between"),
        (lambda: af.BlackJAXNUTS(num_samples=0), r"num_samples must be a whole number >= 1"),
        (lambda: af.MultiStartAdam(learning_rate=0.0), r"learning_rate must be positive"),
        (lambda: af.MultiStartAdam(n_start=4), r"n_starts"),
    ],
)
def test_bad_settings_are_named(make, message):
    with pytest.raises((ValueError, TypeError, SearchException), match=message):
        make()


def test_settings_are_part_of_the_identifier():
    model = af.Model(af.ex.Gaussian)
    assert af.BlackJAXNUTS(num_chains=2).identifier(model) != af.BlackJAXNUTS().identifier(model)
    assert af.MultiStartAdam(n_starts=8).identifier(model) != af.MultiStartAdam().identifier(model)
    assert af.BlackJAXNUTS().dict()["settings"]["num_warmup"] == 500


def test_emcee_batches_of_a_jax_likelihood_give_the_numpy_chain():
    """af.Emcee(vectorize=True) hands each half-ensemble to Fitness.call_batch, which for a JAX
    analysis is one jitted, vmapped call: the chain is the numpy path's."""
    import numpy as np

    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=30.0)
    samples = {
        use_jax: af.Emcee(nwalkers=10, nsteps=40, vectorize=True, seed=1, silence=True)
        .fit(model=model, analysis=af.ex.Analysis(DATA, NOISE_MAP, use_jax=use_jax))
        .samples
        for use_jax in (False, True)
    }
    np.testing.assert_allclose(samples[True].parameters, samples[False].parameters, rtol=1e-9)
    np.testing.assert_allclose(
        samples[True].log_likelihood, samples[False].log_likelihood, rtol=1e-9
    )


def test_a_jax_analysis_is_evaluated_without_forked_workers(monkeypatch):
    """number_of_cores > 1 would fork workers from a process running JAX's threads."""
    import autofit.searches.driver as driver

    def refuse(*args, **kwargs):
        raise AssertionError("a process pool was started for a JAX likelihood")

    monkeypatch.setattr(driver, "FunctionPool", refuse)
    result = af.Drawer(total_draws=20, number_of_cores=2, seed=1, silence=True).fit(
        model=af.Model(af.ex.Gaussian), analysis=af.ex.Analysis(DATA, NOISE_MAP, use_jax=True)
    )
    assert result.samples.total_samples == 20
