"""The user's analysis, the fitness function built from it, and visualisation hooks."""

from autofit.analysis.analysis import Analysis
from autofit.analysis.fitness import Fitness
from autofit.analysis.visualize import Visualizer

__all__ = ["Analysis", "Fitness", "Visualizer"]
