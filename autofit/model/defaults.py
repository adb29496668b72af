"""The one way the model layer reads configuration: an injected lookup of defaults.

The package wires a lookup backed by the configuration files when ``autofit`` is imported;
tests and embedding applications can inject their own.
"""

from __future__ import annotations

from typing import Any, Protocol

from autofit.exc import ModelException

__all__ = ["DefaultsLookup", "set_defaults_lookup", "defaults_lookup"]


class DefaultsLookup(Protocol):
    """What the model layer needs from configuration."""

    def prior_for(self, cls: type, names: tuple[str, ...]) -> Any:
        """A new default prior for the first of ``names`` configured for ``cls``, or None when
        none is configured (``ConfigException`` when a configured entry is invalid)."""

    def missing_prior_message(self, cls: type, name: str) -> str:
        """Why ``cls`` has no default prior for ``name``: class, parameter, files searched and an
        example entry (the message of the ``ConfigException`` raised when the model is used)."""

    def label_for(self, name: str) -> str:
        """The LaTeX label of a parameter name (the name itself when none is configured)."""

    def superscript_for(self, cls: type) -> str:
        """The LaTeX superscript of a model component's class ("" when none is configured)."""


_LOOKUP: list[DefaultsLookup | None] = [None]


def set_defaults_lookup(lookup: DefaultsLookup | None) -> DefaultsLookup | None:
    """Install the lookup the model layer uses; returns the previous one."""
    previous = _LOOKUP[0]
    _LOOKUP[0] = lookup
    return previous


def defaults_lookup() -> DefaultsLookup:
    """The installed lookup."""
    lookup = _LOOKUP[0]
    if lookup is None:
        raise ModelException("No defaults lookup installed: import autofit to install one")
    return lookup
