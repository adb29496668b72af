"""GridList: the values of a grid search, one per cell in grid order, with the grid's shape."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["GridList"]


class GridList(list):
    """A list of one value per cell of a grid, in grid order (the last grid prior varies
    fastest), that knows the grid's shape.

    Parameters
    ----------
    values
        One value per cell.
    shape
        The grid's shape, ``(number_of_steps,) * number_of_grid_priors``.

    Raises
    ------
    ValueError
        If the number of values is not the number of cells of ``shape``.
    """

    def __init__(self, values: Iterable[Any], shape: tuple[int, ...]) -> None:
        super().__init__(values)
        self.shape = tuple(int(size) for size in shape)
        if len(self) != int(np.prod(self.shape)):
            raise ValueError(
                f"A grid of shape {self.shape} has {int(np.prod(self.shape))} cells, "
                f"got {len(self)} values"
            )

    @property
    def as_list(self) -> list[Any]:
        """The values as a plain list, in grid order."""
        return list(self)

    @property
    def native(self) -> np.ndarray:
        """The values as an array of the grid's shape: ``native[i, j]`` is the cell at step
        ``i`` of the first grid prior and step ``j`` of the second. Cells without a value
        (None) are NaN; cells holding tuples give a trailing axis."""
        values = [np.nan if value is None else value for value in self]
        array = np.array(values)
        if array.dtype == object:
            return np.array(values, dtype=object).reshape(self.shape + array.shape[1:])
        return array.reshape(self.shape + array.shape[1:])
