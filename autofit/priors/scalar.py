"""Functions the generated scalar code of priors refers to, and a clamp helper for it."""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = ["SCALAR_NAMESPACE", "ndtri", "clamp", "clamped_source"]

try:  # the C implementation behind statistics.NormalDist.inv_cdf, when available
    from _statistics import _normal_dist_inv_cdf
except ImportError:  # pragma: no cover - pure-Python builds
    from statistics import NormalDist

    _inverse = NormalDist().inv_cdf

    def _normal_dist_inv_cdf(p: float, mu: float, sigma: float) -> float:
        return mu + sigma * _inverse(p)


def ndtri(unit: float) -> float:
    """The standard normal inverse CDF of a Python float (``-inf`` at 0, ``inf`` at 1)."""
    if 0.0 < unit < 1.0:
        return _normal_dist_inv_cdf(unit, 0.0, 1.0)
    return -math.inf if unit <= 0.0 else math.inf


#: Names available to the source returned by ``Prior.scalar_source``.
SCALAR_NAMESPACE: dict[str, Callable[[float], float]] = {
    "_exp": math.exp,
    "_log": math.log,
    "_log10": math.log10,
    "_ndtri": ndtri,
    "_icdf": _normal_dist_inv_cdf,
}


def clamp(value: float, lower: float, upper: float) -> float:
    """``value`` moved into ``[lower, upper]``."""
    return lower if value < lower else upper if value > upper else value


SCALAR_NAMESPACE["_clamp"] = clamp


def clamped_source(
    expression: str, lower: float, upper: float, constant: Callable[[object], str]
) -> str:
    """Source that evaluates ``expression`` once and clamps it to ``[lower, upper]``.

    The common case (already inside) costs one chained comparison; rounding at the ends of
    the unit interval is corrected by a call to :func:`clamp`.
    """
    low, high = constant(lower), constant(upper)
    return f"(_v if {low} <= (_v := {expression}) <= {high} else _clamp(_v, {low}, {high}))"
