"""Finding the default prior entry of a class's parameter in the ``priors/`` folders."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from autofit.config.entries import copy_entry, normalise_entry
from autofit.config.prior_files import (
    PriorFile,
    classes_to_search,
    prior_files_for,
    qualified_name,
)
from autofit.config.yaml_files import DirectoryView, YamlDocument, YamlFiles
from autofit.exc import ConfigException

__all__ = ["PRIORS_FOLDER", "PriorLookup"]

#: The folder of a configuration directory that holds prior files.
PRIORS_FOLDER = "priors"


class PriorLookup:
    """Searches prior files for entries, caching parsed files and normalised entries.

    Parameters
    ----------
    files
        The cache of parsed YAML files to read from.
    """

    def __init__(self, files: YamlFiles) -> None:
        self._files = files
        self._prior_files: dict[tuple[str, str], tuple[PriorFile, ...]] = {}

    def clear(self) -> None:
        """Forget the cached candidate file names."""
        self._prior_files.clear()

    def files_for(self, cls: type) -> tuple[PriorFile, ...]:
        """The candidate files for one class (not its parents), cached by module and name."""
        key = (getattr(cls, "__module__", None) or "", cls.__name__)
        files = self._prior_files.get(key)
        if files is None:
            files = self._prior_files[key] = prior_files_for(*key)
        return files

    def entry_for(self, directories: Sequence[str], cls: type, name: str) -> dict[str, Any] | None:
        """The first entry for a parameter, searching class-major: ``cls``, then its parents.

        For each class, each directory in order; in each, the ``priors/`` files of
        :func:`~autofit.config.prior_files.prior_files_for` in order.

        Parameters
        ----------
        directories
            The configuration directories, in search order.
        cls
            The class whose constructor takes the parameter.
        name
            The parameter name.

        Returns
        -------
        dict or None
            A fresh copy of the normalised entry, or None if no file has one.

        Raises
        ------
        ConfigException
            If a file read is malformed or the entry is invalid.
        """
        view = DirectoryView(self._files)
        for klass in classes_to_search(cls):
            for directory in directories:
                priors = os.path.join(directory, PRIORS_FOLDER)
                if view.names(priors) is None:
                    continue
                for prior_file in self.files_for(klass):
                    path = view.find(priors, prior_file.parts)
                    document = None if path is None else self._files.load(path)
                    if document is None:
                        continue
                    entry = _entry(document, prior_file.class_key, klass, name)
                    if entry is not None:
                        return copy_entry(entry)
        return None

    def searched_for(self, directories: Sequence[str], cls: type) -> list[str]:
        """Every candidate file for a class and its parents, in search order.

        Parameters
        ----------
        directories
            The configuration directories, in search order.
        cls
            The class.

        Returns
        -------
        list of str
            The paths, whether or not they exist.
        """
        return [
            os.path.join(directory, PRIORS_FOLDER, *prior_file.parts)
            for klass in classes_to_search(cls)
            for directory in directories
            for prior_file in self.files_for(klass)
        ]


def _entry(
    document: YamlDocument, class_key: str | None, cls: type, name: str
) -> dict[str, Any] | None:
    """The normalised entry for ``name`` in a document, memoised in the document."""
    memo_key = (class_key, name)
    if memo_key in document.memo:
        return document.memo[memo_key]
    parameters = document.data if class_key is None else document.data.get(class_key)
    entry = None
    if parameters is not None:
        if not isinstance(parameters, Mapping):
            raise ConfigException(
                f"In {document.path}, {class_key!r} must map parameter names of class "
                f"{qualified_name(cls)} to prior entries, got {parameters!r}"
            )
        if name in parameters:
            entry = normalise_entry(
                parameters[name],
                source=document.path,
                class_name=qualified_name(cls),
                parameter=name,
            )
    document.memo[memo_key] = entry
    return entry
