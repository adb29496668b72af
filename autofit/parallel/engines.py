"""The loops that keep an executor fed with jobs and collect their outcomes as they finish.

Both take jobs from an iterable lazily, keep at most ``max_in_flight`` submitted, and yield
``(job, JobOutcome)`` in the order jobs finish. They differ in how a dead worker shows itself:

- :func:`pool_outcomes` drives executors made by a factory (this process, or a local process
  pool). A worker that dies breaks a ``ProcessPoolExecutor``: every job it held fails with
  ``BrokenProcessPool``. A new pool is made and the jobs in flight run again, each alone, so
  that a job whose worker dies a second time is known to be the culprit.
- :func:`future_outcomes` drives an executor it is given: a Dask client (whose scheduler
  already reruns the jobs of a worker that died, on another worker, and reports
  ``KilledWorker`` when a job has killed several; the job is then submitted again up to
  ``retries`` times) or any ``concurrent.futures.Executor`` (one that breaks cannot be
  repaired here: its jobs in flight are reported as dead).

A job whose worker died on every attempt comes out as an outcome holding
:class:`WorkerDiedException` naming the job.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
import queue
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from autofit.exc import AutofitError
from autofit.parallel.task import JobOutcome

__all__ = ["WorkerDiedException", "pool_outcomes", "future_outcomes", "is_dask_client"]

logger = logging.getLogger("autofit.parallel")

#: Seconds to wait for the jobs of a broken process pool to be marked as failed.
_BROKEN_POOL_WAIT = 30.0


class WorkerDiedException(AutofitError):
    """The process running a job died (killed, crashed, out of memory) on every attempt."""


def _died(describe: str, times: int) -> JobOutcome:
    return JobOutcome(
        error=WorkerDiedException(
            f"The worker process running {describe} died {times} times (killed, crashed or "
            "out of memory); check that job's memory use and likelihood, or run it with "
            "number_of_cores=1 to see its error"
        )
    )


def is_dask_client(executor: Any) -> bool:
    """Whether ``executor`` has Dask's client interface (``submit``, ``scatter``, ``gather``)
    rather than only ``concurrent.futures``' ``submit``."""
    return all(callable(getattr(executor, name, None)) for name in ("submit", "scatter", "gather"))


def _is_worker_death(error: BaseException | None) -> bool:
    return isinstance(error, concurrent.futures.BrokenExecutor) or (
        error is not None and type(error).__name__ == "KilledWorker"
    )


def _error_of(future: Any, dask: bool) -> BaseException | None:
    """The error of a finished future, or None (a Dask future that finished well is known
    from its status, without asking the scheduler for an exception)."""
    if dask and getattr(future, "status", None) == "finished":
        return None
    try:
        return future.exception()
    except BaseException as cancelled:  # noqa: BLE001 - a cancelled future raises here
        return cancelled


def _failure(error: BaseException) -> JobOutcome:
    return JobOutcome(error=error, traceback="")


#: What :func:`_settled` gives for a job whose worker died (the job is to be run again).
_WORKER_DIED = object()


def _settled(future: Any, error: BaseException | None) -> Any:
    """What a finished pool future gives its job: its outcome, the failure of its error, or
    ``_WORKER_DIED``."""
    if error is None:
        return future.result()
    if _is_worker_death(error):
        return _WORKER_DIED
    return _failure(error)


