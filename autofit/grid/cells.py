"""The cells of a grid search: each grid prior's unit range cut into equal steps.

A grid prior is split into ``number_of_steps`` sub-ranges of equal width in the prior's own
unit space (so a LogUniformPrior is cut into equal ratios); a cell's model replaces each grid
prior by a UniformPrior over the cell's physical sub-range. Cells are numbered in grid order:
the last grid prior varies fastest.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from autofit.exc import PriorException
from autofit.priors import UniformPrior

__all__ = ["GridCell", "GridGeometry"]


@dataclass(frozen=True)
class GridCell:
    """One cell of a grid search.

    Attributes
    ----------
    index
        The cell number, in grid order.
    steps
        The cell's step along each grid prior.
    unit_lower_limits, unit_upper_limits
        The cell's limits in the unit space of each grid prior.
    lower_limits, upper_limits
        The cell's physical limits along each grid prior.
    """

    index: int
    steps: tuple[int, ...]
    unit_lower_limits: tuple[float, ...]
    unit_upper_limits: tuple[float, ...]
    lower_limits: tuple[float, ...]
    upper_limits: tuple[float, ...]

    @property
    def centres(self) -> tuple[float, ...]:
        """The physical value at the middle of the cell's unit range, per grid prior."""
        return tuple(
            (lower + upper) / 2.0
            for lower, upper in zip(self.lower_limits, self.upper_limits, strict=True)
        )


def _finite_limits(prior: Any, name: str) -> None:
    lower = getattr(prior, "lower_limit", -math.inf)
    upper = getattr(prior, "upper_limit", math.inf)
    if not (math.isfinite(float(lower)) and math.isfinite(float(upper))):
        raise PriorException(
            f"The grid prior {name} ({type(prior).__name__}) has limits {lower} to {upper}: a "
            "grid prior needs finite limits; give it a UniformPrior (or a prior with "
            "lower_limit and upper_limit) before the grid search"
        )


class GridGeometry:
    """The grid priors of a model and the cells they make.

    Parameters
    ----------
    model
        The model the grid priors belong to.
    grid_priors
        Free priors of ``model``; repeated priors count once. They are ordered by their names
        in the model (``model.name_for_prior``), as PyAutoFit orders them.
    number_of_steps
        Steps per grid prior.

    Raises
    ------
    PriorException
        If a grid prior is not a free prior of the model or has an infinite limit.
    ValueError
        If ``number_of_steps`` is not a positive integer or no grid prior is given.
    """

    def __init__(self, model: Any, grid_priors: Sequence[Any], number_of_steps: int) -> None:
        if isinstance(number_of_steps, bool) or int(number_of_steps) != number_of_steps:
            raise ValueError(f"number_of_steps must be an integer, got {number_of_steps!r}")
        if number_of_steps < 1:
            raise ValueError(f"number_of_steps must be >= 1, got {number_of_steps}")
        unique: dict[int, Any] = {}
        for prior in grid_priors:
            unique.setdefault(id(prior), prior)
        if not unique:
            raise ValueError("A grid search needs at least one grid prior (grid_priors=[...])")
        named = []
        for prior in unique.values():
            name = model.name_for_prior(prior)
            if name is None:
                raise PriorException(
                    f"The grid prior {prior!r} is not a free prior of the model; pass priors "
                    "of the model being fitted (e.g. grid_priors=[model.gaussian.centre])"
                )
            _finite_limits(prior, name)
            named.append((name, prior))
        named.sort(key=lambda pair: pair[0])
        self.model = model
        self.names = [name for name, _ in named]
        self.priors = [prior for _, prior in named]
        self.paths = [model.path_for_prior(prior) for prior in self.priors]
        self.number_of_steps = int(number_of_steps)

    @property
    def shape(self) -> tuple[int, ...]:
        """``(number_of_steps,) * number of grid priors``."""
        return (self.number_of_steps,) * len(self.priors)

    @property
    def total_cells(self) -> int:
        """How many cells the grid has."""
        return self.number_of_steps ** len(self.priors)

    def cell(self, index: int) -> GridCell:
        """The cell number ``index`` (grid order)."""
        steps = []
        remainder = index
        for _ in self.priors:
            remainder, step = divmod(remainder, self.number_of_steps)
            steps.append(step)
        return self._cell(index, tuple(reversed(steps)))

    def _cell(self, index: int, steps: tuple[int, ...]) -> GridCell:
        width = 1.0 / self.number_of_steps
        unit_lower = tuple(step * width for step in steps)
        unit_upper = tuple(min((step + 1) * width, 1.0) for step in steps)
        lower = tuple(
            float(prior.value_for(value))
            for prior, value in zip(self.priors, unit_lower, strict=True)
        )
        upper = tuple(
            float(prior.value_for(value))
            for prior, value in zip(self.priors, unit_upper, strict=True)
        )
        return GridCell(index, steps, unit_lower, unit_upper, lower, upper)

    def cells(self) -> Iterator[GridCell]:
        """Every cell, in grid order, made one at a time."""
        ranges = [range(self.number_of_steps)] * len(self.priors)
        for index, steps in enumerate(itertools.product(*ranges)):
            yield self._cell(index, tuple(steps))

    def cell_model(self, cell: GridCell) -> Any:
        """A copy of the model whose grid priors are UniformPriors over the cell's limits."""
        arguments = {
            prior: UniformPrior(lower_limit=lower, upper_limit=upper)
            for prior, lower, upper in zip(
                self.priors, cell.lower_limits, cell.upper_limits, strict=True
            )
        }
        return self.model.mapper_from_partial_prior_arguments(arguments)

    def describe(self, cell: GridCell) -> str:
        """``"cell 3 (centre 25 to 50)"``: the cell and its limits, for messages."""
        limits = ", ".join(
            f"{name} {lower:.6g} to {upper:.6g}"
            for name, lower, upper in zip(
                self.names, cell.lower_limits, cell.upper_limits, strict=True
            )
        )
        return f"cell {cell.index} ({limits})"

    def folder_name(self, cell: GridCell) -> str:
        """The name of the cell's folder in the grid's folder (its number and limits)."""
        limits = "_".join(
            f"{name}_{lower:.4g}_{upper:.4g}"
            for name, lower, upper in zip(
                self.names, cell.lower_limits, cell.upper_limits, strict=True
            )
        )
        width = len(str(self.total_cells - 1))
        return f"cell_{cell.index:0{width}d}__{limits}"
