"""ModelInstance: the instance a Collection makes, with attribute, index and iteration access."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

__all__ = ["ModelInstance", "new_instance"]


class ModelInstance:
    """A container of instances built from a :class:`~autofit.Collection`.

    Items are attributes (``instance.gaussian``), can be indexed by name or position
    (``instance["gaussian"]``, ``instance[0]``), iterated over in order, and counted with ``len``.

    Parameters
    ----------
    items
        The named items, in order. A list is named ``"0"``, ``"1"``, ...
    """

    def __init__(self, items: dict[str, Any] | list[Any] | None = None) -> None:
        if isinstance(items, (list, tuple)):
            items = {str(index): value for index, value in enumerate(items)}
        self.__dict__.update(items or {})

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            return self.__dict__[key]
        return list(self.__dict__.values())[key]

    def __setitem__(self, key: int | str, value: Any) -> None:
        if not isinstance(key, str):
            key = list(self.__dict__)[key]
        self.__dict__[key] = value

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self.__dict__.values()))

    def __len__(self) -> int:
        return len(self.__dict__)

    def __contains__(self, key: object) -> bool:
        return key in self.__dict__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ModelInstance) and _equal(self.__dict__, other.__dict__)

    __hash__ = None  # type: ignore[assignment]

    def items(self) -> list[tuple[str, Any]]:
        """The ``(name, value)`` pairs in order."""
        return list(self.__dict__.items())

    def keys(self) -> list[str]:
        """The item names in order."""
        return list(self.__dict__)

    def values(self) -> list[Any]:
        """The item values in order."""
        return list(self.__dict__.values())

    def as_model(
        self,
        model_classes: type | tuple[type, ...] = (),
        excluded_classes: type | tuple[type, ...] = (),
    ) -> Any:
        """This instance turned back into a model (an ``af.Collection``).

        Parameters
        ----------
        model_classes
            The classes (or one class) whose components become free models with their
            configured default priors; all other components are fixed at this instance's values.
            ``as_model(())`` fixes everything.
        excluded_classes
            Classes whose components are kept as fixed objects, not turned into models.

        Returns
        -------
        Collection
            The model, for example to fit again with some components free::

                model = result.instance.as_model((Gaussian,))
        """
        from autofit.model.conversion import model_from_instance

        return model_from_instance(self, model_classes, excluded_classes)

    @property
    def dict(self) -> dict[str, Any]:
        """A copy of the named items as a dictionary."""
        return dict(self.__dict__)

    def __repr__(self) -> str:
        inside = ", ".join(f"{key}={value!r}" for key, value in self.__dict__.items())
        return f"ModelInstance({inside})"

    def __getstate__(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


def _equal(left: dict[str, Any], right: dict[str, Any]) -> bool:
    if list(left) != list(right):
        return False
    for key in left:
        a, b = left[key], right[key]
        try:
            same = a is b or a == b
            if isinstance(same, np.ndarray):
                same = bool(same.all())
        except Exception:  # noqa: BLE001 - objects without comparison compare by identity
            same = False
        if not same:
            return False
    return True


def new_instance(items: dict[str, Any]) -> ModelInstance:
    """A ModelInstance holding ``items`` without copying (used by compiled models)."""
    instance = object.__new__(ModelInstance)
    instance.__dict__ = items
    return instance
