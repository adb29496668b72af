"""Example components and analysis (``af.ex``) used in the documentation, examples and tests."""

from autofit.example.analysis import Analysis, simulate_data
from autofit.example.model import Exponential, Gaussian
from autofit.example.result import Result
from autofit.example.visualize import plot_profile_1d

__all__ = ["Gaussian", "Exponential", "Analysis", "Result", "simulate_data", "plot_profile_1d"]
