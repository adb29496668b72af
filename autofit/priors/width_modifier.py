"""Width modifiers: how wide a Gaussian prior should be when one fit's posterior starts the next."""

from __future__ import annotations

import math
from typing import Any

from autofit.exc import PriorException

__all__ = [
    "WidthModifier",
    "RelativeWidthModifier",
    "AbsoluteWidthModifier",
    "width_modifier_from_dict",
]


class WidthModifier:
    """The smallest width allowed for a prior built from a previous fit's posterior.

    Parameters
    ----------
    value
        The modifier's value: a fraction of the mean (relative) or a width (absolute).
    """

    type_name = "Abstract"

    def __init__(self, value: float) -> None:
        value = float(value)
        if not math.isfinite(value) or value < 0.0:
            raise PriorException(
                f"{type(self).__name__}: value must be a finite number >= 0, got value={value!r}"
            )
        self.value = value

    def __call__(self, mean: float) -> float:
        """The width for a prior centred on ``mean``."""
        raise NotImplementedError

    def dict(self) -> dict[str, Any]:
        """The JSON form, ``{"type": "Relative" | "Absolute", "value": ...}``."""
        return {"type": self.type_name, "value": self.value}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.value == self.value

    def __hash__(self) -> int:
        return hash((self.type_name, self.value))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"


class RelativeWidthModifier(WidthModifier):
    """A width that is a fraction of the absolute value of the mean: ``value * |mean|``."""

    type_name = "Relative"

    def __call__(self, mean: float) -> float:
        return self.value * abs(mean)


class AbsoluteWidthModifier(WidthModifier):
    """A fixed width, whatever the mean."""

    type_name = "Absolute"

    def __call__(self, mean: float) -> float:
        return self.value


def width_modifier_from_dict(entry: dict[str, Any] | WidthModifier | None) -> WidthModifier | None:
    """Build a width modifier from its JSON / YAML form.

    Parameters
    ----------
    entry
        ``{"type": "Relative" | "Absolute", "value": float}``, an existing modifier, or None.

    Raises
    ------
    PriorException
        If the type is not Relative or Absolute.
    """
    if entry is None or isinstance(entry, WidthModifier):
        return entry
    kinds = {cls.type_name: cls for cls in (RelativeWidthModifier, AbsoluteWidthModifier)}
    kind = entry.get("type")
    if kind not in kinds:
        raise PriorException(
            f"width_modifier type must be one of {sorted(kinds)}, got type={kind!r}"
        )
    return kinds[kind](entry["value"])
