"""The sections of ``notation.yaml``: LaTeX labels of parameters and superscripts of classes.

The file lists labels by parameter name and superscripts by class name::

    label:
      centre: x
      sigma: \\sigma
    superscript:
      Gaussian: g

PyAutoFit's layout, which nests both sections under a top-level ``label`` key
(``label: {label: {...}, superscript: {...}}``), is read as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["NOTATION_FILE", "LABEL", "SUPERSCRIPT", "notation_section"]

#: The name of the notation file in a configuration directory.
NOTATION_FILE = "notation.yaml"
#: The section of parameter labels.
LABEL = "label"
#: The section of class superscripts.
SUPERSCRIPT = "superscript"


def notation_section(data: Mapping[str, Any], section: str) -> Mapping[str, Any]:
    """One section of a parsed notation file.

    Parameters
    ----------
    data
        The top-level mapping of ``notation.yaml``.
    section
        ``"label"`` or ``"superscript"``.

    Returns
    -------
    Mapping
        The section's mapping, empty if the file does not have it.
    """
    outer = data.get(LABEL)
    if isinstance(outer, Mapping):
        nested = outer.get(section)
        if isinstance(nested, Mapping):
            return nested
    value = data.get(section)
    if isinstance(value, Mapping) and not (section == LABEL and _is_nested_layout(value)):
        return value
    return {}


def _is_nested_layout(label: Mapping[str, Any]) -> bool:
    """Whether a ``label`` section is PyAutoFit's wrapper of the label and superscript sections."""
    return any(isinstance(label.get(key), Mapping) for key in (LABEL, SUPERSCRIPT))
