"""Prior entries of configuration files: parsing numbers, filling defaults and validating.

A prior entry is the mapping a configuration file gives one parameter, for example::

    {type: Uniform, lower_limit: 0.0, upper_limit: 100.0,
     width_modifier: {type: Absolute, value: 20.0}, limits: {lower: -inf, upper: inf}}

:func:`normalise_entry` turns such a mapping, as read by PyYAML, into a plain dict with float
values, canonical type names and ``width_modifier`` and ``limits`` always present.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from autofit.config.yaml_numbers import parse_numbers
from autofit.exc import ConfigException

__all__ = [
    "PriorEntryType",
    "PRIOR_ENTRY_TYPES",
    "WIDTH_MODIFIER_TYPES",
    "DEFAULT_WIDTH_MODIFIER",
    "DEFAULT_LIMITS",
    "normalise_entry",
    "copy_entry",
]


@dataclass(frozen=True)
class PriorEntryType:
    """The arguments a prior type takes in a configuration entry.

    Parameters
    ----------
    required
        Arguments every entry of this type must give.
    optional
        Arguments an entry of this type may give.
    """

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def arguments(self) -> tuple[str, ...]:
        """All arguments, required first, in the order they are written back."""
        return self.required + self.optional


#: The prior types a configuration entry may name, with their arguments.
PRIOR_ENTRY_TYPES: Mapping[str, PriorEntryType] = MappingProxyType(
    {
        "Uniform": PriorEntryType(("lower_limit", "upper_limit")),
        "LogUniform": PriorEntryType(("lower_limit", "upper_limit")),
        "Gaussian": PriorEntryType(("mean", "sigma"), ("lower_limit", "upper_limit")),
        "LogGaussian": PriorEntryType(("mean", "sigma"), ("lower_limit", "upper_limit")),
        "TruncatedGaussian": PriorEntryType(("mean", "sigma", "lower_limit", "upper_limit")),
        "Constant": PriorEntryType(("value",)),
    }
)

#: The width modifier types a configuration entry may name.
WIDTH_MODIFIER_TYPES: tuple[str, ...] = ("Relative", "Absolute")

#: The width modifier of an entry that does not give one.
DEFAULT_WIDTH_MODIFIER: Mapping[str, Any] = MappingProxyType({"type": "Relative", "value": 0.5})

#: The limits of an entry that does not give them.
DEFAULT_LIMITS: Mapping[str, float] = MappingProxyType({"lower": -math.inf, "upper": math.inf})

_COMMON_KEYS = ("type", "width_modifier", "limits")
# PyAutoFit configuration files call the limits ``gaussian_limits``.
_LIMITS_ALIAS = "gaussian_limits"


def copy_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Copy a normalised entry, including its nested ``width_modifier`` and ``limits`` dicts.

    Parameters
    ----------
    entry
        A dict returned by :func:`normalise_entry`.

    Returns
    -------
    dict
        A copy the caller may change freely.
    """
    return {key: dict(value) if type(value) is dict else value for key, value in entry.items()}


class _EntryContext:
    """Where an entry comes from, so that errors can name the file, class and parameter."""

    def __init__(
        self, source: str | Path | None, class_name: str | None, parameter: str | None
    ) -> None:
        self.source = source
        self.class_name = class_name
        self.parameter = parameter

    def error(self, problem: str) -> ConfigException:
        where = []
        if self.parameter is not None:
            where.append(f"parameter {self.parameter!r}")
        if self.class_name is not None:
            where.append(f"of class {self.class_name}")
        if self.source is not None:
            where.append(f"in {self.source}")
        location = f" for {' '.join(where)}" if where else ""
        return ConfigException(f"Invalid prior entry{location}: {problem}")


def _unknown_key_problem(key: Any, allowed: tuple[str, ...], what: str) -> str:
    import difflib  # for error messages only

    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown key {key!r} in {what} (valid keys: {', '.join(allowed)}){hint}"


def _canonical_name(name: Any, valid: tuple[str, ...], suffix: str) -> str | None:
    """Match ``name`` to one of ``valid`` ignoring case and an optional suffix like ``Prior``."""
    if not isinstance(name, str):
        return None
    folded = name.strip().lower()
    if folded.endswith(suffix.lower()):
        folded = folded[: -len(suffix)]
    for candidate in valid:
        if candidate.lower() == folded:
            return candidate
    return None


def _number(value: Any, key: str, context: _EntryContext) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise context.error(f"{key} must be a number, got {value!r}")
    return float(value)


def _width_modifier(value: Any, context: _EntryContext) -> dict[str, Any]:
    if value is None:
        return dict(DEFAULT_WIDTH_MODIFIER)
    if not isinstance(value, Mapping):
        raise context.error(
            f"width_modifier must be a mapping like {{type: Relative, value: 0.5}}, got {value!r}"
        )
    for key in value:
        if key not in ("type", "value"):
            raise context.error(_unknown_key_problem(key, ("type", "value"), "width_modifier"))
    kind = _canonical_name(value.get("type"), WIDTH_MODIFIER_TYPES, "WidthModifier")
    if kind is None:
        raise context.error(
            f"width_modifier type must be one of {', '.join(WIDTH_MODIFIER_TYPES)}, "
            f"got {value.get('type')!r}"
        )
    if "value" not in value:
        raise context.error("width_modifier is missing its value")
    number = _number(value["value"], "width_modifier value", context)
    if not math.isfinite(number) or number < 0.0:
        raise context.error(f"width_modifier value must be finite and >= 0, got {number!r}")
    return {"type": kind, "value": number}


