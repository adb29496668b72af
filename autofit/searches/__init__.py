"""Searches: the driver shared by every sampler, and one module per sampler."""

from autofit.searches.base import CheckpointWarning, NonLinearSearch
from autofit.searches.blackjax import BlackJAXNUTS
from autofit.searches.drawer import Drawer
from autofit.searches.dynesty import DynestyDynamic, DynestyStatic
from autofit.searches.emcee import AutoCorrelationsSettings, Emcee
from autofit.searches.initializer import (
    AbstractInitializer,
    InitializerBall,
    InitializerParamBounds,
    InitializerParamStartPoints,
    InitializerPrior,
)
from autofit.searches.multi_start import MultiStartAdam
from autofit.searches.nautilus import Nautilus
from autofit.searches.optimize import BFGS, LBFGS
from autofit.searches.ultranest import UltraNest
from autofit.searches.zeus import Zeus

__all__ = [
    "NonLinearSearch",
    "CheckpointWarning",
    "Emcee",
    "AutoCorrelationsSettings",
    "LBFGS",
    "BFGS",
    "Drawer",
    "DynestyStatic",
    "DynestyDynamic",
    "Nautilus",
    "UltraNest",
    "Zeus",
    "BlackJAXNUTS",
    "MultiStartAdam",
    "AbstractInitializer",
    "InitializerPrior",
    "InitializerBall",
    "InitializerParamBounds",
    "InitializerParamStartPoints",
]
