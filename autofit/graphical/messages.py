"""Messages of expectation propagation: exponential-family distributions of one variable.

Every variable of a graph is approximated in a *working coordinate* ``u`` in which its message
family is a (possibly truncated) normal distribution:

- :class:`NormalMessage`: ``u = x`` on the whole real line (Gaussian priors);
- :class:`TruncatedNormalMessage`: ``u = x`` between finite limits (uniform priors, Gaussian
  priors with limits);
- :class:`LogNormalMessage`: ``u = log x`` (log-Gaussian and log-uniform priors; with limits it
  is truncated in ``log x``).

A message is stored by its natural parameters ``(eta1, eta2) = (mu / s**2, -1 / (2 s**2))`` of
the normal distribution in ``u``: multiplying messages adds them, dividing subtracts them, so
the running product of a variable's messages and a factor's cavity cost O(1) per variable. The
priors of this library are exact messages in these coordinates: a Gaussian prior is a normal
message, a uniform prior is a flat one (zero natural parameters) truncated to its limits, and a
log-uniform prior is flat in ``log x``.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from autofit.exc import PriorException

__all__ = [
    "AbstractMessage",
    "NormalMessage",
    "TruncatedNormalMessage",
    "LogNormalMessage",
    "message_for_prior",
    "natural_from_moments",
    "moments_from_natural",
    "truncated_moments",
    "natural_for_truncated_moments",
    "gaussian_kl",
]

INF = math.inf


def natural_from_moments(mean: np.ndarray, variance: np.ndarray) -> np.ndarray:
    """Natural parameters ``(..., 2)`` of normal distributions with the given moments."""
    mean, variance = np.asarray(mean, float), np.asarray(variance, float)
    return np.stack([mean / variance, -0.5 / variance], axis=-1)


def moments_from_natural(natural: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance of the normal distributions with natural parameters ``natural``
    (``(..., 2)``); the variance is infinite (and the mean 0) where the precision is not
    positive."""
    natural = np.asarray(natural, float)
    precision = -2.0 * natural[..., 1]
    proper = precision > 0.0
    safe = np.where(proper, precision, 1.0)
    mean = np.where(proper, natural[..., 0] / safe, 0.0)
    variance = np.where(proper, 1.0 / safe, INF)
    return mean, variance


