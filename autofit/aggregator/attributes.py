"""The query builders behind ``agg.search``, ``agg.model`` and ``agg.info``.

Comparing one of their attributes with a value gives a :class:`~autofit.aggregator.query.Predicate`::

    agg.search.name == "fit_1"              # a column of the fit
    agg.search.is_complete                  # already a query (same as == True)
    agg.model.gaussian == af.ex.Gaussian    # the class of a model component
    agg.model.gaussian.centre > 50.0        # the maximum-likelihood value of a parameter
    agg.info["dataset"] == "galaxy_1"       # a key of the fit's info
"""

from __future__ import annotations

import re
from typing import Any

from autofit.aggregator.query import (
    ComponentIs,
    FieldComparison,
    InfoComparison,
    Not,
    ParameterComparison,
    Predicate,
)

__all__ = ["SearchField", "CompletionQuery", "SearchQuery", "ModelQuery", "InfoField", "InfoQuery"]


class _Comparable:
    """Turns the six comparison operators into calls of ``self._compare(symbol, value)``."""

    __hash__ = None  # type: ignore[assignment]

    def _compare(self, symbol: str, value: Any) -> Predicate:
        raise NotImplementedError

    def __eq__(self, value: Any) -> Predicate:  # type: ignore[override]
        return self._compare("==", value)

    def __ne__(self, value: Any) -> Predicate:  # type: ignore[override]
        return self._compare("!=", value)

    def __lt__(self, value: Any) -> Predicate:
        return self._compare("<", value)

    def __le__(self, value: Any) -> Predicate:
        return self._compare("<=", value)

    def __gt__(self, value: Any) -> Predicate:
        return self._compare(">", value)

    def __ge__(self, value: Any) -> Predicate:
        return self._compare(">=", value)


class SearchField(_Comparable):
    """A text column of the fit (``name``, ``path_prefix`` or ``unique_tag``)."""

    def __init__(self, field: str) -> None:
        self.field = field

    def _compare(self, symbol: str, value: Any) -> Predicate:
        return FieldComparison(self.field, symbol, value)

    def __repr__(self) -> str:
        return f"search.{self.field}"


class CompletionQuery(FieldComparison):
    """``agg.search.is_complete``: a query for completed fits, which also compares with a bool
    (``agg.search.is_complete == False`` finds fits still running or interrupted)."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__("is_complete", "==", True)

    def __eq__(self, value: Any) -> Predicate:  # type: ignore[override]
        return FieldComparison("is_complete", "==", value)

    def __ne__(self, value: Any) -> Predicate:  # type: ignore[override]
        return FieldComparison("is_complete", "!=", value)


class SearchQuery:
    """``agg.search``: queries on the fit's name, path prefix, unique tag and completion."""

    @property
    def name(self) -> SearchField:
        """The fit's ``name``."""
        return SearchField("name")

    @property
    def path_prefix(self) -> SearchField:
        """The fit's ``path_prefix``."""
        return SearchField("path_prefix")

    @property
    def unique_tag(self) -> SearchField:
        """The fit's ``unique_tag`` ("" when none was given)."""
        return SearchField("unique_tag")

    @property
    def is_complete(self) -> CompletionQuery:
        """Whether the fit finished."""
        return CompletionQuery()


def _class_path(value: Any) -> str | None:
    """The class path a component query compares with, or None if ``value`` names no class."""
    from autofit.model.serialise import class_path

    if isinstance(value, type):
        return class_path(value)
    cls = getattr(value, "cls", None)
    if isinstance(cls, type):
        return class_path(cls)
    if isinstance(value, str):
        return value
    return None


#: A dotted class path, ``module.Class``.
_CLASS_PATH = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")


def _check_text(query: ModelQuery, symbol: str, value: str) -> None:
    """A string in a model query names a component's class; anything else is a mistake."""
    if symbol not in ("==", "!="):
        raise TypeError(
            f"Cannot query {query!r} {symbol} {value!r}: a parameter compares with a number (its "
            f"maximum-likelihood value), e.g. {query!r} {symbol} 50.0; a string names a "
            "component's class and compares with == or != only"
        )
    if not _CLASS_PATH.fullmatch(value):
        raise TypeError(
            f"Cannot query {query!r} {symbol} {value!r}: compare a parameter with a number "
            f"({query!r} {symbol} 50.0) or a component with its class (af.ex.Gaussian, or "
            f"'module.Class'), not with the text {value!r}"
        )


class ModelQuery(_Comparable):
    """``agg.model`` and its attributes: a path into the model of every fit.

    ``agg.model.gaussian == Gaussian`` asks for the component's class (also given as an
    ``af.Model`` or a ``"module.Class"`` string); ``agg.model.gaussian.centre > 50.0`` compares the
    parameter's maximum-likelihood value. Items index collections built from lists:
    ``agg.model[0].centre``.
    """

    def __init__(self, path: tuple[str, ...] = ()) -> None:
        self._path = path

    def __getattr__(self, name: str) -> ModelQuery:
        if name.startswith("_"):
            raise AttributeError(name)
        return ModelQuery((*self._path, name))

    def __getitem__(self, key: Any) -> ModelQuery:
        return ModelQuery((*self._path, str(key)))

    def __iter__(self) -> None:
        raise TypeError(f"{self!r} is a path into the model for queries; it cannot be iterated")

    def _compare(self, symbol: str, value: Any) -> Predicate:
        path = ".".join(self._path)
        if isinstance(value, str):
            _check_text(self, symbol, value)
        class_path = _class_path(value)
        if class_path is not None:
            if symbol not in ("==", "!="):
                raise TypeError(f"A model component compares with == or != only, not {symbol}")
            query = ComponentIs(path, class_path)
            return query if symbol == "==" else Not(query)
        return ParameterComparison(path, symbol, value)

    def __repr__(self) -> str:
        return "model" + "".join(f".{part}" for part in self._path)


class InfoField(_Comparable):
    """``agg.info[key]``."""

    def __init__(self, key: str) -> None:
        self.key = key

    def _compare(self, symbol: str, value: Any) -> Predicate:
        return InfoComparison(self.key, symbol, value)

    def __repr__(self) -> str:
        return f"info[{self.key!r}]"


class InfoQuery:
    """``agg.info``: ``agg.info["key"] == value`` compares a key of each fit's ``info``."""

    def __getitem__(self, key: str) -> InfoField:
        return InfoField(str(key))
