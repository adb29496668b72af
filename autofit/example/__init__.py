"""Example components (``af.ex``) used in the documentation, examples and tests."""

from autofit.example.model import Exponential, Gaussian

__all__ = ["Gaussian", "Exponential"]
