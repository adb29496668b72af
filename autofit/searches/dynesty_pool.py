"""The pool dynesty is given: lists of points to evaluate become one batch.

dynesty hands its pool two kinds of work: lists of points whose likelihoods it needs at once
(``pool.map(loglikelihood, points)``, e.g. a new set of live points), and proposals, each of
which evaluates the likelihood itself as it walks (``pool.map(sampler.sample, proposals)``).
:class:`DynestyBatchMap` evaluates the first kind as one batch through ``Fitness.call_batch``
(the analysis's ``log_likelihood_function_batch`` when it has one), split over the workers with
``number_of_cores > 1``; the second kind runs as before, in this process or in the workers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from autofit.parallel.cached import CachedFunction

__all__ = ["DynestyBatchMap", "BATCH"]

#: The name under which the fitness's ``call_batch`` is registered in the workers.
BATCH = "autofit.dynesty.loglike_batch"


class DynestyBatchMap:
    """A pool for dynesty: ``map`` of its likelihood over a list of points is one batch.

    Parameters
    ----------
    fitness
        The fit's fitness (its ``call_batch`` evaluates a batch in this process).
    loglike_name
        The name of the likelihood dynesty calls (a :class:`CachedFunction`), to recognise it.
    pool
        The workers (a :class:`~autofit.parallel.cached.CachedFunctionPool` holding the
        fitness's ``call_batch`` under :data:`BATCH`), or None to evaluate here.
    """

    def __init__(self, fitness: Any, loglike_name: str, pool: Any = None) -> None:
        self.fitness = fitness
        self.loglike_name = loglike_name
        self.pool = pool
        #: dynesty proposes this many points at a time (``queue_size``).
        self.size = int(getattr(pool, "size", 1)) if pool is not None else 1

    def _is_likelihood(self, function: Any) -> bool:
        from dynesty.utils import LogLikelihood

        if not isinstance(function, LogLikelihood) or function.blob:
            return False
        if function.save_evaluation_history:
            return False
        # dynesty wraps the function it was given (with no extra arguments here).
        inner = function.loglikelihood
        if getattr(inner, "args", ()) or getattr(inner, "kwargs", {}):
            return False
        inner = getattr(inner, "func", inner)
        return isinstance(inner, CachedFunction) and inner.name == self.loglike_name

    def map(self, function: Any, items: Iterable[Any]) -> list[Any]:
        """``function`` over ``items``: one batch when ``function`` is the likelihood."""
        items = list(items)
        if items and self._is_likelihood(function):
            from dynesty.utils import LoglOutput

            values = self.evaluate(np.asarray(items, dtype=float))
            return [LoglOutput(value, False) for value in values.tolist()]
        if self.pool is not None:
            return self.pool.map(function, items)
        return list(map(function, items))

    def evaluate(self, points: np.ndarray) -> np.ndarray:
        """The fitness of every row of ``points``, split over the workers when there are any."""
        if self.pool is None:
            return self.fitness.call_batch(points)
        parts = [part for part in np.array_split(points, self.size) if part.shape[0]]
        values = self.pool.map(CachedFunction(BATCH), parts)
        return np.concatenate([np.asarray(value, dtype=float) for value in values])

    #: The context's batch evaluation (:meth:`RunContext.evaluate_batch`) with workers.
    map_batch = evaluate

    def close(self) -> None:
        """Stop the workers (after their current tasks)."""
        if self.pool is not None:
            self.pool.close()

    def terminate(self) -> None:
        """Stop the workers at once."""
        if self.pool is not None:
            self.pool.terminate()
