"""A fixed value written where a prior could stand."""

from __future__ import annotations

from typing import Any

__all__ = ["Constant"]


class Constant:
    """A parameter fixed to ``value``: it is not a dimension of the parameter space.

    ``model.sigma = af.Constant(2.0)`` is the same as ``model.sigma = 2.0``.

    Parameters
    ----------
    value
        The fixed value.
    """

    type_name = "Constant"

    def __init__(self, value: Any) -> None:
        self.value = value

    @property
    def lower_limit(self) -> Any:
        """The value itself: a constant's support is one point."""
        return self.value

    @property
    def upper_limit(self) -> Any:
        """The value itself: a constant's support is one point."""
        return self.value

    def value_for(self, unit: float) -> Any:
        """The fixed value, whatever the unit value."""
        return self.value

    def random(self, rng: Any = None) -> Any:
        """The fixed value: a constant has nothing to draw."""
        return self.value

    def dict(self) -> dict[str, Any]:
        """The JSON form, ``{"type": "Constant", "value": ...}``."""
        return {"type": "Constant", "value": self.value}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Constant) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("Constant", repr(self.value)))

    def __repr__(self) -> str:
        return f"Constant({self.value!r})"
