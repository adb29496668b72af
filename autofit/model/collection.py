"""Collection: a named (or listed) group of model components."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from autofit.model.abstract import AbstractModel
from autofit.model.normalise import normalise
from autofit.priors.abstract import MUTATIONS

__all__ = ["Collection"]


class Collection(AbstractModel):
    """A group of components whose instance is an :class:`~autofit.ModelInstance`.

    Accepts keyword components, a dict, a list, or several positional components. Bare classes
    are wrapped in :class:`~autofit.Model`; priors and numbers are allowed as items too.
    Components can be added later by attribute (``collection.extra = af.Model(...)``), by key
    or with :meth:`append`.

    Examples
    --------
    >>> model = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)
    >>> model = af.Collection([af.ex.Gaussian, af.ex.Gaussian])
    >>> model[0].centre
    """

    def __init__(self, *items: Any, **kwargs: Any) -> None:
        super().__init__()
        if len(items) == 1 and isinstance(items[0], (list, tuple, dict)):
            items = items[0]
        if isinstance(items, dict):
            entries = [(str(key), value) for key, value in items.items()]
        else:
            entries = [(str(index), value) for index, value in enumerate(items)]
        entries += list(kwargs.items())
        for name, value in entries:
            self._attributes[name] = normalise(value, None)

    def append(self, item: Any) -> None:
        """Add ``item`` under the next free integer name."""
        self._check_not_frozen()
        index = len(self._attributes)
        while str(index) in self._attributes:
            index += 1
        self._set_child(str(index), normalise(item, None))

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, str):
            return self._attributes[key]
        return list(self._attributes.values())[key]

    def __setitem__(self, key: int | str, value: Any) -> None:
        if not isinstance(key, str):
            keys = list(self._attributes)
            key = keys[key] if -len(keys) <= key < len(keys) else str(key)
        setattr(self, key, value)

    def __len__(self) -> int:
        return len(self._attributes)

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._attributes.values()))

    def __contains__(self, key: object) -> bool:
        return key in self._attributes

    def items(self) -> list[tuple[str, Any]]:
        """The ``(name, component)`` pairs in order."""
        return list(self._attributes.items())

    def keys(self) -> list[str]:
        """The component names in order."""
        return list(self._attributes)

    def values(self) -> list[Any]:
        """The components in order."""
        return list(self._attributes.values())

    def __delitem__(self, key: str) -> None:
        self._check_not_frozen()
        del self._attributes[key]
        MUTATIONS.value += 1

    def _describe(self) -> str:
        return "Collection"

    def __repr__(self) -> str:
        return f"<Collection {list(self._attributes)} (N={self.prior_count})>"
