"""Gaussian priors: plain, truncated to limits, and Gaussian in the logarithm."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from autofit.exc import PriorException
from autofit.priors import special
from autofit.priors.abstract import Prior
from autofit.priors.scalar import clamped_source
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


def _tails(lower_z, upper_z):
    """Lower-tail CDFs and upper-tail survival values of the truncation points, and the mass
    between them computed in whichever tail keeps precision."""
    p_low, p_high = special.ndtr(lower_z), special.ndtr(upper_z)
    s_low, s_high = special.ndtr(-lower_z), special.ndtr(-upper_z)
    mass = np.where(lower_z > 0.0, s_low - s_high, p_high - p_low)
    return p_low, s_high, mass


def truncated_value_for(unit, mean, sigma, lower, upper):
    """Inverse CDF of a normal distribution truncated to ``[lower, upper]`` (vectorised).

    Below the median the lower-tail CDF is inverted, above it the upper-tail survival
    function, so values far in either tail keep full precision.
    """
    lower_z = (lower - mean) / sigma
    upper_z = (upper - mean) / sigma
    p_low, s_high, mass = _tails(lower_z, upper_z)
    p = p_low + unit * mass
    survival = s_high + (1.0 - unit) * mass
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(
            p < 0.5,
            special.ndtri(np.clip(p, 0.0, 1.0)),
            -special.ndtri(np.clip(survival, 0.0, 1.0)),
        )
    return np.clip(mean + sigma * z, lower, upper)


def truncated_unit_value_for(value, mean, sigma, lower, upper):
    """CDF of a normal distribution truncated to ``[lower, upper]`` (vectorised)."""
    lower_z = (lower - mean) / sigma
    upper_z = (upper - mean) / sigma
    z = (np.clip(value, lower, upper) - mean) / sigma
    p_low, s_high, mass = _tails(lower_z, upper_z)
    unit = np.where(
        z > 0.0, 1.0 - (special.ndtr(-z) - s_high) / mass, (special.ndtr(z) - p_low) / mass
    )
    return np.clip(unit, 0.0, 1.0)


def log_truncated_mass(mean, sigma, lower, upper):
    """Log of the probability mass of a normal distribution inside ``[lower, upper]``."""
    lower_z = (lower - mean) / sigma
    upper_z = (upper - mean) / sigma
    flip = lower_z > 0.0
    low = np.where(flip, -upper_z, lower_z)
    high = np.where(flip, -lower_z, upper_z)
    log_high = special.log_ndtr(high)
    with np.errstate(divide="ignore"):
        return log_high + np.log1p(-np.exp(special.log_ndtr(low) - log_high))


def truncated_log_prior(value, mean, sigma, lower, upper):
    """Log density of a normal distribution truncated to ``[lower, upper]`` (vectorised)."""
    z = (value - mean) / sigma
    log_mass = log_truncated_mass(mean, sigma, lower, upper)
    density = -0.5 * z * z - LOG_SQRT_TWO_PI - np.log(sigma) - log_mass
    inside = (value >= lower) & (value <= upper)
    return np.where(inside, density, -np.inf)


def truncated_z_source(
    unit: str,
    mean: float,
    sigma: float,
    lower: float,
    upper: float,
    constant: Callable[[object], str],
) -> str:
    """Source of the standard-normal quantile of a truncated normal at the unit value ``unit``,
    inverting the lower tail below the median and the upper tail above it."""
    p_low, s_high, mass = (
        float(value) for value in _tails((lower - mean) / sigma, (upper - mean) / sigma)
    )
    low, high, width = constant(p_low), constant(s_high), constant(mass)
    # Both tails strictly inside (0, 1): call the C inverse CDF directly; an infinite limit
    # puts 0 at one end, which the guarded ``_ndtri`` maps to an infinite value.
    lower_tail = "_icdf(_p, 0.0, 1.0)" if p_low > 0.0 else "_ndtri(_p)"
    upper_argument = f"{high} + {width} * (1.0 - {unit})"
    upper_tail = (
        f"-_icdf({upper_argument}, 0.0, 1.0)" if s_high > 0.0 else f"-_ndtri({upper_argument})"
    )
    return f"({lower_tail} if (_p := {low} + {width} * {unit}) < 0.5 else {upper_tail})"


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

    @property
    def scalar_source_is_clamped(self) -> bool:
        return self.is_truncated

    batch_value_for = staticmethod(truncated_value_for)
    batch_unit_value_for = staticmethod(truncated_unit_value_for)
    batch_log_prior = staticmethod(truncated_log_prior)

    def scalar_source(self, unit: str, constant: Callable[[object], str]) -> str:
        if not self.is_truncated:
            return f"{constant(self.mean)} + {constant(self.sigma)} * _ndtri({unit})"
        z = truncated_z_source(
            unit, self.mean, self.sigma, self.lower_limit, self.upper_limit, constant
        )
        value = f"{constant(self.mean)} + {constant(self.sigma)} * {z}"
        return clamped_source(value, self.lower_limit, self.upper_limit, constant)

    def scalar_log_prior_source(
        self, value: str, constant: Callable[[object], str]
    ) -> tuple[str | None, float]:
        offset = -math.log(self.sigma) - LOG_SQRT_TWO_PI
        if self.is_truncated:
            offset -= float(
                log_truncated_mass(self.mean, self.sigma, self.lower_limit, self.upper_limit)
            )
        term = f"-0.5 * (({value} - {constant(self.mean)}) * {constant(1.0 / self.sigma)}) ** 2"
        return term, offset

    def _shown_arguments(self) -> tuple[str, ...]:
        if self.is_truncated or type(self) is not GaussianPrior:
            return self.argument_names
        return ("mean", "sigma")

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
    """A distribution whose natural logarithm is normal: ``log(x) ~ N(mean, sigma)``,
    truncated to ``[lower_limit, upper_limit]``.

    Parameters
    ----------
    mean, sigma
        Mean and standard deviation of ``log(x)``, ``sigma > 0``.
    lower_limit, upper_limit
        The support, ``[0, inf)`` by default; finite limits truncate the distribution.
    width_modifier, limits
        See :class:`~autofit.priors.abstract.Prior`.

    Raises
    ------
    PriorException
        If ``sigma <= 0``, the mean is not finite, ``lower_limit < 0`` or
        ``lower_limit >= upper_limit``.
    """

    type_name = "LogGaussian"
    argument_names = ("mean", "sigma", "lower_limit", "upper_limit")

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
        if float(lower_limit) < 0.0:
            raise PriorException(
                f"LogGaussianPrior: lower_limit must be >= 0, got lower_limit={lower_limit!r}"
            )
        super().__init__(lower_limit, upper_limit, width_modifier, limits)

    @property
    def is_truncated(self) -> bool:
        """Whether the limits differ from ``[0, inf)``."""
        return self.lower_limit > 0.0 or math.isfinite(self.upper_limit)

    @property
    def scalar_source_is_clamped(self) -> bool:
        return self.is_truncated

    @staticmethod
    def batch_value_for(unit, mean, sigma, lower, upper):
        with np.errstate(divide="ignore"):
            log_lower, log_upper = np.log(lower), np.log(upper)
        values = np.exp(truncated_value_for(unit, mean, sigma, log_lower, log_upper))
        return np.clip(values, lower, upper)

    @staticmethod
    def batch_unit_value_for(value, mean, sigma, lower, upper):
        with np.errstate(divide="ignore"):
            return truncated_unit_value_for(
                np.log(value), mean, sigma, np.log(lower), np.log(upper)
            )

    @staticmethod
    def batch_log_prior(value, mean, sigma, lower, upper):
        positive = value > 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            log_value = np.log(np.where(positive, value, 1.0))
            density = (
                truncated_log_prior(log_value, mean, sigma, np.log(lower), np.log(upper))
                - log_value
            )
        inside = positive & (value >= lower) & (value <= upper)
        return np.where(inside, density, -np.inf)

    def scalar_source(self, unit: str, constant: Callable[[object], str]) -> str:
        if not self.is_truncated:
            return f"_exp({constant(self.mean)} + {constant(self.sigma)} * _ndtri({unit}))"
        log_lower = math.log(self.lower_limit) if self.lower_limit > 0.0 else -INF
        z = truncated_z_source(
            unit, self.mean, self.sigma, log_lower, math.log(self.upper_limit), constant
        )
        value = f"_exp({constant(self.mean)} + {constant(self.sigma)} * {z})"
        return clamped_source(value, self.lower_limit, self.upper_limit, constant)

    def scalar_log_prior_source(
        self, value: str, constant: Callable[[object], str]
    ) -> tuple[str | None, float]:
        if self.is_truncated:
            return super().scalar_log_prior_source(value, constant)
        inverse = constant(1.0 / self.sigma)
        term = f"-_log({value}) - 0.5 * ((_log({value}) - {constant(self.mean)}) * {inverse}) ** 2"
        return term, -math.log(self.sigma) - LOG_SQRT_TWO_PI

    def _shown_arguments(self) -> tuple[str, ...]:
        return self.argument_names if self.is_truncated else ("mean", "sigma")

    def dict(self) -> dict:
        entry = super().dict()
        if not self.is_truncated:
            del entry["lower_limit"], entry["upper_limit"]
        return entry
