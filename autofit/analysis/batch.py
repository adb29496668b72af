"""Batch evaluators: the figure of merit of many parameter vectors in one call.

:meth:`Fitness.call_batch <autofit.analysis.fitness.Fitness.call_batch>` is the one seam through
which every search evaluates several points at once. It hands the 2D array of vectors to the
fitness's *batch evaluator*, chosen once per fitness (at its first batch) as follows:

1. each factory registered with :func:`register_batch_evaluator`, most recently registered
   first, is called with the fitness; the first one that returns an evaluator (not None) is used.
   This is how other evaluators plug in (for example one that traces the likelihood with JAX and
   vmaps it over the batch when the analysis was created with ``use_jax=True``);
2. otherwise, if the analysis defines ``log_likelihood_function_batch(self, instances)``, a
   :class:`NumpyBatchEvaluator`: the model's batch form builds ONE batch instance of the rows
   within the priors (see :mod:`autofit.model.batch`) and the analysis returns their log
   likelihoods in one call;
3. otherwise a :class:`PointwiseEvaluator`: the rows are evaluated one by one with the fitness
   itself (``log_likelihood_function``), exactly as a search without batches does.

An evaluator is a callable ``evaluator(vectors) -> values``: ``vectors`` a float array of shape
``(n, d)``, ``values`` a float array of shape ``(n,)`` holding, row by row, what
``fitness(vector)`` returns (the log posterior or log likelihood, ``fitness.resample_value`` for
rejected rows). It may add to ``fitness.rejected``; ``fitness.calls`` is counted by
``call_batch`` itself (one call per row).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from autofit.exc import FitException, LikelihoodException

if TYPE_CHECKING:
    from autofit.analysis.fitness import Fitness

__all__ = [
    "BatchEvaluator",
    "PointwiseEvaluator",
    "NumpyBatchEvaluator",
    "register_batch_evaluator",
    "unregister_batch_evaluator",
    "batch_evaluator_for",
    "has_batch_likelihood",
]

BatchEvaluator = Callable[[np.ndarray], np.ndarray]
BatchEvaluatorFactory = Callable[["Fitness"], "BatchEvaluator | None"]

#: The dtype of float64 arrays (one object: compared by identity on the hot path).
_FLOAT64 = np.dtype(np.float64)

#: Registered factories by name, tried most recently registered first.
_FACTORIES: dict[str, BatchEvaluatorFactory] = {}


def register_batch_evaluator(name: str, factory: BatchEvaluatorFactory) -> None:
    """Register a factory of batch evaluators, tried before the built-in ones.

    Parameters
    ----------
    name
        A name for the factory; registering the same name again replaces it.
    factory
        Called with a :class:`~autofit.analysis.fitness.Fitness` at its first batch; returns an
        evaluator for it (see the module docstring) or None to leave the choice to the next
        factory and finally to the built-in evaluators.
    """
    _FACTORIES.pop(name, None)
    _FACTORIES[name] = factory


def unregister_batch_evaluator(name: str) -> None:
    """Remove the factory registered as ``name`` (nothing happens if there is none)."""
    _FACTORIES.pop(name, None)


def has_batch_likelihood(analysis: Any) -> bool:
    """Whether ``analysis`` defines ``log_likelihood_function_batch``."""
    return callable(getattr(analysis, "log_likelihood_function_batch", None))


def batch_evaluator_for(fitness: Fitness) -> BatchEvaluator:
    """The batch evaluator of ``fitness`` (see the module docstring for the order of choice)."""
    for factory in reversed(list(_FACTORIES.values())):
        evaluator = factory(fitness)
        if evaluator is not None:
            return evaluator
    if has_batch_likelihood(fitness.analysis):
        return NumpyBatchEvaluator(fitness)
    return PointwiseEvaluator(fitness)


class PointwiseEvaluator:
    """Evaluates a batch row by row with the fitness (the analysis's
    ``log_likelihood_function``): the values are exactly those of the one-point path.

    Parameters
    ----------
    fitness
        The fitness whose rows are evaluated.
    """

    def __init__(self, fitness: Fitness) -> None:
        self.fitness = fitness

    def __call__(self, vectors: np.ndarray) -> np.ndarray:
        fitness = self.fitness
        return np.array([fitness(vector) for vector in vectors], dtype=float).reshape(-1)


class NumpyBatchEvaluator:
    """Evaluates a batch with the analysis's ``log_likelihood_function_batch``.

    The model's batch form gives the log prior of every row and one batch instance of the rows
    within the priors' limits that satisfy the assertions (see :mod:`autofit.model.batch`);
    the other rows are rejected without calling the analysis. The analysis returns one log
    likelihood per row of the batch instance; NaN or an infinity rejects that row. If the batch
    method raises :class:`~autofit.exc.FitException`, the rows are evaluated one by one with
    ``log_likelihood_function`` instead (so a row the analysis cannot evaluate is rejected
    alone). If the batch instance cannot be built (a constructor that does not take arrays,
    such as one testing ``if sigma > 0``), this and every later batch are evaluated one by one.

    Parameters
    ----------
    fitness
        The fitness whose analysis defines ``log_likelihood_function_batch``.
    """

    def __init__(self, fitness: Fitness) -> None:
        self.fitness = fitness
        self._plan = fitness.model.compiled.batch_plan
        self._likelihood = fitness.analysis.log_likelihood_function_batch
        #: Set when the model's constructors do not take arrays: rows one by one from then on.
        self.pointwise: PointwiseEvaluator | None = None

    def __call__(self, vectors: np.ndarray) -> np.ndarray:
        if self.pointwise is not None:
            return self.pointwise(vectors)
        try:
            shortcut = self._plan.valid_rows(vectors)
        except Exception:  # noqa: BLE001 - a constructor refusing arrays (e.g. `if sigma > 0`)
            return self._pointwise_from_now(vectors)
        if shortcut is None:
            return self._checked_rows(vectors)
        # Every row valid: one sum of squares says whether every value is finite (a NaN or an
        # infinity makes it non-finite; an overflow of finite values only sends the batch to
        # the row-by-row check). A dot product costs less than a sum on a small array.
        log_priors, instance = shortcut
        log_likelihoods = self._log_likelihoods(vectors, instance, None)
        if log_likelihoods is None:
            return self._row_by_row(vectors)
        values = log_likelihoods + log_priors
        if math.isfinite(values.dot(values)):
            return values if self.fitness.use_log_prior else log_likelihoods.copy()
        every = np.ones(vectors.shape[0], dtype=bool)
        return self._finite_rows(vectors, log_likelihoods, log_priors, every, every)

    def _checked_rows(self, vectors: np.ndarray) -> np.ndarray:
        """The values of a batch with a row outside the limits, violating an assertion or
        with an infinite log prior (or of a model with assertions): the batch plan's
        :meth:`valid_rows` gave None for it."""
        try:
            evaluation = self._plan.evaluate_rows(vectors)
        except Exception:  # noqa: BLE001 - as in __call__
            return self._pointwise_from_now(vectors)
        instance = evaluation.instance
        if instance is None:
            self.fitness.rejected += int(np.count_nonzero(evaluation.in_limits))
            return np.full(vectors.shape[0], float(self.fitness.resample_value))
        rows = np.flatnonzero(evaluation.valid)
        log_likelihoods = self._log_likelihoods(vectors, instance, rows)
        if log_likelihoods is None:
            return self._row_by_row(vectors)
        return self._finite_rows(
            vectors, log_likelihoods, evaluation.log_priors, evaluation.in_limits, evaluation.valid
        )

    def _pointwise_from_now(self, vectors: np.ndarray) -> np.ndarray:
        """Evaluate this batch and every later one row by row: the model's batch instance
        cannot be built."""
        self.pointwise = PointwiseEvaluator(self.fitness)
        return self.pointwise(vectors)

    def _row_by_row(self, vectors: np.ndarray) -> np.ndarray:
        """Every row of this batch evaluated by the fitness alone (the analysis raised
        ``FitException`` for the batch)."""
        fitness = self.fitness
        return np.array([fitness(vector) for vector in vectors], dtype=float)

    def _log_likelihoods(
        self, vectors: np.ndarray, instance: Any, rows: np.ndarray | None
    ) -> np.ndarray | None:
        """The analysis's log likelihoods of the batch instance of ``vectors[rows]`` (every
        row when ``rows`` is None); None if it raised ``FitException``.

        Raises
        ------
        LikelihoodException
            If the batch method raises another error or returns anything but one real number
            per row.
        """
        fitness = self.fitness
        count = vectors.shape[0] if rows is None else rows.size
        try:
            values = self._likelihood(instance)
        except FitException:
            return None
        except Exception as error:
            first = vectors[0 if rows is None else rows[0]]
            raise LikelihoodException(
                f"Evaluating {type(fitness.analysis).__name__}.log_likelihood_function_batch "
                f"raised {type(error).__name__}: {error} (for a batch of {count} points, "
                f"the first at parameters {fitness._shown(first)})"
            ) from error
        if type(values) is np.ndarray and values.dtype is _FLOAT64 and values.shape == (count,):
            return values
        return self._checked(values, count)

    def _finite_rows(
        self,
        vectors: np.ndarray,
        log_likelihoods: np.ndarray,
        log_priors: np.ndarray,
        in_limits: np.ndarray,
        valid: np.ndarray,
    ) -> np.ndarray:
        """The values of a batch whose valid rows' log likelihoods are given: rows outside the
        priors, violating an assertion or with a non-finite log likelihood are rejected."""
        fitness = self.fitness
        rows = np.flatnonzero(valid)
        finite = np.isfinite(log_likelihoods)
        fitness.rejected += int(np.count_nonzero(in_limits & ~valid))
        fitness.rejected += int(rows.size - np.count_nonzero(finite))
        values = np.full(vectors.shape[0], float(fitness.resample_value))
        kept = rows[finite]
        if fitness.use_log_prior:
            values[kept] = log_likelihoods[finite] + log_priors[kept]
        else:
            values[kept] = log_likelihoods[finite]
        return values

    def _checked(self, values: Any, expected: int) -> np.ndarray:
        """The batch method's result as a float64 array of ``expected`` values.

        Raises
        ------
        LikelihoodException
            If it is not an array (or sequence) of ``expected`` real numbers.
        """
        array = np.asarray(values)
        if array.dtype == np.float64 and array.shape == (expected,):
            return array
        kind = array.dtype.kind
        if array.shape == (expected,) and kind in "fiu":
            if kind == "f":
                precision = float(np.finfo(array.dtype).eps)
                self.fitness.precision = max(self.fitness.precision, precision)
            return array.astype(float, copy=False)
        if values is None:
            what = "None; is its return statement missing?"
        else:
            what = f"{type(values).__name__} of shape {array.shape} and dtype {array.dtype}"
        raise LikelihoodException(
            f"{type(self.fitness.analysis).__name__}.log_likelihood_function_batch must return "
            f"one log likelihood per point of the batch instance, an array of shape "
            f"({expected},) of real numbers, but returned {what}"
        )
