"""Predicates of Aggregator queries, combined with ``&``, ``|`` and ``~``.

Each predicate answers the same question two ways: :meth:`Predicate.sql` compiles it to a
SQLAlchemy expression over the ``fit`` table (values travel as bound parameters, nothing is
string-formatted into SQL), and :meth:`Predicate.evaluate` checks one fit folder in Python. Both
give the same answer for the same fit, so a query means the same on a database and on output
folders.

The Python side reads a fit through a :class:`FitRecord`: its names and status, the class of
each model component, the maximum-likelihood value of each parameter and its ``info``.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Callable
from typing import Any, Protocol

__all__ = [
    "OPERATORS",
    "FitRecord",
    "Predicate",
    "And",
    "Or",
    "Not",
    "FieldComparison",
    "ComponentIs",
    "ParameterComparison",
    "InfoComparison",
    "info_number",
    "info_text",
    "INFO_TEXT_LENGTH",
]

#: The comparisons a query supports, by symbol; the same functions build SQL and compare numbers.
OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

#: Text values of ``info`` are compared on their first this many characters (as stored).
INFO_TEXT_LENGTH = 1024


class FitRecord(Protocol):
    """What :meth:`Predicate.evaluate` reads of one fit (see the directory backend)."""

    name: str
    path_prefix: str
    unique_tag: str
    is_complete: bool

    def component_class(self, path: str) -> str | None:
        """The class path of the model component at ``path`` ("" is the whole model)."""

    def parameter_value(self, path: str) -> float | None:
        """The maximum-likelihood value of the parameter at ``path``, if finite."""

    def info(self) -> Any:
        """The fit's ``info`` (usually a dictionary), or None."""


class Predicate:
    """A condition on fits. Combine with ``&`` (and), ``|`` (or) and ``~`` (not)."""

    def sql(self) -> Any:
        """The condition as a SQLAlchemy boolean expression over ``autofit.database.schema.Fit``."""
        raise NotImplementedError

    def evaluate(self, fit: FitRecord) -> bool:
        """Whether ``fit`` satisfies the condition."""
        raise NotImplementedError

    def model_paths(self) -> list[tuple[str, str]]:
        """``(kind, path)`` of every model path the condition names: kind ``"parameter"`` or
        ``"component"``."""
        return []

    def __and__(self, other: Predicate) -> Predicate:
        return And(self, _predicate(other))

    def __rand__(self, other: Predicate) -> Predicate:
        return And(_predicate(other), self)

    def __or__(self, other: Predicate) -> Predicate:
        return Or(self, _predicate(other))

    def __ror__(self, other: Predicate) -> Predicate:
        return Or(_predicate(other), self)

    def __invert__(self) -> Predicate:
        return Not(self)

    def __bool__(self) -> bool:
        raise TypeError(
            "A query has no truth value: combine queries with &, | and ~ "
            "(not with 'and', 'or', 'not') and pass them to agg.query(...)"
        )


def _predicate(value: Any) -> Predicate:
    if not isinstance(value, Predicate):
        raise TypeError(
            f"Cannot combine a query with {value!r}: both sides of &, | must be queries such as "
            "agg.search.name == 'x'"
        )
    return value


class And(Predicate):
    """Both conditions hold."""

    def __init__(self, left: Predicate, right: Predicate) -> None:
        self.left, self.right = left, right

    def sql(self) -> Any:
        from sqlalchemy import and_

        return and_(self.left.sql(), self.right.sql())

    def evaluate(self, fit: FitRecord) -> bool:
        return self.left.evaluate(fit) and self.right.evaluate(fit)

    def model_paths(self) -> list[tuple[str, str]]:
        return self.left.model_paths() + self.right.model_paths()

    def __repr__(self) -> str:
        return f"({self.left!r} & {self.right!r})"


class Or(Predicate):
    """At least one condition holds."""

    def __init__(self, left: Predicate, right: Predicate) -> None:
        self.left, self.right = left, right

    def sql(self) -> Any:
        from sqlalchemy import or_

        return or_(self.left.sql(), self.right.sql())

    def evaluate(self, fit: FitRecord) -> bool:
        return self.left.evaluate(fit) or self.right.evaluate(fit)

    def model_paths(self) -> list[tuple[str, str]]:
        return self.left.model_paths() + self.right.model_paths()

    def __repr__(self) -> str:
        return f"({self.left!r} | {self.right!r})"


class Not(Predicate):
    """The condition does not hold (also for fits that lack the parameter or key it names)."""

    def __init__(self, inner: Predicate) -> None:
        self.inner = inner

    def sql(self) -> Any:
        from sqlalchemy import not_

        return not_(self.inner.sql())

    def evaluate(self, fit: FitRecord) -> bool:
        return not self.inner.evaluate(fit)

    def model_paths(self) -> list[tuple[str, str]]:
        return self.inner.model_paths()

    def __repr__(self) -> str:
        return f"~{self.inner!r}"


def _check_operator(symbol: str, allowed: tuple[str, ...] = tuple(OPERATORS)) -> None:
    if symbol not in allowed:
        raise ValueError(f"Unsupported comparison {symbol!r}; use one of {', '.join(allowed)}")


