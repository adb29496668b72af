"""The problem fitted by ``fit_overhead.py`` and ``nested_overhead.py``.

One simulated 1D Gaussian (``PIXELS`` = 100 points, centre 50, normalization 25, sigma 10, noise
``NOISE`` = 0.1, seed ``SEED`` = 1) with U(0, 100) priors on centre and normalization and
U(0, 30) on sigma, set in code (``BOUNDS``), and the targets both scripts hold ``autofit`` to:
within ``WITHOUT_OUTPUT_TARGET`` (1.3x) of the raw sampler without output and within
``WITH_OUTPUT_TARGET`` (1.5x) with output.
"""

from __future__ import annotations

import math
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
