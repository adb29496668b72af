"""Configuration: default priors, LaTeX labels and general settings, read from YAML files.

``instance`` is the configuration autofit reads (``af.conf.instance``)::

    af.conf.instance.push(new_path="path/to/config", output_path="path/to/output")

Directories are searched in this order, first hit wins: directories pushed in code, the
``AUTOFIT_CONFIG_PATH`` environment variable, ``./config`` in the working directory, and the
defaults shipped in this folder (``priors/``, ``notation.yaml``, ``general.yaml``).
"""

from __future__ import annotations

from autofit.config.directories import (
    CONFIG_PATH_VARIABLE,
    OUTPUT_PATH_VARIABLE,
    PACKAGE_CONFIG_PATH,
)
from autofit.config.entries import (
    DEFAULT_LIMITS,
    DEFAULT_WIDTH_MODIFIER,
    PRIOR_ENTRY_TYPES,
    WIDTH_MODIFIER_TYPES,
    PriorEntryType,
    normalise_entry,
)
from autofit.config.lookup import Config
from autofit.config.yaml_numbers import parse_number

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
