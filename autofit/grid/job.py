"""Running one cell of a grid search: a normal fit of the cell's model in its own folder.

What every cell shares (the search, model, analysis and grid) is a :class:`GridContext`, sent
once to each worker (see :func:`~autofit.parallel.executor.run_many`); a job is then only the
cell number, and returns a small :class:`CellOutcome`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from autofit.grid.cells import GridCell, GridGeometry

__all__ = ["GridContext", "CellOutcome", "run_cell"]


@dataclass
class GridContext:
    """Everything the cells of one grid search share.

    Attributes
    ----------
    search
        The search every cell copies (its ``session`` removed: workers open their own).
    geometry
        The grid priors and their cells.
    analysis
        The user's analysis.
    info
        The ``info`` stored with every cell's fit.
    grid_folder
        The grid's output folder, or None when nothing is written.
    output_root
        The output folder the grid folder is under.
    database_url
        The database URL cells write into (None for no database).
    cell_cores
        ``number_of_cores`` of each cell's search.
    session
        The database session of cells run in this process (a worker opens its own from
        ``database_url``).
    """

    search: Any
    geometry: GridGeometry
    analysis: Any
    info: dict[str, Any] | None
    grid_folder: Path | None
    output_root: Path | None
    database_url: str | None
    cell_cores: int
    session: Any = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["session"] = None  # open again from database_url in the worker
        return state


@dataclass
class CellOutcome:
    """What a finished cell sends back: small, whatever the size of its samples.

    Attributes
    ----------
    index
        The cell number.
    summary
        The values of the fit's ``SamplesSummary`` (maximum-likelihood vector, evidence, ...).
    log_likelihood
        The cell's maximum log likelihood.
    log_evidence
        The cell's log evidence (None for searches that do not compute one).
    folder
        The cell's output folder (None when nothing is written).
    identifier
        The cell fit's identifier.
    fit_id
        The key of the cell fit's row in a results database.
    """

    index: int
    summary: dict[str, Any]
    log_likelihood: float
    log_evidence: float | None
    folder: str | None
    identifier: str | None
    fit_id: str | None = None


def cell_search(context: GridContext, cell: GridCell, session: Any) -> Any:
    """A copy of the grid's search for one cell, writing into the cell's folder."""
    search = copy.copy(context.search)
    search.adapter = copy.deepcopy(context.search.adapter)
    search.number_of_cores = context.cell_cores
    search.session = session
    if context.search.seed is not None:
        # An independent, reproducible seed per cell.
        sequence = np.random.SeedSequence([int(context.search.seed), cell.index])
        search.seed = int(sequence.generate_state(1)[0])
    if context.grid_folder is None:
        search.name, search.path_prefix, search._paths = "", "", None
        return search
    search.name = context.geometry.folder_name(cell)
    search.path_prefix = context.grid_folder.relative_to(context.output_root).as_posix()
    if session is not None:
        from autofit.database.paths import DatabasePaths

        paths = DatabasePaths(
            session, search.name, search.path_prefix, search.unique_tag, context.output_root
        )
    else:
        from autofit.output.paths import DirectoryPaths

        paths = DirectoryPaths(
            search.name, search.path_prefix, search.unique_tag, context.output_root
        )
    search._paths = paths
    return search


def _session(context: GridContext) -> Any:
    if context.session is not None:
        return context.session
    if context.database_url is None:
        return None
    from autofit.database.session import open_database

    context.session = open_database(context.database_url)
    return context.session


def run_cell(context: GridContext, index: int) -> CellOutcome:
    """Fit one cell (resuming or loading it when its folder holds an earlier run).

    Parameters
    ----------
    context
        What the grid's cells share.
    index
        The cell number.
    """
    cell = context.geometry.cell(index)
    model = context.geometry.cell_model(cell)
    search = cell_search(context, cell, _session(context))
    result = search.fit(model=model, analysis=context.analysis, info=context.info)
    summary = result.samples_summary
    paths = result.paths
    folder = None
    if paths is not None and not paths.is_null:
        folder = str(paths.output_path)
        from autofit.config.visualization import skip_visualization

        if not skip_visualization():
            # A worker may exit after this job: let its plots be written first.
            from autofit.plot.background import wait_for_plots

            wait_for_plots()
    return CellOutcome(
        index=index,
        summary=summary.dict(),
        log_likelihood=float(summary.max_log_likelihood_value),
        log_evidence=None if summary.log_evidence is None else float(summary.log_evidence),
        folder=folder,
        identifier=getattr(paths, "identifier", None),
        fit_id=None if folder is None else paths.key,
    )
