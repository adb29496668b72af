"""Sensitivity mapping: how detectable a perturbation is over a grid of its parameters."""

from autofit.sensitivity.result import SensitivityResult
from autofit.sensitivity.sensitivity import Sensitivity

__all__ = ["Sensitivity", "SensitivityResult"]
