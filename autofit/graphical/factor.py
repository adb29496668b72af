"""Several datasets fitted together: one factor per dataset, tied by shared and hierarchical
parameters.

``af.FactorGraphModel(*factors)`` is itself an analysis: fitting
``graph.global_prior_model`` with any search maximises the sum of the factors' log likelihoods
(and of the hierarchical factors' log densities). Priors shared between the factors' models are
one parameter of the global model. ``graph.optimise`` fits the same graph by expectation
propagation instead, one factor at a time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autofit.analysis.analysis import Analysis
from autofit.model.collection import Collection
from autofit.model.instance import ModelInstance
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
    optimiser
        How expectation propagation updates this factor: an :class:`~autofit.LaplaceOptimiser`
        or any non-linear search (run with the factor's cavity as its priors). ``None`` uses
        the optimiser given to ``graph.optimise``. Global fits ignore it.
    name
        Optional name of the factor.
    """

    def __init__(
        self,
        prior_model: Any,
        analysis: Analysis,
        optimiser: Any = None,
        name: str | None = None,
    ) -> None:
        if isinstance(optimiser, str) and name is None:
            # ``AnalysisFactor(model, analysis, "name")``: the name, as before ``optimiser``.
            optimiser, name = None, optimiser
        self.prior_model = prior_model
        self.analysis = analysis
        self.optimiser = optimiser
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
        The :class:`AnalysisFactor` of each dataset, and any
        :class:`~autofit.HierarchicalFactor`.
    include_prior_factors
        Whether the priors of the graph's parameters are part of the expectation-propagation
        approximation (the default, as for a global fit). Without them the parameters' only
        information is the likelihoods and hierarchical factors.
    name
        Optional name.

    Raises
    ------
    TypeError
        If a factor is neither an ``AnalysisFactor`` nor a ``HierarchicalFactor``.

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

    def __init__(
        self, *factors: Any, include_prior_factors: bool = True, name: str | None = None
    ) -> None:
        from autofit.graphical.hierarchical import HierarchicalFactor

        if not factors:
            raise ValueError("FactorGraphModel needs at least one AnalysisFactor")
        self.factors: list[AnalysisFactor] = []
        self.hierarchical_factors: list[HierarchicalFactor] = []
        for factor in factors:
            if isinstance(factor, AnalysisFactor):
                self.factors.append(factor)
            elif isinstance(factor, HierarchicalFactor):
                self.hierarchical_factors.append(factor)
            else:
                raise TypeError(
                    f"FactorGraphModel takes AnalysisFactor and HierarchicalFactor objects, got "
                    f"{type(factor).__name__} ({factor!r})"
                )
        if not self.factors:
            raise ValueError("FactorGraphModel needs at least one AnalysisFactor")
        self.include_prior_factors = bool(include_prior_factors)
        self.name = name
        self.hierarchical_names = [
            factor.name or f"hierarchical_{index}"
            for index, factor in enumerate(self.hierarchical_factors)
        ]
        self._model = Collection(*[factor.prior_model for factor in self.factors])
        for name_, factor in zip(self.hierarchical_names, self.hierarchical_factors, strict=True):
            setattr(self._model, name_, Collection(**factor.parameter_priors))
        self._drawn_paths = [
            [self._drawn_path(prior, name_) for prior in factor.drawn_variables]
            for name_, factor in zip(
                self.hierarchical_names, self.hierarchical_factors, strict=True
            )
        ]

    def _drawn_path(self, prior: Any, hierarchical_name: str) -> tuple[str, ...]:
        path = self._model.path_for_prior(prior)
        if path is None:
            raise ValueError(
                f"{hierarchical_name}: the drawn variable {prior!r} is not a parameter of any "
                "AnalysisFactor's model in this graph; add the factor whose model holds it"
            )
        return tuple(path)

    @property
    def global_prior_model(self) -> Collection:
        """All factors' models in one Collection (``"0"``, ``"1"``, ...) followed by each
        hierarchical factor's parameters (``hierarchical_0``, ... or their names); shared
        priors are one parameter."""
        return self._model

    @staticmethod
    def _value(instance: Any, path: tuple[str, ...]) -> float:
        value = instance
        for name in path:
            value = value[name] if isinstance(value, ModelInstance) else getattr(value, name)
        return float(value)

    def log_likelihood_function(self, instance: Any) -> float:
        """The sum of every factor's log likelihood at its part of ``instance``, plus the log
        density of every drawn variable under its hierarchical distribution."""
        total = 0.0
        for index, factor in enumerate(self.factors):
            total += factor.analysis.log_likelihood_function(instance=instance[index])
        offset = len(self.factors)
        for number, factor in enumerate(self.hierarchical_factors):
            parameters = instance[offset + number]
            values = {name: getattr(parameters, name) for name in factor.parameter_priors}
            drawn = [self._value(instance, path) for path in self._drawn_paths[number]]
            total += float(np.sum(factor.log_density(np.array(drawn), **values)))
        return total

    def optimise(
        self,
        optimiser: Any = None,
        paths: Any = None,
        ep_history: Any = None,
        max_steps: int = 5,
        number_of_cores: int = 1,
        executor: Any = None,
        allow_stale: bool = False,
    ) -> Any:
        """Fit the graph by expectation propagation: one factor at a time, messages between.

        Each sweep updates every analysis factor (from the same approximation, so these
        updates can run in parallel) and then each term of the hierarchical factors, and stops
        once a whole sweep changed every factor by less than ``ep_history.kl_tol``.

        Parameters
        ----------
        optimiser
            How analysis factors without an optimiser of their own are updated; default
            :class:`~autofit.LaplaceOptimiser`. Any non-linear search also works.
        paths
            ``None`` writes nothing. With paths (e.g. ``af.DirectoryPaths(name="ep")``) the
            state is saved atomically after every sweep, with one summary file per factor, and
            a run interrupted at any point resumes from its last completed sweep.
        ep_history
            Convergence settings and record (``af.EPHistory(kl_tol=0.1, damping=1.0)``).
        max_steps
            Largest number of sweeps.
        number_of_cores
            Processes updating analysis factors in parallel (the result is the same for any
            number).
        executor
            Where the analysis factor updates of a sweep run instead of local processes: a
            ``dask.distributed.Client``, ``"dask"`` (a local Dask cluster of
            ``number_of_cores`` workers for the whole run) or any
            ``concurrent.futures.Executor``. The graph is sent to each worker once per sweep.
        allow_stale
            Return even if some factor was never successfully updated.

        Returns
        -------
        EPResult
            The mean field (``result.updated_ep_mean_field.mean_field``), per-factor summaries
            and the mean instance.

        Raises
        ------
        FitException
            If a factor was never successfully updated (naming it), unless ``allow_stale``.
        PriorException
            If a prior has no message family (only Gaussian, truncated Gaussian, log-Gaussian,
            uniform and log-uniform priors do).
        """
        from autofit.exc import FitException
        from autofit.graphical.ep import run_expectation_propagation
        from autofit.graphical.history import STALE, EPHistory
        from autofit.graphical.mean_field import MeanField
        from autofit.graphical.optimisers import LaplaceOptimiser
        from autofit.graphical.result import EPResult

        if max_steps < 1:
            raise ValueError(f"optimise: max_steps must be >= 1, got {max_steps!r}")
        if number_of_cores < 1:
            raise ValueError(f"optimise: number_of_cores must be >= 1, got {number_of_cores!r}")
        optimiser = LaplaceOptimiser() if optimiser is None else optimiser
        ep_history = EPHistory() if ep_history is None else ep_history
        layout, state = run_expectation_propagation(
            self, optimiser, paths, ep_history, max_steps, number_of_cores, executor
        )
        messages = [
            family(state.q[index], layout.lower[index], layout.upper[index])
            for index, family in enumerate(layout.families)
        ]
        result = EPResult(
            self,
            MeanField(layout.priors, messages),
            state.summaries,
            ep_history,
            state.sweep,
            state.calls,
        )
        stale = [summary for summary in state.summaries if summary.status == STALE]
        if stale and not allow_stale:
            shown = ", ".join(
                f"{summary.name} ({summary.last_error or 'not updated'})" for summary in stale[:10]
            )
            more = f" and {len(stale) - 10} more" if len(stale) > 10 else ""
            raise FitException(
                f"Expectation propagation never updated {len(stale)} factor(s): {shown}{more}. "
                "Fix their likelihoods or priors, or pass allow_stale=True to accept a result "
                "without them."
            )
        return result

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
        """One result per analysis factor, each with the samples of that factor's parameters."""
        results = []
        for index, factor in enumerate(self.factors):
            factor_samples = _factor_samples(samples, samples.model[index])
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
