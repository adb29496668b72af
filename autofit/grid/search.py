"""af.SearchGridSearch: one fit of a search per cell of a grid over one or more priors.

Each grid prior's range is cut into ``number_of_steps`` equal steps of its unit space; every
cell is a normal fit of the search, with the grid priors replaced by UniformPriors over the
cell's range, in its own folder inside the grid's folder
(``output/<path_prefix>/<unique_tag>/<name>/<identifier>/``). Rerunning a finished grid loads
it; rerunning an interrupted one fits only the cells that had not finished (and resumes those
that were running from their checkpoints). Cells run in worker processes when
``number_of_cores > 1``: a worker that dies makes its cell run again, alone, once; a cell whose
worker dies again raises :class:`~autofit.parallel.executor.WorkerDiedException` naming it.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autofit.config.visualization import skip_visualization
from autofit.exc import SearchException
from autofit.grid.cells import GridGeometry
from autofit.grid.job import CellOutcome, GridContext, run_cell
from autofit.grid.result import GridSearchResult
from autofit.grid.summary import SUMMARY_FILE, GridRecord, read_record
from autofit.model.abstract import AbstractModel
from autofit.model.identifier import identifier_of
from autofit.parallel.executor import check_executor, run_many
from autofit.samples.summary import SamplesSummary

__all__ = ["SearchGridSearch"]

logger = logging.getLogger("autofit.grid")

#: Seconds between rewrites of ``grid_search.json`` while cells finish.
_SUMMARY_INTERVAL = 1.0


class SearchGridSearch:
    """Fit a model once per cell of a grid over one or more of its priors.

    Parameters
    ----------
    search
        The search every cell runs (copied per cell with all its settings). Its ``name``,
        ``path_prefix`` and ``unique_tag`` (or ``paths``) place the grid's folder; with none,
        nothing is written. Its ``session`` writes the grid and its cells to a database.
    number_of_steps
        Steps along each grid prior: a grid of ``number_of_steps ** len(grid_priors)`` cells.
    number_of_cores
        Cells fitted at once, each in a worker process, when > 1 (each cell's search then uses
        one core). With 1, cells run one after the other in this process, each using the
        search's own ``number_of_cores``.
    executor
        Where the cells run instead (see :func:`~autofit.parallel.executor.run_many`):
        ``"dask"`` (a local Dask cluster of ``number_of_cores`` workers), a
        ``dask.distributed.Client`` or any ``concurrent.futures.Executor``; each cell's search
        then uses one core, and writes its folder and database rows from its worker. None
        (the default) uses ``number_of_cores``.
    worker_retries
        How often a cell whose worker process died is run again before the grid fails.
    result_output_interval
        ``grid_search.json`` and ``results.csv`` are rewritten after this many cells finish, or
        a second after they were last written, whichever comes first (and when the grid stops).
    """

    def __init__(
        self,
        search: Any,
        number_of_steps: int = 4,
        number_of_cores: int = 1,
        worker_retries: int = 1,
        result_output_interval: int = 100,
        executor: Any = None,
    ) -> None:
        from autofit.searches.base import NonLinearSearch

        if not isinstance(search, NonLinearSearch):
            raise TypeError(
                f"SearchGridSearch(search=...) takes a search such as af.DynestyStatic(...), "
                f"not {search!r}"
            )
        if isinstance(number_of_steps, bool) or int(number_of_steps) != number_of_steps:
            raise ValueError(f"number_of_steps must be an integer, got {number_of_steps!r}")
        if number_of_steps < 1:
            raise ValueError(f"number_of_steps must be >= 1, got {number_of_steps}")
        if int(number_of_cores) < 1:
            raise SearchException(f"number_of_cores must be >= 1, got {number_of_cores}")
        if int(worker_retries) < 0:
            raise ValueError(f"worker_retries must be >= 0, got {worker_retries}")
        self.search = search
        self.number_of_steps = int(number_of_steps)
        self.number_of_cores = int(number_of_cores)
        self.executor = check_executor(executor)
        self.worker_retries = int(worker_retries)
        if int(result_output_interval) < 1:
            raise ValueError(f"result_output_interval must be >= 1, got {result_output_interval}")
        self.result_output_interval = int(result_output_interval)

    @property
    def paths(self) -> Any:
        """The explicit paths given to the search, if any."""
        return self.search.paths

    @property
    def step_size(self) -> float:
        """The width of a step in unit space: ``1 / number_of_steps``."""
        return 1.0 / self.number_of_steps

    # -- where the grid is written ---------------------------------------------------------------

    def identifier(self, model: Any, grid_priors: Sequence[Any]) -> str:
        """The identifier of the grid: a hash of the search's identifier fields, the grid
        priors' names and the number of steps."""
        geometry = GridGeometry(model, grid_priors, self.number_of_steps)
        return self._identifier(model, geometry)

    def _identifier(self, model: Any, geometry: GridGeometry) -> str:
        fields = self.search.identifier_fields(model)
        return identifier_of(["SearchGridSearch", fields, geometry.names, self.number_of_steps])

    def _grid_folder(self, identifier: str) -> tuple[Path | None, Path | None]:
        from autofit.output.paths import DirectoryPaths

        search = self.search
        explicit = search.paths
        if explicit is not None and not explicit.is_null:
            paths = DirectoryPaths(
                explicit.name,
                explicit.path_prefix,
                explicit.unique_tag,
                getattr(explicit, "output_root", None),
            )
        elif search.name or search.path_prefix:
            paths = DirectoryPaths(search.name, search.path_prefix, search.unique_tag)
        else:
            return None, None
        paths.identifier = identifier
        return paths.output_path, paths.output_root

    # -- fitting ---------------------------------------------------------------------------------

    def fit(
        self,
        model: Any,
        analysis: Any,
        grid_priors: Sequence[Any],
        info: dict[str, Any] | None = None,
    ) -> GridSearchResult:
        """Fit every cell of the grid and return the grid's result.

        Parameters
        ----------
        model
            The model; ``grid_priors`` are free priors of it.
        analysis
            The user's ``af.Analysis``, the same for every cell.
        grid_priors
            The priors to grid over (``[model.gaussian.centre]``), each with finite limits;
            ordered by their names in the model, as PyAutoFit orders them.
        info
            Optional JSON-serialisable information stored with every cell's fit.

        Raises
        ------
        PriorException
            If a grid prior is not a free prior of the model or has an infinite limit.
        ConfigException
            If a parameter of the model has no prior.
        WorkerDiedException
            If the worker process of a cell died on every attempt (naming the cell).
        """
        geometry = GridGeometry(model, grid_priors, self.number_of_steps)
        if isinstance(model, AbstractModel):
            model.compiled.require_priors()
        identifier = self._identifier(model, geometry)
        grid_folder, output_root = self._grid_folder(identifier)
        header = {
            "type": "SearchGridSearch",
            "identifier": identifier,
            "name": self.search.name,
            "path_prefix": self.search.path_prefix,
            "unique_tag": self.search.unique_tag or "",
            "search": self.search.dict(),
            "model": model.dict(),
            "info": info,
        }
        record = GridRecord(geometry, header, grid_folder)
        if grid_folder is not None:
            self._read_finished_cells(record)
        session = self.search.session
        database = None
        if session is not None:
            from autofit.database.grid import GridWriter

            database = GridWriter(session, record)
            database.write()
        if record.is_complete:
            logger.info("Grid search: loading the completed grid in %s", grid_folder)
        else:
            self._run_cells(record, analysis, info, output_root, database)
        record.write()
        if database is not None:
            database.write()
        result = self._result(record)
        if grid_folder is not None and not skip_visualization():
            from autofit.plot.grid_search import grid_search

            grid_search(result, path=grid_folder / "image", format="png")
        return result

    def _read_finished_cells(self, record: GridRecord) -> None:
        """Take the cells an earlier run finished (listed in ``grid_search.json`` with a
        folder marked complete) without fitting them again."""
        folder = record.grid_folder
        if not (folder / SUMMARY_FILE).exists():
            return
        try:
            stored = read_record(folder)
        except (OSError, ValueError) as error:
            logger.warning("Cannot read %s (%s): every cell is checked again", folder, error)
            return
        for entry in stored["cells"]:
            if not entry.get("is_complete") or entry.get("folder") is None:
                continue
            cell_folder = folder / entry["folder"]
            try:
                summary = json.loads((cell_folder / "files" / "samples_summary.json").read_text())
            except (OSError, ValueError):
                continue
            if not (cell_folder / ".completed").exists() or not isinstance(summary, dict):
                continue
            index = int(entry["index"])
            if index >= record.geometry.total_cells:
                continue
            record.outcomes[index] = CellOutcome(
                index=index,
                summary=summary,
                log_likelihood=float(entry["log_likelihood"]),
                log_evidence=entry.get("log_evidence"),
                folder=str(cell_folder),
                identifier=entry.get("identifier"),
                fit_id=entry.get("fit_id"),
            )

    def _run_cells(
        self,
        record: GridRecord,
        analysis: Any,
        info: dict[str, Any] | None,
        output_root: Path | None,
        database: Any,
    ) -> None:
        geometry = record.geometry
        pending = [cell.index for cell in geometry.cells() if cell.index not in record.outcomes]
        remote = self.executor is not None
        parallel = remote or (self.number_of_cores > 1 and len(pending) > 1)
        search = self.search
        session = search.session
        url = None
        if session is not None:
            from autofit.database.session import database_url

            url = database_url(session, for_workers=parallel)
        context = GridContext(
            search=_without_session(search),
            geometry=geometry,
            analysis=analysis,
            info=info,
            grid_folder=record.grid_folder,
            output_root=output_root,
            database_url=url,
            cell_cores=1 if parallel else search.number_of_cores,
            session=None if parallel else session,
        )
        where = ""
        if remote:
            local = isinstance(self.executor, str)
            where = f" on {'a local Dask cluster' if local else type(self.executor).__name__}"
        elif parallel:
            where = f" on {self.number_of_cores} cores"
        logger.info(
            "Grid search: %d of %d cells to fit%s", len(pending), geometry.total_cells, where
        )

        def describe(index: int) -> str:
            return geometry.describe(geometry.cell(index))

        written, unwritten = time.monotonic(), 0
        try:
            for _, outcome in run_many(
                pending,
                run_cell,
                executor=self.executor,
                number_of_cores=self.number_of_cores if parallel else 1,
                context=context,
                describe=describe,
                retries=self.worker_retries,
                label="grid cells",
            ):
                record.outcomes[outcome.index] = outcome
                logger.info(
                    "Grid search: finished %s (%d of %d), max log likelihood %.6g",
                    describe(outcome.index),
                    len(record.outcomes),
                    geometry.total_cells,
                    outcome.log_likelihood,
                )
                # The summary is rewritten whole, so not after every cell of a large grid (a
                # finished cell left out of it is loaded from its folder, not fitted again, when
                # the grid reruns).
                unwritten += 1
                if (
                    unwritten >= self.result_output_interval
                    or time.monotonic() - written >= _SUMMARY_INTERVAL
                ):
                    record.write()
                    written, unwritten = time.monotonic(), 0
                if database is not None:
                    database.write_cell(outcome)
        finally:
            record.write()

    def _result(self, record: GridRecord) -> GridSearchResult:
        geometry = record.geometry
        samples = []
        folders = []
        for cell in geometry.cells():
            outcome = record.outcomes[cell.index]
            samples.append(
                SamplesSummary(
                    None,
                    outcome.summary,
                    model_loader=lambda cell=cell: geometry.cell_model(cell),
                )
            )
            folders.append(outcome.folder)
        return GridSearchResult(
            samples=samples,
            lower_limits_lists=[list(cell.unit_lower_limits) for cell in geometry.cells()],
            grid_priors=geometry.priors,
            parent=self,
            folders=folders,
            names=geometry.names,
        )

    def __repr__(self) -> str:
        return (
            f"SearchGridSearch(search={self.search!r}, number_of_steps={self.number_of_steps}, "
            f"number_of_cores={self.number_of_cores})"
        )


def _without_session(search: Any) -> Any:
    """A shallow copy of ``search`` without its database session (sessions are per process)."""
    import copy

    clone = copy.copy(search)
    clone.session = None
    return clone
