"""The grid search's own files in its folder: ``grid_search.json`` and ``results.csv``.

``grid_search.json`` describes the grid (search, grid priors, shape) and every cell: its number,
steps, unit and physical limits, folder (relative to the grid's folder), identifier and, once
it has finished, its maximum log likelihood and log evidence. ``results.csv`` is the same table
of cells for a spreadsheet. ``.completed`` marks a grid whose cells have all finished.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from autofit.grid.cells import GridCell, GridGeometry
from autofit.grid.job import CellOutcome
from autofit.output.atomic import atomic_write_json, atomic_write_text

__all__ = ["SUMMARY_FILE", "GridRecord", "read_record"]

#: The name of the summary file in a grid's folder (marks the folder as a grid search).
SUMMARY_FILE = "grid_search.json"


def _cell_entry(cell: GridCell, outcome: CellOutcome | None, grid_folder: Path | None) -> dict:
    entry: dict[str, Any] = {
        "index": cell.index,
        "steps": list(cell.steps),
        "unit_lower_limits": list(cell.unit_lower_limits),
        "unit_upper_limits": list(cell.unit_upper_limits),
        "lower_limits": list(cell.lower_limits),
        "upper_limits": list(cell.upper_limits),
        "is_complete": outcome is not None,
        "folder": None,
        "identifier": None,
        "fit_id": None,
        "log_likelihood": None,
        "log_evidence": None,
    }
    if outcome is not None:
        folder = outcome.folder
        if folder is not None and grid_folder is not None:
            folder = Path(folder).relative_to(grid_folder).as_posix()
        entry.update(
            folder=folder,
            identifier=outcome.identifier,
            fit_id=outcome.fit_id,
            log_likelihood=outcome.log_likelihood,
            log_evidence=outcome.log_evidence,
        )
    return entry


class GridRecord:
    """The description of a grid and its cells, written to the grid's folder.

    Parameters
    ----------
    geometry
        The grid.
    header
        What describes the whole grid (search, names, identifier).
    grid_folder
        Where the files go (None: nothing is written).
    """

    def __init__(self, geometry: GridGeometry, header: dict[str, Any], grid_folder: Path | None):
        self.geometry = geometry
        self.header = header
        self.grid_folder = grid_folder
        self.outcomes: dict[int, CellOutcome] = {}

    @property
    def is_complete(self) -> bool:
        """Whether every cell has finished."""
        return len(self.outcomes) == self.geometry.total_cells

    def dict(self) -> dict[str, Any]:
        """The JSON form of ``grid_search.json``."""
        geometry = self.geometry
        return {
            **self.header,
            "number_of_steps": geometry.number_of_steps,
            "shape": list(geometry.shape),
            "grid_priors": [
                {"name": name, "path": list(path), "prior": prior.dict()}
                for name, path, prior in zip(
                    geometry.names, geometry.paths, geometry.priors, strict=True
                )
            ],
            "is_complete": self.is_complete,
            "cells": [
                _cell_entry(cell, self.outcomes.get(cell.index), self.grid_folder)
                for cell in geometry.cells()
            ],
        }

    def results_csv(self) -> str:
        """``results.csv``: one row per cell (limits, log likelihood, log evidence)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        limits = [f"{name}_{side}" for name in self.geometry.names for side in ("lower", "upper")]
        writer.writerow(["index", *limits, "log_likelihood", "log_evidence"])
        for cell in self.geometry.cells():
            outcome = self.outcomes.get(cell.index)
            values = [
                value
                for pair in zip(cell.lower_limits, cell.upper_limits, strict=True)
                for value in pair
            ]
            writer.writerow(
                [
                    cell.index,
                    *(f"{value:.8g}" for value in values),
                    "" if outcome is None else f"{outcome.log_likelihood:.8g}",
                    ""
                    if outcome is None or outcome.log_evidence is None
                    else f"{outcome.log_evidence:.8g}",
                ]
            )
        return buffer.getvalue()

    def write(self) -> None:
        """Write ``grid_search.json`` and ``results.csv`` (and ``.completed`` when done)."""
        if self.grid_folder is None:
            return
        atomic_write_json(self.grid_folder / SUMMARY_FILE, self.dict())
        atomic_write_text(self.grid_folder / "results.csv", self.results_csv())
        if self.is_complete:
            atomic_write_text(self.grid_folder / ".completed", "")


def read_record(grid_folder: Path) -> dict[str, Any]:
    """The parsed ``grid_search.json`` of a grid's folder.

    Raises
    ------
    FileNotFoundError
        If the folder holds no grid search.
    ValueError
        If the file is not a JSON object.
    """
    path = Path(grid_folder) / SUMMARY_FILE
    value = json.loads(path.read_text())
    if not isinstance(value, dict) or "cells" not in value:
        raise ValueError(f"{path} does not describe a grid search")
    return value
