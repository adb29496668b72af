"""Keyword checking for searches: unknown keywords name the closest valid one, and settings that
must be whole numbers (walkers, steps, iterations, draws, seeds) are checked when the search is
made, so a bad value is an error naming the keyword before anything runs or is written."""

from __future__ import annotations

import difflib
import inspect
import numbers
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from autofit.exc import SearchException

__all__ = ["check_unknown_keywords", "apply_aliases", "jsonable", "whole_number"]


def whole_number(owner: str, name: str, value: Any, minimum: int | None = 1) -> int:
    """``value`` as an ``int``, checked to be a whole number of at least ``minimum``.

    Integers (Python or numpy) and floats with no fractional part (``1e4``) are accepted;
    booleans, strings, other fractions and non-numbers are not.

    Parameters
    ----------
    owner
        The search or settings class (for the message), e.g. ``"Emcee"``.
    name
        The keyword (for the message), e.g. ``"nsteps"``.
    value
        The value given.
    minimum
        The smallest value allowed (None for no lower bound).

    Raises
    ------
    SearchException
        Naming the keyword, the value given and what is expected.
    """
    expected = "a whole number" + (f" >= {minimum}" if minimum is not None else "")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SearchException(
            f"{owner}: {name} must be {expected}, got {value!r} of type {type(value).__name__}"
        )
    if isinstance(value, numbers.Integral):
        number = int(value)
    elif float(value).is_integer():
        number = int(float(value))
    else:
        raise SearchException(f"{owner}: {name} must be {expected}, got {value!r}")
    if minimum is not None and number < minimum:
        raise SearchException(f"{owner}: {name} must be {expected}, got {value!r}")
    return number


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
    return list(_signature_names(cls))


@lru_cache(maxsize=256)
def _signature_names(cls: type) -> tuple[str, ...]:
    names: list[str] = []
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
                names.append(parameter.name)
    return tuple(name for name in names if name != "self")


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
