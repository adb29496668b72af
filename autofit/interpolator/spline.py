"""af.SplineInterpolator: each float attribute on a cubic spline through its values."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autofit.interpolator.abstract import AbstractInterpolator

__all__ = ["SplineInterpolator"]


class SplineInterpolator(AbstractInterpolator):
    """Interpolates every float attribute on a cubic spline through its values
    (``scipy.interpolate.CubicSpline``, "not-a-knot" ends): it passes through every instance
    and is twice continuously differentiable. Beyond the instances' range the end polynomial
    pieces continue (cubic extrapolation, which runs away quickly) unless
    ``extrapolate=False``, which raises instead. Values of the attribute interpolated on must
    be different in every instance.

    Parameters
    ----------
    instances
        Instances of the same structure, each with a different number at the attribute
        interpolated on.
    extrapolate
        Whether a value outside the instances' range is allowed (True) or raises ValueError.
    """

    @staticmethod
    def _relationship(x: np.ndarray, y: np.ndarray) -> Callable[[float], float]:
        from scipy.interpolate import CubicSpline

        if len(np.unique(x)) != len(x):
            values, counts = np.unique(x, return_counts=True)
            raise ValueError(
                "SplineInterpolator needs a different value of the attribute interpolated on "
                f"in every instance; {values[counts > 1].tolist()} appear more than once"
            )
        return CubicSpline(x, y)
