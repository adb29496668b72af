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
    samples
        The fit's :class:`~autofit.Samples`.
    search_internal
        The sampler's own object (e.g. the ``emcee.EnsembleSampler``), when available.
    paths
        Where the fit was written.
    latent_samples
        Samples of the analysis's latent variables, if it defines ``LATENT_KEYS``.
    """

    def __init__(
        self,
        samples: Any,
        search_internal: Any = None,
        paths: Any = None,
        latent_samples: Any = None,
        analysis: Any = None,
        **kwargs: Any,
    ) -> None:
        self.samples = samples
        self.search_internal = search_internal
        self.paths = paths
        self.latent_samples = latent_samples
        self.analysis = analysis

    @property
    def instance(self) -> Any:
        """The maximum-likelihood instance."""
        return self.samples.max_log_likelihood()

    max_log_likelihood_instance = instance

    @property
    def log_likelihood(self) -> float:
        """The highest log likelihood found."""
        return float(self.samples.log_likelihood.max())

    @property
    def log_evidence(self) -> float | None:
        """The log evidence (nested sampling only)."""
        return self.samples.log_evidence

    @property
    def samples_summary(self) -> Any:
        """The fit's :class:`~autofit.samples.summary.SamplesSummary`."""
        return self.samples.summary()

    @property
    def info(self) -> str:
        """The text written to ``model.results``."""
        return results_text(self.samples)

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
        errors = [max(pair) for pair in self.samples.errors_at_sigma(sigma, as_instance=False)]
        return model_centred_on_posterior(
            self.samples.model, self.samples.median_pdf(as_instance=False), errors=errors
        )

    def model_centred_absolute(self, a: float) -> Any:
        """The model with priors centred on the median PDF, each of sigma ``a``."""
        return model_centred_on_posterior(
            self.samples.model, self.samples.median_pdf(as_instance=False), absolute=a
        )

    def model_centred_relative(self, r: float) -> Any:
        """The model with priors centred on the median PDF, each of sigma ``r * |median|``."""
        return model_centred_on_posterior(
            self.samples.model, self.samples.median_pdf(as_instance=False), relative=r
        )

    def __repr__(self) -> str:
        return f"<Result max log likelihood {self.log_likelihood:.6g}>"
