"""autofit: class-based probabilistic programming for data-focused science.

Write model components as Python classes, compose them into a model with priors, and map
parameter vectors back into instances of your classes::

    import autofit as af

    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    print(model.info)
    instance = model.instance_from_vector([50.0, 2.0, 10.0])
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from autofit import exc
from autofit.defaults import ConfigDefaults
from autofit.model import (
    AbstractModel,
    AbstractPriorModel,
    Array,
    Collection,
    Model,
    ModelInstance,
    TuplePrior,
)
from autofit.model.defaults import set_defaults_lookup
from autofit.priors import (
    AbsoluteWidthModifier,
    Assertion,
    Constant,
    DerivedParameter,
    GaussianPrior,
    Log,
    Log10,
    LogGaussianPrior,
    LogUniformPrior,
    Prior,
    RelativeWidthModifier,
    TruncatedGaussianPrior,
    UniformPrior,
    WidthModifier,
)

if TYPE_CHECKING:  # what the names below resolve to, for type checkers and editors
    from autofit import config as conf
    from autofit import database as db
    from autofit import example as ex
    from autofit import text, util
    from autofit.aggregator import Aggregator
    from autofit.analysis import Analysis, Visualizer
    from autofit.graphical import (
        AnalysisFactor,
        EPHistory,
        EPResult,
        FactorGraphModel,
        HierarchicalFactor,
        LaplaceOptimiser,
        LogNormalMessage,
        MeanField,
        NormalMessage,
        TruncatedNormalMessage,
    )
    from autofit.grid import GridList, GridSearchResult, SearchGridSearch
    from autofit.interpolator import LinearInterpolator, SplineInterpolator
    from autofit.many import fit_many
    from autofit.output import AbstractPaths, DirectoryPaths, NullPaths
    from autofit.parallel import MPIPool
    from autofit.result import Result, StoredResult
    from autofit.samples import (
        Samples,
        SamplesMCMC,
        SamplesNest,
        SamplesOptimizer,
        SamplesPDF,
        SamplesSummary,
        marginalize,
    )
    from autofit.searches import (
        BFGS,
        LBFGS,
        AutoCorrelationsSettings,
        BlackJAXNUTS,
        Drawer,
        DynestyDynamic,
        DynestyStatic,
        Emcee,
        InitializerBall,
        InitializerParamBounds,
        InitializerParamStartPoints,
        InitializerPrior,
        MultiStartAdam,
        Nautilus,
        NonLinearSearch,
        UltraNest,
        Zeus,
    )
    from autofit.sensitivity import Sensitivity, SensitivityResult

#: Public names whose modules load on first use (PEP 562), by the module that defines them.
#: Searches, samples, results, workflows and storage pull in sampler, plotting and database
#: code, so ``import autofit`` only loads the model layer and the priors (the configuration
#: loads with the first default-prior lookup or use of ``af.conf``).
#: A new public name goes here, in the ``TYPE_CHECKING`` block above and in ``__all__``
#: (test_autofit/test_import.py checks that they agree, and that ``import autofit`` loads no
#: heavy package), unless its module is part of that light core.
_LAZY_NAMES: dict[str, tuple[str, ...]] = {
    "autofit.aggregator": ("Aggregator",),
    "autofit.analysis": ("Analysis", "Visualizer"),
    "autofit.graphical": (
        "AnalysisFactor",
        "EPHistory",
        "EPResult",
        "FactorGraphModel",
        "HierarchicalFactor",
        "LaplaceOptimiser",
        "LogNormalMessage",
        "MeanField",
        "NormalMessage",
        "TruncatedNormalMessage",
    ),
    "autofit.grid": ("GridList", "GridSearchResult", "SearchGridSearch"),
    "autofit.interpolator": ("LinearInterpolator", "SplineInterpolator"),
    "autofit.many": ("fit_many",),
    "autofit.output": ("AbstractPaths", "DirectoryPaths", "NullPaths"),
    "autofit.parallel": ("MPIPool",),
    "autofit.result": ("Result", "StoredResult"),
    "autofit.samples": (
        "Samples",
        "SamplesMCMC",
        "SamplesNest",
        "SamplesOptimizer",
        "SamplesPDF",
        "SamplesSummary",
        "marginalize",
    ),
    "autofit.searches": (
        "BFGS",
        "LBFGS",
        "AutoCorrelationsSettings",
        "BlackJAXNUTS",
        "Drawer",
        "DynestyDynamic",
        "DynestyStatic",
        "Emcee",
        "InitializerBall",
        "InitializerParamBounds",
        "InitializerParamStartPoints",
        "InitializerPrior",
        "MultiStartAdam",
        "Nautilus",
        "NonLinearSearch",
        "UltraNest",
        "Zeus",
    ),
    "autofit.sensitivity": ("Sensitivity", "SensitivityResult"),
}

#: Public names that are whole modules, loaded on first use.
_LAZY_MODULES: dict[str, str] = {
    "conf": "autofit.config",
    "db": "autofit.database",
    "ex": "autofit.example",
    "text": "autofit.text",
    "util": "autofit.util",
}

_LAZY: dict[str, tuple[str, str | None]] = {
    name: (module, name) for module, names in _LAZY_NAMES.items() for name in names
} | {name: (module, None) for name, module in _LAZY_MODULES.items()}

__version__ = "0.1.0"

# Default priors and labels come from ``af.conf.instance``, loaded with the first lookup.
set_defaults_lookup(ConfigDefaults())

#: Older spellings kept so existing scripts run unchanged.
PriorModel = Model
CollectionPriorModel = Collection

__all__ = [
    "__version__",
    "conf",
    "exc",
    "ex",
    "AbstractModel",
    "AbstractPriorModel",
    "Model",
    "PriorModel",
    "Collection",
    "CollectionPriorModel",
    "Array",
    "ModelInstance",
    "TuplePrior",
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
    "WidthModifier",
    "RelativeWidthModifier",
    "AbsoluteWidthModifier",
    "util",
    "text",
    "Analysis",
    "Visualizer",
    "Result",
    "StoredResult",
    "Samples",
    "SamplesPDF",
    "SamplesMCMC",
    "SamplesNest",
    "SamplesOptimizer",
    "SamplesSummary",
    "marginalize",
    "NonLinearSearch",
    "Emcee",
    "AutoCorrelationsSettings",
    "LBFGS",
    "BFGS",
    "Drawer",
    "MPIPool",
    "DynestyStatic",
    "DynestyDynamic",
    "Nautilus",
    "UltraNest",
    "Zeus",
    "BlackJAXNUTS",
    "MultiStartAdam",
    "InitializerPrior",
    "InitializerBall",
    "InitializerParamBounds",
    "InitializerParamStartPoints",
    "AnalysisFactor",
    "FactorGraphModel",
    "HierarchicalFactor",
    "LaplaceOptimiser",
    "EPHistory",
    "EPResult",
    "MeanField",
    "NormalMessage",
    "TruncatedNormalMessage",
    "LogNormalMessage",
    "fit_many",
    "SearchGridSearch",
    "GridSearchResult",
    "GridList",
    "Sensitivity",
    "SensitivityResult",
    "LinearInterpolator",
    "SplineInterpolator",
    "AbstractPaths",
    "DirectoryPaths",
    "NullPaths",
    "Aggregator",
    "db",
]


def __getattr__(name: str) -> Any:
    """Load a public name of a heavier module (searches, samples, workflows, storage) on
    first use, so ``import autofit`` stays fast; later lookups find it in the module."""
    if name == "config":  # the package behind ``af.conf``, bound here once it is imported
        return importlib.import_module("autofit.config")
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'autofit' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
