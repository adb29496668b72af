"""Reading a class's constructor: which arguments are free parameters, tuples or fixed values."""

from __future__ import annotations

import functools
import inspect
import re
import typing
from dataclasses import dataclass
from typing import Any

__all__ = ["Argument", "ConstructorSignature", "constructor_signature"]

FIXED_TYPES = (str, bool, type(None))


@dataclass(frozen=True)
class Argument:
    """One constructor argument.

    Attributes
    ----------
    name
        The argument's name.
    kind
        ``"prior"`` (a free parameter with a default prior), ``"tuple"`` (one prior per element)
        or ``"fixed"`` (kept at its default unless given).
    default
        The default value (``inspect.Parameter.empty`` when there is none).
    length
        Number of elements of a tuple argument (0 when unknown or not a tuple).
    """

    name: str
    kind: str
    default: Any = inspect.Parameter.empty
    length: int = 0


@dataclass(frozen=True)
class ConstructorSignature:
    """The constructor arguments of a class, in declaration order."""

    arguments: tuple[Argument, ...]
    accepts_kwargs: bool

    @property
    def names(self) -> tuple[str, ...]:
        """The argument names in order."""
        return tuple(argument.name for argument in self.arguments)


def _tuple_length(annotation: Any) -> int | None:
    """Length of a ``Tuple[float, float]`` annotation, 0 for ``Tuple[float, ...]``, else None."""
    if isinstance(annotation, str):
        match = re.fullmatch(r"\s*(?:typing\.)?[Tt]uple\[(.*)\]\s*", annotation)
        if not match:
            return None
        parts = [part.strip() for part in match.group(1).split(",")]
        return 0 if "..." in parts else len(parts)
    if typing.get_origin(annotation) is tuple:
        arguments = typing.get_args(annotation)
        return 0 if Ellipsis in arguments else len(arguments)
    return None


def _is_fixed_annotation(annotation: Any) -> bool:
    if annotation in (str, bool, int):
        return True
    if isinstance(annotation, str):
        return annotation.strip() in ("str", "bool", "int")
    return False


def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls.__init__)
    except Exception:  # noqa: BLE001 - unresolvable annotations fall back to their raw form
        return {}


@functools.cache
def constructor_signature(cls: type) -> ConstructorSignature:
    """The constructor arguments of ``cls`` and how each becomes part of a model.

    Rules: a tuple default or ``Tuple[float, ...]`` annotation gives one prior per element; a
    default that is a string, boolean or None, or an ``int`` / ``str`` / ``bool`` annotation with a
    default, keeps the argument fixed at its default; anything else is a free parameter whose prior
    comes from the configuration. ``*args`` is ignored; ``**kwargs`` means the class accepts extra
    keyword components.
    """
    try:
        parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    except (TypeError, ValueError):
        parameters = []
    hints = _hints(cls)
    arguments = []
    accepts_kwargs = False
    for parameter in parameters:
        if parameter.kind is parameter.VAR_KEYWORD:
            accepts_kwargs = True
            continue
        if parameter.kind is parameter.VAR_POSITIONAL:
            continue
        annotation = hints.get(parameter.name, parameter.annotation)
        default = parameter.default
        length = _tuple_length(annotation)
        if isinstance(default, tuple):
            arguments.append(Argument(parameter.name, "tuple", default, len(default)))
        elif length is not None:
            arguments.append(Argument(parameter.name, "tuple", default, length))
        elif isinstance(default, FIXED_TYPES) or (
            default is not parameter.empty
            and (_is_fixed_annotation(annotation) or not _is_number(default))
        ):
            arguments.append(Argument(parameter.name, "fixed", default))
        else:
            arguments.append(Argument(parameter.name, "prior", default))
    return ConstructorSignature(tuple(arguments), accepts_kwargs)


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        or (type(value).__module__ == "numpy" and hasattr(value, "dtype") and value.shape == ())
    )
