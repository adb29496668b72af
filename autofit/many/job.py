"""One fit of ``af.fit_many``, as sent to a worker and as it comes back.

A :class:`FitJob` holds the search (without its database session: the session's URL travels
instead and the worker opens the database once, then reuses it for its next fits), the model,
the analysis and ``info``. :func:`run_fit` fits it there, writing the fit's folder and database
rows from the worker, and returns a small :class:`FitOutcome`: the fit's summary and where it
was written, not its samples (unless the search writes nothing, when the samples are all
there is).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

__all__ = ["FitJob", "FitOutcome", "run_fit", "job_from"]

#: Sessions a worker opened, by database URL (one per database, for all its fits).
_SESSIONS: dict[str, Any] = {}


@dataclass
class FitJob:
    """A fit to run in a worker.

    Attributes
    ----------
    index
        The job's position in ``fit_many``'s jobs.
    search
        The search (a copy without its session).
    model
        The model.
    analysis
        The analysis.
    info
        Stored with the fit (``files/info.json``).
    database_url
        The URL of the search's database (None: no database).
    cores
        ``number_of_cores`` of the search in the worker (None: the search's own).
    whole
        Return the whole result (jobs run in this process) rather than a light one.
    """

    index: int
    search: Any
    model: Any
    analysis: Any
    info: dict[str, Any] | None = None
    database_url: str | None = None
    cores: int | None = None
    whole: bool = False


@dataclass
class FitOutcome:
    """What a fit sends back.

    Attributes
    ----------
    index
        The job's position.
    summary
        The values of the fit's ``SamplesSummary``.
    identifier
        The fit's identifier (None when nothing was written).
    samples
        The samples, only for a search that writes nothing.
    result
        The whole result, for jobs run in the process that called ``fit_many``.
    """

    index: int
    summary: dict[str, Any] | None = None
    identifier: str | None = None
    samples: Any = None
    result: Any = None


def job_from(
    index: int,
    job: Any,
    info: dict[str, Any] | None,
    in_workers: bool,
) -> FitJob:
    """The :class:`FitJob` of ``fit_many``'s ``index``-th job, a ``(search, model, analysis)``
    tuple (or ``(search, model, analysis, info)``).

    Raises
    ------
    TypeError
        If the job is not such a tuple, naming its position.
    DatabaseException
        If the search writes into an in-memory SQLite database and the jobs run in workers.
    """
    from autofit.searches.base import NonLinearSearch

    if not isinstance(job, (tuple, list)) or len(job) not in (3, 4):
        raise TypeError(
            f"fit_many: job {index} must be a tuple (search, model, analysis), got "
            f"{type(job).__name__} {job!r:.80}"
        )
    search, model, analysis = job[:3]
    if len(job) == 4:
        info = job[3]
    if not isinstance(search, NonLinearSearch):
        raise TypeError(
            f"fit_many: job {index} must start with a search such as af.Emcee(...), got "
            f"{type(search).__name__}; give jobs as (search, model, analysis)"
        )
    url = None
    if in_workers:
        if search.session is not None:
            from autofit.database.session import database_url

            url = database_url(search.session)
        search = copy.copy(search)
        search.session = None
        if getattr(search.paths, "session", None) is not None:
            raise TypeError(
                f"fit_many: job {index}'s search has paths= holding a database session; give "
                "the search session= instead, which its worker opens again"
            )
    return FitJob(
        index=index,
        search=search,
        model=model,
        analysis=analysis,
        info=info,
        database_url=url,
        cores=1 if in_workers else None,
        whole=not in_workers,
    )


def _session(url: str) -> Any:
    session = _SESSIONS.get(url)
    if session is None:
        from autofit.database.session import open_database

        session = _SESSIONS[url] = open_database(url)
    return session


def run_fit(job: FitJob) -> FitOutcome:
    """Fit a job (or load it, when its folder or database row holds the finished fit; resume
    it from its checkpoint when an earlier attempt was interrupted)."""
    search = job.search
    if job.database_url is not None:
        search = copy.copy(search)
        search.session = _session(job.database_url)
    if job.cores is not None and search.number_of_cores != job.cores:
        search = copy.copy(search)
        search.number_of_cores = job.cores
    result = search.fit(model=job.model, analysis=job.analysis, info=job.info)
    if job.whole:
        return FitOutcome(index=job.index, result=result)
    paths = result.paths
    summary = result.samples_summary.dict()
    if paths is None or paths.is_null:
        return FitOutcome(index=job.index, summary=summary, samples=result.samples)
    from autofit.config.visualization import skip_visualization

    if not skip_visualization():
        # A worker may exit after this job: let its plots be written first.
        from autofit.plot.background import wait_for_plots

        wait_for_plots()
    return FitOutcome(index=job.index, summary=summary, identifier=paths.identifier)
