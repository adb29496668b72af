"""Samples of a fit, their PDF statistics, summaries and files."""

from autofit.samples.mcmc import SamplesMCMC
from autofit.samples.nest import SamplesNest
from autofit.samples.optimizer import SamplesOptimizer
from autofit.samples.pdf import marginalize, quantile
from autofit.samples.posterior import SamplesPDF
from autofit.samples.samples import Sample, Samples
from autofit.samples.summary import SamplesSummary

__all__ = [
    "Sample",
    "Samples",
    "SamplesPDF",
    "SamplesMCMC",
    "SamplesNest",
    "SamplesOptimizer",
    "SamplesSummary",
    "marginalize",
    "quantile",
]