def pool_outcomes(
    jobs: Iterable[Any],
    submit_arguments: Callable[[Any], tuple[Any, ...]],
    task: Callable[..., JobOutcome],
    executor_factory: Callable[[], Any],
    max_in_flight: int,
    describe: Callable[[Any], str],
    retries: int,
) -> Iterator[tuple[Any, JobOutcome]]:
    """Run ``task(*submit_arguments(job))`` for every job on executors made by
    ``executor_factory`` (see the module docstring), yielding ``(job, outcome)``."""
    source = iter(jobs)
    # Deaths of each job whose worker died (by id); such jobs rerun one at a time, alone in
    # their pool, to find the job that kills its worker.
    deaths: dict[int, int] = {}
    suspects: list[Any] = []
    executor = executor_factory()
    running: dict[concurrent.futures.Future, Any] = {}
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
                running[executor.submit(task, *submit_arguments(job))] = job
            if not running:
                return
            done, _ = concurrent.futures.wait(list(running), return_when=FIRST_COMPLETED)
            broken = []
            for future in done:
                job = running.pop(future)
                outcome = _settled(future, future.exception())
                if outcome is _WORKER_DIED:
                    broken.append(job)
                else:
                    yield job, outcome
            if not broken:
                continue
            # Every other job of the broken pool fails too (the pool marks them at once).
            for future, job in list(running.items()):
                del running[future]
                try:
                    error = future.exception(timeout=_BROKEN_POOL_WAIT)
                except concurrent.futures.TimeoutError:
                    error = BrokenProcessPool("no answer from the broken pool")
                outcome = _settled(future, error)
                if outcome is _WORKER_DIED:
                    broken.append(job)
                else:
                    yield job, outcome
            # A job that died alone in its pool is the one whose worker died; of several,
            # each is rerun alone to find the one (a worker killed from outside dies once).
            if len(broken) == 1:
                job = broken[0]
                deaths[id(job)] = deaths.get(id(job), 0) + 1
                if deaths[id(job)] > retries:
                    yield job, _died(describe(job), deaths[id(job)])
                    broken = []
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


def future_outcomes(
    executor: Any,
    jobs: Iterable[Any],
    submit_arguments: Callable[[Any], tuple[Any, ...]],
    task: Callable[..., JobOutcome],
    max_in_flight: int,
    describe: Callable[[Any], str],
    retries: int,
    key_prefix: str = "autofit-job",
) -> Iterator[tuple[Any, JobOutcome]]:
    """Run ``task(*submit_arguments(job))`` for every job on ``executor`` (a Dask client or a
    ``concurrent.futures.Executor``; see the module docstring), yielding ``(job, outcome)``.

    Completions are collected through each future's ``add_done_callback``, which Dask's and
    ``concurrent.futures``' futures both have. Nothing is shut down: the executor belongs to
    the caller.
    """
    dask = is_dask_client(executor)
    numbers = itertools.count()

    def _broken(executor: Any, held: list[Any], error: BaseException) -> WorkerDiedException:
        names = ", ".join(describe(job) for job in held[:10])
        more = f" and {len(held) - 10} more" if len(held) > 10 else ""
        return WorkerDiedException(
            f"A worker process of {type(executor).__name__} died while running one of: "
            f"{names}{more}; the executor is broken ({error}). The jobs finished so far are "
            "kept: start a new executor and run again to do the rest"
        )

    finished: queue.SimpleQueue = queue.SimpleQueue()
    running: dict[Any, tuple[Any, int]] = {}
    source = iter(jobs)
    exhausted = False

    def submit(job: Any, attempt: int) -> None:
        arguments = submit_arguments(job)
        if dask:
            key = f"{key_prefix}-{next(numbers)}-{attempt}"
            future = executor.submit(task, *arguments, key=key, pure=False)
        else:
            try:
                future = executor.submit(task, *arguments)
            except concurrent.futures.BrokenExecutor as error:
                held = [other for other, _ in running.values()] or [job]
                raise _broken(executor, held, error) from error
        running[future] = (job, attempt)
        future.add_done_callback(finished.put)

    try:
        while True:
            while not exhausted and len(running) < max_in_flight:
                try:
                    job = next(source)
                except StopIteration:
                    exhausted = True
                    break
                submit(job, 0)
            if not running:
                return
            future = finished.get()
            job, attempt = running.pop(future)
            error = _error_of(future, dask)
            if error is None:
                outcome = future.result()
                del future  # a Dask result is released from its worker at once
                yield job, outcome
            elif not _is_worker_death(error):
                yield job, _failure(error)
            elif dask and attempt < retries:
                logger.warning(
                    "The workers running %s died (%s); submitting it again", describe(job), error
                )
                submit(job, attempt + 1)
            elif dask:
                yield (
                    job,
                    JobOutcome(
                        error=WorkerDiedException(
                            f"The Dask workers running {describe(job)} kept dying (killed, crashed "
                            f"or out of memory; submitted {attempt + 1} times, {error}); check "
                            "that job's memory use and likelihood, or run it with "
                            "number_of_cores=1 to see its error"
                        )
                    ),
                )
            else:
                # A broken concurrent.futures executor takes no more jobs, and fails all it
                # held at once: the job that killed its worker is one of them.
                raise _broken(executor, [job, *(other for other, _ in running.values())], error)
    finally:
        for future in running:
            future.cancel()
