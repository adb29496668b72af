"""Grid searches in the results database: the ``grid_search`` and ``grid_cell`` rows.

The parent process of a grid search writes the grid's row and one row per cell (its number and
limits) when the grid starts, and each cell's figures of merit and fit key as the cell finishes;
the cells' fits write their own ``fit`` rows as any fit does. Scraping a grid's folder writes the
same rows from its ``grid_search.json``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, update
from sqlalchemy.orm import Session

from autofit.database.schema import GridCellRow, GridSearchRow
from autofit.database.session import new_session, retry_on_lock
from autofit.model.identifier import identifier_of

__all__ = ["GridWriter", "grid_key", "write_grid_record", "grid_folders", "scrape_grids"]


def grid_key(path_prefix: str, unique_tag: str, name: str, identifier: str) -> str:
    """The database key of a grid search: a digest of its folder's names and identifier."""
    return identifier_of(["grid", path_prefix or "", unique_tag or "", name or "", identifier])


def _write(session: Session, record: dict[str, Any]) -> None:
    """Insert or replace a grid's row and its cells' rows from a ``grid_search.json`` dict."""
    key = grid_key(
        record.get("path_prefix", ""),
        record.get("unique_tag", ""),
        record.get("name", ""),
        record["identifier"],
    )
    with session.begin():
        row = session.get(GridSearchRow, key)
        if row is None:
            row = GridSearchRow(id=key)
            session.add(row)
        row.identifier = record["identifier"]
        row.name = record.get("name") or ""
        row.path_prefix = record.get("path_prefix") or ""
        row.unique_tag = record.get("unique_tag") or ""
        search = record.get("search") or {}
        row.search_class = str(search.get("type", ""))
        row.search_json = json.dumps(search, default=str)
        row.grid_priors_json = json.dumps(record.get("grid_priors", []), default=str)
        row.shape_json = json.dumps(record.get("shape", []))
        info = record.get("info")
        row.info_json = None if info is None else json.dumps(info, default=str)
        row.is_complete = bool(record.get("is_complete"))
        row.updated_at = time.time()
        session.flush()
        session.execute(delete(GridCellRow).where(GridCellRow.grid_id == key))
        session.add_all(
            GridCellRow(
                grid_id=key,
                cell_number=int(cell["index"]),
                fit_id=cell.get("fit_id"),
                lower_limits_json=json.dumps(cell["lower_limits"]),
                upper_limits_json=json.dumps(cell["upper_limits"]),
                log_likelihood=cell.get("log_likelihood"),
                log_evidence=cell.get("log_evidence"),
            )
            for cell in record["cells"]
        )


def write_grid_record(database: Session | Engine, record: dict[str, Any]) -> None:
    """Write a grid search (the dict of its ``grid_search.json``) into the database, in one
    transaction, retried while the database is locked."""
    if isinstance(database, Session):
        writer = new_session(database)
    else:
        writer = Session(bind=database, expire_on_commit=False)
    try:
        retry_on_lock(lambda: _write(writer, record))()
    finally:
        writer.close()


class GridWriter:
    """Keeps a grid's rows up to date while it runs.

    Parameters
    ----------
    session
        The session given to the grid's search.
    record
        The grid's :class:`~autofit.grid.summary.GridRecord`.
    """

    def __init__(self, session: Session, record: Any) -> None:
        self.session = session
        self.record = record

    def write(self) -> None:
        """Write the grid and every cell as they stand."""
        write_grid_record(self.session, self.record.dict())

    def write_cell(self, outcome: Any) -> None:
        """Record a finished cell: its figures of merit and the key of its fit's row."""
        header = self.record.header
        key = grid_key(
            header.get("path_prefix", ""),
            header.get("unique_tag", ""),
            header.get("name", ""),
            header["identifier"],
        )

        def write() -> None:
            with writer.begin():
                writer.execute(
                    update(GridCellRow)
                    .where(GridCellRow.grid_id == key, GridCellRow.cell_number == outcome.index)
                    .values(
                        fit_id=outcome.fit_id,
                        log_likelihood=outcome.log_likelihood,
                        log_evidence=outcome.log_evidence,
                    )
                )

        writer = new_session(self.session)
        try:
            retry_on_lock(write)()
        finally:
            writer.close()


def grid_folders(directory: str | Path) -> list[Path]:
    """Every grid search folder (holding ``grid_search.json``) under ``directory``, sorted; the
    ``files/`` and ``image/`` folders of fits are not walked."""
    from autofit.grid.summary import SUMMARY_FILE

    found = []
    for root, folders, files in os.walk(directory):
        folders.sort()
        if ".identifier" in files:
            folders[:] = [name for name in folders if name not in ("files", "image")]
        if SUMMARY_FILE in files:
            found.append(Path(root))
    return found


def scrape_grids(
    database: Session | Engine, directory: str | Path, written: list[str]
) -> list[tuple[Path, str]]:
    """Write the grid searches under ``directory`` into the database (their cells' fits are
    scraped as any fit); appends each grid's identifier to ``written`` and returns the
    ``(folder, reason)`` of grid folders that could not be read."""
    from autofit.grid.summary import read_record

    skipped = []
    for folder in grid_folders(directory):
        try:
            record = read_record(folder)
            write_grid_record(database, record)
        except (OSError, ValueError, KeyError, TypeError) as error:
            skipped.append((folder, f"cannot read its grid_search.json ({error})"))
            continue
        written.append(record["identifier"])
    return skipped
