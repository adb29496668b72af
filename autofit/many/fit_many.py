"""af.fit_many: many independent fits (one per dataset, say), on one core, a local pool, or a
Dask cluster.

Each fit is an ordinary ``search.fit(model=..., analysis=...)`` run where the executor puts it
(see :func:`~autofit.parallel.executor.run_many`): it writes its own output folder and, with a
session on its search, its database rows, from the worker, and resumes from its checkpoint if
an earlier attempt was interrupted. What comes back to this process is light: a
:class:`~autofit.result.stored.StoredResult` holding the fit's summary, whose samples are read
from the folder or database when first used.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from autofit.many.job import FitJob, FitOutcome, job_from, run_fit
from autofit.parallel.executor import check_executor, run_many

__all__ = ["fit_many"]

logger = logging.getLogger("autofit.many")


def _describe(job: FitJob) -> str:
    search = job.search
    parts = [
        f"{name} {value!r}"
        for name, value in (("name", search.name), ("unique_tag", search.unique_tag))
        if value
    ]
    return f"fit {job.index}" + (f" ({', '.join(parts)})" if parts else "")


def fit_many(
    jobs: Iterable[Any],
    executor: Any = None,
    number_of_cores: int = 1,
    info: dict[str, Any] | None = None,
    retries: int = 1,
    fail_fast: bool = False,
    progress: bool = True,
) -> list[Any]:
    """Fit many models to many datasets and return their results in job order.

    Parameters
    ----------
    jobs
        ``(search, model, analysis)`` tuples (or ``(search, model, analysis, info)``): a list,
        or a generator consumed lazily (a bounded number in flight, so the datasets of
        thousands of fits need not be in memory at once). Give each fit its own output folder
        (a ``unique_tag`` or ``name`` per dataset); two jobs writing one folder are refused.
    executor
        Where the fits run: None (one after the other here, or a local pool of
        ``number_of_cores`` processes when more than 1), ``"dask"`` (a local Dask cluster of
        ``number_of_cores`` workers, extra ``[dask]``), a ``dask.distributed.Client`` (of a
        ``LocalCluster``, a ``dask_jobqueue.SLURMCluster``, ...) or any
        ``concurrent.futures.Executor``. Fits in workers use one core each.
    number_of_cores
        Local processes (``executor=None``) or local Dask workers (``executor="dask"``).
    info
        Stored with every fit whose job gives none of its own.
    retries
        How many times a fit whose worker died is run again (resuming from its checkpoint).
    fail_fast
        Raise the first fit error at once instead of finishing the other fits first.
    progress
        Show a progress bar (or log lines); False shows nothing.

    Returns
    -------
    list
        One result per job, in job order: what ``search.fit`` returns when the fits run in
        this process, and a :class:`~autofit.result.stored.StoredResult` (the summary now,
        the samples read from the fit's folder or database when first used) when they run in
        workers. A search that writes nothing sends its samples back whole.

    Raises
    ------
    TypeError
        If a job is not a ``(search, model, analysis)`` tuple, or ``executor`` is not one of
        the above.
    ValueError
        If two jobs would write the same output folder.
    Exception
        Once the other fits have finished, the first error a fit raised, with notes naming
        it and every other fit that failed (the finished fits are loaded, not run again, by
        the next call with the same jobs).
    """
    check_executor(executor)
    in_workers = executor is not None or int(number_of_cores) > 1
    paths_of: dict[int, Any] = {}
    folders: dict[str, int] = {}

    def fit_jobs() -> Iterator[FitJob]:
        for index, job in enumerate(jobs):
            fit_job = job_from(index, job, info, in_workers)
            paths = _check_folder(fit_job, job[0], folders)
            if in_workers:
                paths_of[index] = paths
            yield fit_job

    results: dict[int, Any] = {}
    for fit_job, outcome in run_many(
        fit_jobs(),
        run_fit,
        executor=executor,
        number_of_cores=number_of_cores,
        describe=_describe,
        retries=retries,
        fail_fast=fail_fast,
        progress=progress,
        label="fits",
    ):
        results[outcome.index] = _result(outcome, fit_job, paths_of.pop(outcome.index, None))
    return [results[index] for index in range(len(results))]


def _check_folder(job: FitJob, search: Any, folders: dict[str, int]) -> Any:
    """The paths the job's fit writes (built here with the search's own session), after
    checking that no earlier job writes the same folder."""
    probe = copy.copy(search)
    if probe.paths is not None:
        probe._paths = copy.copy(probe.paths)  # paths_for sets the identifier of its paths
    paths = probe.paths_for(job.model)
    if paths.is_null:
        return paths
    folder = str(paths.output_path)
    if folder in folders:
        raise ValueError(
            f"fit_many: jobs {folders[folder]} and {job.index} would both write {folder} (the "
            "same search settings, model and unique_tag); give each fit its own unique_tag "
            "(e.g. the dataset's name) or name"
        )
    folders[folder] = job.index
    return paths


def _result(outcome: FitOutcome, job: FitJob, paths: Any) -> Any:
    if outcome.result is not None:
        return outcome.result
    from autofit.result.result import Result
    from autofit.result.stored import StoredResult
    from autofit.samples.summary import SamplesSummary

    summary = SamplesSummary(job.model, outcome.summary)
    if outcome.samples is not None:
        return Result(samples_summary=summary, paths=paths, samples=outcome.samples)
    return StoredResult(summary, paths, job.model)
