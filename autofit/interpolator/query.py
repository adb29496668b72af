"""``interpolator.time == 1.5``: which attribute to interpolate on, and to what value."""

from __future__ import annotations

from typing import Any

__all__ = ["InterpolatorPath", "Equality"]


class InterpolatorPath:
    """The path to an attribute of the interpolated instances (``interpolator.time`` or
    ``interpolator.gaussian.time``), built one attribute at a time.

    Parameters
    ----------
    keys
        The attribute names from the instance down.
    """

    def __init__(self, keys: list[str]) -> None:
        self.keys = list(keys)

    def __getattr__(self, item: str) -> InterpolatorPath:
        if item.startswith("__"):
            raise AttributeError(item)
        return InterpolatorPath(self.keys + [item])

    def get_value(self, instance: Any) -> Any:
        """The attribute's value in ``instance``.

        Raises
        ------
        AttributeError
            If ``instance`` has no such attribute, naming the path.
        """
        value = instance
        for key in self.keys:
            try:
                value = getattr(value, key)
            except AttributeError:
                raise AttributeError(
                    f"The instance has no attribute {'.'.join(self.keys)!r} to interpolate on "
                    f"({type(value).__name__} has no {key!r})"
                ) from None
        return value

    def __eq__(self, other: object) -> Equality:  # type: ignore[override]
        return Equality(self, other)

    def __hash__(self) -> int:
        return hash(tuple(self.keys))

    def __repr__(self) -> str:
        return f"InterpolatorPath({'.'.join(self.keys)})"


class Equality:
    """The request ``path == value``: an instance whose attribute at ``path`` is ``value``.

    Parameters
    ----------
    path
        The attribute interpolated on.
    value
        Its value in the requested instance.
    """

    def __init__(self, path: InterpolatorPath, value: Any) -> None:
        self.path = path
        self.value = value

    def __repr__(self) -> str:
        return f"Equality({'.'.join(self.path.keys)} == {self.value!r})"
