"""Fitness: a parameter vector in, a log posterior (or log likelihood) out.

The hot path of every search. It uses the model's compiled ``evaluate`` (limits, assertions, log
prior and instance in one generated function), calls the user's likelihood, and rejects points
that raise ``FitException``, violate an assertion, or return NaN or an infinity.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autofit.exc import FitException, LikelihoodException

__all__ = ["Fitness"]

NEGATIVE_INFINITY = -math.inf


class Fitness:
    """The function a sampler calls.

    Parameters
    ----------
    model
        The model whose vectors are evaluated.
    analysis
        The user's analysis (``log_likelihood_function(instance=...)``).
    use_log_prior
        Return log likelihood + log prior (True) or the log likelihood alone.
    resample_value
        What a rejected or out-of-prior point returns (``-inf`` for samplers; optimisers
        use a large negative number).
    """

    def __init__(
        self,
        model: Any,
        analysis: Any,
        use_log_prior: bool = True,
        resample_value: float = NEGATIVE_INFINITY,
    ) -> None:
        self.model = model
        self.analysis = analysis
        self.use_log_prior = use_log_prior
        self.resample_value = resample_value
        self.calls = 0
        self.rejected = 0
        self._bind()

    def _bind(self) -> None:
        self._evaluate = self.model.compiled.evaluate
        self._likelihood = self.analysis.log_likelihood_function

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["_evaluate"], state["_likelihood"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._bind()

    def __call__(self, vector: Any) -> float:
        """The log posterior (or log likelihood) at ``vector``; ``resample_value`` if rejected."""
        self.calls += 1
        try:
            log_prior, instance = self._evaluate(vector)
            if log_prior == NEGATIVE_INFINITY:
                if instance:
                    self.rejected += 1
                return self.resample_value
            log_likelihood = self._likelihood(instance=instance)
        except FitException:
            self.rejected += 1
            return self.resample_value
        except Exception as error:
            raise LikelihoodException(self._failure(vector, error)) from error
        if not math.isfinite(log_likelihood):
            self.rejected += 1
            return self.resample_value
        if self.use_log_prior:
            return log_likelihood + log_prior
        return float(log_likelihood)

    def log_likelihood(self, vector: Any) -> float:
        """The log likelihood alone at ``vector`` (``-inf`` if rejected)."""
        try:
            log_prior, instance = self._evaluate(vector)
            if log_prior == NEGATIVE_INFINITY:
                return NEGATIVE_INFINITY
            value = self._likelihood(instance=instance)
        except FitException:
            return NEGATIVE_INFINITY
        except Exception as error:
            raise LikelihoodException(self._failure(vector, error)) from error
        return float(value) if math.isfinite(value) else NEGATIVE_INFINITY

    def _failure(self, vector: Any, error: BaseException) -> str:
        values = np.asarray(vector, dtype=float).tolist()
        shown = ", ".join(
            f"{'.'.join(path)}={value!r}"
            for path, value in zip(self.model.paths, values, strict=False)
        )
        return (
            f"Evaluating {type(self.analysis).__name__}.log_likelihood_function raised "
            f"{type(error).__name__}: {error} at parameters {shown}"
        )
