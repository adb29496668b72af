"""Configuration: default priors, LaTeX labels and general settings, read from YAML files.

``instance`` is the configuration autofit reads (``af.conf.instance``)::

    af.conf.instance.push(new_path="path/to/config", output_path="path/to/output")

Directories are searched in this order, first hit wins: directories pushed in code, the
``AUTOFIT_CONFIG_PATH`` environment variable, ``./config`` in the working directory, and the
defaults shipped in this folder (``priors/``, ``notation.yaml``, ``general.yaml``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autofit.config.directories import (
    CONFIG_PATH_VARIABLE,
    OUTPUT_PATH_VARIABLE,
    PACKAGE_CONFIG_PATH,
)
from autofit.config.lookup import Config

if TYPE_CHECKING:
    from autofit.config.entries import (
        DEFAULT_LIMITS,
        DEFAULT_WIDTH_MODIFIER,
        PRIOR_ENTRY_TYPES,
        WIDTH_MODIFIER_TYPES,
        PriorEntryType,
        normalise_entry,
    )
    from autofit.config.yaml_numbers import parse_number

#: Names of the modules that parse configuration entries, imported on first access (with the
#: first configuration file read) rather than with ``autofit``.
_LAZY: dict[str, str] = {
    "DEFAULT_LIMITS": "autofit.config.entries",
    "DEFAULT_WIDTH_MODIFIER": "autofit.config.entries",
    "PRIOR_ENTRY_TYPES": "autofit.config.entries",
    "WIDTH_MODIFIER_TYPES": "autofit.config.entries",
    "PriorEntryType": "autofit.config.entries",
    "normalise_entry": "autofit.config.entries",
    "parse_number": "autofit.config.yaml_numbers",
}

__all__ = [
    "Config",
    "instance",
    "normalise_entry",
    "parse_number",
    "PriorEntryType",
    "PRIOR_ENTRY_TYPES",
    "WIDTH_MODIFIER_TYPES",
    "DEFAULT_WIDTH_MODIFIER",
    "DEFAULT_LIMITS",
    "CONFIG_PATH_VARIABLE",
    "OUTPUT_PATH_VARIABLE",
    "PACKAGE_CONFIG_PATH",
]

#: The configuration autofit reads.
instance = Config()


def __getattr__(name: str) -> Any:
    """Load a name of the entry-parsing modules on first access."""
    try:
        module_name = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'autofit.config' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
