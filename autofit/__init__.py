"""autofit: class-based probabilistic programming for data-focused science.

Write model components as Python classes, compose them into a model with priors, and map
parameter vectors back into instances of your classes::

    import autofit as af

    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    print(model.info)
    instance = model.instance_from_vector([50.0, 2.0, 10.0])
"""

from autofit import config as conf
from autofit import example as ex
from autofit import exc, text, util
from autofit.aggregator import Aggregator
from autofit.analysis import Analysis, Visualizer
from autofit.defaults import ConfigDefaults
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
from autofit.output import AbstractPaths, DirectoryPaths, NullPaths
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
from autofit.result import Result
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
    Drawer,
    DynestyDynamic,
    DynestyStatic,
    Emcee,
    InitializerBall,
    InitializerParamBounds,
    InitializerParamStartPoints,
    InitializerPrior,
    Nautilus,
    NonLinearSearch,
    UltraNest,
    Zeus,
)
from autofit.sensitivity import Sensitivity, SensitivityResult

__version__ = "0.1.0"

set_defaults_lookup(ConfigDefaults(conf.instance))

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
    "DynestyStatic",
    "DynestyDynamic",
    "Nautilus",
    "UltraNest",
    "Zeus",
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


def __getattr__(name: str):
    """``af.db`` is :mod:`autofit.database`, imported on first use (it loads SQLAlchemy)."""
    if name == "db":
        from autofit import database

        return database
    raise AttributeError(f"module 'autofit' has no attribute {name!r}")
