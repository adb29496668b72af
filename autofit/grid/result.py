"""GridSearchResult: the fits of every cell of a grid search, in grid order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from autofit.grid.grid_list import GridList

__all__ = ["GridSearchResult"]


def _log_likelihood(samples: Any) -> float:
    value = getattr(samples, "max_log_likelihood_value", None)
    if value is None:
        value = samples.log_likelihood
    return float(value)


class GridSearchResult:
    """The result of :class:`~autofit.SearchGridSearch`: one samples summary per cell.

    Quantities with one value per cell are :class:`~autofit.grid.GridList` objects: lists in
    grid order (the last grid prior varies fastest) whose ``.native`` is an array of the
    grid's shape.

    Parameters
    ----------
    samples
        One ``SamplesSummary`` (or ``Samples``) per cell, in grid order.
    lower_limits_lists
        The unit-space lower limits of each cell, one list of one value per grid prior.
    grid_priors
        The grid priors (of the original model), in grid order.
    parent
        The grid search that made the result.
    folders
        Each cell's output folder (None for grids that write nothing).
    names
        The grid priors' names in the model (``gaussian_centre``).
    """

    def __init__(
        self,
        samples: Sequence[Any] | None,
        lower_limits_lists: Sequence[Sequence[float]],
        grid_priors: Sequence[Any],
        parent: Any = None,
        folders: Sequence[str | None] | None = None,
        names: Sequence[str] | None = None,
    ) -> None:
        if not lower_limits_lists:
            raise ValueError("A grid search result needs at least one cell")
        self.no_dimensions = len(lower_limits_lists[0])
        self.no_steps = len(lower_limits_lists)
        self.side_length = round(self.no_steps ** (1.0 / self.no_dimensions))
        if self.side_length**self.no_dimensions != self.no_steps:
            raise ValueError(
                f"{self.no_steps} cells do not make a square grid of {self.no_dimensions} "
                "dimensions"
            )
        self.step_size = 1.0 / self.side_length
        self.grid_priors = list(grid_priors)
        self.parent = parent
        self.names = list(names) if names is not None else None
        self.lower_limits_lists = GridList(
            [list(map(float, row)) for row in lower_limits_lists], self.shape
        )
        self.samples = None if samples is None else GridList(samples, self.shape)
        self.folders = GridList(
            folders if folders is not None else [None] * self.no_steps, self.shape
        )

    # -- the grid --------------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        """``(number_of_steps,) * number of grid priors``."""
        return (self.side_length,) * self.no_dimensions

    @property
    def upper_limits_lists(self) -> GridList:
        """The unit-space upper limits of each cell."""
        return GridList(
            [
                [min(value + self.step_size, 1.0) for value in row]
                for row in self.lower_limits_lists
            ],
            self.shape,
        )

    @property
    def centres_lists(self) -> GridList:
        """The unit-space centres of each cell."""
        return GridList(
            [[value + self.step_size / 2.0 for value in row] for row in self.lower_limits_lists],
            self.shape,
        )

    def _physical(self, unit_lists: Iterable[Sequence[float]]) -> GridList:
        return GridList(
            [
                [
                    float(prior.value_for(value))
                    for prior, value in zip(self.grid_priors, row, strict=True)
                ]
                for row in unit_lists
            ],
            self.shape,
        )

    @property
    def physical_lower_limits_lists(self) -> GridList:
        """The physical lower limit of each cell along each grid prior."""
        return self._physical(self.lower_limits_lists)

    @property
    def physical_upper_limits_lists(self) -> GridList:
        """The physical upper limit of each cell along each grid prior."""
        return self._physical(self.upper_limits_lists)

    @property
    def physical_centres_lists(self) -> GridList:
        """The physical value at the unit-space centre of each cell, per grid prior."""
        return self._physical(self.centres_lists)

    @property
    def physical_step_sizes(self) -> tuple[float, ...]:
        """The physical width of a step along each grid prior: the prior's range divided by the
        number of steps (every step has this width for uniform priors; for others it is the
        mean width)."""
        return tuple(
            (float(prior.value_for(1.0)) - float(prior.value_for(0.0))) / self.side_length
            for prior in self.grid_priors
        )

    # -- figures of merit ------------------------------------------------------------------------

    def _require_samples(self) -> GridList:
        if self.samples is None:
            raise ValueError("This grid search result holds no samples")
        return self.samples

    def log_likelihoods(self, relative_to_value: float = 0.0) -> GridList:
        """The maximum log likelihood of every cell, minus ``relative_to_value``."""
        return GridList(
            [_log_likelihood(s) - relative_to_value for s in self._require_samples()], self.shape
        )

    def log_evidences(self, relative_to_value: float = 0.0) -> GridList:
        """The log evidence of every cell minus ``relative_to_value`` (None for cells whose
        search computes no evidence)."""
        return GridList(
            [
                None if s.log_evidence is None else float(s.log_evidence) - relative_to_value
                for s in self._require_samples()
            ],
            self.shape,
        )

    def figure_of_merits(self, use_log_evidences: bool, relative_to_value: float = 0.0) -> GridList:
        """The log evidences (``use_log_evidences=True``) or the maximum log likelihoods of
        every cell, minus ``relative_to_value``.

        Raises
        ------
        ValueError
            If log evidences are asked for and a cell's search computed none.
        """
        if not use_log_evidences:
            return self.log_likelihoods(relative_to_value)
        values = self.log_evidences(relative_to_value)
        if any(value is None for value in values):
            raise ValueError(
                "The cells' search computes no log evidence (use a nested sampler, or "
                "use_log_evidences=False for the maximum log likelihoods)"
            )
        return values

    # -- best cell and models --------------------------------------------------------------------

    @property
    def best_index(self) -> int:
        """The number of the cell with the highest maximum log likelihood."""
        values = self.log_likelihoods()
        return max(range(len(values)), key=values.__getitem__)

    @property
    def best_samples(self) -> Any:
        """The samples summary of the cell with the highest maximum log likelihood (its
        ``.instance`` is that cell's maximum-likelihood instance)."""
        return self._require_samples()[self.best_index]

    best_sample = best_samples

    @property
    def best_model(self) -> Any:
        """The model of the best cell (grid priors limited to that cell)."""
        return self.best_samples.model

    @property
    def all_models(self) -> list[Any]:
        """The model of every cell, in grid order."""
        return [samples.model for samples in self._require_samples()]

    def attribute_grid(self, attribute_path: str | Iterable[str]) -> GridList:
        """An attribute of every cell's maximum-likelihood instance.

        Parameters
        ----------
        attribute_path
            ``"gaussian.centre"`` or ``["gaussian", "centre"]``.

        Raises
        ------
        AttributeError
            Naming the part of the path the instance does not have.
        """
        parts = (
            attribute_path.split(".") if isinstance(attribute_path, str) else list(attribute_path)
        )
        values = []
        for samples in self._require_samples():
            value = samples.instance
            for part in parts:
                try:
                    value = getattr(value, part)
                except AttributeError:
                    raise AttributeError(
                        f"attribute_grid({attribute_path!r}): the instance has no {part!r}"
                    ) from None
            values.append(value)
        return GridList(values, self.shape)

    def __getattr__(self, item: str) -> Any:
        # What is not a grid quantity is the best cell's (``result.instance``, as PyAutoFit).
        if item.startswith("_") or item in _OWN or item in self.__dict__:
            raise AttributeError(item)
        return getattr(self.best_samples, item)

    def __repr__(self) -> str:
        return f"<GridSearchResult shape={self.shape}>"


#: Names of the result itself, never looked up on the best cell.
_OWN = frozenset(dir(GridSearchResult)) | {
    "samples",
    "grid_priors",
    "lower_limits_lists",
    "folders",
    "names",
    "parent",
    "no_dimensions",
    "no_steps",
    "side_length",
    "step_size",
}
