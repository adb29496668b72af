"""Graphical models: several datasets fitted together."""

from autofit.graphical.factor import AnalysisFactor, FactorGraphModel, FactorGraphResult

__all__ = ["AnalysisFactor", "FactorGraphModel", "FactorGraphResult"]
