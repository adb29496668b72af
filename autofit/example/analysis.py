"""An example analysis: fit 1D profiles (``af.ex.Gaussian``, ``af.ex.Exponential``) to data."""

from __future__ import annotations

from typing import Any

import numpy as np

from autofit.analysis.analysis import Analysis as BaseAnalysis
from autofit.example.model import Gaussian

__all__ = ["Analysis", "simulate_data"]


def _model_data(instance: Any, xvalues: np.ndarray) -> np.ndarray:
    if hasattr(instance, "model_data_from"):
        return instance.model_data_from(xvalues)
    return sum((_model_data(part, xvalues) for part in instance), np.zeros(xvalues.shape))


class Analysis(BaseAnalysis):
    """Chi-squared fit of the summed profiles of an instance to 1D data at x = 0, 1, 2, ...

    Parameters
    ----------
    data
        The data values.
    noise_map
        The standard deviation of the noise of each value.
    """

    def __init__(self, data: np.ndarray, noise_map: np.ndarray) -> None:
        self.data = np.asarray(data, dtype=float)
        self.noise_map = np.asarray(noise_map, dtype=float)
        self.xvalues = np.arange(self.data.shape[0], dtype=float)

    def model_data_from(self, instance: Any) -> np.ndarray:
        """The sum of the instance's profiles at the data's x values."""
        return _model_data(instance, self.xvalues)

    def log_likelihood_function(self, instance: Any) -> float:
        """``-0.5 * chi-squared`` of the data given the instance's profiles."""
        residuals = (self.data - self.model_data_from(instance)) / self.noise_map
        return -0.5 * float(np.dot(residuals, residuals))

    def save_attributes(self, paths: Any) -> None:
        """Save the data and noise map with the fit."""
        paths.save_array("data", self.data)
        paths.save_array("noise_map", self.noise_map)


def simulate_data(
    profiles: list[Any] | None = None,
    pixels: int = 100,
    noise: float = 0.01,
    seed: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Noisy 1D data from summed profiles (one Gaussian at 50 by default).

    Returns
    -------
    (data, noise_map)
    """
    profiles = profiles or [Gaussian(centre=50.0, normalization=25.0, sigma=10.0)]
    xvalues = np.arange(pixels, dtype=float)
    signal = sum((profile.model_data_from(xvalues) for profile in profiles), np.zeros(pixels))
    rng = np.random.default_rng(seed)
    return signal + rng.normal(0.0, noise, pixels), np.full(pixels, noise)
