"""The problem fitted by ``fit_overhead.py``, ``nested_overhead.py`` and ``batch_likelihood.py``.

One simulated 1D Gaussian (``PIXELS`` = 100 points, centre 50, normalization 25, sigma 10, noise
``NOISE`` = 0.1, seed ``SEED`` = 1) with U(0, 100) priors on centre and normalization and
U(0, 30) on sigma, set in code (``BOUNDS``), and the targets both scripts hold ``autofit`` to:
within ``WITHOUT_OUTPUT_TARGET`` (1.3x) of the raw sampler without output and within
``WITH_OUTPUT_TARGET`` (1.5x) with output.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import common  # noqa: F401 - first: puts this checkout on sys.path
import numpy as np

import autofit as af

SEED = 1
PIXELS = 100
NOISE = 0.1
TRUTH = {"centre": 50.0, "normalization": 25.0, "sigma": 10.0}
#: Prior bounds, in the model's parameter order.
BOUNDS = {"centre": (0.0, 100.0), "normalization": (0.0, 100.0), "sigma": (0.0, 30.0)}

WITHOUT_OUTPUT_TARGET = 1.3
WITH_OUTPUT_TARGET = 1.5

SQRT_TWO_PI = math.sqrt(2.0 * math.pi)

#: The log density of the three uniform priors (a constant inside their bounds).
LOG_PRIOR = -sum(math.log(upper - lower) for lower, upper in BOUNDS.values())


def simulate() -> tuple[np.ndarray, np.ndarray]:
    """The data and noise map: one Gaussian at ``TRUTH`` plus Gaussian noise of ``NOISE``."""
    return af.ex.simulate_data([af.ex.Gaussian(**TRUTH)], pixels=PIXELS, noise=NOISE, seed=SEED)


def make_model() -> af.Model:
    """``af.Model(af.ex.Gaussian)`` with the priors of ``BOUNDS``."""
    model = af.Model(af.ex.Gaussian)
    for name, (lower, upper) in BOUNDS.items():
        setattr(model, name, af.UniformPrior(lower_limit=lower, upper_limit=upper))
    return model


class CountingAnalysis(af.ex.Analysis):
    """``af.ex.Analysis`` counting its likelihood calls (used only in the untimed checks)."""

    calls = 0

    def log_likelihood_function(self, instance: Any) -> float:
        CountingAnalysis.calls += 1
        return super().log_likelihood_function(instance)


def make_log_probability(data: np.ndarray, noise_map: np.ndarray) -> Callable[[Any], float]:
    """The hand-written log posterior a user would pass to ``emcee.EnsembleSampler``: the
    uniform priors' bounds checked, then the Gaussian profile and chi-squared in numpy."""
    xvalues = np.arange(data.shape[0], dtype=float)
    (centre_low, centre_high), (norm_low, norm_high), (sigma_low, sigma_high) = BOUNDS.values()

    def log_probability(theta: np.ndarray) -> float:
        centre, normalization, sigma = theta.tolist()
        if not (
            centre_low <= centre <= centre_high
            and norm_low <= normalization <= norm_high
            and sigma_low < sigma <= sigma_high
        ):
            return -math.inf
        offsets = (xvalues - centre) / sigma
        model_data = normalization / (sigma * SQRT_TWO_PI) * np.exp(-0.5 * offsets * offsets)
        residuals = (data - model_data) / noise_map
        return -0.5 * float(np.dot(residuals, residuals)) + LOG_PRIOR

    return log_probability


def starting_points(nwalkers: int) -> np.ndarray:
    """``nwalkers`` starting points: uniform draws from the priors, in the order in which
    ``af.InitializerPrior`` draws them from ``numpy.random.default_rng(SEED)``."""
    rng = np.random.default_rng(SEED)
    scale = np.array([upper - lower for lower, upper in BOUNDS.values()])
    lower = np.array([lower for lower, _ in BOUNDS.values()])
    return np.array([lower + scale * rng.random(len(BOUNDS)) for _ in range(nwalkers)])
