"""Interpolating instances: every float attribute as a function of one scalar attribute.

Each instance (typically the best fit of one dataset, say one epoch) carries the scalar
attribute interpolated on (``time``, usually a fixed value of the model). A request
``interpolator[interpolator.time == 1.5]`` returns a copy of the instances' structure in which
every float attribute is the value of a curve through that attribute's values at the known
times, evaluated at 1.5. Which curve is the subclass's choice.
"""

from __future__ import annotations

import copy
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autofit.interpolator.query import Equality, InterpolatorPath
from autofit.model.instance_paths import float_paths, replaced_at, value_at

__all__ = ["AbstractInterpolator"]


class AbstractInterpolator:
    """Interpolates instances on one of their scalar attributes.

    Parameters
    ----------
    instances
        Instances of the same structure (e.g. the best fits of datasets taken at different
        times), each with a number at the attribute interpolated on.
    extrapolate
        For a requested value outside the range of the instances' values: True evaluates the
        curve there (see the subclass for what it does beyond the ends), False raises
        ``ValueError``.

    Raises
    ------
    ValueError
        If no instance is given.
    """

    #: How few distinct values of the attribute interpolated on the curve needs.
    minimum_points = 2

    def __init__(self, instances: Sequence[Any], extrapolate: bool = True) -> None:
        self.instances = list(instances)
        if not self.instances:
            raise ValueError(f"{type(self).__name__}(instances=[...]) needs at least one instance")
        self.extrapolate = bool(extrapolate)

    def __getattr__(self, item: str) -> InterpolatorPath:
        """``interpolator.time``: the path of the attribute to interpolate on."""
        if item.startswith("_"):
            raise AttributeError(item)
        return InterpolatorPath([item])

    def _known(self, path: InterpolatorPath) -> tuple[np.ndarray, list[Any]]:
        """The known values of the attribute (sorted) and the instances in the same order."""
        values = []
        for index, instance in enumerate(self.instances):
            value = path.get_value(instance)
            if not isinstance(value, numbers.Real):
                raise TypeError(
                    f"Instance {index} has {'.'.join(path.keys)} = {value!r}; the attribute "
                    "interpolated on must be a number in every instance"
                )
            values.append(float(value))
        order = np.argsort(values, kind="stable")
        return np.asarray(values)[order], [self.instances[index] for index in order]

    def __getitem__(self, item: Equality) -> Any:
        """The instance whose attribute ``item.path`` is ``item.value``, every other float
        attribute interpolated.

        Raises
        ------
        TypeError
            If ``item`` is not a request such as ``interpolator.time == 1.5``.
        ValueError
            If there are too few distinct known values, or the value is outside their range
            while ``extrapolate=False``.
        """
        if not isinstance(item, Equality):
            raise TypeError(
                f"Index an interpolator with a request such as interpolator.time == 1.5, "
                f"not {item!r}"
            )
        x, ordered = self._known(item.path)
        value = float(item.value)
        name = ".".join(item.path.keys)
        for known, instance in zip(x, ordered, strict=True):
            if known == value:
                return copy.deepcopy(instance)
        if len(np.unique(x)) < self.minimum_points:
            raise ValueError(
                f"{type(self).__name__} needs instances at {self.minimum_points} or more "
                f"different values of {name}, got {sorted(set(x.tolist()))}"
            )
        if not self.extrapolate and not x[0] <= value <= x[-1]:
            raise ValueError(
                f"{name} = {value} is outside the instances' range {x[0]} to {x[-1]}, and "
                "extrapolate=False; request a value inside it or pass extrapolate=True"
            )
        new = copy.deepcopy(ordered[0])
        for path in float_paths(ordered[0]):
            y = np.array([float(value_at(instance, path)) for instance in ordered])
            curve = self._relationship(x, y)
            new = replaced_at(new, path, float(curve(value)))
        return replaced_at(new, tuple(item.path.keys), item.value)

    def relationships(self, path: InterpolatorPath) -> Any:
        """A copy of the instances' structure whose float attributes are the curves (callables
        of the attribute ``path``) instead of numbers."""
        x, ordered = self._known(path)
        new = copy.deepcopy(ordered[0])
        for attribute in float_paths(ordered[0]):
            y = np.array([float(value_at(instance, attribute)) for instance in ordered])
            new = replaced_at(new, attribute, self._relationship(x, y))
        return new

    @staticmethod
    def _relationship(x: np.ndarray, y: np.ndarray) -> Callable[[float], float]:
        """The curve through the points ``(x, y)`` (``x`` sorted)."""
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self.instances)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.instances)} instances)"
