"""Samples of each kind built from arrays, and isolation from the user's configuration."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import autofit as af

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PDF_MAGIC = b"%PDF"
#: The Gaussian posterior the samples are drawn around: (centre, normalization, sigma).
MEAN = np.array([50.0, 25.0, 10.0])
STANDARD_DEVIATION = np.array([1.0, 2.0, 0.5])
WALKERS, STEPS = 30, 500
BURN_IN = 100


def log_likelihood(parameters: np.ndarray) -> np.ndarray:
    """The log of the Gaussian posterior at each row (up to a constant)."""
    return -0.5 * np.sum(((parameters - MEAN) / STANDARD_DEVIATION) ** 2, axis=1)


def mcmc_samples(walkers: int = WALKERS, steps: int = STEPS, seed: int = 1) -> af.SamplesMCMC:
    """Walkers starting spread over the prior and converging on MEAN by step 60, with the
    burn-in fixed at BURN_IN steps."""
    rng = np.random.default_rng(seed)
    start = rng.uniform([0.0, 0.0, 0.0], [100.0, 100.0, 25.0], (walkers, 3))
    fraction = np.minimum(np.arange(steps) / 60.0, 1.0)[:, None, None]
    chain = start * (1.0 - fraction) + fraction * MEAN
    chain = chain + rng.normal(size=(steps, walkers, 3)) * STANDARD_DEVIATION
    parameters = chain.reshape(steps * walkers, 3)
    return af.SamplesMCMC(
        af.Model(af.ex.Gaussian),
        parameters,
        log_likelihood(parameters),
        np.zeros(steps * walkers),
        samples_info={"nwalkers": walkers, "burn_in": BURN_IN},
    )


def nest_samples(count: int = 3000, seed: int = 2) -> af.SamplesNest:
    """Points drawn from a Gaussian three times wider than the posterior, importance weighted
    to it and sorted by log likelihood like dead points."""
    rng = np.random.default_rng(seed)
    parameters = rng.normal(MEAN, 3.0 * STANDARD_DEVIATION, (count, 3))
    proposal = -0.5 * np.sum(((parameters - MEAN) / (3.0 * STANDARD_DEVIATION)) ** 2, axis=1)
    values = log_likelihood(parameters)
    order = np.argsort(values)
    weights = np.exp(values - proposal)[order]
    return af.SamplesNest(
        af.Model(af.ex.Gaussian),
        parameters[order],
        values[order],
        np.zeros(count),
        weights=weights,
        samples_info={"log_evidence": -3.0, "log_evidence_error": 0.1},
    )


def optimizer_samples(count: int = 200, seed: int = 3) -> af.SamplesOptimizer:
    """Evaluations closing in on MEAN."""
    rng = np.random.default_rng(seed)
    shrink = np.cumprod(np.full(count, 0.97))[:, None]
    parameters = MEAN + shrink * rng.normal(0.0, 5.0, (count, 3))
    return af.SamplesOptimizer(
        af.Model(af.ex.Gaussian), parameters, log_likelihood(parameters), np.zeros(count)
    )


SAMPLES = {
    "mcmc": lambda: mcmc_samples(walkers=10, steps=200),
    "nest": nest_samples,
    "optimizer": optimizer_samples,
}


def is_png(path: Path) -> bool:
    """Whether ``path`` is a file starting with the PNG signature."""
    return path.is_file() and path.read_bytes()[:8] == PNG_MAGIC


@pytest.fixture(params=sorted(SAMPLES))
def any_samples(request):
    """Samples of each kind in turn."""
    return SAMPLES[request.param]()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An empty working directory, no configuration or visualisation variables, and no pyplot
    figure left open."""
    working = tmp_path / "working"
    working.mkdir()
    monkeypatch.chdir(working)
    monkeypatch.delenv(af.conf.CONFIG_PATH_VARIABLE, raising=False)
    monkeypatch.delenv("AUTOFIT_SKIP_VISUALIZATION", raising=False)
    af.conf.instance.reset()
    yield
    af.conf.instance.reset()
    import matplotlib.pyplot as plt

    plt.close("all")
