"""Priors: one-dimensional distributions over free parameters, and arithmetic on them."""

from autofit.priors.abstract import Prior
from autofit.priors.arithmetic import Abs, Assertion, DerivedParameter, Log, Log10
from autofit.priors.constant import Constant
from autofit.priors.gaussian import GaussianPrior, LogGaussianPrior, TruncatedGaussianPrior
from autofit.priors.serialise import PRIOR_TYPES, prior_from_dict
from autofit.priors.uniform import LogUniformPrior, UniformPrior
from autofit.priors.width_modifier import (
    AbsoluteWidthModifier,
    RelativeWidthModifier,
    WidthModifier,
    width_modifier_from_dict,
)

__all__ = [
    "Prior",
    "UniformPrior",
    "LogUniformPrior",
    "GaussianPrior",
    "TruncatedGaussianPrior",
    "LogGaussianPrior",
    "Constant",
    "DerivedParameter",
    "Assertion",
    "Log",
    "Log10",
    "Abs",
    "WidthModifier",
    "RelativeWidthModifier",
    "AbsoluteWidthModifier",
    "width_modifier_from_dict",
    "prior_from_dict",
    "PRIOR_TYPES",
]
