"""Keyword checking for searches: unknown keywords name the closest valid one."""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Iterable
from typing import Any

__all__ = ["check_unknown_keywords", "apply_aliases", "jsonable"]


def apply_aliases(kwargs: dict[str, Any], aliases: dict[str, str]) -> dict[str, Any]:
    """Rename alias keywords (``iterations_per_full_update`` -> ``iterations_per_update``).

    Raises
    ------
    TypeError
        If both an alias and its canonical name are given.
    """
    result = dict(kwargs)
    for alias, name in aliases.items():
        if alias in result:
            if name in result:
                raise TypeError(f"Give either {name!r} or its alias {alias!r}, not both")
            result[name] = result.pop(alias)
    return result


def check_unknown_keywords(owner: str, kwargs: dict[str, Any], valid: Iterable[str]) -> None:
    """Raise ``TypeError`` naming the first unknown keyword and the closest valid one."""
    if not kwargs:
        return
    valid = sorted(set(valid))
    name = next(iter(kwargs))
    close = difflib.get_close_matches(name, valid, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise TypeError(
        f"{owner} got an unexpected keyword argument {name!r}{hint} "
        f"(valid keywords: {', '.join(valid)})"
    )


def signature_names(cls: type) -> list[str]:
    """Keyword names of every ``__init__`` in ``cls``'s MRO."""
    names: list[str] = []
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
                names.append(parameter.name)
    return [name for name in names if name != "self"]


def jsonable(value: Any) -> Any:
    """A JSON-ready form of a setting (objects with ``dict()`` use it; others their repr)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if hasattr(value, "dict") and callable(value.dict):
        return value.dict()
    return repr(value)
