"""Priors of one model grouped by type, with their arguments as arrays.

Every prior type implements its transforms as numpy functions that broadcast over arrays of
arguments, so one call per prior type transforms (or evaluates the log prior of) every
parameter of a model: batches of vectors for samplers that propose many points at once, and
single vectors of models too large for generated per-parameter code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autofit.priors.abstract import Prior

__all__ = ["PriorGroups"]


class PriorGroups:
    """The free priors of a model (in vector order) grouped by type.

    Parameters
    ----------
    priors
        The free priors in vector order.
    """

    def __init__(self, priors: Sequence[Prior]) -> None:
        self.count = len(priors)
        by_type: dict[type, list[int]] = {}
        for index, prior in enumerate(priors):
            by_type.setdefault(type(prior), []).append(index)
        self.groups: list[tuple[type, np.ndarray, tuple[np.ndarray, ...]]] = []
        for cls, indices in by_type.items():
            rows = np.array([priors[i].arguments for i in indices], dtype=float)
            columns = tuple(rows.reshape(len(indices), len(cls.argument_names)).T.copy())
            self.groups.append((cls, np.array(indices, dtype=int), columns))
        #: Whether one prior type covers every parameter (then ``batch`` calls it directly).
        self._one_group = len(self.groups) == 1
        lower = np.array([prior.lower_limit for prior in priors], dtype=float)
        upper = np.array([prior.upper_limit for prior in priors], dtype=float)
        limited = np.isfinite(lower) | np.isfinite(upper)
        clamped = np.array([prior.scalar_source_is_clamped for prior in priors], dtype=bool)
        self._limits = _Limits(lower, upper, limited)
        self._unit_limits = _Limits(lower, upper, limited & ~clamped)

    # -- batches (2D) ----------------------------------------------------------------------------

    def batch(self, values: np.ndarray, method: str) -> np.ndarray:
        """Apply the prior method ``method`` (``batch_value_for``, ``batch_unit_value_for`` or
        ``batch_log_prior``) to a 2D array with one column per prior.

        Raises
        ------
        ValueError
            If ``values`` is not of shape ``(n, number of priors)``.
        """
        values = np.asarray(values, dtype=float)
        if values.ndim != 2 or values.shape[1] != self.count:
            raise ValueError(f"Expected an array of shape (n, {self.count}), got {values.shape}")
        if self._one_group:
            # Every prior of one type, in vector order: no columns to gather and scatter, when
            # the method returns a new array of the same shape.
            cls, _, columns = self.groups[0]
            result = np.asarray(getattr(cls, method)(values, *columns), dtype=float)
            if result.shape == values.shape and not np.may_share_memory(result, values):
                return result
        out = np.empty_like(values)
        for cls, indices, columns in self.groups:
            out[:, indices] = getattr(cls, method)(values[:, indices], *columns)
        return out

    def summed_log_priors(self, values: np.ndarray) -> np.ndarray:
        """The total log prior of each row of a 2D array with one column per prior.

        Raises
        ------
        ValueError
            If ``values`` is not of shape ``(n, number of priors)``.
        """
        log_priors = self.batch(values, "batch_log_prior")
        if 0 < log_priors.shape[1] <= 8:
            # Summed along the rows, a few columns of a tall array take numpy several times
            # longer than adding the columns in turn (the same additions in the same order).
            total = log_priors[:, 0].copy()
            for column in range(1, log_priors.shape[1]):
                total += log_priors[:, column]
            return total
        return log_priors.sum(axis=1)

    # -- single vectors (1D), for models compiled without per-parameter code -------------------

    def vector(self, values: Any) -> np.ndarray:
        """``values`` as a 1D float array of one value per prior.

        Raises
        ------
        ValueError
            If ``values`` is not one-dimensional or has the wrong length.
        """
        array = np.asarray(values, dtype=float)
        if array.ndim != 1 or array.shape[0] != self.count:
            raise ValueError(
                f"Expected a vector of length {self.count}, got an array of shape {array.shape}"
            )
        return array

    def values_from_units(self, units: Any) -> np.ndarray:
        """Physical values of a unit vector (a new 1D array)."""
        units = self.vector(units)
        out = np.empty_like(units)
        for cls, indices, columns in self.groups:
            out[indices] = cls.batch_value_for(units[indices], *columns)
        return out

    def log_prior(self, values: np.ndarray) -> float:
        """The summed log prior of a 1D vector assumed within every prior's limits."""
        total = 0.0
        for cls, indices, columns in self.groups:
            total += float(np.sum(cls.batch_log_prior(values[indices], *columns)))
        return total

    def within_limits(self, values: np.ndarray) -> bool:
        """Whether every value of a 1D vector lies within its prior's limits."""
        return self._limits.hold(values)

    def within_unit_limits(self, values: np.ndarray) -> bool:
        """As :meth:`within_limits`, skipping priors whose unit transform is clamped to their
        limits (values from unit vectors are within them by construction)."""
        return self._unit_limits.hold(values)


class _Limits:
    """Lower and upper limits of the priors selected by a mask (those with a finite limit)."""

    def __init__(self, lower: np.ndarray, upper: np.ndarray, mask: np.ndarray) -> None:
        self.everything = bool(mask.all())
        self.indices = np.flatnonzero(mask)
        self.lower = lower if self.everything else lower[self.indices]
        self.upper = upper if self.everything else upper[self.indices]
        self.none = self.indices.size == 0

    def hold(self, values: np.ndarray) -> bool:
        if self.none:
            return True
        selected = values if self.everything else values[self.indices]
        # NaN fails both comparisons, as it does in the generated scalar checks.
        return bool(np.all(self.lower <= selected) and np.all(selected <= self.upper))
