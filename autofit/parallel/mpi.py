"""af.MPIPool: one fit's likelihoods evaluated on the ranks of an MPI job.

Built on ``mpi4py.futures``. Started with ``mpiexec -n 4 python -m mpi4py.futures script.py``
(or ``python -m autofit.mpi script.py``), rank 0 runs the script, and with it every search and
every write to the output folder and the database; the other ranks wait as workers and never run
the script. When a fit starts, each worker receives the likelihood function (the fitness, holding
the analysis with its data and the model) once, serialised with dill; afterwards only parameter
vectors go out and log likelihoods come back. A script started without ``mpiexec`` can spawn
``max_workers`` worker processes instead (where the MPI library supports spawning).
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Callable, Iterable
from typing import Any

from autofit.exc import AutofitError
from autofit.parallel.cached import CountedCall, register_functions
from autofit.parallel.serial import WorkerPool

__all__ = ["MPIPool", "MPIPoolRun", "require_mpi4py"]

#: The name under which a run's own function is registered in each worker.
MAIN = "autofit.mpi.function"

INSTALL = 'pip install "autofit[mpi]"'


def require_mpi4py() -> Any:
    """``mpi4py.MPI``, importing it (which initialises MPI in this process).

    Raises
    ------
    ImportError
        Naming the extra to install, if mpi4py (or the MPI library it loads) is missing.
    """
    try:
        import mpi4py.futures  # noqa: F401
        from mpi4py import MPI
    except ImportError as error:
        raise ImportError(
            f"af.MPIPool needs mpi4py and an MPI library: {INSTALL} installs both (on a "
            f"cluster, pip install mpi4py alone uses the cluster's MPI); ({error})"
        ) from error
    return MPI


def _shared_pool_running() -> bool:
    """Whether this process is rank 0 of ``python -m mpi4py.futures`` (the other ranks serve
    as the workers of every executor it makes)."""
    from mpi4py.futures import _core

    return getattr(_core, "SharedPool", None) is not None


def _count(name: str, value: Any) -> int | None:
    """``value`` (None, or a whole number of at least 1) as an int."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise AutofitError(f"af.MPIPool: {name} must be a whole number >= 1, got {value!r}")
    return int(value)


def _install(payload: bytes) -> None:
    """Worker initializer: register the run's functions (sent once per worker)."""
    import dill

    register_functions(dill.loads(payload))


class MPIPool:
    """Likelihoods evaluated by the worker ranks of an MPI job; give it to a search as ``pool=``.

    Run the script with ``mpiexec -n 4 python -m mpi4py.futures script.py`` (or
    ``mpiexec -n 4 python -m autofit.mpi script.py``): rank 0 runs the script and writes every
    output, ranks 1 to 3 evaluate likelihoods. Each fit sends its likelihood function (analysis,
    data and model, serialised with dill) to every worker once, when it starts; then only
    parameter vectors and log likelihoods travel. One pool serves any number of fits, one
    after another.

    Parameters
    ----------
    max_workers
        Worker processes to spawn when the script was not started by ``mpiexec ... -m
        mpi4py.futures`` (or ``-m autofit.mpi``); needs an MPI library that can spawn
        processes. Under ``mpiexec`` the workers are the other ranks: leave it None (or give
        their number).
    chunksize
        Points sent to a worker in one message; None shares each batch out evenly (one message
        per worker). Use 1 for likelihoods whose cost varies a lot from point to point.

    Raises
    ------
    ImportError
        If mpi4py is not installed (``pip install "autofit[mpi]"``).
    AutofitError
        If every rank of an MPI job runs the script (started without ``-m mpi4py.futures``),
        or ``max_workers`` is missing or contradicts the number of ranks.

    Examples
    --------
    >>> pool = af.MPIPool()
    >>> search = af.Emcee(nwalkers=32, nsteps=1000, pool=pool, name="fit")
    >>> result = search.fit(model=model, analysis=analysis)
    """

    def __init__(self, max_workers: int | None = None, chunksize: int | None = None) -> None:
        mpi = require_mpi4py()
        world = mpi.COMM_WORLD.Get_size()
        max_workers = _count("max_workers", max_workers)
        self.chunksize = _count("chunksize", chunksize)
        self.spawns = not _shared_pool_running()
        if not self.spawns:
            # Under -m mpi4py.futures with one rank, mpi4py runs the tasks in a thread of it.
            workers = max(world - 1, 1)
            if max_workers is not None and max_workers != workers:
                raise AutofitError(
                    f"af.MPIPool(max_workers={max_workers}): the workers of this job are its "
                    f"other {workers} rank(s); leave max_workers out, or start the job with "
                    f"mpiexec -n {max_workers + 1}"
                )
            self.processes = workers
        elif world > 1:
            raise AutofitError(
                f"af.MPIPool: all {world} ranks of this MPI job are running the script; start it "
                f"with mpiexec -n {world} python -m mpi4py.futures script.py (or python -m "
                "autofit.mpi script.py), so that rank 0 runs the script and the other ranks "
                "evaluate likelihoods"
            )
        elif max_workers is None:
            raise AutofitError(
                "af.MPIPool: this script was not started by mpiexec with -m mpi4py.futures; run "
                "mpiexec -n 4 python -m mpi4py.futures script.py (rank 0 runs the script, 3 "
                "ranks evaluate likelihoods), or give max_workers=N to spawn N worker processes"
            )
        else:
            self.processes = max_workers

    def start(
        self,
        function: Callable[[Any], Any] | None = None,
        functions: dict[str, Callable[..., Any]] | None = None,
    ) -> MPIPoolRun:
        """Send the functions of one fit to every worker (once) and return the running pool.

        Parameters
        ----------
        function
            The function every ``map`` of the run evaluates (the fitness); if it has
            ``calls`` / ``rejected`` counters, they are kept up to date on rank 0. None: ``map``
            evaluates the function it is given.
        functions
            More functions by name, reachable in the workers through
            :class:`~autofit.parallel.cached.CachedFunction` (for samplers that send their own
            tasks, like dynesty).

        Returns
        -------
        MPIPoolRun
            A pool with ``map``; close it when the fit ends.

        Raises
        ------
        AutofitError
            If the workers cannot load the functions.
        """
        import dill
        from mpi4py.futures import MPIPoolExecutor

        named = dict(functions or {})
        if function is not None:
            named[MAIN] = function
        register_functions(named)
        payload = dill.dumps(named, recurse=True)
        options: dict[str, Any] = {"main": False, "path": list(sys.path)}
        if self.spawns:
            options["max_workers"] = self.processes
        executor = MPIPoolExecutor(initializer=_install, initargs=(payload,), **options)
        return MPIPoolRun(executor, function, self.processes, self.chunksize)

    def __reduce__(self) -> Any:
        raise TypeError(
            "af.MPIPool cannot be sent to another process: give it only to searches that run "
            "in the script rank 0 runs (not to the searches of a grid search or sensitivity "
            "map running in worker processes)"
        )

    def __repr__(self) -> str:
        return f"MPIPool(processes={self.processes})"


