"""Paths to the float attributes of an instance, through nested objects, tuples and lists.

An instance built from a model holds the user's objects; these helpers find every float in it
(``float_paths``), read one (``value_at``) and set one (``replaced_at``), so that workflows can
treat the numbers of instances uniformly (interpolating them, or fingerprinting them).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

__all__ = ["float_paths", "value_at", "replaced_at"]

#: A step down an instance: an attribute name, or a position in a tuple or list.
Key = str | int


def _children(value: Any) -> Iterator[tuple[Key, Any]]:
    from autofit.model.instance import ModelInstance

    if isinstance(value, ModelInstance):
        yield from value.items()
    elif isinstance(value, (tuple, list)):
        yield from enumerate(value)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        yield from vars(value).items()


def _is_float(value: Any) -> bool:
    return isinstance(value, (float, np.floating)) and not isinstance(value, bool)


def float_paths(instance: Any) -> list[tuple[Key, ...]]:
    """The path of every float attribute in ``instance`` (through nested objects, tuples and
    lists), in attribute order."""
    found: list[tuple[Key, ...]] = []

    def walk(value: Any, path: tuple[Key, ...], seen: set[int]) -> None:
        if _is_float(value):
            found.append(path)
            return
        if id(value) in seen or isinstance(value, (str, bytes, numbers.Number, np.ndarray)):
            return
        seen = seen | {id(value)}
        for key, child in _children(value):
            if isinstance(key, str) and key.startswith("_"):
                continue
            walk(child, path + (key,), seen)

    walk(instance, (), set())
    return found


def value_at(instance: Any, path: Sequence[Key]) -> Any:
    """The value at ``path`` in ``instance``."""
    value = instance
    for key in path:
        value = value[key] if isinstance(key, int) else getattr(value, key)
    return value


def replaced_at(instance: Any, path: Sequence[Key], new: Any) -> Any:
    """``instance`` with the value at ``path`` set to ``new`` (tuples are rebuilt; other
    objects are changed in place, so pass a copy)."""
    if not path:
        return new
    key, rest = path[0], path[1:]
    if isinstance(instance, tuple):
        items = list(instance)
        items[key] = replaced_at(items[key], rest, new)
        return type(instance)(items) if type(instance) is tuple else type(instance)(*items)
    if isinstance(instance, list):
        instance[key] = replaced_at(instance[key], rest, new)
        return instance
    setattr(instance, key, replaced_at(getattr(instance, key), rest, new))
    return instance
