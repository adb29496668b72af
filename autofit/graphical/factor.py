"""Several datasets fitted together: one factor per dataset, their likelihoods summed.

``af.FactorGraphModel(*factors)`` is itself an analysis: fitting
``graph.global_prior_model`` with any search maximises the sum of the factors' log likelihoods.
Priors shared between the factors' models are one parameter of the global model.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autofit.analysis.analysis import Analysis
from autofit.model.collection import Collection
from autofit.result.result import Result

__all__ = ["AnalysisFactor", "FactorGraphModel", "FactorGraphResult"]


class AnalysisFactor:
    """One dataset's model and analysis.

    Parameters
    ----------
    prior_model
        The model of this dataset (may share priors with other factors' models).
    analysis
        The analysis of this dataset.
    name
        Optional name of the factor.
    """

    def __init__(self, prior_model: Any, analysis: Analysis, name: str | None = None) -> None:
        self.prior_model = prior_model
        self.analysis = analysis
        self.name = name

    def __repr__(self) -> str:
        return f"AnalysisFactor({self.name or type(self.analysis).__name__})"


class FactorGraphResult(list):
    """A list of one :class:`~autofit.Result` per factor, with the global fit's samples."""

    def __init__(self, results: list[Result], samples: Any) -> None:
        super().__init__(results)
        self.samples = samples

    @property
    def instance(self) -> Any:
        """The maximum-likelihood instance of the global model."""
        return self.samples.max_log_likelihood()

    @property
    def log_likelihood(self) -> float:
        """The highest summed log likelihood."""
        return float(self.samples.log_likelihood.max())


def _factor_samples(samples: Any, model: Any) -> Any:
    """The global samples restricted to the parameters of one factor's model."""
    columns = [samples.model.index_for_prior(prior) for prior in model.priors]
    indices = np.array(columns, dtype=int)
    copy = object.__new__(type(samples))
    copy.__dict__.update(samples.__dict__)
    copy.__dict__.pop("auto_correlation_times", None)
    copy.samples_info = dict(samples.samples_info)
    if "auto_correlation_times" in copy.samples_info:
        times = np.asarray(copy.samples_info["auto_correlation_times"])
        copy.samples_info["auto_correlation_times"] = times[indices].tolist()
    copy.model = model
    copy.parameters = samples.parameters[:, indices]
    copy.log_prior = model.compiled.summed_log_priors(copy.parameters)
    return copy


class FactorGraphModel(Analysis):
    """The analysis of several factors fitted together.

    Parameters
    ----------
    *factors
        The :class:`AnalysisFactor` of each dataset.
    name
        Optional name.

    Examples
    --------
    >>> shared_sigma = af.UniformPrior(0.0, 10.0)
    >>> factors = []
    >>> for data in datasets:
    ...     model = af.Model(af.ex.Gaussian, sigma=shared_sigma)
    ...     factors.append(af.AnalysisFactor(model, Analysis(data)))
    >>> graph = af.FactorGraphModel(*factors)
    >>> result = search.fit(model=graph.global_prior_model, analysis=graph)
    >>> result[0].instance.centre
    """

    def __init__(self, *factors: AnalysisFactor, name: str | None = None) -> None:
        if not factors:
            raise ValueError("FactorGraphModel needs at least one AnalysisFactor")
        self.factors = list(factors)
        self.name = name
        self._model = Collection([factor.prior_model for factor in self.factors])

    @property
    def global_prior_model(self) -> Collection:
        """All factors' models in one Collection (``"0"``, ``"1"``, ...); shared priors are one
        parameter."""
        return self._model

    def log_likelihood_function(self, instance: Any) -> float:
        """The sum of every factor's log likelihood at its part of ``instance``."""
        total = 0.0
        for factor, part in zip(self.factors, instance, strict=True):
            total += factor.analysis.log_likelihood_function(instance=part)
        return total

    def _factor_paths(self, paths: Any, index: int) -> Any:
        from autofit.output.paths import SubPaths

        return SubPaths(paths, self.factors[index].name or f"factor_{index}")

    def save_attributes(self, paths: Any) -> None:
        """Each factor saves into its own sub-folder (``files/factor_<i>/``, or its name)."""
        for index, factor in enumerate(self.factors):
            factor.analysis.save_attributes(self._factor_paths(paths, index))

    def make_result(
        self,
        samples_summary: Any = None,
        paths: Any = None,
        samples: Any = None,
        search_internal: Any = None,
        analysis: Any = None,
        **kwargs: Any,
    ) -> FactorGraphResult:
        """One result per factor, each with the samples of that factor's parameters."""
        results = []
        for index, (factor, model) in enumerate(zip(self.factors, samples.model, strict=True)):
            factor_samples = _factor_samples(samples, model)
            results.append(
                factor.analysis.make_result(
                    samples_summary=factor_samples.summary(),
                    paths=None if paths is None else self._factor_paths(paths, index),
                    samples=factor_samples,
                    search_internal=search_internal,
                    analysis=factor.analysis,
                )
            )
        return FactorGraphResult(results, samples)
