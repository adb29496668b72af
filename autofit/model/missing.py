"""The "missing prior" placeholder: a parameter whose class has no default prior configured.

``af.Model(cls)`` does not fail when the configuration has no prior for a parameter: it keeps a
:class:`MissingPrior` in the parameter's place and warns once (:class:`MissingPriorWarning`),
so that the prior can be set in code (``model.centre = af.UniformPrior(...)``). A placeholder
is not a free parameter (it is left out of ``prior_count``, the paths and the vector layout);
using a model that still holds one raises :class:`~autofit.exc.ConfigException` with the
message explaining where the prior could be configured.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from autofit.exc import ConfigException, MissingPriorWarning

__all__ = ["MissingPrior", "warn_missing_priors", "missing_prior_error"]

PathType = tuple[str, ...]

_PACKAGE_FOLDER = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class MissingPrior:
    """Placeholder for a parameter without a configured default prior.

    Parameters
    ----------
    cls
        The class whose constructor takes the parameter.
    name
        The parameter's name (for a tuple element, ``centre_0``).
    message
        Why there is no prior: the class, the parameter, the files searched and an example
        entry, as raised when the model is used.
    """

    __slots__ = ("cls", "name", "message")

    def __init__(self, cls: type, name: str, message: str) -> None:
        self.cls = cls
        self.name = name
        self.message = message

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(
            f"{self.cls.__name__}.{self.name} has no prior yet ('Prior Missing'), so it has no "
            f"attribute {name!r}: set one first, for example model.{self.name} = "
            f"af.UniformPrior(lower_limit=0.0, upper_limit=1.0)"
        )

    def __repr__(self) -> str:
        return f"MissingPrior({self.cls.__name__}.{self.name})"

    def __str__(self) -> str:
        return "Prior Missing"

    def __reduce__(self) -> tuple[Any, ...]:
        return MissingPrior, (self.cls, self.name, self.message)


def missing_prior_error(missing: Sequence[tuple[PathType, MissingPrior]]) -> ConfigException:
    """The error raised when a model with placeholders is used.

    Parameters
    ----------
    missing
        ``(path, placeholder)`` for every placeholder of the model, in declaration order.

    Returns
    -------
    ConfigException
        The first placeholder's message, followed by the paths of all placeholders.
    """
    paths = ", ".join(".".join(path) for path, _ in missing)
    first = missing[0][1]
    return ConfigException(
        f"{first.message}\n"
        f"The model cannot be used until every parameter has a prior; parameters without "
        f"one: {paths}"
    )


def warn_missing_priors(cls: type, names: Sequence[str]) -> None:
    """Warn once that ``af.Model(cls)`` holds placeholders for ``names``.

    The warning is attributed to the first caller outside autofit (the user's script).

    Parameters
    ----------
    cls
        The modelled class.
    names
        The parameters without a configured prior.
    """
    listed = ", ".join(repr(name) for name in names)
    plural = "s" if len(names) > 1 else ""
    example = names[0]
    message = (
        f"No prior configured for parameter{plural} {listed} of class "
        f"{cls.__module__}.{cls.__qualname__}: the model holds a 'Prior Missing' placeholder "
        f"until you set one in code (for example model.{example} = af.UniformPrior("
        f"lower_limit=0.0, upper_limit=1.0)) or add it to a priors/*.yaml file. Using the "
        f"model before then raises ConfigException."
    )
    warnings.warn(MissingPriorWarning(message), stacklevel=_caller_stacklevel())


def _caller_stacklevel() -> int:
    """The ``stacklevel`` of the first frame outside the autofit package, as seen by a
    ``warnings.warn`` call in the function that calls this one."""
    frame = sys._getframe(2)
    level = 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_FOLDER):
        frame = frame.f_back
        level += 1
    return level
