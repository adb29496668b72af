"""Uniform priors, in the value and in its logarithm."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from autofit.exc import PriorException
from autofit.priors.abstract import Prior
from autofit.priors.scalar import clamped_source
from autofit.priors.width_modifier import WidthModifier

__all__ = ["UniformPrior", "LogUniformPrior"]


def _finite(prior_name: str, **arguments: float) -> None:
    for name, value in arguments.items():
        if not math.isfinite(value):
            raise PriorException(f"{prior_name}: {name} must be finite, got {name}={value!r}")


class UniformPrior(Prior):
    """Equal probability everywhere between ``lower_limit`` and ``upper_limit``.

    Parameters
    ----------
    lower_limit, upper_limit
        The finite bounds of the prior, ``lower_limit < upper_limit``.
    width_modifier, limits
        See :class:`~autofit.priors.abstract.Prior`.

    Raises
    ------
    PriorException
        If a limit is not finite or ``lower_limit >= upper_limit``.
    """

    type_name = "Uniform"
    argument_names = ("lower_limit", "upper_limit")

    def __init__(
        self,
        lower_limit: float = 0.0,
        upper_limit: float = 1.0,
        width_modifier: WidthModifier | dict | None = None,
        limits: tuple[float, float] | None = None,
    ) -> None:
        _finite("UniformPrior", lower_limit=float(lower_limit), upper_limit=float(upper_limit))
        super().__init__(lower_limit, upper_limit, width_modifier, limits)

    @staticmethod
    def batch_value_for(unit: np.ndarray, lower: float, upper: float) -> np.ndarray:
        return lower + (upper - lower) * unit

    @staticmethod
    def batch_unit_value_for(value: np.ndarray, lower: float, upper: float) -> np.ndarray:
        return (value - lower) / (upper - lower)

    @staticmethod
    def batch_log_prior(value: np.ndarray, lower: float, upper: float) -> np.ndarray:
        inside = (value >= lower) & (value <= upper)
        return np.where(inside, -np.log(upper - lower), -np.inf)

    def scalar_source(self, unit: str, constant: Callable[[object], str]) -> str:
        width = self.upper_limit - self.lower_limit
        if self.lower_limit == 0.0:
            return f"{constant(width)} * {unit}"
        return f"{constant(self.lower_limit)} + {constant(width)} * {unit}"

    def scalar_log_prior_source(
        self, value: str, constant: Callable[[object], str]
    ) -> tuple[str | None, float]:
        return None, -math.log(self.upper_limit - self.lower_limit)

    @property
    def mean(self) -> float:
        """The midpoint of the prior."""
        return 0.5 * (self.lower_limit + self.upper_limit)


class LogUniformPrior(Prior):
    """Uniform in the logarithm of the value between two positive limits (a scale-free prior).

    Parameters
    ----------
    lower_limit, upper_limit
        The finite bounds, ``0 < lower_limit < upper_limit``.
    width_modifier, limits
        See :class:`~autofit.priors.abstract.Prior`.

    Raises
    ------
    PriorException
        If ``lower_limit <= 0``, a limit is not finite or ``lower_limit >= upper_limit``.
    """

    type_name = "LogUniform"
    scalar_source_is_clamped = True
    argument_names = ("lower_limit", "upper_limit")

    def __init__(
        self,
        lower_limit: float = 1e-6,
        upper_limit: float = 1e6,
        width_modifier: WidthModifier | dict | None = None,
        limits: tuple[float, float] | None = None,
    ) -> None:
        lower_limit, upper_limit = float(lower_limit), float(upper_limit)
        _finite("LogUniformPrior", lower_limit=lower_limit, upper_limit=upper_limit)
        if lower_limit <= 0.0:
            raise PriorException(
                f"LogUniformPrior: lower_limit must be positive, got lower_limit={lower_limit!r}"
            )
        super().__init__(lower_limit, upper_limit, width_modifier, limits)

    @staticmethod
    def batch_value_for(unit: np.ndarray, lower: float, upper: float) -> np.ndarray:
        log_lower = np.log(lower)
        return np.clip(np.exp(log_lower + (np.log(upper) - log_lower) * unit), lower, upper)

    @staticmethod
    def batch_unit_value_for(value: np.ndarray, lower: float, upper: float) -> np.ndarray:
        log_lower = np.log(lower)
        return (np.log(value) - log_lower) / (np.log(upper) - log_lower)

    @staticmethod
    def batch_log_prior(value: np.ndarray, lower: float, upper: float) -> np.ndarray:
        inside = (value >= lower) & (value <= upper)
        with np.errstate(divide="ignore", invalid="ignore"):
            density = -np.log(value) - np.log(np.log(upper) - np.log(lower))
        return np.where(inside, density, -np.inf)

    def scalar_source(self, unit: str, constant: Callable[[object], str]) -> str:
        log_lower = math.log(self.lower_limit)
        log_width = math.log(self.upper_limit) - log_lower
        exponential = f"_exp({constant(log_lower)} + {constant(log_width)} * {unit})"
        return clamped_source(exponential, self.lower_limit, self.upper_limit, constant)

    def scalar_log_prior_source(
        self, value: str, constant: Callable[[object], str]
    ) -> tuple[str | None, float]:
        log_width = math.log(self.upper_limit) - math.log(self.lower_limit)
        return f"-_log({value})", -math.log(log_width)
