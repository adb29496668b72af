"""Array: an n-dimensional array of parameters whose instance is a numpy array."""

from __future__ import annotations

import itertools
from typing import Any

from autofit.model.abstract import AbstractModel
from autofit.model.normalise import normalise
from autofit.priors.abstract import Prior

__all__ = ["Array"]


class Array(AbstractModel):
    """An array of free parameters, each an independent copy of ``prior``.

    Elements are indexed like the array (``array[0, 1]``) and can be fixed, given their own prior
    or linked to another parameter by assignment. Element paths are ``prior_<i>_<j>``.

    Parameters
    ----------
    shape
        The array's shape.
    prior
        The prior each element starts from (copied, so elements are independent). If None, every
        element must be set before the model is used.

    Examples
    --------
    >>> array = af.Array(shape=(2, 2), prior=af.GaussianPrior(mean=0.0, sigma=1.0))
    >>> array[0, 0] = 1.0
    >>> array.prior_count
    3
    """

    def __init__(self, shape: tuple[int, ...] | int, prior: Prior | None = None) -> None:
        super().__init__()
        shape = (shape,) if isinstance(shape, int) else tuple(int(size) for size in shape)
        if any(size < 1 for size in shape):
            raise ValueError(f"af.Array: every dimension of shape must be >= 1, got {shape}")
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "_prior", prior)
        for index in itertools.product(*(range(size) for size in shape)):
            value = prior.new() if isinstance(prior, Prior) else prior
            self._attributes[self._name(index)] = value

    @staticmethod
    def _name(index: tuple[int, ...]) -> str:
        return "prior_" + "_".join(str(i) for i in index)

    def _index(self, index: int | tuple[int, ...]) -> str:
        index = (index,) if not isinstance(index, tuple) else index
        if len(index) != len(self.shape) or any(
            not -size <= i < size for i, size in zip(index, self.shape, strict=True)
        ):
            raise IndexError(f"af.Array: index {index} is out of range for shape {self.shape}")
        index = tuple(i % size for i, size in zip(index, self.shape, strict=True))
        return self._name(index)

    def __getitem__(self, index: int | tuple[int, ...]) -> Any:
        return self._attributes[self._index(index)]

    def __setitem__(self, index: int | tuple[int, ...], value: Any) -> None:
        self._check_not_frozen()
        self._set_child(self._index(index), normalise(value, None))

    def _describe(self) -> str:
        return f"Array{self.shape}"

    def _component_name(self) -> str:
        return "Array"

    def __repr__(self) -> str:
        return f"<Array shape={self.shape} (N={self.prior_count})>"
