"""The exception tree of autofit.

Every error autofit raises on purpose derives from :class:`AutofitError`, so a script can catch
them all at once, and each subclass names one kind of problem.
"""

from __future__ import annotations

__all__ = [
    "AutofitError",
    "ConfigException",
    "PriorException",
    "PriorLimitException",
    "FitException",
    "ModelException",
    "UnknownAttributeException",
    "UnknownAttributeWarning",
    "FrozenModelException",
    "MissingPriorWarning",
    "SerialisationException",
    "UntrustedClassException",
    "DatabaseException",
    "QueryException",
    "LikelihoodException",
    "SearchException",
    "FitLockedException",
    "MissingFolderWarning",
    "warn_missing_folder",
]


class AutofitError(Exception):
    """Root of every exception raised by autofit."""


class ConfigException(AutofitError):
    """A configuration file is missing, malformed, or lacks an entry that is needed."""


class PriorException(AutofitError, ValueError):
    """A prior was given invalid arguments (for example ``lower_limit >= upper_limit``)."""


class FitException(AutofitError):
    """A point in parameter space cannot be fitted and should be rejected and resampled.

    Raise it from ``Analysis.log_likelihood_function`` to reject a point; autofit raises it when
    an assertion of the model is violated.
    """


class PriorLimitException(FitException, PriorException):
    """A parameter value lies outside the limits of its prior."""


class ModelException(AutofitError):
    """A model was composed or used incorrectly (for example a frozen model was modified)."""


class FrozenModelException(ModelException, AssertionError):
    """A frozen model was modified.

    It is also an ``AssertionError``, the exception PyAutoFit raises in this case, so scripts
    catching either keep working.
    """


class UnknownAttributeException(ModelException, AttributeError):
    """A prior or model component was assigned to an ``af.Model`` attribute that is not a
    constructor argument of its class (which takes no ``**kwargs``), e.g. ``model.centr =
    af.UniformPrior(...)``: it would be a free parameter the constructor never receives. The
    message names the closest argument.

    It is also an ``AttributeError``, the exception Python raises for a bad attribute.
    """


class UnknownAttributeWarning(UserWarning):
    """A fixed value was assigned to an ``af.Model`` attribute that is not a constructor argument
    of its class (which takes no ``**kwargs``). PyAutoFit accepts this (the value is set on each
    instance after it is built), so autofit does too, but warns: it is usually a misspelt
    argument, e.g. ``model.sigmaa = 1.0`` leaves ``sigma`` free."""


class MissingPriorWarning(UserWarning):
    """A model parameter has no default prior in the configuration.

    ``af.Model`` keeps a "missing prior" placeholder for it and warns once, naming the class and
    the parameters; set them in code (``model.centre = af.UniformPrior(...)``) before using the
    model, which otherwise raises :class:`ConfigException`.
    """


class SerialisationException(AutofitError):
    """A model or value cannot be written to, or read from, its JSON form."""


class UntrustedClassException(SerialisationException):
    """A stored model names a class the reader does not trust (a function, a standard-library
    or builtin class, or a class of a module that is neither imported nor trusted); the message
    says how to allow it."""


class DatabaseException(AutofitError):
    """A file is not an autofit results database, or a database cannot be opened."""


class QueryException(AutofitError, ValueError):
    """An Aggregator query names a model path that no stored fit has (the message names the
    nearest one), or compares a component like a parameter or the other way round."""


class LikelihoodException(AutofitError):
    """The likelihood raised an unexpected error; the message names the parameter values."""


class SearchException(AutofitError):
    """A search was configured or used incorrectly, or its output cannot be read."""


class FitLockedException(SearchException):
    """Another process (or another fit in this process) is running the same fit: its output
    folder, or its database row, is locked. The message names the holder and the folder."""


class MissingFolderWarning(UserWarning):
    """A folder to read fits from does not exist: nothing was read from it. The message gives
    its absolute path."""


def warn_missing_folder(directory: object, what: str, stacklevel: int = 3) -> None:
    """Warn (:class:`MissingFolderWarning`) that ``directory`` does not exist.

    Parameters
    ----------
    directory
        The folder (any path-like); shown as an absolute path.
    what
        What was to be done with it, for the message (``"No fits are loaded"``).
    stacklevel
        As for :func:`warnings.warn`: 3 points at the caller of the function that warns.
    """
    import os
    import warnings

    path = os.path.abspath(os.fspath(directory))
    warnings.warn(
        f"The folder {path} does not exist: {what}. Check the path (relative paths start from "
        f"the working directory, {os.getcwd()}).",
        MissingFolderWarning,
        stacklevel=stacklevel,
    )
