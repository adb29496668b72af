"""Executors for many independent jobs (grid cells, sensitivity jobs): ``submit`` + futures.

Every workflow that runs many jobs hands them to :func:`run_jobs`, which talks to an executor
through two calls only: ``executor.submit(function, *args)`` returning a
``concurrent.futures.Future``, and waiting for futures with ``concurrent.futures.wait``. So the
executor can be :class:`SerialExecutor` (in this process), a local process pool
(:func:`process_executor`) or any ``concurrent.futures.Executor``-like object.

A local worker that dies (killed, segfault, out of memory) breaks a ``ProcessPoolExecutor``:
every job it held fails with ``BrokenProcessPool`` instead of hanging. :func:`run_jobs` then
starts a new pool and runs the jobs that were in flight again, each on its own, so that a job
whose worker dies a second time is known to be the culprit and is reported by name.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from autofit.exc import AutofitError

__all__ = [
    "Executor",
    "SerialExecutor",
    "process_executor",
    "local_executor_factory",
    "run_jobs",
    "WorkerDiedException",
]

logger = logging.getLogger("autofit.parallel")

#: Seconds to wait for the jobs of a broken process pool to be marked as failed.
_BROKEN_POOL_WAIT = 30.0


class WorkerDiedException(AutofitError):
    """The process running a job died (killed, crashed, out of memory) on every attempt."""


class Executor(Protocol):
    """What :func:`run_jobs` needs from an executor (``concurrent.futures.Executor`` has it)."""

    def submit(self, function: Callable[..., Any], /, *args: Any) -> Future:
        """Schedule ``function(*args)`` and return its future."""

    def shutdown(self, wait: bool = True) -> None:
        """Release the workers."""


class SerialExecutor:
    """Runs each job in this process when it is submitted (one core, no pickling)."""

    def submit(self, function: Callable[..., Any], /, *args: Any) -> Future:
        """Run ``function(*args)`` now; its result (or exception) is in the returned future."""
        future: Future = Future()
        try:
            future.set_result(function(*args))
        except Exception as error:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(error)
        return future

    def shutdown(self, wait: bool = True) -> None:
        """Nothing to release."""


def process_executor(
    processes: int,
    initializer: Callable[..., Any] | None = None,
    initargs: tuple[Any, ...] = (),
) -> concurrent.futures.ProcessPoolExecutor:
    """A pool of ``processes`` local worker processes (forked where the platform allows, so
    analysis classes defined in a script reach the workers).

    Parameters
    ----------
    processes
        Number of worker processes.
    initializer, initargs
        Called as ``initializer(*initargs)`` in each worker when it starts (to send what every
        job shares once per worker rather than with every job).

    Raises
    ------
    ValueError
        If ``processes`` < 1.
    """
    if processes < 1:
        raise ValueError(f"A process executor needs processes >= 1, got {processes}")
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=initializer, initargs=initargs
    )


def local_executor_factory(
    context: Any, register: Callable[[Any], None], processes: int
) -> tuple[Callable[[], Executor], int]:
    """How to make the executor of a workflow's jobs on this machine, and how many to keep in
    flight.

    With one process the jobs run here: ``register(context)`` is called now and the factory
    makes a :class:`SerialExecutor`. With more, the context is serialised once with dill and
    each worker of a :func:`process_executor` calls ``register`` with it when it starts, so a
    job itself is only a small description (a cell number).

    Parameters
    ----------
    context
        What every job shares (the model, the analysis, the search, the output folder, ...).
    register
        Makes ``context`` available to the jobs of the process it is called in.
    processes
        Number of worker processes; 1 (or less) runs the jobs in this process.

    Returns
    -------
    tuple
        A function making a fresh executor (a worker death needs a new pool), and the number of
        jobs to keep in flight.
    """
    if processes <= 1:
        register(context)
        return SerialExecutor, 1
    import dill

    payload = dill.dumps(context, recurse=True)

    def factory() -> Executor:
        return process_executor(processes, register, (payload,))

    return factory, processes


def _is_worker_death(error: BaseException | None) -> bool:
    return isinstance(error, BrokenProcessPool)


def run_jobs(
    jobs: Iterable[Any],
    function: Callable[[Any], Any],
    executor_factory: Callable[[], Executor],
    max_in_flight: int,
    describe: Callable[[Any], str] = str,
    retries: int = 1,
) -> Iterator[tuple[Any, Any]]:
    """Run ``function(job)`` for every job and yield ``(job, result)`` as each finishes.

    Jobs are taken from ``jobs`` lazily, at most ``max_in_flight`` at a time, so the memory of
    this process does not grow with the number of jobs.

    Parameters
    ----------
    jobs
        Light, picklable job descriptions (an iterable, consumed lazily).
    function
        Called with one job in a worker; returns the job's (small) result.
    executor_factory
        Makes the executor; called again for a fresh pool after a worker died.
    max_in_flight
        Jobs submitted at once (the number of workers).
    describe
        Names a job in messages (for example ``"cell 3 (centre 25 to 50)"``).
    retries
        How many times a job whose worker died is run again (each time alone in a new pool)
        before :class:`WorkerDiedException` is raised.

    Raises
    ------
    WorkerDiedException
        When the worker of a job died ``retries + 1`` times, naming the job.
    Exception
        Any exception a job raised, re-raised here (the remaining jobs are cancelled).
    """
    if max_in_flight < 1:
        raise ValueError(f"max_in_flight must be >= 1, got {max_in_flight}")
    source = iter(jobs)
    # Deaths of each job whose worker died (by id); such jobs rerun one at a time, alone in
    # their pool, to find the job that kills its worker.
    deaths: dict[int, int] = {}
    suspects: list[Any] = []
    executor = executor_factory()
    running: dict[Future, Any] = {}
    exhausted = False
    try:
        while True:
            isolating = suspects or any(id(job) in deaths for job in running.values())
            limit = 1 if isolating else max_in_flight
            while len(running) < limit:
                if suspects:
                    job = suspects.pop(0)
                    deaths.setdefault(id(job), 0)
                elif exhausted:
                    break
                else:
                    try:
                        job = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                running[executor.submit(function, job)] = job
            if not running:
                return
            done, _ = concurrent.futures.wait(list(running), return_when=FIRST_COMPLETED)
            broken = []
            for future in done:
                job = running.pop(future)
                error = future.exception()
                if error is None:
                    yield job, future.result()
                elif _is_worker_death(error):
                    broken.append(job)
                else:
                    error.add_note(f"(raised while running {describe(job)})")
                    raise error
            if not broken:
                continue
            # Every other job of the broken pool fails too (the pool marks them at once).
            for future, job in list(running.items()):
                del running[future]
                try:
                    error = future.exception(timeout=_BROKEN_POOL_WAIT)
                except concurrent.futures.TimeoutError:
                    error = BrokenProcessPool("no answer from the broken pool")
                if error is None:
                    yield job, future.result()
                elif _is_worker_death(error):
                    broken.append(job)
                else:
                    raise error
            # A job that died alone in its pool is the one whose worker died; of several,
            # each is rerun alone to find the one (a worker killed from outside dies once).
            if len(broken) == 1:
                job = broken[0]
                deaths[id(job)] = deaths.get(id(job), 0) + 1
                if deaths[id(job)] > retries:
                    raise WorkerDiedException(
                        f"The worker process running {describe(job)} died "
                        f"{deaths[id(job)]} times (killed, crashed or out of memory); "
                        "check that job's memory use and likelihood, or run it with "
                        "number_of_cores=1 to see its error"
                    )
            for job in broken:
                logger.warning(
                    "A worker process died while running %s; running it again", describe(job)
                )
            suspects.extend(broken)
            executor.shutdown(wait=False)
            executor = executor_factory()
    finally:
        for future in running:
            future.cancel()
        executor.shutdown(wait=True)
