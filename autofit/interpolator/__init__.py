"""Interpolating fitted instances on one of their attributes (e.g. over time)."""

from autofit.interpolator.linear import LinearInterpolator, LinearRelationship
from autofit.interpolator.query import Equality, InterpolatorPath
from autofit.interpolator.spline import SplineInterpolator

__all__ = [
    "LinearInterpolator",
    "SplineInterpolator",
    "LinearRelationship",
    "InterpolatorPath",
    "Equality",
]
