"""Result: what ``search.fit`` returns."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from autofit.result.prior_passing import model_centred_on_posterior
from autofit.result.text import results_text

__all__ = ["Result"]


class Result:
    """The outcome of a fit, speaking in the user's classes.

    Parameters
    ----------
    samples_summary
        The fit's :class:`~autofit.SamplesSummary` (computed from ``samples`` when None).
    paths
        Where the fit was written.
    samples
        The fit's :class:`~autofit.Samples`.
    search_internal
        The sampler's own object (e.g. the ``emcee.EnsembleSampler``), when available.
    analysis
        The analysis, if kept.
    latent_samples
        Samples of the analysis's latent variables, if it defines ``LATENT_KEYS``.
    """

    def __init__(
        self,
        samples_summary: Any = None,
        paths: Any = None,
        samples: Any = None,
        search_internal: Any = None,
        analysis: Any = None,
        latent_samples: Any = None,
    ) -> None:
        if samples is None and samples_summary is None:
            raise ValueError("A Result needs samples or a samples summary")
        self.samples = samples
        self._samples_summary = samples_summary
        self.paths = paths
        self.search_internal = search_internal
        self.analysis = analysis
        self.latent_samples = latent_samples

    @property
    def instance(self) -> Any:
        """The maximum-likelihood instance."""
        if self.samples is None:
            return self.samples_summary.max_log_likelihood()
        return self.samples.max_log_likelihood()

    max_log_likelihood_instance = instance

    @property
    def log_likelihood(self) -> float:
        """The highest log likelihood found."""
        if self.samples is None:
            return float(self.samples_summary.max_log_likelihood_value)
        return float(self.samples.log_likelihood.max())

    @property
    def log_evidence(self) -> float | None:
        """The log evidence (nested samplers and the Drawer; None otherwise)."""
        if self.samples is None:
            return self.samples_summary.log_evidence
        return self.samples.log_evidence

    @property
    def samples_summary(self) -> Any:
        """The fit's :class:`~autofit.samples.summary.SamplesSummary`."""
        if self._samples_summary is None:
            self._samples_summary = self.samples.summary()
        return self._samples_summary

    @property
    def info(self) -> str:
        """The text written to ``model.results``."""
        self._require_samples("info")
        return results_text(self.samples)

    def _require_samples(self, what: str) -> None:
        if self.samples is None:
            raise ValueError(
                f"Result.{what} needs the fit's samples; this result holds only its summary"
            )

    @cached_property
    def model(self) -> Any:
        """The model with Gaussian priors centred on the posterior, for chaining searches.

        Each prior's sigma is ``max(larger of the lower and upper errors at 3 sigma, width
        modifier)``, truncated to the prior's
        physical limits.
        """
        return self.model_centred(sigma=3.0)

    def model_centred(self, sigma: float = 3.0) -> Any:
        """The model with priors centred on the median PDF, widths from ``sigma`` errors."""
        self._require_samples("model")
        errors = [max(pair) for pair in self.samples.errors_at_sigma(sigma, as_instance=False)]
        return model_centred_on_posterior(
            self.samples.model, self.samples.median_pdf(as_instance=False), errors=errors
        )

    def model_centred_absolute(self, a: float) -> Any:
        """The model with priors centred on the median PDF, each of sigma ``a``."""
        self._require_samples("model_centred_absolute")
        return model_centred_on_posterior(
            self.samples.model, self.samples.median_pdf(as_instance=False), absolute=a
        )

    def model_centred_relative(self, r: float) -> Any:
        """The model with priors centred on the median PDF, each of sigma ``r * |median|``."""
        self._require_samples("model_centred_relative")
        return model_centred_on_posterior(
            self.samples.model, self.samples.median_pdf(as_instance=False), relative=r
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} max log likelihood {self.log_likelihood:.6g}>"
