"""Named functions cached in every worker, for samplers that ship their own tasks.

Some samplers (dynesty) send a task function to the pool with each batch; the task calls the
likelihood. Registering the likelihood once per worker under a name, and handing the sampler a
tiny picklable :class:`CachedFunction` that looks it up, keeps the per-batch traffic to the
parameter vectors.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable
from typing import Any

from autofit.parallel.process import ignore_interrupts, map_or_terminate

__all__ = [
    "CachedFunction",
    "CachedFunctionPool",
    "CountedCall",
    "register_functions",
]

_FUNCTIONS: dict[str, Callable[..., Any]] = {}


def register_functions(functions: dict[str, Callable[..., Any]]) -> None:
    """Make ``functions`` available to :class:`CachedFunction` in this process."""
    _FUNCTIONS.update(functions)


def _initialise(payload: bytes) -> None:
    import dill

    ignore_interrupts()
    register_functions(dill.loads(payload))


class CachedFunction:
    """A picklable reference to a function registered under ``name`` in each process."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _FUNCTIONS[self.name](*args, **kwargs)

    def __repr__(self) -> str:
        return f"CachedFunction({self.name!r})"


class CachedFunctionPool:
    """A process pool whose workers hold ``functions`` (sent once, serialised with dill).

    Parameters
    ----------
    functions
        Functions by name, reachable in every worker through :class:`CachedFunction`.
    processes
        Number of worker processes.
    """

    def __init__(self, functions: dict[str, Callable[..., Any]], processes: int) -> None:
        import dill

        register_functions(functions)
        self.size = processes
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        payload = dill.dumps(functions, recurse=True)
        self._pool = context.Pool(processes, initializer=_initialise, initargs=(payload,))

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
        """``function`` over ``items`` in the workers, in order."""
        return map_or_terminate(self._pool, function, list(items), 1)

    def close(self) -> None:
        """Stop the workers (after their current tasks)."""
        self._pool.close()
        self._pool.join()

    def terminate(self) -> None:
        """Stop the workers at once."""
        self._pool.terminate()
        self._pool.join()


class CountedCall:
    """Picklable task: the function registered under ``name`` at ``item`` (its ``call_batch``
    at a 2D array of points with ``batch``), with the points it rejected meanwhile (its
    ``rejected`` counter)."""

    def __init__(self, name: str, batch: bool = False) -> None:
        self.name = name
        self.batch = batch

    def __call__(self, item: Any) -> tuple[Any, int]:
        function = _FUNCTIONS[self.name]
        before = getattr(function, "rejected", 0)
        value = function.call_batch(item) if self.batch else function(item)
        return value, getattr(function, "rejected", 0) - before
