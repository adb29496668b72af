"""SensitivityResult: the base and perturbed fits of every cell of a sensitivity map."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autofit.grid.grid_list import GridList

__all__ = ["SensitivityResult"]


def _difference(perturbed: float | None, base: float | None) -> float | None:
    if perturbed is None or base is None:
        return None
    return float(perturbed) - float(base)


class SensitivityResult:
    """The result of :class:`~autofit.Sensitivity`: per cell, the fit of the base model and the
    fit of the base model plus the perturbation to the dataset simulated with the cell's
    perturbation.

    Quantities with one value per cell are :class:`~autofit.grid.GridList` objects in grid
    order (the last perturbation parameter varies fastest); ``.native`` gives an array of the
    grid's shape. Cells not fitted (masked, or outside ``batch_range``) hold None (NaN in
    ``.native``).

    Parameters
    ----------
    samples
        The base fit's samples summary per cell (None for a cell not fitted).
    perturb_samples
        The perturbed fit's samples summary per cell (None for a cell not fitted).
    shape
        The grid's shape, ``(number_of_steps,) * number of perturbation parameters``.
    path_values
        The perturbation's physical values per cell, keyed by each parameter's path in
        ``perturb_model`` (``("normalization",)``).
    cells
        Per cell the record the map wrote (log likelihoods and evidences of both fits), or
        None for a cell not fitted.
    """

    def __init__(
        self,
        samples: Sequence[Any],
        perturb_samples: Sequence[Any],
        shape: tuple[int, ...],
        path_values: dict[tuple[str, ...], list[float]],
        cells: Sequence[dict[str, Any] | None] | None = None,
    ) -> None:
        self.shape = tuple(int(size) for size in shape)
        self.samples = GridList(samples, self.shape)
        self.perturb_samples = GridList(perturb_samples, self.shape)
        self.path_values = {tuple(path): list(values) for path, values in path_values.items()}
        if cells is None:
            cells = [
                _record_from_samples(base, perturbed)
                for base, perturbed in zip(samples, perturb_samples, strict=True)
            ]
        self.cells = GridList(cells, self.shape)

    # -- container behaviour ---------------------------------------------------------------------

    def __getitem__(self, item: int) -> Any:
        return self.samples[item]

    def __iter__(self):
        return iter(self.samples)

    def __len__(self) -> int:
        return len(self.samples)

    # -- per-cell values -------------------------------------------------------------------------

    def _values(self, fit: str, quantity: str) -> GridList:
        return GridList(
            [None if cell is None else cell[fit][quantity] for cell in self.cells], self.shape
        )

    @property
    def log_evidences_base(self) -> GridList:
        """The log evidence of the base fit in each cell (None where the search computes none)."""
        return self._values("base", "log_evidence")

    @property
    def log_evidences_perturbed(self) -> GridList:
        """The log evidence of the perturbed fit in each cell."""
        return self._values("perturbed", "log_evidence")

    @property
    def log_evidence_differences(self) -> GridList:
        """Perturbed minus base log evidence per cell: large and positive where the
        perturbation would be detected."""
        return GridList(
            [
                _difference(perturbed, base)
                for perturbed, base in zip(
                    self.log_evidences_perturbed, self.log_evidences_base, strict=True
                )
            ],
            self.shape,
        )

    @property
    def log_likelihoods_base(self) -> GridList:
        """The maximum log likelihood of the base fit in each cell."""
        return self._values("base", "log_likelihood")

    @property
    def log_likelihoods_perturbed(self) -> GridList:
        """The maximum log likelihood of the perturbed fit in each cell."""
        return self._values("perturbed", "log_likelihood")

    @property
    def log_likelihood_differences(self) -> GridList:
        """Perturbed minus base maximum log likelihood per cell."""
        return GridList(
            [
                _difference(perturbed, base)
                for perturbed, base in zip(
                    self.log_likelihoods_perturbed, self.log_likelihoods_base, strict=True
                )
            ],
            self.shape,
        )

    def figure_of_merits(self, use_log_evidences: bool = True) -> GridList:
        """The log evidence differences (``use_log_evidences=True``) or the log likelihood
        differences per cell."""
        if use_log_evidences:
            return self.log_evidence_differences
        return self.log_likelihood_differences

    def perturbed_physical_centres_list_from(self, path: str | Sequence[str]) -> GridList:
        """The perturbation's simulated value of one parameter in each cell.

        Parameters
        ----------
        path
            The parameter's path in ``perturb_model``: ``"normalization"``,
            ``"gaussian.centre"`` or a tuple of names.

        Raises
        ------
        KeyError
            If ``path`` is not a parameter of the grid, listing those that are.
        """
        key = tuple(path.split(".")) if isinstance(path, str) else tuple(path)
        if key not in self.path_values:
            known = ", ".join(repr(".".join(name)) for name in self.path_values)
            raise KeyError(f"{'.'.join(key)!r} is not a parameter of the grid; it has {known}")
        return GridList(self.path_values[key], self.shape)

    # -- reading back ----------------------------------------------------------------------------

    def dict(self) -> dict[str, Any]:
        """The JSON form written to ``sensitivity.json``."""
        return {
            "type": "SensitivityResult",
            "shape": list(self.shape),
            "path_values": [[list(path), values] for path, values in self.path_values.items()],
            "cells": list(self.cells),
        }

    @classmethod
    def from_json(cls, file: str | Path) -> SensitivityResult:
        """Read a result written by :meth:`dict` (``<sensitivity folder>/sensitivity.json``).

        The samples summaries read back have no model attached: their numbers (``values``,
        ``log_evidence``, ``max_log_likelihood_value``) are there, instances are not.
        """
        from autofit.samples.summary import SamplesSummary

        data = json.loads(Path(file).read_text())
        cells = data["cells"]

        def summary(cell: dict[str, Any] | None, fit: str) -> Any:
            return None if cell is None else SamplesSummary(None, cell[fit].get("summary", {}))

        return cls(
            samples=[summary(cell, "base") for cell in cells],
            perturb_samples=[summary(cell, "perturbed") for cell in cells],
            shape=tuple(data["shape"]),
            path_values={tuple(path): values for path, values in data["path_values"]},
            cells=cells,
        )

    def __repr__(self) -> str:
        return f"SensitivityResult(shape={self.shape}, parameters={list(self.path_values)})"


def _record_from_samples(base: Any, perturbed: Any) -> dict[str, Any] | None:
    if base is None or perturbed is None:
        return None

    def numbers(samples: Any) -> dict[str, Any]:
        value = getattr(samples, "max_log_likelihood_value", None)
        if value is None:
            value = samples.log_likelihood
        return {"log_likelihood": float(value), "log_evidence": samples.log_evidence}

    return {"base": numbers(base), "perturbed": numbers(perturbed)}
