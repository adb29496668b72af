"""SamplesPDF: samples that represent the posterior probability density (MCMC, nested sampling)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autofit.samples.samples import Sample, Samples

__all__ = ["SamplesPDF"]


class SamplesPDF(Samples):
    """Samples whose (weighted) points are draws of the posterior: the base of
    :class:`~autofit.SamplesMCMC` and :class:`~autofit.SamplesNest`.

    An optimiser's samples (:class:`~autofit.SamplesOptimizer`) are not: they trace the path to
    the maximum. ``isinstance(samples, af.SamplesPDF)`` tells whether medians and errors of the
    samples are statistically meaningful. The samples can be given as arrays, as for
    :class:`~autofit.Samples`, or as a list of :class:`~autofit.samples.Sample` (PyAutoFit's
    ``sample_list=`` form).

    Parameters
    ----------
    model
        The model the samples are of (vector order = columns).
    parameters
        ``(n_samples, n_parameters)`` physical parameter values (not with ``sample_list``).
    log_likelihood, log_prior
        One value per sample (not with ``sample_list``).
    weights
        Importance weights (normalised on input); None for equal weights.
    samples_info
        Search-specific information (kind, iterations, timings, evidence, ...).
    sample_list
        The samples as :class:`~autofit.samples.Sample` objects, each holding its parameters
        keyed by path, instead of ``parameters``, ``log_likelihood``, ``log_prior`` and
        ``weights``.

    Raises
    ------
    TypeError
        If both ``sample_list`` and arrays are given, or neither.
    KeyError
        If a sample of ``sample_list`` lacks a parameter of the model (naming it).

    Examples
    --------
    >>> samples = af.SamplesPDF(model=model, sample_list=[af.samples.Sample(-1.0, 0.0, 1.0,
    ...     {"centre": 50.0, "normalization": 2.0, "sigma": 5.0})])
    """

    kind = "pdf"

    def __init__(
        self,
        model: Any,
        parameters: np.ndarray | list[list[float]] | None = None,
        log_likelihood: np.ndarray | list[float] | None = None,
        log_prior: np.ndarray | list[float] | None = None,
        weights: np.ndarray | list[float] | None = None,
        samples_info: dict[str, Any] | None = None,
        *,
        sample_list: Sequence[Sample] | None = None,
    ) -> None:
        arrays = (parameters, log_likelihood, log_prior)
        if sample_list is not None:
            if any(array is not None for array in (*arrays, weights)):
                raise TypeError(
                    f"{type(self).__name__} takes either sample_list or the arrays "
                    "(parameters, log_likelihood, log_prior, weights), not both"
                )
            parameters, log_likelihood, log_prior, weights = _arrays_from(model, sample_list)
        elif any(array is None for array in arrays):
            raise TypeError(
                f"{type(self).__name__} needs parameters, log_likelihood and log_prior, "
                "or a sample_list"
            )
        super().__init__(model, parameters, log_likelihood, log_prior, weights, samples_info)


def _arrays_from(
    model: Any, sample_list: Sequence[Sample]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Parameters, log likelihoods, log priors and weights of a list of samples."""
    count = len(sample_list)
    parameters = np.array(
        [sample.parameter_lists_for_model(model) for sample in sample_list], dtype=float
    ).reshape(count, model.prior_count)
    log_likelihood = np.array([sample.log_likelihood for sample in sample_list], dtype=float)
    log_prior = np.array([sample.log_prior for sample in sample_list], dtype=float)
    weights = np.array([sample.weight for sample in sample_list], dtype=float)
    return parameters, log_likelihood, log_prior, weights if count else None
