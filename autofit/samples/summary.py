"""SamplesSummary: the few numbers most users want from a fit, small enough to load by the
thousand (``files/samples_summary.json``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["SamplesSummary"]


class SamplesSummary:
    """Maximum-likelihood and median-PDF vectors, 1 and 3 sigma limits and the evidence.

    Parameters
    ----------
    model
        The model (used to turn vectors into instances).
    values
        The summary's numbers, as written to ``samples_summary.json``.
    model_loader
        Called for the model when it is first needed, if ``model`` is None (vectors are read
        without building the model).
    """

    def __init__(
        self,
        model: Any,
        values: dict[str, Any],
        model_loader: Callable[[], Any] | None = None,
    ) -> None:
        self._model = model
        self._model_loader = model_loader
        self.values = values

    @property
    def model(self) -> Any:
        """The model the vectors belong to."""
        if self._model is None and self._model_loader is not None:
            self._model = self._model_loader()
        return self._model

    @model.setter
    def model(self, model: Any) -> None:
        self._model = model

    @classmethod
    def from_samples(cls, samples: Any) -> SamplesSummary:
        """Summarise ``samples``."""
        values: dict[str, Any] = {
            "paths": [".".join(path) for path in samples.model.paths],
            "total_samples": samples.total_samples,
            "log_evidence": samples.log_evidence,
        }
        if samples.total_samples:
            index = samples.max_log_likelihood_index()
            values.update(
                max_log_likelihood=float(samples.log_likelihood[index]),
                max_log_likelihood_log_prior=float(samples.log_prior[index]),
                max_log_likelihood_weight=float(samples.weights[index]),
                max_log_likelihood_vector=samples.parameters[index].tolist(),
                max_log_posterior_vector=samples.max_log_posterior(as_instance=False),
                median_pdf_vector=samples.median_pdf(as_instance=False),
            )
            for sigma in (1.0, 3.0):
                values[f"sigma_{sigma:g}"] = {
                    "lower": samples.values_at_lower_sigma(sigma, as_instance=False),
                    "upper": samples.values_at_upper_sigma(sigma, as_instance=False),
                }
        return cls(samples.model, values)

    def dict(self) -> dict[str, Any]:
        """The JSON form."""
        return dict(self.values)

    def _instance(self, vector: list[float], as_instance: bool) -> Any:
        if not as_instance:
            return list(vector)
        return self.model.instance_from_vector(
            vector, ignore_assertions=True, ignore_prior_limits=True
        )

    @property
    def log_evidence(self) -> float | None:
        """The log evidence, if the search computed one."""
        return self.values.get("log_evidence")

    @property
    def max_log_likelihood_value(self) -> float:
        """The highest log likelihood found."""
        return self.values["max_log_likelihood"]

    @property
    def log_likelihood(self) -> float:
        """The highest log likelihood found (PyAutoFit's ``summary.log_likelihood``; the same
        as :attr:`max_log_likelihood_value`)."""
        return self.max_log_likelihood_value

    @property
    def max_log_likelihood_sample(self) -> Any:
        """The maximum-likelihood sample as a :class:`~autofit.samples.Sample` (its parameters
        by dotted path, log likelihood, log prior and weight).

        A summary written before the log prior and weight were stored gives the log prior
        from the model's priors and a weight of NaN.

        Raises
        ------
        ValueError
            If the summary is of empty samples.
        """
        from autofit.samples.samples import Sample

        if "max_log_likelihood_vector" not in self.values:
            raise ValueError(
                "The summary is of empty samples: there is no maximum-likelihood sample"
            )
        vector = list(self.values["max_log_likelihood_vector"])
        log_prior = self.values.get("max_log_likelihood_log_prior")
        if log_prior is None:
            log_prior = float(np.sum(self.model.log_prior_list_from_vector(vector)))
        return Sample(
            log_likelihood=float(self.values["max_log_likelihood"]),
            log_prior=float(log_prior),
            weight=float(self.values.get("max_log_likelihood_weight", np.nan)),
            kwargs=dict(zip(self.values["paths"], vector, strict=True)),
        )

    def max_log_likelihood(self, as_instance: bool = True) -> Any:
        """The maximum-likelihood sample."""
        return self._instance(self.values["max_log_likelihood_vector"], as_instance)

    def max_log_posterior(self, as_instance: bool = True) -> Any:
        """The maximum-posterior sample."""
        return self._instance(self.values["max_log_posterior_vector"], as_instance)

    def median_pdf(self, as_instance: bool = True) -> Any:
        """The median of each marginal posterior."""
        return self._instance(self.values["median_pdf_vector"], as_instance)

    def _limits(self, sigma: float) -> dict[str, list[float]]:
        key = f"sigma_{sigma:g}"
        if key not in self.values:
            raise KeyError(f"The summary stores 1 and 3 sigma limits only, not sigma={sigma}")
        return self.values[key]

    def values_at_upper_sigma(self, sigma: float, as_instance: bool = True) -> Any:
        """Upper ``sigma`` limits (1 or 3)."""
        return self._instance(self._limits(sigma)["upper"], as_instance)

    def values_at_lower_sigma(self, sigma: float, as_instance: bool = True) -> Any:
        """Lower ``sigma`` limits (1 or 3)."""
        return self._instance(self._limits(sigma)["lower"], as_instance)

    def errors_at_sigma(self, sigma: float, as_instance: bool = True) -> Any:
        """``(lower error, upper error)`` per parameter: distances from the median to the
        ``sigma`` limits (1 or 3)."""
        limits = self._limits(sigma)
        median = np.array(self.values["median_pdf_vector"])
        pairs = list(
            zip(
                (median - np.array(limits["lower"])).tolist(),
                (np.array(limits["upper"]) - median).tolist(),
                strict=True,
            )
        )
        if not as_instance:
            return pairs
        return self.model.instance_from_vector(
            pairs, ignore_assertions=True, ignore_prior_limits=True
        )

    @property
    def instance(self) -> Any:
        """The maximum-likelihood instance."""
        return self.max_log_likelihood()
