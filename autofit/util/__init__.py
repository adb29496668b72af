"""Small helpers users reach through ``af.util``."""

from autofit.util.arrays import numpy_array_from_json, numpy_array_to_json

__all__ = ["numpy_array_to_json", "numpy_array_from_json"]
