"""Example components and analysis (``af.ex``) used in the documentation, examples and tests."""

from autofit.example.analysis import Analysis, simulate_data
from autofit.example.model import Exponential, Gaussian

__all__ = ["Gaussian", "Exponential", "Analysis", "simulate_data"]
