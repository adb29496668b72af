"""A process pool whose workers receive the function once, then only its arguments.

The function (typically a fitness holding the user's analysis, data and model) is serialised
with dill, so analysis classes defined in the user's script work, and sent to every worker when
it starts. Each ``map`` then ships only the parameter vectors and gets back the values.

Ctrl+C: workers ignore SIGINT (the terminal sends it to the whole process group), so only the
parent is interrupted; it then terminates the workers instead of waiting for them, and the
``KeyboardInterrupt`` reaches the search like in a serial fit, leaving the last checkpoint.
"""

from __future__ import annotations

import math
import multiprocessing
import signal
from collections.abc import Callable, Iterable
from typing import Any

from autofit.parallel.serial import WorkerPool

__all__ = ["FunctionPool", "ignore_interrupts", "map_or_terminate"]

_WORKER_FUNCTION: list[Any] = [None]


def ignore_interrupts() -> None:
    """Make this (worker) process ignore SIGINT: Ctrl+C interrupts the parent only."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def map_or_terminate(
    pool: Any, function: Callable[[Any], Any], items: list[Any], chunk: int
) -> list:
    """``pool.map(function, items)``; if interrupted (Ctrl+C, or any error of the parent),
    the workers are terminated at once and the exception is raised again."""
    try:
        return pool.map(function, items, chunksize=chunk)
    except BaseException:
        pool.terminate()
        raise


def _initialise(payload: bytes) -> None:
    import dill

    ignore_interrupts()
    _WORKER_FUNCTION[0] = dill.loads(payload)


def _call(item: Any) -> tuple[Any, int]:
    function = _WORKER_FUNCTION[0]
    before = getattr(function, "rejected", 0)
    value = function(item)
    return value, getattr(function, "rejected", 0) - before


def _call_batch(vectors: Any) -> tuple[Any, int]:
    function = _WORKER_FUNCTION[0]
    before = getattr(function, "rejected", 0)
    values = function.call_batch(vectors)
    return values, getattr(function, "rejected", 0) - before


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class FunctionPool(WorkerPool):
    """Evaluate one function over many inputs in ``processes`` worker processes.

    Parameters
    ----------
    function
        The function every ``map`` call evaluates; sent to each worker once. If it has
        ``calls`` / ``rejected`` counters (like :class:`~autofit.analysis.fitness.Fitness`),
        they are kept up to date in this process.
    processes
        Number of worker processes (>= 2).
    """

    def __init__(self, function: Callable[[Any], Any], processes: int) -> None:
        import dill

        if processes < 2:
            raise ValueError(f"FunctionPool needs processes >= 2, got {processes}")
        self.function = function
        self.processes = processes
        payload = dill.dumps(function, recurse=True)
        self._pool = _context().Pool(processes, initializer=_initialise, initargs=(payload,))

    def map(self, function: Callable[[Any], Any] | None, iterable: Iterable[Any]) -> list[Any]:
        """The pool's function evaluated at every item, in order.

        ``function`` is accepted for compatibility with samplers that call ``pool.map(f, xs)``;
        the workers always evaluate the function given at construction.
        """
        items = list(iterable)
        if not items:
            return []
        chunk = max(1, math.ceil(len(items) / self.processes))
        results = map_or_terminate(self._pool, _call, items, chunk)
        if hasattr(self.function, "calls"):
            self.function.calls += len(items)
            self.function.rejected += sum(rejected for _, rejected in results)
        return [value for value, _ in results]

    def map_batch(self, vectors: Any) -> Any:
        """The pool's function's ``call_batch`` of a 2D array of vectors, the rows split into
        one contiguous part per worker (each worker evaluates its part as one batch).

        Raises
        ------
        AttributeError
            If the pool's function has no ``call_batch`` (a :class:`Fitness` has one).
        """
        import numpy as np

        vectors = np.asarray(vectors, dtype=float)
        if not hasattr(self.function, "call_batch"):
            raise AttributeError(
                f"FunctionPool.map_batch needs a function with call_batch (such as a Fitness), "
                f"got {type(self.function).__name__}"
            )
        if vectors.shape[0] == 0:
            return np.zeros(0)
        parts = [part for part in np.array_split(vectors, self.processes) if part.shape[0]]
        results = map_or_terminate(self._pool, _call_batch, parts, 1)
        if hasattr(self.function, "calls"):
            self.function.calls += vectors.shape[0]
            self.function.rejected += sum(rejected for _, rejected in results)
        return np.concatenate([np.asarray(values, dtype=float) for values, _ in results])

    def close(self) -> None:
        """Stop the workers (after their current tasks)."""
        self._pool.close()
        self._pool.join()

    def terminate(self) -> None:
        """Stop the workers at once."""
        self._pool.terminate()
        self._pool.join()
