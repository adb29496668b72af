"""Many independent jobs on any executor: :func:`run_many`, the one seam every workflow uses.

Grid-search cells, sensitivity-map cells, the fits of ``af.fit_many`` and the factor updates
of an expectation-propagation sweep are all "many jobs": each is a light, picklable
description, the function that runs it writes its own output (folder and database rows) and
returns something small. A workflow calls::

    for job, value in run_many(jobs, function, executor=executor,
                               number_of_cores=number_of_cores, context=shared,
                               describe=name_of_job, label="factor updates"):
        ...

and gets ``(job, value)`` back as each job finishes, whatever runs them. ``executor`` is

- ``None``: the jobs run one after the other in this process, or in a local process pool of
  ``number_of_cores`` workers when ``number_of_cores > 1`` (a worker that dies is replaced
  and its job run again, alone);
- ``"dask"``: a Dask ``LocalCluster`` of ``number_of_cores`` worker processes started for
  this run (extra ``[dask]``);
- a ``dask.distributed.Client`` (of a ``LocalCluster``, a ``dask_jobqueue.SLURMCluster``, ...)
  or anything with its ``submit`` / ``scatter`` / ``gather``: Dask reruns the job of a worker
  that dies elsewhere, and a job whose workers keep dying is submitted again ``retries`` times;
- any ``concurrent.futures.Executor`` (``ProcessPoolExecutor``,
  ``mpi4py.futures.MPIPoolExecutor``, ...).

``context`` is what every job shares (the model, the analysis, the output folder): it is sent
to each worker once, not with every job (broadcast by Dask; through the initializer of the
local pool), and ``function`` is then called as ``function(context, job)`` (``function(job)``
without a context). ``function`` must be a module-level function. Jobs are taken from
``jobs`` lazily with a bounded number in flight, so the memory of this process stays flat in
the number of jobs; each is serialised by value where needed (cloudpickle, or dill), so classes
defined in a script or notebook reach the workers.

A job that raises does not stop the others: the error is logged with the job's name (from
``describe``) and, once every job has finished, the first error is raised again with a note
naming every job that failed (``fail_fast=True`` raises at once and cancels the rest).
Progress is a tqdm bar in a terminal or notebook, log lines on ``autofit.parallel`` elsewhere.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import Any, Protocol

from autofit.parallel.engines import (
    WorkerDiedException,
    future_outcomes,
    is_dask_client,
    pool_outcomes,
)
from autofit.parallel.progress import JobProgress
from autofit.parallel.task import (
    JobTask,
    Packed,
    SharedContext,
    WorkerSettings,
    forget_context,
    register_context,
)

__all__ = [
    "Executor",
    "SerialExecutor",
    "process_executor",
    "check_executor",
    "run_many",
    "local_executor_factory",
    "run_jobs",
    "WorkerDiedException",
]

logger = logging.getLogger("autofit.parallel")


class Executor(Protocol):
    """What :func:`run_many` needs from an executor (``concurrent.futures.Executor`` has it)."""

    def submit(self, function: Callable[..., Any], /, *args: Any) -> Future:
        """Schedule ``function(*args)`` and return its future."""


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


def _is_local_dask(executor: Any) -> bool:
    return isinstance(executor, str) and executor == "dask"


def check_executor(executor: Any) -> Any:
    """``executor``, checked to be something :func:`run_many` takes.

    Raises
    ------
    TypeError
        If it is not None, ``"dask"``, nor an object with a ``submit`` method.
    """
    if executor is None or _is_local_dask(executor):
        return executor
    if isinstance(executor, str) or not callable(getattr(executor, "submit", None)):
        raise TypeError(
            "executor= takes None (this process, or a local pool of number_of_cores processes), "
            '"dask" (a local Dask cluster), a dask.distributed.Client or a '
            f"concurrent.futures.Executor; got {executor!r}"
        )
    return executor


def _length(jobs: Iterable[Any]) -> int | None:
    try:
        return len(jobs)  # type: ignore[arg-type]
    except TypeError:
        return None


def _dask_threads(client: Any) -> int | None:
    try:
        return sum(client.nthreads().values()) or None
    except Exception:  # noqa: BLE001 - an object with Dask's interface but no nthreads
        return None


def run_many(
    jobs: Iterable[Any],
    function: Callable[..., Any],
    executor: Any = None,
    number_of_cores: int = 1,
    context: Any = None,
    describe: Callable[[Any], str] = str,
    retries: int = 1,
    max_in_flight: int | None = None,
    fail_fast: bool = False,
    progress: bool = True,
    label: str = "jobs",
) -> Iterator[tuple[Any, Any]]:
    """Run ``function`` on every job and yield ``(job, value)`` as each finishes (see the
    module docstring).

    Parameters
    ----------
    jobs
        Light, picklable job descriptions: a list, or a generator consumed lazily.
    function
        A module-level function, called in a worker as ``function(context, job)`` (or
        ``function(job)`` when ``context`` is None); returns the job's (small) value.
    executor
        None, ``"dask"``, a ``dask.distributed.Client`` or a ``concurrent.futures.Executor``.
    number_of_cores
        With ``executor=None``: jobs run in this process when 1, in a local pool of this many
        processes when more. With ``"dask"``: the local cluster's workers.
    context
        What every job shares, sent to each worker once (None: nothing).
    describe
        Names a job in messages (for example ``"cell 3 (centre 25 to 50)"``).
    retries
        How many times a job whose worker died is run again before it fails with
        :class:`WorkerDiedException`.
    max_in_flight
        Jobs submitted and not yet finished at once: by default the local pool's size, or
        twice the workers of a Dask cluster or other executor and at least 8 (so none waits
        for its next job).
    fail_fast
        Raise the first job error at once, cancelling the jobs in flight, instead of running
        the others to the end first.
    progress
        Show a progress bar (or log lines); False shows nothing.
    label
        What the jobs are, in progress and log messages.

    Yields
    ------
    tuple
        ``(job, value)`` of each job that succeeded, in the order they finish.

    Raises
    ------
    TypeError
        If ``executor`` is none of the above.
    ImportError
        For ``executor="dask"`` without Dask installed, naming the ``[dask]`` extra.
    WorkerDiedException
        (After the other jobs) if the worker of a job died on every attempt, naming the job.
    Exception
        (After the other jobs, unless ``fail_fast``) the first error a job raised, with notes
        naming it and every other job that failed.
    """
    check_executor(executor)
    if int(number_of_cores) < 1:
        raise ValueError(f"number_of_cores must be >= 1, got {number_of_cores}")
    if int(retries) < 0:
        raise ValueError(f"retries must be >= 0, got {retries}")
    if max_in_flight is not None and int(max_in_flight) < 1:
        raise ValueError(f"max_in_flight must be >= 1, got {max_in_flight}")
    total = _length(jobs)
    if total == 0:
        return
    if _is_local_dask(executor):
        from autofit.parallel.dask import local_dask_client

        with local_dask_client(number_of_cores) as client:
            yield from run_many(
                jobs,
                function,
                client,
                number_of_cores,
                context,
                describe,
                retries,
                max_in_flight,
                fail_fast,
                progress,
                label,
            )
        return
    shared = None if context is None else SharedContext(context)
    task = JobTask(function, None if shared is None else shared.token)
    outcomes = _outcomes(
        jobs, task, shared, executor, int(number_of_cores), total, describe, retries, max_in_flight
    )
    yield from _collect(outcomes, describe, fail_fast, JobProgress(label, total, progress), label)


def _outcomes(
    jobs: Iterable[Any],
    task: JobTask,
    shared: SharedContext | None,
    executor: Any,
    cores: int,
    total: int | None,
    describe: Callable[[Any], str],
    retries: int,
    max_in_flight: int | None,
) -> Iterator[tuple[Any, Any]]:
    """The ``(job, JobOutcome)`` pairs of the jobs on the chosen executor."""
    if executor is None:
        processes = cores if total is None else min(cores, total)
        if processes <= 1:
            if shared is not None:
                register_context(shared)
            try:
                yield from pool_outcomes(
                    jobs, lambda job: (job,), task, SerialExecutor, 1, describe, retries
                )
            finally:
                if shared is not None:
                    forget_context(shared.token)
            return
        task.settings = WorkerSettings.here()
        initargs = () if shared is None else (Packed.of(shared),)

        def factory() -> Any:
            return process_executor(
                processes, None if shared is None else register_context, initargs
            )

        yield from pool_outcomes(
            jobs,
            lambda job: (Packed.of(job),),
            task,
            factory,
            max_in_flight or processes,
            describe,
            retries,
        )
        return
    task.settings = WorkerSettings.here()
    payload: Any = None
    if is_dask_client(executor):
        workers = _dask_threads(executor) or cores
        if shared is not None:
            payload = executor.scatter(Packed.of(shared), broadcast=True, hash=False)
    else:
        workers = getattr(executor, "_max_workers", None) or cores
        if shared is not None:
            payload = Packed.of(shared)
    # Enough queued that no worker waits for its next job while a result travels back.
    in_flight = max_in_flight or max(8, 2 * int(workers))
    prefix = f"autofit-{task.token or id(task)}"
    yield from future_outcomes(
        executor,
        jobs,
        (lambda job: (Packed.of(job),))
        if payload is None
        else (lambda job: (Packed.of(job), payload)),
        task,
        in_flight,
        describe,
        retries,
        key_prefix=prefix,
    )


def _collect(
    outcomes: Iterator[tuple[Any, Any]],
    describe: Callable[[Any], str],
    fail_fast: bool,
    progress: JobProgress,
    label: str,
) -> Iterator[tuple[Any, Any]]:
    """Yield the values of the jobs that succeeded; log, count and finally raise the errors."""
    failures: list[tuple[str, BaseException]] = []
    try:
        for job, outcome in outcomes:
            progress.update(failed=outcome.failed)
            if not outcome.failed:
                yield job, outcome.value
                continue
            name = describe(job)
            error = outcome.error
            error.add_note(f"(raised while running {name})")
            logger.error(
                "%s: %s failed: %s: %s%s",
                label,
                name,
                type(error).__name__,
                error,
                f"\n{outcome.traceback}" if outcome.traceback else "",
            )
            failures.append((name, error))
            if fail_fast:
                raise error
    finally:
        outcomes.close()
        progress.close()
    if failures:
        name, error = failures[0]
        if len(failures) > 1:
            others = ", ".join(other for other, _ in failures[1:])
            error.add_note(f"{len(failures) - 1} other {label} failed too: {others}")
        raise error


def local_executor_factory(
    context: Any, register: Callable[[Any], None], processes: int
) -> tuple[Callable[[], Any], int]:
    """How to make an executor of jobs on this machine that share ``context``, and how many to
    keep in flight (for workflows that keep one executor over several calls of
    :func:`run_jobs`; others use :func:`run_many`).

    With one process the jobs run here: ``register(context)`` is called now and the factory
    makes a :class:`SerialExecutor`. With more, the context is serialised once with dill and
    each worker of a :func:`process_executor` calls ``register`` with it when it starts.

    Parameters
    ----------
    context
        What every job shares.
    register
        Makes ``context`` (or its dill serialisation) available to the jobs of the process it
        is called in.
    processes
        Number of worker processes; 1 (or less) runs the jobs in this process.
    """
    if processes <= 1:
        register(context)
        return SerialExecutor, 1
    import dill

    payload = dill.dumps(context, recurse=True)

    def factory() -> Any:
        return process_executor(processes, register, (payload,))

    return factory, processes


def run_jobs(
    jobs: Iterable[Any],
    function: Callable[[Any], Any],
    executor_factory: Callable[[], Any],
    max_in_flight: int,
    describe: Callable[[Any], str] = str,
    retries: int = 1,
) -> Iterator[tuple[Any, Any]]:
    """Run ``function(job)`` on executors made by ``executor_factory`` (this process or a local
    pool, remade when a worker dies) and yield ``(job, value)`` as each finishes; the first
    job error is raised at once, with a note naming the job, and the rest are cancelled.

    The lower-level loop under :func:`run_many`, for a workflow that manages its own executor.

    Raises
    ------
    WorkerDiedException
        When the worker of a job died ``retries + 1`` times, naming the job.
    Exception
        Any exception a job raised.
    """
    if max_in_flight < 1:
        raise ValueError(f"max_in_flight must be >= 1, got {max_in_flight}")
    outcomes = pool_outcomes(
        jobs,
        lambda job: (job,),
        JobTask(function),
        executor_factory,
        max_in_flight,
        describe,
        retries,
    )
    try:
        for job, outcome in outcomes:
            if outcome.failed:
                error = outcome.error
                if not isinstance(error, WorkerDiedException):
                    error.add_note(f"(raised while running {describe(job)})")
                raise error
            yield job, outcome.value
    finally:
        outcomes.close()
