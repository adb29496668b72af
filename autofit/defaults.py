"""Wires the configuration files into the model layer's defaults lookup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autofit.exc import ConfigException
from autofit.priors.serialise import prior_from_dict

if TYPE_CHECKING:
    from autofit.config import Config

__all__ = ["ConfigDefaults"]


class ConfigDefaults:
    """Default priors and labels read from a :class:`~autofit.config.Config`.

    Parameters
    ----------
    config
        The configuration to read. None (what ``import autofit`` installs) reads
        ``autofit.config.instance`` (``af.conf.instance``), importing the configuration package
        at the first lookup rather than with ``autofit``.
    """

    def __init__(self, config: Config | None = None) -> None:
        self._config = config

    @property
    def config(self) -> Config:
        """The configuration read: the one given, else ``autofit.config.instance``."""
        if self._config is not None:
            return self._config
        from autofit.config import instance

        return instance

    def prior_for(self, cls: type, names: tuple[str, ...]) -> Any:
        """A new prior for the first of ``names`` configured for ``cls``, or None.

        Returns
        -------
        Prior or None
            The prior, or None when no configuration directory has one.

        Raises
        ------
        ConfigException
            If a configuration file is malformed or the entry found is invalid.
        """
        for name in names:
            entry = self.config.prior_config_for(cls, name)
            if entry is not None:
                try:
                    return prior_from_dict(entry)
                except Exception as error:
                    raise ConfigException(
                        f"Invalid prior for parameter {name!r} of class "
                        f"{cls.__module__}.{cls.__qualname__}: {error}"
                    ) from error
        return None

    def missing_prior_message(self, cls: type, name: str) -> str:
        """Why ``cls`` has no prior for ``name``: the files searched and an example entry."""
        return self.config.missing_prior_message(cls, name)

    def label_for(self, name: str) -> str:
        """The LaTeX label of a parameter name."""
        return self.config.label_for(name)

    def superscript_for(self, cls: type) -> str:
        """The LaTeX superscript of a component class."""
        return self.config.superscript_for(cls)
