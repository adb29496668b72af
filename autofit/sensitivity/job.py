"""Running one cell of a sensitivity map: simulate a dataset with the cell's perturbation,
then fit it with the base model and with the base model plus the perturbation.

What every cell shares (the simulation instance, the models, the user's callables and the
map's folder) is a :class:`SensitivityContext`, sent once to each worker (see
:func:`~autofit.parallel.executor.run_many`); a job is then only the cell number. A finished cell writes ``sensitivity_cell.json`` into its
folder, which is how a later run knows not to fit it again.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autofit.grid.cells import GridCell, GridGeometry
from autofit.output.atomic import atomic_write_json
from autofit.priors import UniformPrior

__all__ = [
    "CELL_FILE",
    "SensitivityContext",
    "fit_record",
    "read_cell",
    "run_sensitivity_cell",
]

#: The file a finished cell writes into its folder.
CELL_FILE = "sensitivity_cell.json"


@dataclass
class SensitivityContext:
    """Everything the cells of one sensitivity map share.

    Attributes
    ----------
    simulation_instance
        The instance every dataset is simulated from (its ``perturb`` set per cell).
    base_model
        The model fitted without the perturbation.
    perturb_model
        The model of the perturbation; its free priors span the grid.
    geometry
        The grid over the perturbation's priors and its cells.
    simulate_cls, base_fit_cls, perturb_fit_cls
        The user's callables (see :class:`~autofit.Sensitivity`).
    paths
        The map's paths (a ``DirectoryPaths`` with its identifier set, or ``NullPaths``).
    limit_scale
        Width of the perturbed fit's priors in cells (1: the cell's own limits).
    perturb_model_prior_func
        Optional ``f(perturb_instance=, perturb_model=) -> model`` customising each cell's
        perturbation model.
    """

    simulation_instance: Any
    base_model: Any
    perturb_model: Any
    geometry: GridGeometry
    simulate_cls: Callable[..., Any]
    base_fit_cls: Callable[..., Any]
    perturb_fit_cls: Callable[..., Any]
    paths: Any
    limit_scale: float = 1.0
    perturb_model_prior_func: Callable[..., Any] | None = None

    # -- the cell arithmetic -------------------------------------------------------------------

    def unit_centres(self, cell: GridCell) -> list[float]:
        """The middle of the cell in the unit space of each perturbation prior."""
        return [
            (lower + upper) / 2.0
            for lower, upper in zip(cell.unit_lower_limits, cell.unit_upper_limits, strict=True)
        ]

    def physical_centres(self, cell: GridCell) -> list[float]:
        """The perturbation's values simulated in the cell (its unit centre, mapped through
        each prior)."""
        return [
            float(prior.value_for(centre))
            for prior, centre in zip(self.geometry.priors, self.unit_centres(cell), strict=True)
        ]

    def perturb_instance(self, cell: GridCell) -> Any:
        """The perturbation added to the simulation instance in the cell."""
        arguments = dict(zip(self.geometry.priors, self.physical_centres(cell), strict=True))
        return self.perturb_model.instance_for_arguments(
            arguments, ignore_assertions=True, ignore_prior_limits=True
        )

    def cell_perturb_model(self, cell: GridCell) -> Any:
        """The perturbation model fitted in the cell: each grid prior a UniformPrior over the
        cell (``limit_scale`` cells wide, clipped to the prior's range)."""
        half = self.limit_scale / (2.0 * self.geometry.number_of_steps)
        arguments = {}
        for prior, centre in zip(self.geometry.priors, self.unit_centres(cell), strict=True):
            lower = float(prior.value_for(max(0.0, centre - half)))
            upper = float(prior.value_for(min(1.0, centre + half)))
            arguments[prior] = UniformPrior(lower_limit=lower, upper_limit=upper)
        model = self.perturb_model.mapper_from_partial_prior_arguments(arguments)
        if self.perturb_model_prior_func is not None:
            model = self.perturb_model_prior_func(
                perturb_instance=self.perturb_instance(cell), perturb_model=model
            )
        return model

    def perturbed_model(self, cell: GridCell) -> Any:
        """The base model with ``perturb`` set to the cell's perturbation model."""
        model = self.base_model.copy()
        model.perturb = self.cell_perturb_model(cell)
        return model

    def cell_paths(self, cell: GridCell) -> Any:
        """The cell's paths: a sub-folder of the map's folder (nothing for NullPaths)."""
        return self.paths.for_sub_analysis(self.geometry.folder_name(cell))

    def cell_folder(self, cell: GridCell) -> Path | None:
        """The cell's folder, or None when the map writes nothing."""
        if self.paths.is_null:
            return None
        return Path(self.paths.output_path) / self.geometry.folder_name(cell)

    def __getstate__(self) -> dict[str, Any]:
        return dict(self.__dict__)


def fit_record(result: Any, what: str) -> dict[str, Any]:
    """The numbers of one fit the map keeps: maximum log likelihood, log evidence and the
    values of the fit's samples summary.

    Parameters
    ----------
    result
        What ``base_fit_cls`` or ``perturb_fit_cls`` returned (an ``af.Result``).
    what
        ``"base_fit_cls"`` or ``"perturb_fit_cls"``, for the message.

    Raises
    ------
    TypeError
        If ``result`` has no ``log_likelihood`` (the callable did not return a fit's result).
    """
    if not hasattr(result, "log_likelihood"):
        raise TypeError(
            f"{what} returned {type(result).__name__}, not a result: it must return what "
            "search.fit(...) returns"
        )
    evidence = getattr(result, "log_evidence", None)
    summary = getattr(result, "samples_summary", None)
    return {
        "log_likelihood": float(result.log_likelihood),
        "log_evidence": None if evidence is None else float(evidence),
        "summary": summary.dict() if hasattr(summary, "dict") else {},
    }


def read_cell(folder: Path | None) -> dict[str, Any] | None:
    """The record a finished cell wrote in ``folder``, or None if there is none (or it is
    unreadable, so that the cell is fitted again)."""
    if folder is None:
        return None
    try:
        record = json.loads((folder / CELL_FILE).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not {"base", "perturbed"} <= set(record):
        return None
    return record


def run_sensitivity_cell(context: SensitivityContext, index: int) -> dict[str, Any]:
    """Simulate and fit one cell, write its record and return it.

    Parameters
    ----------
    context
        What the map's cells share.
    index
        The cell number.

    Returns
    -------
    dict
        ``index``, ``physical_centres``, and ``base`` / ``perturbed`` fit records (see
        :func:`fit_record`).
    """
    cell = context.geometry.cell(index)
    simulate_instance = copy.copy(context.simulation_instance)
    simulate_instance.perturb = context.perturb_instance(cell)
    paths = context.cell_paths(cell)
    folder = context.cell_folder(cell)
    simulate_path = None
    if folder is not None:
        simulate_path = folder / "simulate"
        simulate_path.mkdir(parents=True, exist_ok=True)
    dataset = context.simulate_cls(instance=simulate_instance, simulate_path=simulate_path)
    base = context.base_fit_cls(
        model=context.base_model,
        dataset=dataset,
        paths=paths.for_sub_analysis("[base]"),
        instance=simulate_instance,
    )
    perturbed = context.perturb_fit_cls(
        model=context.perturbed_model(cell),
        dataset=dataset,
        paths=paths.for_sub_analysis("[perturb]"),
        instance=simulate_instance,
    )
    record = {
        "index": index,
        "physical_centres": context.physical_centres(cell),
        "base": fit_record(base, "base_fit_cls"),
        "perturbed": fit_record(perturbed, "perturb_fit_cls"),
    }
    if folder is not None:
        atomic_write_json(folder / CELL_FILE, record)
    return record
