"""af.Sensitivity: would a perturbation of this size, here, have been detected?

The perturbation model's free priors span a grid, cut into equal steps of each prior's unit
space as a grid search's cells are. In every cell a dataset is simulated from the simulation
instance plus the perturbation at the cell's centre, and fitted twice: with the base model,
and with the base model plus the perturbation (its priors limited to the cell). The evidence
(or likelihood) gained by the perturbed fit says how detectable the perturbation is there.

Cells are jobs made one at a time (the memory of this process does not grow with the number
of cells) and run through the same executor as grid-search cells: one after the other, in
worker processes when ``number_of_cores > 1`` (a cell whose worker dies being run again once),
or on the Dask cluster or ``concurrent.futures`` executor given as ``executor=``.
A finished cell writes ``sensitivity_cell.json`` into its folder and is not fitted again by a
later run. The map's results are written as ``sensitivity.json`` and ``results.csv`` in its
folder.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from autofit.exc import SearchException
from autofit.grid.cells import GridGeometry
from autofit.model.identifier import identifier_of
from autofit.output.atomic import atomic_write_json, atomic_write_text
from autofit.parallel.executor import check_executor, run_many
from autofit.samples.summary import SamplesSummary
from autofit.sensitivity.job import SensitivityContext, read_cell, run_sensitivity_cell
from autofit.sensitivity.result import SensitivityResult

__all__ = ["Sensitivity", "RESULT_FILE", "RESULTS_CSV"]

logger = logging.getLogger("autofit.sensitivity")

#: The map's result, written in its folder.
RESULT_FILE = "sensitivity.json"
#: One row per cell: its perturbation values and both fits' numbers.
RESULTS_CSV = "results.csv"


def _steps(number_of_steps: int | Sequence[int]) -> int:
    if isinstance(number_of_steps, (tuple, list)):
        values = {int(value) for value in number_of_steps}
        if len(values) != 1:
            raise ValueError(
                f"number_of_steps={tuple(number_of_steps)}: a different number of steps per "
                "perturbation parameter is not supported; give one integer"
            )
        (number_of_steps,) = values
    if isinstance(number_of_steps, bool) or int(number_of_steps) != number_of_steps:
        raise ValueError(f"number_of_steps must be an integer, got {number_of_steps!r}")
    if number_of_steps < 1:
        raise ValueError(f"number_of_steps must be >= 1, got {number_of_steps}")
    return int(number_of_steps)


def _fingerprint(instance: Any) -> list[Any]:
    """The classes and float values of an instance, in a form that is the same in every run
    (unlike ``repr`` of objects that show their memory address)."""
    from autofit.model.instance_paths import float_paths, value_at

    return [
        type(instance).__name__,
        [[list(map(str, path)), float(value_at(instance, path))] for path in float_paths(instance)],
    ]


def _check_callable(value: Any, name: str) -> None:
    if not callable(value):
        raise TypeError(
            f"Sensitivity({name}=...) must be callable (a function or an object with "
            f"__call__), got {value!r}"
        )


class Sensitivity:
    """Map how detectable a perturbation is over a grid of its parameters.

    Parameters
    ----------
    base_model
        The model fitted to every simulated dataset without the perturbation (usually an
        ``af.Collection``; the perturbed fit's model is a copy with ``perturb`` added).
    perturb_model
        The model of the perturbation. Each of its free priors (finite limits required) is
        one axis of the grid.
    simulation_instance
        The instance datasets are simulated from; each cell's copy gets ``perturb`` set to the
        perturbation at the cell's centre.
    paths
        Where the map is written, ``af.DirectoryPaths(name=..., path_prefix=...,
        unique_tag=...)``: ``output/<path_prefix>/<unique_tag>/<name>/<identifier>/``, one
        sub-folder per cell. ``af.NullPaths()`` (or None) writes nothing and cannot resume.
    simulate_cls
        Called as ``simulate_cls(instance=..., simulate_path=...)`` and returns a dataset;
        ``simulate_path`` is the cell's ``simulate`` folder (None when nothing is written).
    base_fit_cls, perturb_fit_cls
        Called with the keywords ``model``, ``dataset``, ``paths`` and ``instance``; each
        returns the result of a fit (typically ``search.fit(...)`` of a search given
        ``paths=paths.for_sub_analysis(analysis_name=...)``).
    number_of_steps
        Steps along each perturbation parameter: ``number_of_steps ** parameters`` cells.
    number_of_cores
        Cells fitted at once, each in a worker process, when > 1; with 1 they run one after
        the other in this process.
    executor
        Where the cells run instead (see :func:`~autofit.parallel.executor.run_many`):
        ``"dask"`` (a local Dask cluster of ``number_of_cores`` workers), a
        ``dask.distributed.Client`` or any ``concurrent.futures.Executor``. None (the
        default) uses ``number_of_cores``.
    mask
        Optional boolean array of the grid's shape; True cells are not simulated nor fitted
        (their values are None).
    limit_scale
        Width of the perturbed fit's priors, in cells: 1 limits them to the cell, 2 to a
        range twice as wide around its centre (clipped to the prior's range).
    perturb_model_prior_func
        Optional ``f(perturb_instance=..., perturb_model=...)`` returning the perturbation
        model fitted in a cell, to set its priors in another way.
    worker_retries
        How often a cell whose worker process died is run again before the map fails.
    batch_range
        Optional ``(start, stop)``: run only the cells numbered ``start <= n < stop`` (to share
        a map between machines writing into one folder); the other cells are loaded if
        finished and hold None otherwise.
    visualizer_cls
        Optional callable, called as ``visualizer_cls(sensitivity_result=..., paths=...)``
        after each finished cell with the result so far (unfinished cells hold None), to
        plot the map as it grows.

    Raises
    ------
    PriorException
        If a perturbation prior has an infinite limit.
    ValueError
        If ``number_of_steps`` is not a positive integer, the perturbation has no free
        parameter, or ``mask`` has another shape than the grid.
    TypeError
        If a callable argument is not callable.
    """

    def __init__(
        self,
        base_model: Any,
        perturb_model: Any,
        simulation_instance: Any,
        paths: Any,
        simulate_cls: Callable[..., Any],
        base_fit_cls: Callable[..., Any],
        perturb_fit_cls: Callable[..., Any],
        number_of_steps: int | Sequence[int] = 4,
        number_of_cores: int = 1,
        mask: Any = None,
        limit_scale: float = 1.0,
        perturb_model_prior_func: Callable[..., Any] | None = None,
        worker_retries: int = 1,
        batch_range: tuple[int, int] | None = None,
        visualizer_cls: Callable[..., Any] | None = None,
        executor: Any = None,
    ) -> None:
        for name, value in (
            ("simulate_cls", simulate_cls),
            ("base_fit_cls", base_fit_cls),
            ("perturb_fit_cls", perturb_fit_cls),
        ):
            _check_callable(value, name)
        if perturb_model_prior_func is not None:
            _check_callable(perturb_model_prior_func, "perturb_model_prior_func")
        if visualizer_cls is not None:
            _check_callable(visualizer_cls, "visualizer_cls")
        if batch_range is not None:
            start, stop = (int(value) for value in batch_range)
            if not 0 <= start < stop:
                raise ValueError(
                    f"batch_range={tuple(batch_range)} must be (start, stop) with "
                    "0 <= start < stop, the cell numbers to run"
                )
            batch_range = (start, stop)
        if int(number_of_cores) < 1:
            raise SearchException(f"number_of_cores must be >= 1, got {number_of_cores}")
        if float(limit_scale) <= 0.0:
            raise ValueError(f"limit_scale must be > 0, got {limit_scale}")
        priors = list(perturb_model.priors_ordered_by_id)
        if not priors:
            raise ValueError(
                "Sensitivity(perturb_model=...) has no free parameter: give the perturbation "
                "at least one prior to map over"
            )
        self.base_model = base_model
        self.perturb_model = perturb_model
        self.instance = simulation_instance
        self.simulate_cls = simulate_cls
        self.base_fit_cls = base_fit_cls
        self.perturb_fit_cls = perturb_fit_cls
        self.number_of_steps = _steps(number_of_steps)
        self.number_of_cores = int(number_of_cores)
        self.executor = check_executor(executor)
        self.limit_scale = float(limit_scale)
        self.perturb_model_prior_func = perturb_model_prior_func
        self.worker_retries = int(worker_retries)
        self.batch_range = batch_range
        self.visualizer_cls = visualizer_cls
        self.geometry = GridGeometry(perturb_model, priors, self.number_of_steps)
        self.mask = None
        if mask is not None:
            self.mask = np.asarray(mask, dtype=bool)
            if self.mask.shape != self.shape:
                raise ValueError(
                    f"The mask has shape {self.mask.shape} but the sensitivity grid has shape "
                    f"{self.shape}; give a mask of the grid's shape"
                )
        self.paths = self._paths(paths)

    # -- the grid --------------------------------------------------------------------------------

    @property
    def model(self) -> Any:
        """The base model (PyAutoFit's name for it)."""
        return self.base_model

    @property
    def shape(self) -> tuple[int, ...]:
        """``(number_of_steps,) * number of perturbation parameters``."""
        return self.geometry.shape

    @property
    def step_size(self) -> float:
        """The width of a cell in unit space."""
        return 1.0 / self.number_of_steps

    @property
    def path_names(self) -> list[tuple[str, ...]]:
        """The path of each grid parameter in ``perturb_model``, in grid order."""
        return [tuple(path) for path in self.geometry.paths]

    def shape_index_from_number(self, number: int) -> tuple[int, ...]:
        """The grid index (one step per parameter) of cell ``number``."""
        return tuple(int(value) for value in np.unravel_index(number, self.shape))

    def identifier(self) -> str:
        """A hash of the base and perturbation models, the numbers of the simulation instance,
        the number of steps and ``limit_scale`` (not of the callables: after changing those,
        give the map another name or delete its folder)."""
        return identifier_of(
            [
                "Sensitivity",
                self.base_model.dict(),
                self.perturb_model.dict(),
                _fingerprint(self.instance),
                self.number_of_steps,
                self.limit_scale,
            ]
        )

    def _paths(self, paths: Any) -> Any:
        from autofit.output.paths import DirectoryPaths, NullPaths

        if paths is None or getattr(paths, "is_null", False):
            return NullPaths()
        if not isinstance(paths, DirectoryPaths):
            raise TypeError(
                "Sensitivity(paths=...) takes af.DirectoryPaths(name=..., path_prefix=...) or "
                f"af.NullPaths(), not {type(paths).__name__}"
            )
        if paths.identifier is not None:
            return paths
        own = DirectoryPaths(paths.name, paths.path_prefix, paths.unique_tag, paths.output_root)
        own.identifier = self.identifier()
        return own

    @property
    def output_path(self) -> Path | None:
        """The map's folder (None when nothing is written)."""
        return None if self.paths.is_null else Path(self.paths.output_path)

    @property
    def results_path(self) -> Path | None:
        """``results.csv`` in the map's folder."""
        folder = self.output_path
        return None if folder is None else folder / RESULTS_CSV

    # -- running ---------------------------------------------------------------------------------

    def _context(self) -> SensitivityContext:
        return SensitivityContext(
            simulation_instance=self.instance,
            base_model=self.base_model,
            perturb_model=self.perturb_model,
            geometry=self.geometry,
            simulate_cls=self.simulate_cls,
            base_fit_cls=self.base_fit_cls,
            perturb_fit_cls=self.perturb_fit_cls,
            paths=self.paths,
            limit_scale=self.limit_scale,
            perturb_model_prior_func=self.perturb_model_prior_func,
        )

    def _is_masked(self, index: int) -> bool:
        return self.mask is not None and bool(self.mask[self.shape_index_from_number(index)])

    def _in_batch(self, index: int) -> bool:
        if self.batch_range is None:
            return True
        return self.batch_range[0] <= index < self.batch_range[1]

    def run(self) -> SensitivityResult:
        """Simulate and fit every cell not finished by an earlier run, write the results and
        return them.

        Raises
        ------
        WorkerDiedException
            If the worker process of a cell died on every attempt (naming the cell).
        Exception
            What a user callable raised, with a note naming the cell.
        """
        context = self._context()
        geometry = self.geometry
        records: dict[int, dict[str, Any]] = {}
        for cell in geometry.cells():
            record = read_cell(context.cell_folder(cell))
            if record is not None and not self._is_masked(cell.index):
                records[cell.index] = record
        pending = [
            cell.index
            for cell in geometry.cells()
            if cell.index not in records
            and not self._is_masked(cell.index)
            and self._in_batch(cell.index)
        ]
        logger.info(
            "Sensitivity: %d of %d cells to simulate and fit", len(pending), geometry.total_cells
        )
        if pending:
            self._run_cells(context, pending, records)
        result = self._result(context, records)
        folder = self.output_path
        if folder is not None:
            atomic_write_json(folder / RESULT_FILE, result.dict())
            atomic_write_text(folder / RESULTS_CSV, self._table(result))
        return result

    def _run_cells(
        self, context: SensitivityContext, pending: list[int], records: dict[int, Any]
    ) -> None:
        def describe(index: int) -> str:
            return "sensitivity " + self.geometry.describe(self.geometry.cell(index))

        for index, record in run_many(
            pending,
            run_sensitivity_cell,
            executor=self.executor,
            number_of_cores=self.number_of_cores,
            context=context,
            describe=describe,
            retries=self.worker_retries,
            label="sensitivity cells",
        ):
            records[record["index"]] = record
            if self.visualizer_cls is not None:
                self.visualizer_cls(
                    sensitivity_result=self._result(context, records), paths=self.paths
                )
            logger.info(
                "Sensitivity: finished %s (%d of %d)",
                describe(index),
                len(records),
                self.geometry.total_cells,
            )

    def _result(
        self, context: SensitivityContext, records: dict[int, dict[str, Any]]
    ) -> SensitivityResult:
        base, perturbed, cells = [], [], []
        for cell in self.geometry.cells():
            record = records.get(cell.index)
            cells.append(record)
            if record is None:
                base.append(None)
                perturbed.append(None)
                continue
            base.append(
                SamplesSummary(
                    None, record["base"]["summary"], model_loader=lambda: self.base_model
                )
            )
            perturbed.append(
                SamplesSummary(
                    None,
                    record["perturbed"]["summary"],
                    model_loader=lambda cell=cell: context.perturbed_model(cell),
                )
            )
        path_values = {
            path: [context.physical_centres(cell)[axis] for cell in self.geometry.cells()]
            for axis, path in enumerate(self.path_names)
        }
        return SensitivityResult(base, perturbed, self.shape, path_values, cells)

    def _table(self, result: SensitivityResult) -> str:
        headers = [
            "index",
            *[".".join(path) for path in self.path_names],
            "log_evidence_base",
            "log_evidence_perturbed",
            "log_evidence_increase",
            "log_likelihood_base",
            "log_likelihood_perturbed",
            "log_likelihood_increase",
        ]
        columns = [
            *[result.perturbed_physical_centres_list_from(path) for path in self.path_names],
            result.log_evidences_base,
            result.log_evidences_perturbed,
            result.log_evidence_differences,
            result.log_likelihoods_base,
            result.log_likelihoods_perturbed,
            result.log_likelihood_differences,
        ]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(headers)
        for index in range(self.geometry.total_cells):
            row = [column[index] for column in columns]
            writer.writerow([index, *["" if value is None else repr(value) for value in row]])
        return buffer.getvalue()

    def __repr__(self) -> str:
        names = [".".join(path) for path in self.path_names]
        return (
            f"Sensitivity(parameters={names}, number_of_steps={self.number_of_steps}, "
            f"number_of_cores={self.number_of_cores})"
        )
