"""Grid searches as the Aggregator lists them: each grid with its cells and their fits.

``agg.grid_searches()`` lists the grid searches of a database (the ``grid_search`` and
``grid_cell`` rows) or of output folders (their ``grid_search.json`` files). A query narrows the
list to the grids holding at least one matching fit. Each cell gives its number, limits,
figures of merit and its fit as a :class:`~autofit.aggregator.fit_view.FitView`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autofit.aggregator.fit_view import FitView

__all__ = ["GridCellView", "GridSearchView", "grid_searches"]

logger = logging.getLogger(__name__)

#: Levels between a cell's fit folder and its grid's folder (``<unique_tag>/<cell>/<id>``).
_CELL_DEPTH = 3


@dataclass
class GridCellView:
    """One cell of a stored grid search.

    Attributes
    ----------
    cell_number
        The cell's number in grid order.
    lower_limits, upper_limits
        The cell's physical limits along each grid prior.
    log_likelihood, log_evidence
        The cell's maximum log likelihood and log evidence (None before it finished).
    fit
        The cell's fit, or None if it is not stored.
    """

    cell_number: int
    lower_limits: list[float]
    upper_limits: list[float]
    log_likelihood: float | None
    log_evidence: float | None
    fit: FitView | None


@dataclass
class GridSearchView:
    """A stored grid search.

    Attributes
    ----------
    id
        The grid's database key (a digest of its names and identifier).
    identifier
        The grid's identifier (its folder's name).
    name, path_prefix, unique_tag
        The names of the grid's search.
    is_complete
        Whether every cell had finished.
    shape
        The grid's shape.
    grid_priors
        The names of the grid priors, in grid order.
    search
        The search's settings (as in ``search.json``).
    cells
        The cells, in grid order.
    """

    id: str
    identifier: str
    name: str
    path_prefix: str
    unique_tag: str
    is_complete: bool
    shape: tuple[int, ...]
    grid_priors: list[str]
    search: dict[str, Any]
    cells: list[GridCellView]

    def best_cell(self) -> GridCellView:
        """The finished cell with the highest maximum log likelihood.

        Raises
        ------
        ValueError
            If no cell has finished.
        """
        finished = [cell for cell in self.cells if cell.log_likelihood is not None]
        if not finished:
            raise ValueError(f"No cell of the grid search {self.identifier} has finished")
        return max(finished, key=lambda cell: cell.log_likelihood)

    def best_fit(self) -> FitView | None:
        """The fit of the best cell (see :meth:`best_cell`)."""
        return self.best_cell().fit

    def __repr__(self) -> str:
        return (
            f"<GridSearchView {self.path_prefix}/{self.name}/{self.identifier} "
            f"shape={self.shape} complete={self.is_complete}>"
        )


# -- databases ---------------------------------------------------------------------------------


def _from_database(backend: Any, trusted: tuple[str, ...]) -> list[GridSearchView]:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from autofit.aggregator.backends.sql import SQLBackend
    from autofit.database.schema import Fit, GridCellRow, GridSearchRow

    statement = select(GridSearchRow).order_by(
        GridSearchRow.path_prefix, GridSearchRow.unique_tag, GridSearchRow.name, GridSearchRow.id
    )
    if backend.predicate is not None:
        matching = select(Fit.id).where(backend.predicate.sql())
        grids = select(GridCellRow.grid_id).where(GridCellRow.fit_id.in_(matching))
        statement = statement.where(GridSearchRow.id.in_(grids))
    from sqlalchemy import inspect

    if not inspect(backend.engine).has_table(GridSearchRow.__tablename__):
        return []  # a database written before grid searches were stored
    views = []
    everything = SQLBackend(backend.engine, location=backend.location)
    with Session(backend.engine) as session:
        rows = session.execute(statement).scalars().all()
        for row in rows:
            cells = session.execute(
                select(GridCellRow)
                .where(GridCellRow.grid_id == row.id)
                .order_by(GridCellRow.cell_number)
            ).scalars()
            cell_rows = list(cells)
            fit_ids = [cell.fit_id for cell in cell_rows if cell.fit_id]
            headers = {}
            if fit_ids:
                listing = everything._listing().where(Fit.id.in_(fit_ids))
                headers = {
                    header.key: header
                    for header in map(everything._header, everything._execute(listing))
                }
            views.append(
                GridSearchView(
                    id=row.id,
                    identifier=row.identifier,
                    name=row.name,
                    path_prefix=row.path_prefix,
                    unique_tag=row.unique_tag,
                    is_complete=bool(row.is_complete),
                    shape=tuple(json.loads(row.shape_json)),
                    grid_priors=[prior["name"] for prior in json.loads(row.grid_priors_json)],
                    search=json.loads(row.search_json),
                    cells=[
                        GridCellView(
                            cell_number=cell.cell_number,
                            lower_limits=json.loads(cell.lower_limits_json),
                            upper_limits=json.loads(cell.upper_limits_json),
                            log_likelihood=cell.log_likelihood,
                            log_evidence=cell.log_evidence,
                            fit=(
                                FitView(everything, headers[cell.fit_id], trusted)
                                if cell.fit_id in headers
                                else None
                            ),
                        )
                        for cell in cell_rows
                    ],
                )
            )
    return views


# -- output folders ----------------------------------------------------------------------------


def grid_view_from_folder(folder: Path, trusted: tuple[str, ...]) -> GridSearchView:
    """The grid search in ``folder`` (holding ``grid_search.json``).

    Raises
    ------
    ValueError
        If the file cannot be read.
    """
    from autofit.aggregator.backends.directory import (
        DirectoryBackend,
        UnreadableFit,
        read_fit_folder,
    )
    from autofit.database.grid import grid_key
    from autofit.grid.summary import read_record

    record = read_record(folder)
    fits = {}
    for entry in record["cells"]:
        if entry.get("folder"):
            try:
                fits[entry["index"]] = read_fit_folder(folder / entry["folder"])
            except (UnreadableFit, OSError, ValueError) as error:
                logger.warning("Skipping the cell folder %s: %s", entry["folder"], error)
    backend = DirectoryBackend(list(fits.values()))
    return GridSearchView(
        id=grid_key(
            record.get("path_prefix", ""),
            record.get("unique_tag", ""),
            record.get("name", ""),
            record["identifier"],
        ),
        identifier=record["identifier"],
        name=record.get("name") or "",
        path_prefix=record.get("path_prefix") or "",
        unique_tag=record.get("unique_tag") or "",
        is_complete=bool(record.get("is_complete")),
        shape=tuple(record.get("shape", [])),
        grid_priors=[prior["name"] for prior in record.get("grid_priors", [])],
        search=record.get("search") or {},
        cells=[
            GridCellView(
                cell_number=int(entry["index"]),
                lower_limits=list(entry["lower_limits"]),
                upper_limits=list(entry["upper_limits"]),
                log_likelihood=entry.get("log_likelihood"),
                log_evidence=entry.get("log_evidence"),
                fit=(
                    FitView(backend, fits[entry["index"]].header, trusted)
                    if entry["index"] in fits
                    else None
                ),
            )
            for entry in record["cells"]
        ],
    )


def _from_directory(backend: Any, trusted: tuple[str, ...]) -> list[GridSearchView]:
    from autofit.grid.summary import SUMMARY_FILE

    folders: dict[Path, None] = {}
    for fit in backend.fits:
        for parent in list(fit.folder.parents)[:_CELL_DEPTH]:
            if (parent / SUMMARY_FILE).is_file():
                folders.setdefault(parent)
                break
    views = []
    for folder in sorted(folders):
        try:
            views.append(grid_view_from_folder(folder, trusted))
        except (OSError, ValueError, KeyError) as error:
            logger.warning("Skipping the grid search folder %s: %s", folder, error)
    return views


def grid_searches(backend: Any, trusted: tuple[str, ...]) -> list[GridSearchView]:
    """The grid searches of a backend holding at least one of its (matching) fits; on a
    database without a query, every grid search it holds."""
    from autofit.aggregator.backends.sql import SQLBackend

    if isinstance(backend, SQLBackend):
        return _from_database(backend, trusted)
    return _from_directory(backend, trusted)