class FieldComparison(Predicate):
    """A comparison of a column of the fit: ``name``, ``path_prefix``, ``unique_tag`` or
    ``is_complete``."""

    FIELDS = ("name", "path_prefix", "unique_tag", "is_complete")

    def __init__(self, field: str, symbol: str, value: Any) -> None:
        if field not in self.FIELDS:
            raise ValueError(f"Cannot query {field!r}; fields are {', '.join(self.FIELDS)}")
        if field == "is_complete":
            _check_operator(symbol, ("==", "!="))
            if not isinstance(value, bool):
                raise TypeError(f"is_complete compares with True or False, not {value!r}")
        else:
            _check_operator(symbol)
            if not isinstance(value, str):
                raise TypeError(f"search.{field} compares with text, not {value!r}")
        self.field, self.symbol, self.value = field, symbol, value

    def sql(self) -> Any:
        from autofit.database.schema import Fit

        return OPERATORS[self.symbol](getattr(Fit, self.field), self.value)

    def evaluate(self, fit: FitRecord) -> bool:
        value = getattr(fit, self.field)
        value = bool(value) if self.field == "is_complete" else (value or "")
        return bool(OPERATORS[self.symbol](value, self.value))

    def __repr__(self) -> str:
        return f"search.{self.field} {self.symbol} {self.value!r}"


class ComponentIs(Predicate):
    """The model component at ``path`` ("" for the whole model) is of the class ``class_path``."""

    def __init__(self, path: str, class_path: str) -> None:
        self.path, self.class_path = path, class_path

    def sql(self) -> Any:
        from sqlalchemy import select

        from autofit.database.schema import Component, Fit

        return Fit.id.in_(
            select(Component.fit_id).where(
                Component.path == self.path, Component.class_path == self.class_path
            )
        )

    def evaluate(self, fit: FitRecord) -> bool:
        return fit.component_class(self.path) == self.class_path

    def model_paths(self) -> list[tuple[str, str]]:
        return [("component", self.path)]

    def __repr__(self) -> str:
        return f"model{'.' + self.path if self.path else ''} == {self.class_path}"


def _number(value: Any, what: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        and not hasattr(value, "__float__")
    ):
        raise TypeError(f"{what} compares with a number, not {value!r}")
    number = float(value)
    if math.isnan(number):
        raise ValueError(f"{what} cannot be compared with NaN")
    return number


class ParameterComparison(Predicate):
    """A comparison of the maximum-likelihood value of the parameter at ``path``. Fits without
    that parameter (or without samples yet) do not match."""

    def __init__(self, path: str, symbol: str, value: Any) -> None:
        _check_operator(symbol)
        if not path:
            raise ValueError("Name a parameter to compare, e.g. agg.model.gaussian.centre > 50.0")
        self.path, self.symbol = path, symbol
        self.value = _number(value, f"model.{path}")

    def sql(self) -> Any:
        from sqlalchemy import select

        from autofit.database.schema import Fit, Parameter

        compare = OPERATORS[self.symbol]
        return Fit.id.in_(
            select(Parameter.fit_id).where(
                Parameter.path == self.path, compare(Parameter.max_log_likelihood, self.value)
            )
        )

    def evaluate(self, fit: FitRecord) -> bool:
        value = fit.parameter_value(self.path)
        return value is not None and bool(OPERATORS[self.symbol](value, self.value))

    def model_paths(self) -> list[tuple[str, str]]:
        return [("parameter", self.path)]

    def __repr__(self) -> str:
        return f"model.{self.path} {self.symbol} {self.value!r}"


def info_number(value: Any) -> float | None:
    """The number an ``info`` value is compared as (booleans count as 0 and 1), or None."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    return None


def info_text(value: Any) -> str | None:
    """The text an ``info`` value is compared as, or None if it is not text."""
    return value[:INFO_TEXT_LENGTH] if isinstance(value, str) else None


class InfoComparison(Predicate):
    """A comparison of ``info[key]``: numbers (and booleans) numerically, text as text, and
    other JSON values (lists, dictionaries, None) by equality of their JSON. Fits whose info
    lacks the key, or holds a value of another kind, do not match."""

    def __init__(self, key: str, symbol: str, value: Any) -> None:
        _check_operator(symbol)
        self.key, self.symbol = str(key), symbol
        if isinstance(value, str):
            self.kind, self.value = "text", info_text(value)
        elif isinstance(value, (bool, int, float)) or hasattr(value, "__float__"):
            self.kind, self.value = "number", _number(float(value), f"info[{key!r}]")
        else:
            _check_operator(symbol, ("==", "!="))
            self.kind, self.value = "json", json.dumps(value, default=str)

    def sql(self) -> Any:
        from sqlalchemy import select

        from autofit.database.schema import Fit, InfoItem

        column = {
            "text": InfoItem.value_text,
            "number": InfoItem.value_number,
            "json": InfoItem.value_json,
        }[self.kind]
        return Fit.id.in_(
            select(InfoItem.fit_id).where(
                InfoItem.key == self.key, OPERATORS[self.symbol](column, self.value)
            )
        )

    def evaluate(self, fit: FitRecord) -> bool:
        info = fit.info()
        if not isinstance(info, dict) or self.key not in info:
            return False
        stored = info[self.key]
        if self.kind == "text":
            value: Any = info_text(stored)
        elif self.kind == "number":
            value = info_number(stored)
        else:
            value = json.dumps(stored, default=str)
        return value is not None and bool(OPERATORS[self.symbol](value, self.value))

    def __repr__(self) -> str:
        return f"info[{self.key!r}] {self.symbol} {self.value!r}"
