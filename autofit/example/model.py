"""Example model components used in the documentation, examples and tests."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autofit.exc import FitException

__all__ = ["Gaussian", "Exponential"]

_minimum = np.minimum.reduce
_SQRT_TWO_PI = math.sqrt(2.0 * math.pi)


class Gaussian:
    """A one-dimensional Gaussian profile.

    Parameters
    ----------
    centre
        Position of the peak on the x axis.
    normalization
        Total area under the profile.
    sigma
        Standard deviation (width) of the profile.
    """

    def __init__(
        self, centre: float = 30.0, normalization: float = 1.0, sigma: float = 5.0
    ) -> None:
        self.centre = centre
        self.normalization = normalization
        self.sigma = sigma

    def model_data_from(self, xvalues: np.ndarray, xp: Any = np) -> np.ndarray:
        """The profile evaluated at ``xvalues``.

        Parameters
        ----------
        xvalues
            Where to evaluate the profile.
        xp
            The array module: numpy, or ``jax.numpy`` for a likelihood traced with JAX (then
            a profile with ``sigma <= 0`` gives NaN or infinite values, which reject the point).

        Raises
        ------
        FitException
            With numpy, if ``sigma`` is not positive (the profile is undefined there).
        """
        if xp is np and not self.sigma > 0.0:
            raise FitException(f"Gaussian sigma must be positive, got {self.sigma}")
        offsets = (xp.asarray(xvalues, dtype=float) - self.centre) / self.sigma
        return (
            self.normalization
            / (self.sigma * math.sqrt(2.0 * math.pi))
            * xp.exp(-0.5 * offsets * offsets)
        )

    def model_data_batch_from(self, xvalues: np.ndarray) -> np.ndarray:
        """The profiles of a batch instance (``centre``, ``normalization`` and ``sigma`` arrays
        of shape ``(n,)``) at ``xvalues``: an array of shape ``(n, len(xvalues))``.

        Rows whose ``sigma`` is not positive are NaN (the one-profile method rejects them).
        """
        centre = np.asarray(self.centre, dtype=float)[..., None]
        normalization = np.asarray(self.normalization, dtype=float)[..., None]
        sigma = np.asarray(self.sigma, dtype=float)[..., None]
        # The ufunc's own reduction: sigma.min() goes through a Python wrapper first.
        if _minimum(sigma, axis=None) > 0.0:
            return self._batch_values(xvalues, centre, normalization, sigma)
        with np.errstate(all="ignore"):
            values = self._batch_values(xvalues, centre, normalization, sigma)
        values[~(sigma[..., 0] > 0.0)] = np.nan
        return values

    @staticmethod
    def _batch_values(
        xvalues: np.ndarray, centre: np.ndarray, normalization: np.ndarray, sigma: np.ndarray
    ) -> np.ndarray:
        # normalization / (sigma sqrt(2 pi)) * exp(-(x - centre)^2 / (2 sigma^2)), in place on
        # one (n, pixels) array.
        values = np.subtract(xvalues, centre)
        np.square(values, out=values)
        values *= -0.5 / (sigma * sigma)
        np.exp(values, out=values)
        values *= normalization / (sigma * _SQRT_TWO_PI)
        return values

    @property
    def fwhm(self) -> float:
        """Full width at half maximum, ``2 sqrt(2 ln 2) sigma``."""
        return 2.0 * math.sqrt(2.0 * math.log(2.0)) * self.sigma

    def __repr__(self) -> str:
        return (
            f"Gaussian(centre={self.centre!r}, normalization={self.normalization!r}, "
            f"sigma={self.sigma!r})"
        )


class Exponential:
    """A one-dimensional symmetric exponential profile, ``N * rate * exp(-rate * |x - centre|)``.

    Parameters
    ----------
    centre
        Position of the peak on the x axis.
    normalization
        Overall scale of the profile.
    rate
        Decay rate away from the centre.
    """

    def __init__(
        self, centre: float = 30.0, normalization: float = 1.0, rate: float = 0.01
    ) -> None:
        self.centre = centre
        self.normalization = normalization
        self.rate = rate

    def model_data_from(self, xvalues: np.ndarray, xp: Any = np) -> np.ndarray:
        """The profile evaluated at ``xvalues`` (``xp``: numpy, or ``jax.numpy`` for a
        likelihood traced with JAX)."""
        distance = xp.abs(xp.asarray(xvalues, dtype=float) - self.centre)
        return self.normalization * self.rate * xp.exp(-self.rate * distance)

    def model_data_batch_from(self, xvalues: np.ndarray) -> np.ndarray:
        """The profiles of a batch instance (attributes arrays of shape ``(n,)``) at
        ``xvalues``: an array of shape ``(n, len(xvalues))``."""
        centre, normalization, rate = (
            np.asarray(value, dtype=float)[..., None]
            for value in (self.centre, self.normalization, self.rate)
        )
        distance = np.abs(np.asarray(xvalues, dtype=float) - centre)
        return normalization * rate * np.exp(-rate * distance)

    def __repr__(self) -> str:
        return (
            f"Exponential(centre={self.centre!r}, normalization={self.normalization!r}, "
            f"rate={self.rate!r})"
        )
