"""Samples: the points a search visited, their likelihoods and weights, and the PDF they imply.

Every search returns the same :class:`Samples` type. Parameters are stored as one
``(n_samples, n_parameters)`` array in the model's vector order. Statistics use the samples of
the PDF (:meth:`Samples.pdf`): all weighted samples by default, the chain after burn-in for MCMC
(:class:`SamplesMCMC`), and the best point for optimisers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autofit.samples.pdf import cumulative_positions, sigma_to_probability

__all__ = ["Sample", "Samples"]


@dataclass(frozen=True)
class Sample:
    """One sample: its parameters by path, log likelihood, log prior and weight.

    Parameters
    ----------
    log_likelihood, log_prior
        The sample's log likelihood and log prior.
    weight
        Its normalised weight in the PDF.
    kwargs
        The parameter values keyed by their dotted paths (``"gaussian.centre"``).
    """

    log_likelihood: float
    log_prior: float
    weight: float
    kwargs: dict[str, float] = field(default_factory=dict)

    @property
    def log_posterior(self) -> float:
        """``log_likelihood + log_prior``."""
        return self.log_likelihood + self.log_prior

    def parameter_lists_for_model(self, model: Any) -> list[float]:
        """The sample's values in the vector order of ``model``.

        Raises
        ------
        KeyError
            Naming the parameter of the model the sample has no value for.
        """
        values = {
            ".".join(key) if isinstance(key, tuple) else key: value
            for key, value in self.kwargs.items()
        }
        vector = []
        for path in model.joined_paths:
            if path not in values:
                raise KeyError(
                    f"The sample has no value for the parameter {path!r} of the model "
                    f"(it has {', '.join(values) or 'none'})"
                )
            vector.append(float(values[path]))
        return vector

    def instance_for_model(self, model: Any, ignore_assertions: bool = False) -> Any:
        """The instance of ``model`` at this sample's parameters.

        Parameters
        ----------
        model
            The model the sample is of (or one with the same parameter paths).
        ignore_assertions
            Build the instance even if it breaks one of the model's assertions.
        """
        return model.instance_from_vector(
            self.parameter_lists_for_model(model),
            ignore_assertions=ignore_assertions,
            ignore_prior_limits=True,
        )


class Samples:
    """The samples of a fit (see the module docstring).

    Parameters
    ----------
    model
        The model the samples are of (vector order = columns).
    parameters
        ``(n_samples, n_parameters)`` physical parameter values.
    log_likelihood, log_prior
        One value per sample.
    weights
        Importance weights (normalised on input); None for equal weights.
    samples_info
        Search-specific information (kind, iterations, timings, evidence, ...).
    """

    kind = "samples"

    def __init__(
        self,
        model: Any,
        parameters: np.ndarray | list[list[float]],
        log_likelihood: np.ndarray | list[float],
        log_prior: np.ndarray | list[float],
        weights: np.ndarray | list[float] | None = None,
        samples_info: dict[str, Any] | None = None,
    ) -> None:
        self.model = model
        self.parameters = np.atleast_2d(np.asarray(parameters, dtype=float))
        if self.parameters.size == 0:
            self.parameters = self.parameters.reshape(0, model.prior_count)
        self.log_likelihood = np.asarray(log_likelihood, dtype=float)
        self.log_prior = np.asarray(log_prior, dtype=float)
        count = self.parameters.shape[0]
        if weights is None:
            weights = np.ones(count)
        weights = np.asarray(weights, dtype=float)
        if weights.shape != (count,):
            raise ValueError(f"Samples: {count} parameter rows but {weights.shape[0]} weights")
        total = weights.sum()
        self.weights = weights / total if total > 0 and abs(total - 1.0) > 1e-12 else weights
        self.samples_info = dict(samples_info or {})
        self.samples_info.setdefault("kind", self.kind)
        if self.log_likelihood.shape != (count,) or self.log_prior.shape != (count,):
            raise ValueError(
                f"Samples: {count} parameter rows but {self.log_likelihood.shape[0]} log "
                f"likelihoods and {self.log_prior.shape[0]} log priors"
            )
        if self.parameters.shape[1] != model.prior_count:
            raise ValueError(
                f"Samples: {self.parameters.shape[1]} parameter columns for a model with "
                f"{model.prior_count} free parameters ({', '.join(model.joined_paths)})"
            )

    # -- the stored samples ----------------------------------------------------------------------

    @property
    def parameter_lists(self) -> list[list[float]]:
        """Each sample's parameter vector, as lists."""
        return self.parameters.tolist()

    @property
    def log_likelihood_list(self) -> list[float]:
        """Each sample's log likelihood."""
        return self.log_likelihood.tolist()

    @property
    def log_prior_list(self) -> list[float]:
        """Each sample's log prior."""
        return self.log_prior.tolist()

    @property
    def log_posterior(self) -> np.ndarray:
        """Each sample's log posterior (log likelihood + log prior) as an array."""
        return self.log_likelihood + self.log_prior

    @property
    def log_posterior_list(self) -> list[float]:
        """Each sample's log posterior."""
        return self.log_posterior.tolist()

    @property
    def weight_list(self) -> list[float]:
        """Each sample's normalised weight."""
        return self.weights.tolist()

    @property
    def total_samples(self) -> int:
        """The number of stored samples."""
        return int(self.parameters.shape[0])

    @property
    def paths(self) -> list[tuple[str, ...]]:
        """The path of each parameter column."""
        return self.model.paths

    @property
    def sample_list(self) -> list[Sample]:
        """Every sample as a :class:`Sample`."""
        names = self.model.joined_paths
        return [
            Sample(ll, lp, w, dict(zip(names, row, strict=True)))
            for row, ll, lp, w in zip(
                self.parameters.tolist(),
                self.log_likelihood.tolist(),
                self.log_prior.tolist(),
                self.weights.tolist(),
                strict=True,
            )
        ]

    @property
    def log_evidence(self) -> float | None:
        """The log Bayesian evidence (nested samplers and the Drawer; None otherwise)."""
        return self.samples_info.get("log_evidence")

    # -- the PDF ---------------------------------------------------------------------------------

    def pdf(self) -> tuple[np.ndarray, np.ndarray]:
        """The parameters and normalised weights of the samples that represent the posterior."""
        return self.parameters, self.weights

    def _instance(self, vector: Any) -> Any:
        return self.model.instance_from_vector(
            list(vector), ignore_assertions=True, ignore_prior_limits=True
        )

    def _result(self, vector: np.ndarray | list, as_instance: bool) -> Any:
        vector = [float(value) for value in vector]
        return self._instance(vector) if as_instance else vector

    def _check_not_empty(self) -> None:
        if self.total_samples == 0:
            raise ValueError("These samples are empty: the search has not stored any sample yet")

    def max_log_likelihood_index(self) -> int:
        """Index of the sample with the highest log likelihood."""
        self._check_not_empty()
        return int(np.argmax(self.log_likelihood))

    def max_log_likelihood(self, as_instance: bool = True) -> Any:
        """The sample with the highest log likelihood (an instance, or its vector)."""
        return self._result(self.parameters[self.max_log_likelihood_index()], as_instance)

    def max_log_posterior(self, as_instance: bool = True) -> Any:
        """The sample with the highest log posterior (an instance, or its vector)."""
        self._check_not_empty()
        return self._result(self.parameters[int(np.argmax(self.log_posterior))], as_instance)

    def _sorted_pdf(self) -> tuple[np.ndarray, np.ndarray]:
        """Each parameter's PDF samples sorted, with their cumulative positions (see
        :mod:`autofit.samples.pdf`), both of shape ``(parameters, samples)`` with contiguous
        rows; cached, as every quantile of every parameter uses them."""
        cache = self.__dict__.get("_sorted_cache")
        if cache is not None and cache[0] is self.parameters:
            return cache[1], cache[2]
        parameters, weights = self.pdf()
        # A copy (sorted in place below) even when the transpose is already contiguous.
        columns = np.array(parameters.T, order="C")
        if weights.size and np.all(weights == weights[0]):
            # Equal weights (an MCMC chain): the positions do not depend on the order of the
            # samples, so each parameter's values are sorted without an argsort, and every
            # parameter shares one row of positions.
            columns.sort(axis=1)
            values = columns
            cdf = np.broadcast_to(cumulative_positions(weights), values.shape)
        else:
            order = np.argsort(columns, axis=1, kind="stable")
            values = np.take_along_axis(columns, order, axis=1)
            cdf = np.empty_like(values)
            for row in range(values.shape[0]):
                cdf[row] = cumulative_positions(weights[order[row]])
        self.__dict__["_sorted_cache"] = (self.parameters, values, cdf)
        return values, cdf

    def _quantiles(self, q: float) -> np.ndarray:
        self._check_not_empty()
        values, cdf = self._sorted_pdf()
        if values.shape[1] == 1:
            return values[:, 0].copy()
        return np.array([np.interp(q, cdf[row], values[row]) for row in range(values.shape[0])])

    def median_pdf(self, as_instance: bool = True) -> Any:
        """The median of each parameter's marginal posterior."""
        return self._result(self._quantiles(0.5), as_instance)

    def values_at_upper_sigma(self, sigma: float, as_instance: bool = True) -> Any:
        """Each parameter's upper ``sigma`` confidence limit."""
        return self._result(self._quantiles(1.0 - sigma_to_probability(sigma)), as_instance)

    def values_at_lower_sigma(self, sigma: float, as_instance: bool = True) -> Any:
        """Each parameter's lower ``sigma`` confidence limit."""
        return self._result(self._quantiles(sigma_to_probability(sigma)), as_instance)

    def values_at_sigma(self, sigma: float, as_instance: bool = True) -> Any:
        """``(lower, upper)`` confidence limits of each parameter."""
        lower = self.values_at_lower_sigma(sigma, as_instance=False)
        upper = self.values_at_upper_sigma(sigma, as_instance=False)
        pairs = list(zip(lower, upper, strict=True))
        return self._instance(pairs) if as_instance else pairs

    def errors_at_upper_sigma(self, sigma: float, as_instance: bool = True) -> Any:
        """Upper limit minus median, per parameter."""
        upper = np.array(self.values_at_upper_sigma(sigma, as_instance=False))
        return self._result(upper - np.array(self.median_pdf(as_instance=False)), as_instance)

    def errors_at_lower_sigma(self, sigma: float, as_instance: bool = True) -> Any:
        """Median minus lower limit, per parameter."""
        lower = np.array(self.values_at_lower_sigma(sigma, as_instance=False))
        return self._result(np.array(self.median_pdf(as_instance=False)) - lower, as_instance)

    def errors_at_sigma(self, sigma: float, as_instance: bool = True) -> Any:
        """``(lower error, upper error)`` of each parameter: the distances from the median to
        the lower and upper ``sigma`` limits."""
        lower = self.errors_at_lower_sigma(sigma, as_instance=False)
        upper = self.errors_at_upper_sigma(sigma, as_instance=False)
        pairs = list(zip(lower, upper, strict=True))
        return self._instance(pairs) if as_instance else pairs

    def covariance_matrix(self) -> np.ndarray:
        """The weighted covariance matrix of the PDF samples."""
        self._check_not_empty()
        parameters, weights = self.pdf()
        if parameters.shape[0] < 2:
            return np.zeros((parameters.shape[1], parameters.shape[1]))
        return np.atleast_2d(np.cov(parameters, rowvar=False, aweights=weights))

    def from_sample_index(self, sample_index: int, as_instance: bool = True) -> Any:
        """The sample at ``sample_index`` (an instance, or its vector)."""
        return self._result(self.parameters[sample_index], as_instance)

    def draw_randomly_via_pdf(
        self, as_instance: bool = True, rng: np.random.Generator | None = None
    ) -> Any:
        """A sample drawn at random from the PDF samples with probability equal to its weight."""
        self._check_not_empty()
        parameters, weights = self.pdf()
        rng = rng or np.random.default_rng()
        index = int(rng.choice(parameters.shape[0], p=weights / weights.sum()))
        return self._result(parameters[index], as_instance)

    # -- older spellings -------------------------------------------------------------------------

    @property
    def median_pdf_instance(self) -> Any:
        """``median_pdf()``."""
        return self.median_pdf()

    @property
    def median_pdf_vector(self) -> list[float]:
        """``median_pdf(as_instance=False)``."""
        return self.median_pdf(as_instance=False)

    @property
    def max_log_likelihood_instance(self) -> Any:
        """``max_log_likelihood()``."""
        return self.max_log_likelihood()

    @property
    def max_log_likelihood_vector(self) -> list[float]:
        """``max_log_likelihood(as_instance=False)``."""
        return self.max_log_likelihood(as_instance=False)

    def vector_at_upper_sigma(self, sigma: float) -> list[float]:
        """``values_at_upper_sigma(sigma, as_instance=False)``."""
        return self.values_at_upper_sigma(sigma, as_instance=False)

    def vector_at_lower_sigma(self, sigma: float) -> list[float]:
        """``values_at_lower_sigma(sigma, as_instance=False)``."""
        return self.values_at_lower_sigma(sigma, as_instance=False)

    # -- subsets and summaries -------------------------------------------------------------------

    def _with_model(self, model: Any) -> Samples:
        index_of_path = {
            path: index
            for index, paths in enumerate(self.model.compiled.all_paths)
            for path in paths
        }
        columns = [index_of_path[path] for path in model.paths]
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.model = model
        copy.parameters = self.parameters[:, columns]
        return copy

    def with_paths(self, paths: list[tuple[str, ...] | str]) -> Samples:
        """Samples of only the parameters at (or below) ``paths``."""
        return self._with_model(self.model.with_paths(paths))

    def without_paths(self, paths: list[tuple[str, ...] | str]) -> Samples:
        """Samples without the parameters at (or below) ``paths``."""
        return self._with_model(self.model.without_paths(paths))

    def summary(self) -> Any:
        """A :class:`~autofit.samples.summary.SamplesSummary` of these samples."""
        from autofit.samples.summary import SamplesSummary

        return SamplesSummary.from_samples(self)

    def __len__(self) -> int:
        return self.total_samples

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.total_samples} samples of {self.model.prior_count} parameters>"
