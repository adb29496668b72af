"""Arithmetic on priors: derived parameters and assertions.

``g1.centre = g0.centre + 10.0`` makes a derived parameter, a value computed from free parameters
rather than a dimension of its own; ``g0.centre > g1.centre`` makes an assertion that constrains
the parameter space. Both are small expression trees whose leaves are priors and numbers. They are
evaluated from a mapping ``{prior: value}`` or compiled into Python source by the model layer.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator, Mapping
from typing import Any

__all__ = [
    "ArithmeticMixin",
    "DerivedParameter",
    "Assertion",
    "Log",
    "Log10",
    "Abs",
    "is_expression",
]

# operator name -> (Python source template, evaluation function)
BINARY = {
    "add": ("({0} + {1})", lambda a, b: a + b),
    "sub": ("({0} - {1})", lambda a, b: a - b),
    "mul": ("({0} * {1})", lambda a, b: a * b),
    "div": ("({0} / {1})", lambda a, b: a / b),
    "pow": ("({0} ** {1})", lambda a, b: a**b),
}
UNARY = {
    "neg": ("(-{0})", lambda a: -a),
    "abs": ("abs({0})", abs),
    "log": ("_log({0})", math.log),
    "log10": ("_log10({0})", math.log10),
}
COMPARISON = {
    "gt": ("({0} > {1})", ">", lambda a, b: a > b),
    "lt": ("({0} < {1})", "<", lambda a, b: a < b),
    "ge": ("({0} >= {1})", ">=", lambda a, b: a >= b),
    "le": ("({0} <= {1})", "<=", lambda a, b: a <= b),
}

#: Names the compiled source of expressions expects in its namespace.
NAMESPACE: dict[str, Callable[[float], float]] = {"_log": math.log, "_log10": math.log10}


def is_expression(value: object) -> bool:
    """Whether ``value`` is a derived parameter (an expression over priors)."""
    return isinstance(value, DerivedParameter)


def _readable(source: str) -> str:
    return source.replace("_log10(", "log10(").replace("_log(", "log(")


def _check_operand(value: object) -> object:
    if isinstance(value, ArithmeticMixin):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    return NotImplemented


class ArithmeticMixin:
    """Operators shared by priors and derived parameters.

    ``+ - * / **``, unary ``-`` and ``abs`` build derived parameters; ``> < >= <=`` build
    assertions. Equality stays identity, so priors remain usable as dictionary keys.
    """

    def _binary(self, operator: str, other: object, reverse: bool = False) -> Any:
        other = _check_operand(other)
        if other is NotImplemented:
            return NotImplemented
        operands = (other, self) if reverse else (self, other)
        return DerivedParameter(operator, *operands)

    def __add__(self, other: object) -> Any:
        return self._binary("add", other)

    def __radd__(self, other: object) -> Any:
        return self._binary("add", other, reverse=True)

    def __sub__(self, other: object) -> Any:
        return self._binary("sub", other)

    def __rsub__(self, other: object) -> Any:
        return self._binary("sub", other, reverse=True)

    def __mul__(self, other: object) -> Any:
        return self._binary("mul", other)

    def __rmul__(self, other: object) -> Any:
        return self._binary("mul", other, reverse=True)

    def __truediv__(self, other: object) -> Any:
        return self._binary("div", other)

    def __rtruediv__(self, other: object) -> Any:
        return self._binary("div", other, reverse=True)

    def __pow__(self, other: object) -> Any:
        return self._binary("pow", other)

    def __rpow__(self, other: object) -> Any:
        return self._binary("pow", other, reverse=True)

    def __neg__(self) -> DerivedParameter:
        return DerivedParameter("neg", self)

    def __abs__(self) -> DerivedParameter:
        return DerivedParameter("abs", self)

    def _compare(self, operator: str, other: object) -> Any:
        other = _check_operand(other)
        if other is NotImplemented:
            return NotImplemented
        return Assertion(operator, self, other)

    def __gt__(self, other: object) -> Any:
        return self._compare("gt", other)

    def __lt__(self, other: object) -> Any:
        return self._compare("lt", other)

    def __ge__(self, other: object) -> Any:
        return self._compare("ge", other)

    def __le__(self, other: object) -> Any:
        return self._compare("le", other)

    __hash__ = object.__hash__


def _leaves(operands: tuple[object, ...]) -> Iterator[object]:
    for operand in operands:
        if isinstance(operand, (DerivedParameter, Assertion)):
            yield from operand.priors
        elif isinstance(operand, ArithmeticMixin):
            yield operand


def _unique(items: Iterator[object]) -> list[object]:
    seen: dict[int, object] = {}
    for item in items:
        seen.setdefault(id(item), item)
    return list(seen.values())


def _source(operand: object, name_of: Callable[[object], str]) -> str:
    if isinstance(operand, (DerivedParameter, Assertion)):
        return operand.source(name_of)
    if isinstance(operand, ArithmeticMixin):
        return name_of(operand)
    return repr(float(operand)) if math.isfinite(operand) else f"float({str(operand)!r})"


def _evaluate(operand: object, values: Mapping[object, float]) -> float:
    if isinstance(operand, (DerivedParameter, Assertion)):
        return operand.evaluate(values)
    if isinstance(operand, ArithmeticMixin):
        return values[operand]
    return operand


class DerivedParameter(ArithmeticMixin):
    """A value computed from priors and numbers, such as ``g0.centre + 10.0``.

    Parameters
    ----------
    operator
        One of ``add sub mul div pow neg abs log log10``.
    *operands
        Priors, derived parameters or numbers (one for unary operators, two for binary ones).
    """

    def __init__(self, operator: str, *operands: object) -> None:
        arity = 2 if operator in BINARY else 1 if operator in UNARY else 0
        if arity == 0 or len(operands) != arity:
            raise ValueError(f"DerivedParameter: invalid operator {operator!r} for {operands!r}")
        self.operator = operator
        self.operands = operands

    @property
    def priors(self) -> list[object]:
        """The distinct priors this value depends on, in order of appearance."""
        return _unique(_leaves(self.operands))

    def source(self, name_of: Callable[[object], str]) -> str:
        """Python source computing the value, with priors named by ``name_of``."""
        template = (BINARY.get(self.operator) or UNARY[self.operator])[0]
        return template.format(*(_source(operand, name_of) for operand in self.operands))

    def evaluate(self, values: Mapping[object, float]) -> float:
        """The value given ``{prior: value}`` for every prior it depends on."""
        function = (BINARY.get(self.operator) or UNARY[self.operator])[1]
        return function(*(_evaluate(operand, values) for operand in self.operands))

    def describe(self, name_of: Callable[[object], str]) -> str:
        """Readable text such as ``(gaussian.centre + 10.0)`` or ``log10(gaussian.sigma)``."""
        return _readable(self.source(name_of))

    def __repr__(self) -> str:
        return f"DerivedParameter({self.operator!r}, {', '.join(map(repr, self.operands))})"

    def __str__(self) -> str:
        return self.source(lambda prior: type(prior).__name__)


class Assertion:
    """A constraint such as ``model.a > model.b`` that every accepted point must satisfy.

    Parameters
    ----------
    operator
        One of ``gt lt ge le``.
    left, right
        Priors, derived parameters or numbers.
    """

    def __init__(self, operator: str, left: object, right: object) -> None:
        if operator not in COMPARISON:
            raise ValueError(f"Assertion: invalid operator {operator!r}")
        self.operator = operator
        self.operands = (left, right)

    @property
    def priors(self) -> list[object]:
        """The distinct priors the assertion depends on."""
        return _unique(_leaves(self.operands))

    def source(self, name_of: Callable[[object], str]) -> str:
        """Python source that is True when the assertion holds."""
        return COMPARISON[self.operator][0].format(
            *(_source(operand, name_of) for operand in self.operands)
        )

    def evaluate(self, values: Mapping[object, float]) -> bool:
        """Whether the assertion holds given ``{prior: value}``."""
        return COMPARISON[self.operator][2](*(_evaluate(op, values) for op in self.operands))

    def describe(self, name_of: Callable[[object], str]) -> str:
        """Readable text such as ``gaussian.centre > 50.0``."""
        return _readable(self.source(name_of)[1:-1])

    def __bool__(self) -> bool:
        raise TypeError(
            "A comparison of priors is an assertion, not a truth value: "
            "add it to the model with model.add_assertion(...)"
        )

    def __repr__(self) -> str:
        return f"Assertion({self.operator!r}, {self.operands[0]!r}, {self.operands[1]!r})"


def Log(value: Any) -> Any:  # noqa: N802 - the public spelling is af.Log
    """The natural logarithm of a prior or derived parameter (a number gives its log)."""
    if isinstance(value, ArithmeticMixin):
        return DerivedParameter("log", value)
    return math.log(value)


def Log10(value: Any) -> Any:  # noqa: N802 - the public spelling is af.Log10
    """The base-10 logarithm of a prior or derived parameter (a number gives its log10)."""
    if isinstance(value, ArithmeticMixin):
        return DerivedParameter("log10", value)
    return math.log10(value)


def Abs(value: Any) -> Any:  # noqa: N802 - mirrors af.Log
    """The absolute value of a prior or derived parameter."""
    return abs(value)
