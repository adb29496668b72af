"""Graphical models: several datasets fitted together, globally or by expectation propagation."""

from autofit.graphical.factor import AnalysisFactor, FactorGraphModel, FactorGraphResult
from autofit.graphical.hierarchical import HierarchicalFactor
from autofit.graphical.history import EPHistory, FactorSummary
from autofit.graphical.mean_field import EPMeanField, MeanField
from autofit.graphical.messages import LogNormalMessage, NormalMessage, TruncatedNormalMessage
from autofit.graphical.optimisers import LaplaceOptimiser
from autofit.graphical.result import EPResult

__all__ = [
    "AnalysisFactor",
    "FactorGraphModel",
    "FactorGraphResult",
    "HierarchicalFactor",
    "EPHistory",
    "FactorSummary",
    "EPMeanField",
    "MeanField",
    "NormalMessage",
    "TruncatedNormalMessage",
    "LogNormalMessage",
    "LaplaceOptimiser",
    "EPResult",
]
