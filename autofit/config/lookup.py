"""The configuration: its directories, and the settings, labels and default priors they hold.

Directories are searched in the order of :func:`~autofit.config.directories.search_directories`,
first hit wins: pushed in code, ``AUTOFIT_CONFIG_PATH``, ``./config``, the shipped defaults.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autofit.config.directories import (
    OUTPUT_PATH_VARIABLE,
    PACKAGE_CONFIG_PATH,
    absolute_path,
    search_directories,
)
from autofit.exc import ConfigException

if TYPE_CHECKING:
    from autofit.config.prior_lookup import PriorLookup
    from autofit.config.yaml_files import YamlDocument, YamlFiles

# The modules that read, cache and search configuration files (and PyYAML) are imported when
# the first file is read, usually when the first model looks up its default priors, so that
# ``import autofit`` does not pay for them.

__all__ = ["Config"]

_GENERAL_FILE = "general.yaml"


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
        self._package_path = absolute_path(
            PACKAGE_CONFIG_PATH if package_path is None else package_path
        )
        # (config directory, output directory or None), most recently pushed first.
        self._pushed: list[tuple[str, str | None]] = []
        # The caches of parsed files and of candidate prior files, made at first use.
        self._file_cache: YamlFiles | None = None
        self._prior_cache: PriorLookup | None = None

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
        path = absolute_path(new_path)
        if not os.path.exists(path):
            raise ConfigException(f"Cannot push configuration directory {path}: it does not exist")
        if not os.path.isdir(path):
            raise ConfigException(
                f"Cannot push configuration directory {path}: it is not a directory"
            )
        output = None if output_path is None else absolute_path(output_path)
        self._pushed.insert(0, (path, output))

    def reset(self) -> None:
        """Forget the pushed directories and output paths, and every cached file."""
        self._pushed.clear()
        self._forget_files()

    @property
    def pushed(self) -> list[tuple[str, str | None]]:
        """The pushed ``(configuration directory, output directory or None)`` pairs, most
        recently pushed first (to give another process this configuration with
        :meth:`set_pushed`)."""
        return list(self._pushed)

    def set_pushed(self, pushed: list[tuple[str, str | None]]) -> None:
        """Replace the pushed directories by ``pushed`` (as returned by :attr:`pushed`);
        cached files are forgotten when they change.

        Parameters
        ----------
        pushed
            ``(configuration directory, output directory or None)`` pairs, most recent first.
        """
        pushed = [(str(path), None if output is None else str(output)) for path, output in pushed]
        if pushed != self._pushed:
            self._pushed = pushed
            self._forget_files()

    @property
    def _files(self) -> YamlFiles:
        """The cache of parsed configuration files."""
        if self._file_cache is None:
            from autofit.config.yaml_files import YamlFiles

            self._file_cache = YamlFiles()
        return self._file_cache

    @property
    def _priors(self) -> PriorLookup:
        """The search for default prior entries, reading through :attr:`_files`."""
        if self._prior_cache is None:
            from autofit.config.prior_lookup import PriorLookup

            self._prior_cache = PriorLookup(self._files)
        return self._prior_cache

    def _forget_files(self) -> None:
        if self._file_cache is not None:
            self._file_cache.clear()
        if self._prior_cache is not None:
            self._prior_cache.clear()

    def _directories(self) -> list[str]:
        return search_directories([path for path, _ in self._pushed], self._package_path)

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
            return Path(absolute_path(from_environment))
        configured = self.general("output", "path")
        if configured is not None and str(configured).strip():
            return Path(absolute_path(str(configured).strip()))
        return Path.cwd() / "output"

    def _documents(self, file_name: str) -> Iterator[YamlDocument]:
        """The parsed ``file_name`` of every directory that has one, in search order."""
        for directory in self._directories():
            document = self._files.load(os.path.join(directory, file_name))
            if document is not None:
                yield document

    def general(self, section: str, key: str, default: Any = None) -> Any:
        """A setting from ``general.yaml``, from the first directory that sets it.

        Parameters
        ----------
        section
            The top-level key, for example ``"output"``.
        key
            The key within the section, for example ``"samples_weight_threshold"``.
        default
            Returned if no ``general.yaml`` sets the key.

        Returns
        -------
        Any
            The value (a copy, for lists and mappings), or ``default``.

        Raises
        ------
        ConfigException
            If a ``general.yaml`` is malformed.
        """
        for document in self._documents(_GENERAL_FILE):
            values = document.data.get(section)
            if isinstance(values, Mapping) and key in values:
                import copy

                return copy.deepcopy(values[key])
        return default

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
        from autofit.config.notation import LABEL, NOTATION_FILE, notation_section

        for document in self._documents(NOTATION_FILE):
            labels = notation_section(document.data, LABEL)
            if labels.get(name) is not None:
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
            The superscript of the first directory that has one for the class (for example
            ``g`` for ``Gaussian``), else that of its nearest parent that has one, else ``""``.
        """
        from autofit.config.notation import NOTATION_FILE, SUPERSCRIPT, notation_section
        from autofit.config.prior_files import classes_to_search

        names = [cls] if isinstance(cls, str) else [k.__name__ for k in classes_to_search(cls)]
        sections = [
            notation_section(document.data, SUPERSCRIPT)
            for document in self._documents(NOTATION_FILE)
        ]
        for name in names:
            for superscripts in sections:
                if superscripts.get(name) is not None:
                    return str(superscripts[name])
        return ""

    def prior_config_for(self, cls: type, name: str) -> dict[str, Any] | None:
        """The default prior entry of a constructor parameter of a class.

        Searches, for ``cls`` and then each parent class, every configuration directory in
        :attr:`config_paths` order, and in each the files below ``priors/`` given by
        :func:`~autofit.config.prior_files.prior_files_for`. First hit wins. A class defined in
        a script or notebook (module ``__main__``) is also found by its name as a top-level key
        of any file below ``priors/`` of the user's directories (not the shipped defaults).

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
            names the file, class and parameter. Also if two files of one ``priors/`` folder
            hold a script class's name as a key; the message names both files.
        """
        directories = self._directories()
        return self._priors.entry_for(
            directories, cls, name, script_directories=self._user_directories(directories)
        )

    def _user_directories(self, directories: list[str]) -> list[str]:
        """The directories other than the shipped defaults: the shipped priors describe
        autofit's own classes, never a class of the user's script that shares a name."""
        return [directory for directory in directories if directory != self._package_path]

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
        return self._priors.searched_for(self._directories(), cls)

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
        from autofit.config.messages import missing_prior_message
        from autofit.config.prior_files import classes_to_search, qualified_name
        from autofit.config.prior_lookup import PRIORS_FOLDER

        return missing_prior_message(
            qualified_name=qualified_name(cls),
            class_name=cls.__name__,
            module=getattr(cls, "__module__", None) or "",
            parameter=name,
            priors_directories=[os.path.join(path, PRIORS_FOLDER) for path in self._directories()],
            files=self._priors.files_for(cls),
            parent_names=[klass.__name__ for klass in classes_to_search(cls)][1:],
        )
