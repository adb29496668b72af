"""Samples of an MCMC ensemble: the full chain is kept; the PDF drops the burn-in."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from autofit.samples.autocorrelation import burn_in_from_times, integrated_time
from autofit.samples.posterior import SamplesPDF

__all__ = ["SamplesMCMC"]


class SamplesMCMC(SamplesPDF):
    """Samples of an ensemble MCMC run, stored step by step (all walkers of step 0 first).

    ``samples_info["nwalkers"]`` gives the ensemble size. The PDF uses the chain after the
    burn-in of :func:`~autofit.samples.autocorrelation.burn_in_length`
    (``min(ceil(3 * max tau), n_steps // 2)`` steps); ``parameter_lists`` keeps the full chain.
    """

    kind = "mcmc"

    @classmethod
    def from_chain(
        cls,
        model: Any,
        parameters: np.ndarray,
        log_posterior: np.ndarray,
        samples_info: dict[str, Any],
    ) -> SamplesMCMC:
        """Samples of a chain stored step by step, from each sample's log posterior.

        The log prior is recomputed from the parameters and the log likelihood is the
        difference; with at least 4 steps the burn-in and autocorrelation times are recorded
        in ``samples_info``.
        """
        log_prior = model.compiled.summed_log_priors(parameters)
        samples = cls(
            model,
            parameters=parameters,
            log_likelihood=np.asarray(log_posterior, dtype=float) - log_prior,
            log_prior=log_prior,
            samples_info=samples_info,
        )
        if samples.total_samples // samples.nwalkers >= 4:
            samples.samples_info["burn_in"] = samples.burn_in
            samples.samples_info["auto_correlation_times"] = samples.auto_correlation_times.tolist()
        return samples

    @property
    def nwalkers(self) -> int:
        """The number of walkers."""
        return int(self.samples_info.get("nwalkers", 1))

    @property
    def chain(self) -> np.ndarray:
        """The chain as ``(n_steps, n_walkers, n_parameters)``."""
        steps = self.total_samples // self.nwalkers
        return self.parameters[: steps * self.nwalkers].reshape(
            steps, self.nwalkers, self.parameters.shape[1]
        )

    @cached_property
    def auto_correlation_times(self) -> np.ndarray:
        """Integrated autocorrelation time of each parameter (in steps)."""
        return integrated_time(self.chain)

    @cached_property
    def burn_in(self) -> int:
        """Number of steps discarded from the start of the chain for the PDF."""
        if "burn_in" in self.samples_info:
            return int(self.samples_info["burn_in"])
        steps = self.total_samples // self.nwalkers
        if steps < 4:
            return 0
        return burn_in_from_times(self.auto_correlation_times, steps)

    def pdf(self) -> tuple[np.ndarray, np.ndarray]:
        start = self.burn_in * self.nwalkers
        parameters = self.parameters[start:]
        return parameters, np.full(parameters.shape[0], 1.0 / max(parameters.shape[0], 1))

    def _with_model(self, model: Any) -> SamplesMCMC:
        copy = super()._with_model(model)
        copy.__dict__.pop("auto_correlation_times", None)
        return copy