class MPIPoolRun(WorkerPool):
    """The pool of one fit: ``map`` over the MPI workers, which hold the fit's functions.

    Made by :meth:`MPIPool.start`.
    """

    def __init__(
        self,
        executor: Any,
        function: Callable[[Any], Any] | None,
        processes: int,
        chunksize: int | None,
    ) -> None:
        self._executor = executor
        self.function = function
        self.processes = processes
        self.chunksize = chunksize

    @property
    def size(self) -> int:
        """The number of workers (dynesty's name)."""
        return self.processes

    def map(self, function: Callable[[Any], Any] | None, iterable: Iterable[Any]) -> list[Any]:
        """Values at every item, in order, computed by the workers.

        With a run function (see :meth:`MPIPool.start`) that function is evaluated, whatever
        ``function`` is given (samplers call ``pool.map(f, xs)`` with wrappers of it); otherwise
        ``function`` is sent with the items.
        """
        items = list(iterable)
        if not items:
            return []
        chunk = self.chunksize or max(1, math.ceil(len(items) / self.processes))
        if self.function is None:
            return self._call_map(function, items, chunk)
        results = self._call_map(CountedCall(MAIN), items, chunk)
        if hasattr(self.function, "calls"):
            self.function.calls += len(items)
            self.function.rejected += sum(rejected for _, rejected in results)
        return [value for value, _ in results]

    def map_batch(self, vectors: Any) -> Any:
        """The run function's ``call_batch`` of a 2D array of vectors, the rows split into one
        contiguous part per worker (each worker evaluates its part as one batch).

        Raises
        ------
        AttributeError
            If the run has no function with ``call_batch`` (a fitness has one).
        """
        import numpy as np

        vectors = np.asarray(vectors, dtype=float)
        if not hasattr(self.function, "call_batch"):
            raise AttributeError(
                "MPIPoolRun.map_batch needs a run function with call_batch (such as a Fitness), "
                f"got {type(self.function).__name__}"
            )
        if vectors.shape[0] == 0:
            return np.zeros(0)
        parts = [part for part in np.array_split(vectors, self.processes) if part.shape[0]]
        results = self._call_map(CountedCall(MAIN, batch=True), parts, 1)
        if hasattr(self.function, "calls"):
            self.function.calls += vectors.shape[0]
            self.function.rejected += sum(rejected for _, rejected in results)
        return np.concatenate([np.asarray(values, dtype=float) for values, _ in results])

    def _call_map(self, function: Callable[[Any], Any], items: list, chunk: int) -> list:
        from concurrent.futures import BrokenExecutor

        try:
            return list(self._executor.map(function, items, chunksize=chunk))
        except BrokenExecutor as error:
            raise AutofitError(
                "The MPI workers could not load the likelihood function: the analysis must be "
                "serialisable with dill, and autofit and the modules of your classes importable "
                f"on every rank ({error})"
            ) from error

    def close(self) -> None:
        """Release the workers once their tasks are done (they wait for the next fit)."""
        self._executor.shutdown(wait=True)

    def terminate(self) -> None:
        """Release the workers without waiting for results (Ctrl+C or an error)."""
        self._executor.shutdown(wait=False, cancel_futures=True)
