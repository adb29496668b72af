"""Weighted quantiles and marginal summaries of one parameter's samples.

Definition used everywhere in autofit: sort the samples, place each at the midpoint of its own
weight, ``c_i = S_i - w_i / 2`` with ``S_i = w_1 + ... + w_i``, rescale so the first sample sits
at 0 and the last at 1, ``cdf_i = (c_i - c_1) / (c_n - c_1)``, and interpolate linearly between
samples to find the value at which the cdf reaches ``q``. With equal weights this is exactly
numpy's linear percentile, and reflecting the samples reflects the quantiles.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["quantile", "marginalize", "sigma_to_probability", "cumulative_positions"]


def sigma_to_probability(sigma: float) -> float:
    """The lower-tail probability of a ``sigma`` confidence interval: ``(1 - erf(sigma/√2)) / 2``.

    For ``sigma = 1`` this is 0.1587, so the interval spans the central 68.27%.
    """
    return 0.5 * (1.0 - math.erf(sigma / math.sqrt(2.0)))


def cumulative_positions(sorted_weights: np.ndarray) -> np.ndarray:
    """The positions ``cdf_i`` in [0, 1] of samples sorted by value, given their weights
    (the midpoint rule of the module docstring); NaN when all weight sits on one sample."""
    centres = np.cumsum(sorted_weights) - 0.5 * sorted_weights
    span = centres[-1] - centres[0]
    if not span > 0.0:
        return np.full(sorted_weights.shape, np.nan)
    return (centres - centres[0]) / span


def quantile(
    values: np.ndarray | list[float], q: float | np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray | float:
    """The ``q`` quantile(s) of weighted samples (see the module docstring for the definition).

    Parameters
    ----------
    values
        Samples of one parameter.
    q
        Quantile(s) in [0, 1].
    weights
        Non-negative weights, one per sample; None for equal weights.

    Raises
    ------
    ValueError
        If ``q`` lies outside [0, 1] or the weights do not match the samples.
    """
    values = np.asarray(values, dtype=float)
    q_array = np.asarray(q, dtype=float)
    if np.any((q_array < 0.0) | (q_array > 1.0)):
        raise ValueError(f"quantile: q must lie in [0, 1], got {q!r}")
    if weights is None:
        result = np.percentile(values, 100.0 * q_array)
    else:
        weights = np.asarray(weights, dtype=float)
        if weights.shape != values.shape:
            raise ValueError(f"quantile: {weights.shape[0]} weights for {values.shape[0]} samples")
        order = np.argsort(values, kind="stable")
        sorted_weights = weights[order]
        cdf = cumulative_positions(sorted_weights)
        if values.shape[0] == 1 or not np.all(np.isfinite(cdf)):
            result = np.full(q_array.shape, values[order][np.argmax(sorted_weights)])
        else:
            result = np.interp(q_array, cdf, values[order])
    return float(result) if np.ndim(result) == 0 else result


def marginalize(
    parameter_list: np.ndarray | list[float],
    sigma: float,
    weight_list: np.ndarray | list[float] | None = None,
) -> tuple[float, float, float]:
    """The median and the ``sigma`` confidence limits of one parameter's samples.

    Parameters
    ----------
    parameter_list
        Samples of one parameter.
    sigma
        Width of the interval in standard deviations of a Gaussian (1.0 -> 68.27%, 3.0 -> 99.73%).
    weight_list
        Optional weight of each sample.

    Returns
    -------
    (median, lower, upper)
    """
    low = sigma_to_probability(sigma)
    weights = None if weight_list is None else np.asarray(weight_list, dtype=float)
    median, lower, upper = quantile(parameter_list, np.array([0.5, low, 1.0 - low]), weights)
    return float(median), float(lower), float(upper)
