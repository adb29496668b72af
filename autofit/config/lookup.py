"""The configuration: where its directories are, and the settings and default priors they hold.

Directories are searched in this order, first hit wins:

1. directories pushed in code with :meth:`Config.push`, most recently pushed first;
2. the directories in the ``AUTOFIT_CONFIG_PATH`` environment variable (``os.pathsep``-separated);
3. ``./config`` in the current working directory, if it exists;
4. the defaults shipped with autofit, in the folder of this module.

The environment and the working directory are read at every lookup.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from autofit.config.entries import copy_entry, normalise_entry
from autofit.config.messages import missing_prior_message
from autofit.config.notation import LABEL, NOTATION_FILE, SUPERSCRIPT, notation_section
from autofit.config.prior_files import (
    PriorFile,
    classes_to_search,
    prior_files_for,
    qualified_name,
)
from autofit.config.yaml_files import DirectoryView, YamlFiles
from autofit.exc import ConfigException

__all__ = ["Config", "CONFIG_PATH_VARIABLE", "OUTPUT_PATH_VARIABLE", "PACKAGE_CONFIG_PATH"]

#: Environment variable listing configuration directories.
CONFIG_PATH_VARIABLE = "AUTOFIT_CONFIG_PATH"
#: Environment variable naming the output directory.
OUTPUT_PATH_VARIABLE = "AUTOFIT_OUTPUT_PATH"
#: The directory of the defaults shipped with autofit.
PACKAGE_CONFIG_PATH = Path(__file__).parent

_PRIORS = "priors"
_GENERAL_FILE = "general.yaml"


def _absolute(path: str | os.PathLike[str]) -> str:
    return os.path.abspath(os.path.expanduser(os.fspath(path)))


class Config:
    """Configuration directories and lookups of default priors, labels and settings.

    autofit uses one instance, ``autofit.config.instance`` (``af.conf.instance``).

    Parameters
    ----------
    package_path
        The directory of the shipped defaults, searched last. Defaults to the folder of this
        module, which holds ``priors/``, ``notation.yaml`` and ``general.yaml``.
    """

    def __init__(self, package_path: str | os.PathLike[str] | None = None) -> None:
        self._package_path = _absolute(
            PACKAGE_CONFIG_PATH if package_path is None else package_path
        )
        # (config directory, output directory or None), most recently pushed first.
        self._pushed: list[tuple[str, str | None]] = []
        self._files = YamlFiles()
        self._prior_files: dict[tuple[str, str], tuple[PriorFile, ...]] = {}

    def __repr__(self) -> str:
        paths = ", ".join(str(path) for path in self.config_paths)
        return f"{type(self).__name__}([{paths}])"

    def push(
        self,
        new_path: str | os.PathLike[str],
        output_path: str | os.PathLike[str] | None = None,
    ) -> None:
        """Search a configuration directory before all others.

        Parameters
        ----------
        new_path
            The directory, holding for example ``priors/`` and ``notation.yaml``.
        output_path
            The directory fits write their output to, if given. A relative path is taken
            relative to the current working directory at the time of the push.

        Raises
        ------
        ConfigException
            If ``new_path`` does not exist or is not a directory.
        """
        path = _absolute(new_path)
        if not os.path.exists(path):
            raise ConfigException(f"Cannot push configuration directory {path}: it does not exist")
        if not os.path.isdir(path):
            raise ConfigException(
                f"Cannot push configuration directory {path}: it is not a directory"
            )
        output = None if output_path is None else _absolute(output_path)
        self._pushed.insert(0, (path, output))

    def reset(self) -> None:
        """Forget the pushed directories and output path, and every cached file."""
        self._pushed.clear()
        self._files.clear()
        self._prior_files.clear()

    def _directories(self) -> list[str]:
        directories = [path for path, _ in self._pushed]
        for entry in os.environ.get(CONFIG_PATH_VARIABLE, "").split(os.pathsep):
            entry = entry.strip()
            if entry and os.path.isdir(path := _absolute(entry)):
                directories.append(path)
        try:
            working_config = os.path.join(os.getcwd(), "config")
        except OSError:
            working_config = None
        if working_config is not None and os.path.isdir(working_config):
            directories.append(working_config)
        directories.append(self._package_path)
        return list(dict.fromkeys(directories))

    @property
    def config_paths(self) -> list[Path]:
        """The configuration directories in the order they are searched, first hit wins.

        Pushed directories (most recent first), the existing directories listed in
        ``AUTOFIT_CONFIG_PATH``, ``./config`` if it exists, and the shipped defaults; each once.
        """
        return [Path(path) for path in self._directories()]

    @property
    def output_path(self) -> Path:
        """The directory fits write their output to.

        The most recently pushed ``output_path``; else ``AUTOFIT_OUTPUT_PATH``; else
        ``output: {path: ...}`` of the first ``general.yaml`` that sets it; else ``./output``.
        Relative paths from the environment or ``general.yaml`` are taken relative to the
        current working directory.
        """
        for _, output in self._pushed:
            if output is not None:
                return Path(output)
        from_environment = os.environ.get(OUTPUT_PATH_VARIABLE, "").strip()
        if from_environment:
            return Path(_absolute(from_environment))
        configured = self.general("output", "path")
        if configured is not None and str(configured).strip():
            return Path(_absolute(str(configured).strip()))
        return Path.cwd() / "output"

    def _setting(self, file_name: str, section: str, key: str) -> tuple[bool, Any]:
        """The first value of ``key`` in ``section`` of ``file_name``, searching every directory."""
        view = DirectoryView(self._files)
        for directory in self._directories():
            path = view.find(directory, (file_name,))
            document = None if path is None else self._files.load(path)
            if document is None:
                continue
            values = document.data.get(section)
            if isinstance(values, Mapping) and key in values:
                return True, values[key]
        return False, None

    def general(self, section: str, key: str, default: Any = None) -> Any:
        """A setting from ``general.yaml``, from the first directory that sets it.

        Parameters
        ----------
        section
            The top-level key, for example ``"output"``.
        key
            The key within the section, for example ``"samples_to_csv"``.
        default
            Returned if no ``general.yaml`` sets the key.

        Returns
        -------
        Any
            The value (a copy, for lists and mappings), or ``default``.

        Raises
        ------
        ConfigException
            If a ``general.yaml`` that is read is malformed.
        """
        found, value = self._setting(_GENERAL_FILE, section, key)
        return copy.deepcopy(value) if found else default

    def label_for(self, name: str) -> str:
        """The LaTeX label of a parameter, from the ``label`` section of ``notation.yaml``.

        Parameters
        ----------
        name
            The parameter name, for example ``"sigma"`` or ``"centre_0"``.

        Returns
        -------
        str
            The label of the first directory that has one (for example ``\\sigma``), else
            ``name`` itself.
        """
        view = DirectoryView(self._files)
        for directory in self._directories():
            path = view.find(directory, (NOTATION_FILE,))
            document = None if path is None else self._files.load(path)
            if document is not None:
                labels = notation_section(document.data, LABEL)
                if name in labels and labels[name] is not None:
                    return str(labels[name])
        return name

    def superscript_for(self, cls: type | str) -> str:
        """The LaTeX superscript of a class, from the ``superscript`` section of ``notation.yaml``.

        Parameters
        ----------
        cls
            The class, or a class name. A class without an entry falls back to its parents.

        Returns
        -------
        str
            The superscript (for example ``g`` for ``Gaussian``), else ``""``.
        """
        names = [cls] if isinstance(cls, str) else [k.__name__ for k in classes_to_search(cls)]
        view = DirectoryView(self._files)
        documents = []
        for directory in self._directories():
            path = view.find(directory, (NOTATION_FILE,))
            document = None if path is None else self._files.load(path)
            if document is not None:
                documents.append(notation_section(document.data, SUPERSCRIPT))
        for name in names:
            for superscripts in documents:
                if name in superscripts and superscripts[name] is not None:
                    return str(superscripts[name])
        return ""

    def _files_for(self, cls: type) -> tuple[PriorFile, ...]:
        key = (getattr(cls, "__module__", None) or "", cls.__name__)
        files = self._prior_files.get(key)
        if files is None:
            files = self._prior_files[key] = prior_files_for(*key)
        return files

    def prior_config_for(self, cls: type, name: str) -> dict[str, Any] | None:
        """The default prior entry of a constructor parameter of a class.

        Searches, for ``cls`` and then each parent class, every configuration directory in
        :attr:`config_paths` order, and in each the files of
        :func:`~autofit.config.prior_files.prior_files_for` below ``priors/``. First hit wins.

        Parameters
        ----------
        cls
            The class whose constructor takes the parameter.
        name
            The parameter name; for an element of a tuple parameter ``centre``, ``"centre_0"``.

        Returns
        -------
        dict or None
            The normalised entry (see :func:`~autofit.config.entries.normalise_entry`), a fresh
            copy, or None if no file has one.

        Raises
        ------
        ConfigException
            If a file that is read is malformed or the entry found is invalid; the message
            names the file, class and parameter.
        """
        view = DirectoryView(self._files)
        directories = self._directories()
        for klass in classes_to_search(cls):
            for directory in directories:
                priors = os.path.join(directory, _PRIORS)
                if view.names(priors) is None:
                    continue
                for prior_file in self._files_for(klass):
                    path = view.find(priors, prior_file.parts)
                    document = None if path is None else self._files.load(path)
                    if document is None:
                        continue
                    entry = self._entry(document, prior_file.class_key, klass, name)
                    if entry is not None:
                        return copy_entry(entry)
        return None

    @staticmethod
    def _entry(document: Any, class_key: str | None, cls: type, name: str) -> dict | None:
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

    def searched_for(self, cls: type, name: str) -> list[str]:
        """The files searched for the default prior of a parameter, in search order.

        Parameters
        ----------
        cls
            The class whose constructor takes the parameter.
        name
            The parameter name (every parameter of a class is searched for in the same files).

        Returns
        -------
        list of str
            Every candidate path, whether or not it exists.
        """
        directories = self._directories()
        return [
            os.path.join(directory, _PRIORS, *prior_file.parts)
            for klass in classes_to_search(cls)
            for directory in directories
            for prior_file in self._files_for(klass)
        ]

    def missing_prior_message(self, cls: type, name: str) -> str:
        """Explain that a parameter has no default prior, and how to give it one.

        Parameters
        ----------
        cls
            The class whose constructor takes the parameter.
        name
            The parameter name.

        Returns
        -------
        str
            A message naming the class (``module.ClassName``), the parameter, the ``priors/``
            folders searched and the file names tried, with an example YAML entry to add.
        """
        parents = [klass.__name__ for klass in classes_to_search(cls)][1:]
        return missing_prior_message(
            qualified_name=qualified_name(cls),
            class_name=cls.__name__,
            module=getattr(cls, "__module__", None) or "",
            parameter=name,
            priors_directories=[os.path.join(path, _PRIORS) for path in self._directories()],
            files=self._files_for(cls),
            parent_names=parents,
        )
