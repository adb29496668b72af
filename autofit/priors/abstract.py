"""The prior base class: a one-dimensional distribution mapped from the unit interval."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from autofit.exc import PriorException
from autofit.priors.arithmetic import ArithmeticMixin
from autofit.priors.width_modifier import WidthModifier, width_modifier_from_dict

__all__ = ["Prior", "MUTATIONS"]

INF = math.inf


class _MutationCounter:
    """Counts changes to priors and models, so compiled models know when to recompile."""

    value = 0


#: Incremented whenever a prior or a model is modified.
MUTATIONS = _MutationCounter()


def json_float(value: float) -> float | str:
    """A float for JSON: infinities become the strings ``"inf"`` / ``"-inf"``."""
    value = float(value)
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


class Prior(ArithmeticMixin):
    """A prior on one free parameter.

    Concrete priors define ``type_name``, ``argument_names`` and the vectorised static functions
    ``batch_value_for``, ``batch_unit_value_for`` and ``batch_log_prior`` that take the prior's
    arguments as trailing positional arguments (arrays broadcast, so one call transforms every
    parameter of a model that shares a prior type).

    Parameters
    ----------
    lower_limit, upper_limit
        The support of the prior: values outside it are rejected.
    width_modifier
        Smallest width of the Gaussian prior built from this parameter's posterior when a fit is
        chained into another (:class:`RelativeWidthModifier` or :class:`AbsoluteWidthModifier`).
    limits
        Physical limits ``(lower, upper)`` that a prior passed to a later fit is clipped to.

    Attributes
    ----------
    id
        An integer label, unique among the priors created in this process (numbered in order of
        creation; :meth:`new` gives a new one, a copy of a whole model keeps them). It names a
        prior and nothing more: the order of parameters in a model's vector is the model's
        declaration order, never the order of ids.
    """

    type_name: ClassVar[str] = "Prior"
    #: Whether :meth:`scalar_source` always gives a value within the prior's limits.
    scalar_source_is_clamped: bool = False
    argument_names: ClassVar[tuple[str, ...]] = ()
    _ids: ClassVar[itertools.count] = itertools.count()

    def __init__(
        self,
        lower_limit: float = -INF,
        upper_limit: float = INF,
        width_modifier: WidthModifier | dict | None = None,
        limits: tuple[float, float] | None = None,
    ) -> None:
        self.id = next(Prior._ids)
        self.lower_limit = float(lower_limit)
        self.upper_limit = float(upper_limit)
        for name in ("lower_limit", "upper_limit"):
            if math.isnan(getattr(self, name)):
                raise PriorException(
                    f"{type(self).__name__}: {name} must not be NaN, got {name}={lower_limit!r}"
                    if name == "lower_limit"
                    else f"{type(self).__name__}: {name} must not be NaN, got {name}={upper_limit!r}"
                )
        if not self.lower_limit < self.upper_limit:
            raise PriorException(
                f"{type(self).__name__}: lower_limit ({self.lower_limit!r}) must be less than "
                f"upper_limit ({self.upper_limit!r})"
            )
        self.width_modifier = width_modifier_from_dict(width_modifier)
        lower, upper = (-INF, INF) if limits is None else (float(limits[0]), float(limits[1]))
        if not lower < upper:
            raise PriorException(
                f"{type(self).__name__}: limits must satisfy lower < upper, got {(lower, upper)!r}"
            )
        self.limits = (lower, upper)

    def __setattr__(self, name: str, value: Any) -> None:
        # Setting an attribute for the first time (while the prior is made) changes no model
        # compiled before: a new prior is in none of them until it is assigned to one.
        changed = name in self.__dict__
        object.__setattr__(self, name, value)
        if changed:
            MUTATIONS.value += 1

    # -- the distribution ----------------------------------------------------------------------

    @property
    def arguments(self) -> tuple[float, ...]:
        """The prior's own arguments in ``argument_names`` order (used by the vectorised calls)."""
        return tuple(getattr(self, name) for name in self.argument_names)

    @staticmethod
    def batch_value_for(unit: np.ndarray, *arguments: Any) -> np.ndarray:
        """Physical values from unit values (vectorised inverse CDF)."""
        raise NotImplementedError

    @staticmethod
    def batch_unit_value_for(value: np.ndarray, *arguments: Any) -> np.ndarray:
        """Unit values from physical values (vectorised CDF)."""
        raise NotImplementedError

    @staticmethod
    def batch_log_prior(value: np.ndarray, *arguments: Any) -> np.ndarray:
        """Log prior densities (``-inf`` outside the support), vectorised."""
        raise NotImplementedError

    def value_for(self, unit: float | np.ndarray) -> float | np.ndarray:
        """The physical value at ``unit`` in [0, 1] (the inverse cumulative distribution).

        Parameters
        ----------
        unit
            A number or array of numbers in the unit interval.

        Raises
        ------
        PriorException
            If a unit value lies outside [0, 1].
        """
        array = np.asarray(unit, dtype=float)
        if np.any((array < 0.0) | (array > 1.0)) or np.any(np.isnan(array)):
            raise PriorException(
                f"{type(self).__name__}.value_for: unit values must lie in [0, 1], got {unit!r}"
            )
        return _scalar_or_array(self.batch_value_for(array, *self.arguments))

    def unit_value_for(self, value: float | np.ndarray) -> float | np.ndarray:
        """The unit value (cumulative probability) of a physical ``value``."""
        array = np.asarray(value, dtype=float)
        return _scalar_or_array(self.batch_unit_value_for(array, *self.arguments))

    def log_prior_from_value(self, value: float | np.ndarray) -> float | np.ndarray:
        """The log prior density at ``value`` (``-inf`` outside the prior's limits)."""
        array = np.asarray(value, dtype=float)
        return _scalar_or_array(self.batch_log_prior(array, *self.arguments))

    def random(self, rng: np.random.Generator | None = None) -> float:
        """A random draw from the prior, using ``rng`` or numpy's global random state."""
        unit = rng.random() if rng is not None else np.random.random()
        return float(self.value_for(unit))

    def scalar_source(self, unit: str, constant: Callable[[object], str]) -> str:
        """Python source computing the value from the unit value named ``unit``.

        ``constant(x)`` returns the source text of a constant. The default calls this prior's
        ``value_for``; concrete priors override it with inline arithmetic for speed.
        """
        return f"{constant(self)}._scalar_value_for({unit})"

    def scalar_log_prior_source(
        self, value: str, constant: Callable[[object], str]
    ) -> tuple[str | None, float]:
        """Python source of the log prior of the value named ``value``, split into a term that
        depends on the value (None when there is none) and a constant.

        The source may assume the value lies within the prior's limits (checked before).
        """
        return f"{constant(self)}._scalar_log_prior({value})", 0.0

    def _scalar_log_prior(self, value: float) -> float:
        return float(self.batch_log_prior(np.asarray(value, dtype=float), *self.arguments))

    def _scalar_value_for(self, unit: float) -> float:
        return float(self.batch_value_for(np.asarray(unit, dtype=float), *self.arguments))

    def is_within_limits(self, value: float) -> bool:
        """Whether ``value`` lies within ``[lower_limit, upper_limit]``."""
        return self.lower_limit <= value <= self.upper_limit

    # -- identity, copies and serialisation -----------------------------------------------------

    def new(self) -> Prior:
        """An independent copy: the same distribution, a different parameter (and ``id``)."""
        import copy

        new = copy.copy(self)
        new.id = next(Prior._ids)
        return new

    def dict(self) -> dict[str, Any]:
        """The JSON form: type, arguments, width modifier and physical limits."""
        entry: dict[str, Any] = {"type": self.type_name}
        for name in self.argument_names:
            entry[name] = json_float(getattr(self, name))
        if self.width_modifier is not None:
            entry["width_modifier"] = self.width_modifier.dict()
        entry["limits"] = {"lower": json_float(self.limits[0]), "upper": json_float(self.limits[1])}
        return entry

    def _shown_arguments(self) -> tuple[str, ...]:
        """The arguments shown by ``repr`` and ``str`` (defaults that change nothing are left out)."""
        return self.argument_names

    def __repr__(self) -> str:
        shown = self._shown_arguments()
        arguments = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__name__}({arguments})"

    def __str__(self) -> str:
        shown = self._shown_arguments()
        arguments = ", ".join(f"{name} = {getattr(self, name)!r}" for name in shown)
        return f"{type(self).__name__}, {arguments}"


def _scalar_or_array(result: np.ndarray) -> float | np.ndarray:
    return float(result) if np.ndim(result) == 0 else result