def _limits(value: Any, context: _EntryContext) -> dict[str, float]:
    if value is None:
        return dict(DEFAULT_LIMITS)
    if isinstance(value, list) and len(value) == 2:
        value = {"lower": value[0], "upper": value[1]}
    if not isinstance(value, Mapping):
        raise context.error(
            f"limits must be a mapping like {{lower: -inf, upper: inf}}, got {value!r}"
        )
    for key in value:
        if key not in ("lower", "upper"):
            raise context.error(_unknown_key_problem(key, ("lower", "upper"), "limits"))
    lower = _number(value.get("lower", -math.inf), "limits lower", context)
    upper = _number(value.get("upper", math.inf), "limits upper", context)
    if not lower < upper:
        raise context.error(f"limits lower must be below upper, got lower={lower}, upper={upper}")
    return {"lower": lower, "upper": upper}


def _check_arguments(kind: str, arguments: dict[str, float], context: _EntryContext) -> None:
    lower = arguments.get("lower_limit")
    upper = arguments.get("upper_limit")
    if lower is not None and upper is not None and not lower < upper:
        raise context.error(
            f"lower_limit must be below upper_limit, got lower_limit={lower}, upper_limit={upper}"
        )
    if kind == "LogUniform" and lower is not None and not lower > 0.0:
        raise context.error(f"a LogUniform lower_limit must be positive, got {lower}")
    sigma = arguments.get("sigma")
    if sigma is not None and not (sigma > 0.0 and math.isfinite(sigma)):
        raise context.error(f"sigma must be positive and finite, got {sigma}")


def normalise_entry(
    entry: Mapping[str, Any],
    *,
    source: str | Path | None = None,
    class_name: str | None = None,
    parameter: str | None = None,
) -> dict[str, Any]:
    """Parse, complete and validate one prior entry of a configuration file.

    Strings that spell numbers (``"-inf"``, ``"1e-6"``) become floats throughout the entry,
    integers become floats, the type name is made canonical (``uniform`` and ``UniformPrior``
    become ``Uniform``), PyAutoFit's ``gaussian_limits`` is renamed ``limits``, and a missing
    ``width_modifier`` or ``limits`` is filled with ``{type: Relative, value: 0.5}`` or
    ``{lower: -inf, upper: inf}``.

    Parameters
    ----------
    entry
        The mapping read from the file.
    source
        The file the entry was read from, named in errors.
    class_name
        The qualified name of the class the entry is for, named in errors.
    parameter
        The parameter the entry is for, named in errors.

    Returns
    -------
    dict
        ``{"type": ..., <arguments of the type>, "width_modifier": {...}, "limits": {...}}``.

    Raises
    ------
    ConfigException
        If the type is missing or unknown, a required argument is missing, a key is unknown, or
        a value is not a number or out of range. The message names the file, class and parameter.
    """
    context = _EntryContext(source, class_name, parameter)
    valid_types = tuple(PRIOR_ENTRY_TYPES)
    if not isinstance(entry, Mapping):
        raise context.error(
            f"expected a mapping like {{type: Uniform, lower_limit: 0.0, upper_limit: 1.0}}, "
            f"got {entry!r}"
        )
    data = parse_numbers(entry)
    if "type" not in data:
        raise context.error(f"missing 'type'; valid types are {', '.join(valid_types)}")
    kind = _canonical_name(data["type"], valid_types, "Prior")
    if kind is None:
        import difflib

        close = difflib.get_close_matches(str(data["type"]), valid_types, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise context.error(
            f"unknown type {data['type']!r}; valid types are {', '.join(valid_types)}{hint}"
        )
    if _LIMITS_ALIAS in data:
        if "limits" in data:
            raise context.error(f"give either limits or {_LIMITS_ALIAS}, not both")
        data["limits"] = data.pop(_LIMITS_ALIAS)
    spec = PRIOR_ENTRY_TYPES[kind]
    allowed = _COMMON_KEYS + spec.arguments
    for key in data:
        if key not in allowed:
            raise context.error(_unknown_key_problem(key, allowed, f"a {kind} entry"))
    missing = [name for name in spec.required if name not in data]
    if missing:
        raise context.error(
            f"a {kind} entry needs {', '.join(spec.required)}; missing {', '.join(missing)}"
        )
    arguments = {
        name: _number(data[name], name, context) for name in spec.arguments if name in data
    }
    _check_arguments(kind, arguments, context)
    return {
        "type": kind,
        **arguments,
        "width_modifier": _width_modifier(data.get("width_modifier"), context),
        "limits": _limits(data.get("limits"), context),
    }
