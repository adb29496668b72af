"""Gaussian priors: plain, truncated to limits, and Gaussian in the logarithm."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy.special import log_ndtr, ndtr, ndtri

from autofit.exc import PriorException
from autofit.priors.abstract import Prior
from autofit.priors.width_modifier import WidthModifier

__all__ = ["GaussianPrior", "TruncatedGaussianPrior", "LogGaussianPrior"]

INF = math.inf
LOG_SQRT_TWO_PI = 0.5 * math.log(2.0 * math.pi)


def _check_mean_sigma(prior_name: str, mean: float, sigma: float) -> None:
    if not math.isfinite(mean):
        raise PriorException(f"{prior_name}: mean must be finite, got mean={mean!r}")
    if not sigma > 0.0 or not math.isfinite(sigma):
        raise PriorException(
            f"{prior_name}: sigma must be a positive finite number, got sigma={sigma!r}"
        )


def _tail_probabilities(lower_z: np.ndarray, upper_z: np.ndarray) -> tuple[np.ndarray, ...]:
    """CDF values of the truncation points, reflected into the lower tail when both are positive.

    Working in the lower tail keeps precision when the truncation lies far above the mean.
    """
    flip = lower_z > 0.0
    low = np.where(flip, -upper_z, lower_z)
    high = np.where(flip, -lower_z, upper_z)
    return flip, ndtr(low), ndtr(high)


def truncated_value_for(unit, mean, sigma, lower, upper):
    """Inverse CDF of a normal distribution truncated to ``[lower, upper]`` (vectorised)."""
    lower_z = (lower - mean) / sigma
    upper_z = (upper - mean) / sigma
    flip, p_low, p_high = _tail_probabilities(lower_z, upper_z)
    unit = np.where(flip, 1.0 - unit, unit)
    z = ndtri(p_low + unit * (p_high - p_low))
    z = np.where(flip, -z, z)
    return np.clip(mean + sigma * z, lower, upper)


def truncated_unit_value_for(value, mean, sigma, lower, upper):
    """CDF of a normal distribution truncated to ``[lower, upper]`` (vectorised)."""
    lower_z = (lower - mean) / sigma
    upper_z = (upper - mean) / sigma
    z = (np.clip(value, lower, upper) - mean) / sigma
    flip, p_low, p_high = _tail_probabilities(lower_z, upper_z)
    unit = (ndtr(np.where(flip, -z, z)) - p_low) / (p_high - p_low)
    return np.where(flip, 1.0 - unit, unit)


def truncated_log_prior(value, mean, sigma, lower, upper):
    """Log density of a normal distribution truncated to ``[lower, upper]`` (vectorised)."""
    lower_z = (lower - mean) / sigma
    upper_z = (upper - mean) / sigma
    flip = lower_z > 0.0
    low = np.where(flip, -upper_z, lower_z)
    high = np.where(flip, -lower_z, upper_z)
    log_high = log_ndtr(high)
    with np.errstate(divide="ignore"):
        log_mass = log_high + np.log1p(-np.exp(log_ndtr(low) - log_high))
    z = (value - mean) / sigma
    density = -0.5 * z * z - LOG_SQRT_TWO_PI - np.log(sigma) - log_mass
    inside = (value >= lower) & (value <= upper)
    return np.where(inside, density, -np.inf)


class GaussianPrior(Prior):
    """A normal distribution, truncated to ``[lower_limit, upper_limit]`` when they are finite.

    Parameters
    ----------
    mean, sigma
        Centre and standard deviation (before truncation), ``sigma > 0``.
    lower_limit, upper_limit
        Truncation points; the default infinite limits give an untruncated Gaussian.
    width_modifier, limits
        See :class:`~autofit.priors.abstract.Prior`.

    Raises
    ------
    PriorException
        If ``sigma <= 0``, the mean is not finite or ``lower_limit >= upper_limit``.
    """

    type_name = "Gaussian"
    argument_names = ("mean", "sigma", "lower_limit", "upper_limit")

    def __init__(
        self,
        mean: float = 0.0,
        sigma: float = 1.0,
        lower_limit: float = -INF,
        upper_limit: float = INF,
        width_modifier: WidthModifier | dict | None = None,
        limits: tuple[float, float] | None = None,
    ) -> None:
        self.mean = float(mean)
        self.sigma = float(sigma)
        _check_mean_sigma(type(self).__name__, self.mean, self.sigma)
        super().__init__(lower_limit, upper_limit, width_modifier, limits)

    @property
    def is_truncated(self) -> bool:
        """Whether either limit is finite."""
        return math.isfinite(self.lower_limit) or math.isfinite(self.upper_limit)

    batch_value_for = staticmethod(truncated_value_for)
    batch_unit_value_for = staticmethod(truncated_unit_value_for)
    batch_log_prior = staticmethod(truncated_log_prior)

    def scalar_source(self, unit: str, constant: Callable[[object], str]) -> str:
        if self.is_truncated:
            return super().scalar_source(unit, constant)
        return f"{constant(self.mean)} + {constant(self.sigma)} * _ndtri({unit})"

    def __str__(self) -> str:
        if self.is_truncated or type(self) is not GaussianPrior:
            return super().__str__()
        return f"GaussianPrior, mean = {self.mean!r}, sigma = {self.sigma!r}"

    def dict(self) -> dict:
        entry = super().dict()
        if not self.is_truncated and type(self) is GaussianPrior:
            del entry["lower_limit"], entry["upper_limit"]
        return entry


class TruncatedGaussianPrior(GaussianPrior):
    """A normal distribution truncated to ``[lower_limit, upper_limit]``.

    The same distribution as :class:`GaussianPrior` with finite limits, under its own name.
    """

    type_name = "TruncatedGaussian"


class LogGaussianPrior(Prior):
    """A distribution whose natural logarithm is normal: ``log(x) ~ N(mean, sigma)``.

    Parameters
    ----------
    mean, sigma
        Mean and standard deviation of ``log(x)``, ``sigma > 0``.
    lower_limit, upper_limit
        The support, ``[0, inf)`` by default.
    width_modifier, limits
        See :class:`~autofit.priors.abstract.Prior`.

    Raises
    ------
    PriorException
        If ``sigma <= 0`` or the mean is not finite.
    """

    type_name = "LogGaussian"
    argument_names = ("mean", "sigma")

    def __init__(
        self,
        mean: float = 0.0,
        sigma: float = 1.0,
        lower_limit: float = 0.0,
        upper_limit: float = INF,
        width_modifier: WidthModifier | dict | None = None,
        limits: tuple[float, float] | None = None,
    ) -> None:
        self.mean = float(mean)
        self.sigma = float(sigma)
        _check_mean_sigma("LogGaussianPrior", self.mean, self.sigma)
        super().__init__(lower_limit, upper_limit, width_modifier, limits)

    @staticmethod
    def batch_value_for(unit: np.ndarray, mean: float, sigma: float) -> np.ndarray:
        return np.exp(mean + sigma * ndtri(unit))

    @staticmethod
    def batch_unit_value_for(value: np.ndarray, mean: float, sigma: float) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return ndtr((np.log(value) - mean) / sigma)

    @staticmethod
    def batch_log_prior(value: np.ndarray, mean: float, sigma: float) -> np.ndarray:
        positive = value > 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            log_value = np.log(np.where(positive, value, 1.0))
            z = (log_value - mean) / sigma
            density = -0.5 * z * z - LOG_SQRT_TWO_PI - np.log(sigma) - log_value
        return np.where(positive, density, -np.inf)

    def scalar_source(self, unit: str, constant: Callable[[object], str]) -> str:
        return f"_exp({constant(self.mean)} + {constant(self.sigma)} * _ndtri({unit}))"
