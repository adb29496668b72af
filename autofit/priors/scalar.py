"""Functions the generated scalar code of priors refers to, and a clamp helper for it."""

from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist

__all__ = ["SCALAR_NAMESPACE", "ndtri", "clamped_source"]

_inverse_normal = NormalDist().inv_cdf


def ndtri(unit: float) -> float:
    """The standard normal inverse CDF of a Python float (``-inf`` at 0, ``inf`` at 1)."""
    if 0.0 < unit < 1.0:
        return _inverse_normal(unit)
    return -math.inf if unit <= 0.0 else math.inf


#: Names available to the source returned by ``Prior.scalar_source``.
SCALAR_NAMESPACE: dict[str, Callable[[float], float]] = {
    "_exp": math.exp,
    "_log": math.log,
    "_log10": math.log10,
    "_ndtri": ndtri,
}


def clamped_source(
    expression: str, lower: float, upper: float, constant: Callable[[object], str]
) -> str:
    """Source that evaluates ``expression`` once and clamps it to ``[lower, upper]``."""
    if math.isfinite(lower) and math.isfinite(upper):
        low, high = constant(lower), constant(upper)
        return f"({low} if (_v := {expression}) < {low} else ({high} if _v > {high} else _v))"
    if math.isfinite(lower):
        low = constant(lower)
        return f"({low} if (_v := {expression}) < {low} else _v)"
    if math.isfinite(upper):
        high = constant(upper)
        return f"({high} if (_v := {expression}) > {high} else _v)"
    return expression
