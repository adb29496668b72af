"""Finding the default prior entry of a class's parameter in the ``priors/`` folders.

A class defined in a script or notebook has the module ``__main__``, which names no file. In the
user's configuration directories (all but the shipped defaults), such a class is also found by
its name as a top-level key of any YAML file below ``priors/`` (``priors/gaussian.yaml`` holding
``Gaussian:``). Only whole class names match, and within one ``priors/`` folder the key may
appear in one file only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from autofit.config.entries import copy_entry, normalise_entry
from autofit.config.prior_files import (
    EXTENSIONS,
    PriorFile,
    classes_to_search,
    prior_files_for,
    qualified_name,
)
from autofit.config.yaml_files import DirectoryView, YamlDocument, YamlFiles
from autofit.exc import ConfigException

__all__ = ["PRIORS_FOLDER", "SCRIPT_MODULE", "PriorLookup", "is_script_class"]

#: The folder of a configuration directory that holds prior files.
PRIORS_FOLDER = "priors"

#: The module of classes defined in a script or notebook.
SCRIPT_MODULE = "__main__"


def is_script_class(cls: type) -> bool:
    """Whether ``cls`` was defined in a script or notebook (its module is ``__main__``).

    Parameters
    ----------
    cls
        The class.

    Returns
    -------
    bool
        True if ``cls.__module__`` is ``"__main__"``.
    """
    return getattr(cls, "__module__", None) == SCRIPT_MODULE


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

    def entry_for(
        self,
        directories: Sequence[str],
        cls: type,
        name: str,
        script_directories: Sequence[str] | None = None,
    ) -> dict[str, Any] | None:
        """The first entry for a parameter, searching class-major: ``cls``, then its parents.

        For each class, each directory in order; in each, the ``priors/`` files of
        :func:`~autofit.config.prior_files.prior_files_for` in order. For a class defined in a
        script (``__main__``), in each of ``script_directories`` the file below ``priors/``
        holding the class name as a top-level key comes first, then the file named after the
        class.

        Parameters
        ----------
        directories
            The configuration directories, in search order.
        cls
            The class whose constructor takes the parameter.
        name
            The parameter name.
        script_directories
            The directories whose ``priors/`` files are searched for the name of a script's
            class as a key; all of ``directories`` if None.

        Returns
        -------
        dict or None
            A fresh copy of the normalised entry, or None if no file has one.

        Raises
        ------
        ConfigException
            If a file read is malformed or the entry is invalid, or if two files of one
            ``priors/`` folder hold the name of a script's class as a key.
        """
        view = DirectoryView(self._files)
        scanned = set(directories if script_directories is None else script_directories)
        for klass in classes_to_search(cls):
            for directory in directories:
                priors = os.path.join(directory, PRIORS_FOLDER)
                if view.names(priors) is None:
                    continue
                if is_script_class(klass) and directory in scanned:
                    candidates = self._script_candidates(view, priors, klass)
                else:
                    candidates = [
                        (view.find(priors, prior_file.parts), prior_file.class_key)
                        for prior_file in self.files_for(klass)
                    ]
                for path, class_key in candidates:
                    document = None if path is None else self._files.load(path)
                    if document is None:
                        continue
                    entry = _entry(document, class_key, klass, name)
                    if entry is not None:
                        return copy_entry(entry)
        return None

    def _script_candidates(
        self, view: DirectoryView, priors: str, cls: type
    ) -> list[tuple[str | None, str | None]]:
        """``(path, class key)`` of the files of one ``priors/`` folder that can hold the
        priors of a script's class: the one file keyed by its name, then the class's file."""
        key = cls.__name__
        keyed = [path for path in _yaml_files(view, priors) if self._holds_key(path, key)]
        if len(keyed) > 1:
            listed = ", ".join(keyed)
            raise ConfigException(
                f"Class {key} (defined in a script, module __main__) has prior entries under the "
                f"key {key!r} in more than one file of {priors}: {listed}. Keep them in one file."
            )
        class_files = [
            (view.find(priors, prior_file.parts), prior_file.class_key)
            for prior_file in self.files_for(cls)
            if prior_file.class_key is None
        ]
        return [(path, key) for path in keyed] + class_files

    def _holds_key(self, path: str, key: str) -> bool:
        document = self._files.load(path)
        return document is not None and key in document.data

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


def _yaml_files(view: DirectoryView, folder: str) -> list[str]:
    """Every YAML file below ``folder`` (recursively), sorted by path."""
    found = []
    for name in sorted(view.names(folder) or ()):
        path = os.path.join(folder, name)
        if name.endswith(EXTENSIONS):
            if os.path.isfile(path):
                found.append(path)
        elif view.names(path) is not None:
            found.extend(_yaml_files(view, path))
    return found


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
