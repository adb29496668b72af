"""TuplePrior: a tuple-valued constructor argument with one parameter per element."""

from __future__ import annotations

from typing import Any

from autofit.model.abstract import AbstractModel

__all__ = ["TuplePrior"]


class TuplePrior(AbstractModel):
    """The elements of a tuple argument such as ``centre: Tuple[float, float]``.

    Elements are named ``<argument>_0``, ``<argument>_1``, ... and each is a prior, a derived
    parameter or a fixed value. The instance is a tuple.

    Parameters
    ----------
    name
        The argument's name, used to name the elements.
    elements
        The element values in order.
    """

    def __init__(self, name: str, elements: list[Any] | tuple[Any, ...]) -> None:
        super().__init__()
        from autofit.model.normalise import normalise

        object.__setattr__(self, "_name", name)
        for index, element in enumerate(elements):
            self._attributes[f"{name}_{index}"] = normalise(element, None)

    def __len__(self) -> int:
        return len(self._attributes)

    def __getitem__(self, index: int) -> Any:
        return list(self._attributes.values())[index]

    def __iter__(self):
        return iter(list(self._attributes.values()))

    @property
    def name(self) -> str:
        """The argument's name."""
        return self.__dict__["_name"]

    def _describe(self) -> str:
        return f"TuplePrior {self.name!r}"

    def _component_name(self) -> str:
        return "Tuple"

    def __repr__(self) -> str:
        return f"TuplePrior({self.name!r}, {list(self._attributes.values())!r})"