def truncated_moments(
    mu: np.ndarray, sigma: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance of normal distributions ``N(mu, sigma)`` truncated to
    ``[lower, upper]`` (vectorised; infinite limits allowed)."""
    from scipy.special import log_ndtr

    mu, sigma = np.asarray(mu, float), np.asarray(sigma, float)
    alpha = (np.asarray(lower, float) - mu) / sigma
    beta = (np.asarray(upper, float) - mu) / sigma
    # Work in the tail where the mass is (flip when the interval lies above the mean).
    flip = alpha > 0.0
    a = np.where(flip, -beta, alpha)
    b = np.where(flip, -alpha, beta)
    log_mass = log_ndtr(b) + np.log1p(-np.exp(np.minimum(log_ndtr(a) - log_ndtr(b), -1e-300)))
    log_phi_a = np.where(np.isfinite(a), -0.5 * a * a, -INF) - 0.5 * math.log(2 * math.pi)
    log_phi_b = np.where(np.isfinite(b), -0.5 * b * b, -INF) - 0.5 * math.log(2 * math.pi)
    phi_a = np.exp(log_phi_a - log_mass)
    phi_b = np.exp(log_phi_b - log_mass)
    with np.errstate(invalid="ignore"):
        a_term = np.where(np.isfinite(a), a * phi_a, 0.0)
        b_term = np.where(np.isfinite(b), b * phi_b, 0.0)
    shift = phi_a - phi_b
    mean_z = np.where(flip, -shift, shift)
    variance_z = 1.0 + a_term - b_term - shift**2
    return mu + sigma * mean_z, sigma**2 * np.maximum(variance_z, 1e-300)


def natural_for_truncated_moments(
    mean: float, variance: float, lower: float, upper: float
) -> np.ndarray:
    """Natural parameters of the normal distribution that, truncated to ``[lower, upper]``,
    has the given mean and variance (moment matching onto a truncated normal).

    Far from both limits (8 standard deviations) the truncation is negligible and the moments
    are used as they are; otherwise the underlying mean and width are solved for.
    """
    sd = math.sqrt(variance)
    if mean - 8.0 * sd > lower and mean + 8.0 * sd < upper:
        return natural_from_moments(mean, variance)
    from scipy.optimize import least_squares

    def residual(p: np.ndarray) -> np.ndarray:
        m, v = truncated_moments(p[0], math.exp(p[1]), lower, upper)
        return np.array([(m - mean) / sd, math.log(v / variance)])

    fit = least_squares(residual, [mean, math.log(sd)], xtol=1e-10, ftol=1e-10)
    mu, sigma = float(fit.x[0]), math.exp(float(fit.x[1]))
    if not fit.success or np.max(np.abs(fit.fun)) > 1e-3:
        return natural_from_moments(mean, variance)
    return natural_from_moments(mu, sigma**2)


def gaussian_kl(new: np.ndarray, old: np.ndarray) -> np.ndarray:
    """KL divergence ``KL(new || old)`` between normal distributions given by natural
    parameters (``(..., 2)``), per distribution; infinite where either is improper."""
    mean_new, var_new = moments_from_natural(new)
    mean_old, var_old = moments_from_natural(old)
    with np.errstate(invalid="ignore", divide="ignore"):
        kl = 0.5 * (
            np.log(var_old / var_new) + (var_new + (mean_new - mean_old) ** 2) / var_old - 1.0
        )
    return np.where(np.isfinite(var_new) & np.isfinite(var_old), kl, INF)


class AbstractMessage:
    """A distribution of one variable in the family used for it by expectation propagation.

    Parameters
    ----------
    natural
        Natural parameters ``(eta1, eta2)`` of the normal distribution in the working
        coordinate (see the module docstring).
    lower, upper
        Truncation limits in the working coordinate (infinite for none).

    Attributes
    ----------
    mean, variance, scale
        Mean, variance and standard deviation of the variable itself (not of its working
        coordinate).
    """

    #: Whether the working coordinate is the logarithm of the variable.
    log_coordinate: ClassVar[bool] = False

    def __init__(self, natural: Any, lower: float = -INF, upper: float = INF) -> None:
        self.natural = np.asarray(natural, float).reshape(2)
        self.lower = float(lower)
        self.upper = float(upper)

    # -- the normal distribution in the working coordinate ------------------------------------

    @property
    def mu(self) -> float:
        """Mean of the (untruncated) normal distribution in the working coordinate."""
        return float(moments_from_natural(self.natural)[0])

    @property
    def sigma(self) -> float:
        """Width of the (untruncated) normal distribution in the working coordinate."""
        return float(math.sqrt(moments_from_natural(self.natural)[1]))

    @property
    def is_proper(self) -> bool:
        """Whether the message is a normalisable distribution."""
        bounded = math.isfinite(self.lower) and math.isfinite(self.upper)
        return bool(self.natural[1] < 0.0 or bounded)

    def __mul__(self, other: AbstractMessage) -> AbstractMessage:
        return type(self)(self.natural + other.natural, self.lower, self.upper)

    def __truediv__(self, other: AbstractMessage) -> AbstractMessage:
        return type(self)(self.natural - other.natural, self.lower, self.upper)

    def _moments(self) -> tuple[float, float]:
        """Mean and variance of the variable: here the working coordinate itself (truncation
        included); the log-normal message overrides this."""
        if self.natural[1] >= 0.0:
            if not (math.isfinite(self.lower) and math.isfinite(self.upper)):
                return math.nan, INF
            if not np.any(self.natural):
                width = self.upper - self.lower
                return 0.5 * (self.lower + self.upper), width * width / 12.0
            grid = np.linspace(self.lower, self.upper, 4001)
            log_density = self.natural[0] * grid + self.natural[1] * grid**2
            weights = np.exp(log_density - log_density.max())
            weights[[0, -1]] *= 0.5  # the trapezoid rule
            weights /= weights.sum()
            mean = float(np.sum(weights * grid))
            return mean, float(np.sum(weights * (grid - mean) ** 2))
        mean, variance = truncated_moments(self.mu, self.sigma, self.lower, self.upper)
        return float(mean), float(variance)

    # -- the variable -------------------------------------------------------------------------

    def _cached_moments(self) -> tuple[float, float]:
        cached = self.__dict__.get("_moments_cache")
        if cached is None:
            cached = self.__dict__["_moments_cache"] = self._moments()
        return cached

    @property
    def mean(self) -> float:
        """Mean of the variable."""
        return self._cached_moments()[0]

    @property
    def variance(self) -> float:
        """Variance of the variable."""
        return self._cached_moments()[1]

    @property
    def scale(self) -> float:
        """Standard deviation of the variable."""
        return math.sqrt(self.variance)

    def to_prior(self) -> Any:
        """This distribution as a prior of this library (for a later fit)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(mean={self.mean:.6g}, scale={self.scale:.6g})"


class NormalMessage(AbstractMessage):
    """A normal distribution of the variable."""

    def to_prior(self) -> Any:
        from autofit.priors.gaussian import GaussianPrior

        return GaussianPrior(mean=self.mu, sigma=self.sigma)


class TruncatedNormalMessage(AbstractMessage):
    """A normal distribution of the variable truncated to ``[lower, upper]``."""

    def to_prior(self) -> Any:
        from autofit.priors.gaussian import GaussianPrior

        if self.natural[1] >= 0.0:
            from autofit.priors.uniform import UniformPrior

            return UniformPrior(self.lower, self.upper)
        return GaussianPrior(
            mean=self.mu, sigma=self.sigma, lower_limit=self.lower, upper_limit=self.upper
        )


class LogNormalMessage(AbstractMessage):
    """A normal distribution of the logarithm of the variable (truncated in ``log x`` when
    ``lower``/``upper`` are finite)."""

    log_coordinate = True

    def _moments(self) -> tuple[float, float]:
        bounded = math.isfinite(self.lower) or math.isfinite(self.upper)
        if self.natural[1] < 0.0 and not bounded:
            mu, s2 = self.mu, self.sigma**2
            mean = math.exp(mu + 0.5 * s2)
            return mean, math.expm1(s2) * mean**2
        if self.natural[1] < 0.0:
            low = max(self.lower, self.mu - 12.0 * self.sigma)
            high = min(self.upper, self.mu + 12.0 * self.sigma)
        elif math.isfinite(self.lower) and math.isfinite(self.upper):
            low, high = self.lower, self.upper
        else:
            return math.nan, INF
        grid = np.linspace(low, high, 4001)
        log_density = self.natural[0] * grid + self.natural[1] * grid**2
        weights = np.exp(log_density - log_density.max())
        weights /= weights.sum()
        values = np.exp(grid)
        mean = float(np.sum(weights * values))
        return mean, float(np.sum(weights * (values - mean) ** 2))

    def to_prior(self) -> Any:
        from autofit.priors.gaussian import LogGaussianPrior

        lower = math.exp(self.lower) if math.isfinite(self.lower) else 0.0
        upper = math.exp(self.upper) if math.isfinite(self.upper) else INF
        if self.natural[1] >= 0.0:
            from autofit.priors.uniform import LogUniformPrior

            return LogUniformPrior(lower, upper)
        return LogGaussianPrior(
            mean=self.mu, sigma=self.sigma, lower_limit=lower, upper_limit=upper
        )


def _log(value: float) -> float:
    return math.log(value) if value > 0.0 else -INF


def message_for_prior(prior: Any) -> AbstractMessage:
    """The message family of a prior's variable, holding the prior itself as a message.

    Parameters
    ----------
    prior
        A ``GaussianPrior`` (with or without limits), ``TruncatedGaussianPrior``,
        ``UniformPrior``, ``LogGaussianPrior`` or ``LogUniformPrior``.

    Raises
    ------
    PriorException
        For any other prior, naming its class.
    """
    from autofit.priors.gaussian import GaussianPrior, LogGaussianPrior
    from autofit.priors.uniform import LogUniformPrior, UniformPrior

    flat = np.zeros(2)
    if isinstance(prior, GaussianPrior):
        natural = natural_from_moments(prior.mean, prior.sigma**2)
        if math.isfinite(prior.lower_limit) or math.isfinite(prior.upper_limit):
            return TruncatedNormalMessage(natural, prior.lower_limit, prior.upper_limit)
        return NormalMessage(natural)
    if isinstance(prior, UniformPrior):
        return TruncatedNormalMessage(flat, prior.lower_limit, prior.upper_limit)
    if isinstance(prior, LogGaussianPrior):
        natural = natural_from_moments(prior.mean, prior.sigma**2)
        return LogNormalMessage(natural, _log(prior.lower_limit), _log(prior.upper_limit))
    if isinstance(prior, LogUniformPrior):
        return LogNormalMessage(flat, _log(prior.lower_limit), _log(prior.upper_limit))
    raise PriorException(
        f"Expectation propagation approximates Gaussian, TruncatedGaussian, LogGaussian, "
        f"Uniform and LogUniform priors; {type(prior).__name__} ({prior!r}) has no message "
        "family. Give that parameter one of these priors."
    )
