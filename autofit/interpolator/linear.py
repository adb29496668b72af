"""af.LinearInterpolator: each float attribute on the straight line fitted to its values."""

from __future__ import annotations

import numpy as np

from autofit.interpolator.abstract import AbstractInterpolator

__all__ = ["LinearInterpolator", "LinearRelationship"]


class LinearRelationship:
    """The line ``y = m * x + c``.

    Parameters
    ----------
    m
        The slope.
    c
        The value at ``x = 0``.
    """

    def __init__(self, m: float, c: float) -> None:
        self.m = float(m)
        self.c = float(c)

    def __call__(self, x: float) -> float:
        return self.m * x + self.c

    def __repr__(self) -> str:
        return f"y = {self.m}x + {self.c}"


class LinearInterpolator(AbstractInterpolator):
    """Interpolates every float attribute on the least-squares straight line through its
    values (as PyAutoFit does): exact for attributes that change linearly, and through both
    points for two instances. Beyond the instances' range the line continues (linear
    extrapolation) unless ``extrapolate=False``, which raises instead.

    Parameters
    ----------
    instances
        Instances of the same structure, each with a number at the attribute interpolated on.
    extrapolate
        Whether a value outside the instances' range is allowed (True) or raises ValueError.
    """

    @staticmethod
    def _relationship(x: np.ndarray, y: np.ndarray) -> LinearRelationship:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        # Centred sums: a constant attribute keeps its value exactly (slope 0).
        dx, dy = x - x.mean(), y - y.mean()
        spread = float(np.sum(dx * dx))
        slope = float(np.sum(dx * dy)) / spread if spread > 0.0 else 0.0
        return LinearRelationship(slope, float(y.mean()) - slope * float(x.mean()))
