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
    errors
        Optional: one instance per instance, of the same structure, holding each float
        attribute's error (0.0 for fixed values); :meth:`errors_for` propagates them. Made
        from fits' samples by :meth:`from_samples`.

    Raises
    ------
    ValueError
        If no instance is given, or ``errors`` has another length than ``instances``.
    """

    #: How few distinct values of the attribute interpolated on the curve needs.
    minimum_points = 2

    def __init__(
        self,
        instances: Sequence[Any],
        extrapolate: bool = True,
        errors: Sequence[Any] | None = None,
    ) -> None:
        self.instances = list(instances)
        if not self.instances:
            raise ValueError(f"{type(self).__name__}(instances=[...]) needs at least one instance")
        self.extrapolate = bool(extrapolate)
        self.errors = None if errors is None else list(errors)
        if self.errors is not None and len(self.errors) != len(self.instances):
            raise ValueError(
                f"{type(self).__name__}: {len(self.errors)} errors given for "
                f"{len(self.instances)} instances; give one errors instance per instance"
            )

    @classmethod
    def from_samples(
        cls, samples_list: Sequence[Any], sigma: float = 1.0, extrapolate: bool = True
    ) -> AbstractInterpolator:
        """An interpolator of the median-PDF instances of fits, with their errors.

        Parameters
        ----------
        samples_list
            The samples of each fit (``result.samples``); each model holds the attribute
            interpolated on (usually as a fixed value, ``model.time = 1.0``).
        sigma
            The errors are half the width of each parameter's ``sigma`` interval (1: 68%).
        extrapolate
            As for the constructor.
        """
        instances, errors = [], []
        for samples in samples_list:
            median = samples.median_pdf()
            upper = np.asarray(samples.values_at_upper_sigma(sigma, as_instance=False), float)
            lower = np.asarray(samples.values_at_lower_sigma(sigma, as_instance=False), float)
            error = copy.deepcopy(median)
            for path in float_paths(error):
                error = replaced_at(error, path, 0.0)
            for path, width in zip(samples.model.paths, (upper - lower) / 2.0, strict=True):
                error = _set_parameter(error, path, float(width))
            instances.append(median)
            errors.append(error)
        return cls(instances, extrapolate=extrapolate, errors=errors)

    def __getattr__(self, item: str) -> InterpolatorPath:
        """``interpolator.time``: the path of the attribute to interpolate on."""
        if item.startswith("_"):
            raise AttributeError(item)
        return InterpolatorPath([item])

    def _order(self, path: InterpolatorPath) -> tuple[np.ndarray, np.ndarray]:
        """The known values of the attribute, sorted, and the order of the instances."""
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
        return np.asarray(values)[order], order

    def _check(self, item: Any) -> tuple[np.ndarray, np.ndarray, float]:
        if not isinstance(item, Equality):
            raise TypeError(
                f"Index an interpolator with a request such as interpolator.time == 1.5, "
                f"not {item!r}"
            )
        x, order = self._order(item.path)
        value = float(item.value)
        name = ".".join(item.path.keys)
        if value not in x and len(np.unique(x)) < self.minimum_points:
            raise ValueError(
                f"{type(self).__name__} needs instances at {self.minimum_points} or more "
                f"different values of {name}, got {sorted(set(x.tolist()))}"
            )
        if not self.extrapolate and not x[0] <= value <= x[-1]:
            raise ValueError(
                f"{name} = {value} is outside the instances' range {x[0]} to {x[-1]}, and "
                "extrapolate=False; request a value inside it or pass extrapolate=True"
            )
        return x, order, value

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
        x, order, value = self._check(item)
        ordered = [self.instances[index] for index in order]
        for known, instance in zip(x, ordered, strict=True):
            if known == value:
                return copy.deepcopy(instance)
        new = copy.deepcopy(ordered[0])
        for path in float_paths(ordered[0]):
            y = np.array([float(value_at(instance, path)) for instance in ordered])
            new = replaced_at(new, path, float(self._relationship(x, y)(value)))
        return replaced_at(new, tuple(item.path.keys), item.value)

    def errors_for(self, item: Equality) -> Any:
        """The errors of the instance ``self[item]``: each float attribute's errors at the
        known values propagated through the curve (independent errors; the curve is linear
        in the values it passes through, so the error is the root of the sum of squared
        weights times squared errors).

        Raises
        ------
        ValueError
            If the interpolator was made without errors (pass ``errors=`` or use
            :meth:`from_samples`), or as for indexing.
        """
        if self.errors is None:
            raise ValueError(
                f"This {type(self).__name__} has no errors: make it with "
                f"{type(self).__name__}.from_samples([...]) or pass errors=[...]"
            )
        x, order, value = self._check(item)
        ordered = [self.errors[index] for index in order]
        for known, errors in zip(x, ordered, strict=True):
            if known == value:
                return copy.deepcopy(errors)
        weights = np.array(
            [self._relationship(x, unit)(value) for unit in np.eye(len(x))], dtype=float
        )
        new = copy.deepcopy(ordered[0])
        for path in float_paths(ordered[0]):
            sigma = np.array([float(value_at(errors, path)) for errors in ordered])
            new = replaced_at(new, path, float(np.sqrt(np.sum((weights * sigma) ** 2))))
        return replaced_at(new, tuple(item.path.keys), 0.0)

    def relationships(self, path: InterpolatorPath) -> Any:
        """A copy of the instances' structure whose float attributes are the curves (callables
        of the attribute ``path``) instead of numbers."""
        x, order = self._order(path)
        ordered = [self.instances[index] for index in order]
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


def _set_parameter(instance: Any, path: Sequence[str], value: float) -> Any:
    """``instance`` with the parameter at the model path ``path`` set to ``value``; a tuple
    element's path ends in ``<name>_<index>`` (``("centre", "centre_1")``)."""
    keys: list[str | int] = []
    current = instance
    for key in path:
        if isinstance(current, tuple) and key.rsplit("_", 1)[-1].isdigit():
            keys.append(int(key.rsplit("_", 1)[-1]))
            current = current[keys[-1]]
            continue
        if not hasattr(current, key):
            return instance  # not an attribute of the instance: no error to set
        keys.append(key)
        current = getattr(current, key)
    return replaced_at(instance, keys, value)
