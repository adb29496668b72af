"""Fitness: a parameter vector in, a log posterior (or log likelihood) out.

The hot path of every search. It uses the model's compiled ``evaluate`` (limits, assertions, log
prior and instance in one generated function), calls the user's likelihood, and rejects points
that raise ``FitException``, violate an assertion, or return NaN or an infinity. A likelihood
that returns something other than one real number (None, a string, a complex number, an array)
is an error naming the analysis class and what it returned.

``Fitness(model, analysis)`` of an analysis created with ``use_jax=True`` is a
:class:`~autofit.analysis.jax_fitness.JaxFitness`, which traces and jits the same path.
"""

from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING, Any

import numpy as np

from autofit.exc import FitException, LikelihoodException

if TYPE_CHECKING:
    from autofit.analysis.batch import BatchEvaluator

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

    def __new__(cls, model: Any = None, analysis: Any = None, *args: Any, **kwargs: Any) -> Fitness:
        if cls is Fitness and getattr(analysis, "is_jax", False):
            from autofit.analysis.jax_fitness import JaxFitness

            cls = JaxFitness
        return super().__new__(cls)

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
        #: The relative precision of the likelihood's values: float64's unless it returned a
        #: less precise type (``numpy.float32`` gives about 1.2e-7).
        self.precision = float(np.finfo(float).eps)
        self._bind()

    def _bind(self) -> None:
        self._evaluate = self.model.compiled.evaluate
        self._likelihood = self.analysis.log_likelihood_function
        self._batch_evaluator: BatchEvaluator | None = None
        self._parameter_count = len(self.model.compiled.priors)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["_evaluate"], state["_likelihood"]
        state.pop("_batch_evaluator", None)
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
        if type(log_likelihood) is not float:
            log_likelihood = self._real(log_likelihood, vector)
        if not math.isfinite(log_likelihood):
            self.rejected += 1
            return self.resample_value
        if self.use_log_prior:
            return log_likelihood + log_prior
        return log_likelihood

    def call_batch(self, vectors: Any) -> np.ndarray:
        """The figure of merit of every row of ``vectors``: row by row, exactly what calling the
        fitness on that row returns (``resample_value`` for rejected rows).

        The one seam through which searches evaluate several points at once. The rows go to
        the fitness's batch evaluator, chosen at the first batch (see
        :mod:`autofit.analysis.batch`): a registered evaluator that accepts this fitness
        (:func:`~autofit.analysis.batch.register_batch_evaluator`), else the analysis's
        ``log_likelihood_function_batch`` on one batch instance of the rows within the priors,
        else ``log_likelihood_function`` row by row. Rows outside the priors' limits, or
        violating an assertion, are rejected without calling the analysis. ``calls`` grows by
        the number of rows.

        Parameters
        ----------
        vectors
            Shape ``(n, number of free parameters)``: one parameter vector per row.

        Returns
        -------
        Shape ``(n,)``: the log posterior (or log likelihood) of each row.

        Raises
        ------
        ValueError
            If ``vectors`` is not 2D with one column per free parameter.
        LikelihoodException
            If the analysis raises an error other than ``FitException``, or its batch method
            does not return one real number per point.
        """
        vectors = np.asarray(vectors, dtype=float)
        evaluator = self._batch_evaluator or self.batch_evaluator
        count = self._parameter_count
        if vectors.ndim != 2 or vectors.shape[1] != count:
            raise ValueError(
                f"Fitness.call_batch expects a 2D array of shape (n, {count}), one row per point "
                f"and one column per free parameter, got an array of shape {vectors.shape}"
            )
        if vectors.shape[0] == 0:
            return np.zeros(0)
        calls = self.calls
        values = evaluator(vectors)
        self.calls = calls + vectors.shape[0]
        return values

    @property
    def batch_evaluator(self) -> BatchEvaluator:
        """The evaluator :meth:`call_batch` uses (chosen on first access)."""
        if self._batch_evaluator is None:
            from autofit.analysis.batch import batch_evaluator_for

            self._batch_evaluator = batch_evaluator_for(self)
        return self._batch_evaluator

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
        if type(value) is not float:
            value = self._real(value, vector)
        return value if math.isfinite(value) else NEGATIVE_INFINITY

    def _real(self, value: Any, vector: Any) -> float:
        """A likelihood value that is not a Python float as one, recording its precision.

        ``numpy.float64`` (what numpy sums return), a subclass of float, is converted at once.

        Raises
        ------
        LikelihoodException
            If ``value`` is not one real number (None, a string, a bool, a complex number, an
            array of more than zero dimensions).
        """
        if isinstance(value, float):
            return float(value)
        dtype = getattr(value, "dtype", None)
        if dtype is not None and getattr(value, "ndim", None) == 0:
            kind = np.dtype(dtype).kind
            if kind == "f":
                self.precision = max(self.precision, float(np.finfo(dtype).eps))
            if kind in "fiu":
                return float(value)
        elif isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
            return float(value)
        raise LikelihoodException(self._bad_value(value, vector))

    def _bad_value(self, value: Any, vector: Any) -> str:
        shape = getattr(value, "shape", None)
        if value is None:
            what, hint = "None", "; is its return statement missing?"
        elif shape is not None and len(shape) > 0:
            what = f"an array of shape {tuple(shape)}"
            hint = "; return one number, e.g. the sum of the log likelihoods of the data points"
        elif isinstance(value, (complex, np.complexfloating)):
            what, hint = f"the complex number {value!r}", "; return a real number"
        else:
            shown = repr(value)
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            what, hint = f"{shown} of type {type(value).__name__}", ""
        return (
            f"{type(self.analysis).__name__}.log_likelihood_function must return the log "
            f"likelihood as one real number (a float), but returned {what}{hint} "
            f"(at parameters {self._shown(vector)})"
        )

    def _shown(self, vector: Any) -> str:
        values = np.asarray(vector, dtype=float).tolist()
        shown = ", ".join(
            f"{'.'.join(path)}={value!r}"
            for path, value in zip(self.model.paths[:20], values, strict=False)
        )
        return shown + (", ..." if len(values) > 20 else "")

    def _failure(self, vector: Any, error: BaseException) -> str:
        return (
            f"Evaluating {type(self.analysis).__name__}.log_likelihood_function raised "
            f"{type(error).__name__}: {error} at parameters {self._shown(vector)}"
        )
