"""The result of expectation propagation on a factor graph."""

from __future__ import annotations

import math
from typing import Any

from autofit.graphical.history import CONVERGED, STALE, EPHistory, FactorSummary
from autofit.graphical.mean_field import EPMeanField, MeanField

__all__ = ["EPResult"]


class EPResult:
    """What ``graph.optimise`` returns.

    Attributes
    ----------
    updated_ep_mean_field
        The final approximation: ``updated_ep_mean_field.mean_field`` maps every prior of the
        graph to its message, with ``.mean[prior]``, ``.variance[prior]`` and
        ``.scale[prior]``.
    ep_history
        The :class:`~autofit.EPHistory` of the run (one record per sweep run by this call).
    factor_summaries
        A :class:`~autofit.graphical.history.FactorSummary` per factor: updates done, last KL
        change, status.
    sweeps
        Sweeps completed (including those of an earlier, interrupted run that was resumed).
    total_calls
        Likelihood and density evaluations made by the factor updates.
    """

    def __init__(
        self,
        graph: Any,
        mean_field: MeanField,
        factor_summaries: list[FactorSummary],
        ep_history: EPHistory,
        sweeps: int,
        total_calls: int,
    ) -> None:
        self.graph = graph
        self.updated_ep_mean_field = EPMeanField(mean_field, factor_summaries)
        self.ep_history = ep_history
        self.factor_summaries = factor_summaries
        self.sweeps = sweeps
        self.total_calls = total_calls

    @property
    def mean_field(self) -> MeanField:
        """Shortcut for ``updated_ep_mean_field.mean_field``."""
        return self.updated_ep_mean_field.mean_field

    @property
    def is_converged(self) -> bool:
        """Whether every factor's last update changed the approximation by less than the
        history's ``kl_tol``."""
        return all(summary.status == CONVERGED for summary in self.factor_summaries)

    @property
    def failed_factors(self) -> list[str]:
        """Factors whose last update failed (their earlier messages are used)."""
        return [s.name for s in self.factor_summaries if s.status == "failed"]

    @property
    def stale_factors(self) -> list[str]:
        """Factors never successfully updated (they contribute nothing)."""
        return [s.name for s in self.factor_summaries if s.status == STALE]

    @property
    def model(self) -> Any:
        """The graph's global model with every prior replaced by its posterior message as a
        prior (Gaussian, truncated Gaussian or log-Gaussian), ready for a later fit."""
        model = self.graph.global_prior_model
        arguments = {prior: self.mean_field[prior].to_prior() for prior in model.priors}
        return model.mapper_from_prior_arguments(arguments)

    @property
    def instance(self) -> Any:
        """The instance of the graph's global model at the posterior mean of every parameter."""
        model = self.graph.global_prior_model
        vector = [self.mean_field.mean[prior] for prior in model.priors]
        return model.instance_from_vector(vector, ignore_prior_limits=True)

    @property
    def info(self) -> str:
        """A table of every parameter's mean and standard deviation and of every factor's
        summary."""
        model = self.graph.global_prior_model
        lines = ["Parameters (posterior mean and standard deviation)", ""]
        paths = [".".join(path) for path, _ in model.path_priors_tuples]
        width = max((len(path) for path in paths), default=10) + 2
        for path, (_, prior) in zip(paths, model.path_priors_tuples, strict=True):
            message = self.mean_field[prior]
            lines.append(f"{path:<{width}}{message.mean:.6g} ± {message.scale:.3g}")
        lines += ["", "Factors (updates, last KL change, status)", ""]
        width = max((len(s.name) for s in self.factor_summaries), default=10) + 2
        for summary in self.factor_summaries:
            kl = f"{summary.last_kl:.3g}" if math.isfinite(summary.last_kl) else "-"
            lines.append(f"{summary.name:<{width}}{summary.updates:>4}  {kl:>9}  {summary.status}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"EPResult(sweeps={self.sweeps}, factors={len(self.factor_summaries)}, "
            f"converged={self.is_converged})"
        )
