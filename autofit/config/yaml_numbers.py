"""Numbers that PyYAML reads as strings.

PyYAML follows YAML 1.1, in which ``-inf`` and ``inf`` (without the dot of ``-.inf``) and
``1e-6`` (without a decimal point) are strings, not floats. Configuration files written by hand
use these spellings all the time, so they are converted here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

__all__ = ["parse_number", "parse_numbers"]


def parse_number(value: Any) -> Any:
    """Read a string that spells a number as a float; return anything else unchanged.

    PyYAML follows YAML 1.1, which reads ``-inf`` (without the dot of ``-.inf``) and ``1e-6``
    (without a decimal point) as strings. This turns them, and ``"inf"``, ``"+Infinity"`` and
    the like in any letter case, into floats. ``"nan"`` is left as a string.

    Parameters
    ----------
    value
        A value read from a YAML file.

    Returns
    -------
    Any
        The float the string spells, or ``value`` itself.
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.lower() in (".inf", "+.inf", "-.inf"):
        text = text.replace(".", "")
    try:
        number = float(text)
    except ValueError:
        return value
    return value if math.isnan(number) else number


def parse_numbers(value: Any) -> Any:
    """Apply :func:`parse_number` to every string in nested mappings and lists.

    Parameters
    ----------
    value
        A value read from a YAML file: a mapping, a list, or a scalar.

    Returns
    -------
    Any
        A copy with dicts for mappings and lists for sequences, numbers parsed.
    """
    if isinstance(value, Mapping):
        return {key: parse_numbers(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [parse_numbers(item) for item in value]
    return parse_number(value)
