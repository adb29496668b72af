"""Reading YAML configuration files, cached until the files change.

Configuration is looked up once per parameter whenever a model is built, so parsed files and
directory listings are cached. A cached file is reused while its modification time and size
are unchanged; a listing while its directory's modification time is unchanged. Anything
modified within the last two seconds is re-read every time, because file systems with coarse
timestamps cannot tell two quick edits apart.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from autofit.exc import ConfigException

__all__ = ["YamlDocument", "YamlFiles", "DirectoryView"]

_RACY_WINDOW_NS = 2_000_000_000


def _is_recent(modified_ns: int, read_ns: int) -> bool:
    """Whether a file changed so shortly before it was read that a later edit could go unseen."""
    return read_ns - modified_ns < _RACY_WINDOW_NS


@dataclass
class YamlDocument:
    """A parsed YAML file.

    Parameters
    ----------
    path
        The file.
    data
        Its top-level mapping (empty for an empty file). Shared by every reader: do not modify.
    memo
        Values derived from ``data`` by readers, dropped when the file changes.
    """

    path: str
    data: Mapping[str, Any]
    memo: dict[Any, Any] = field(default_factory=dict)


@dataclass
class _Cached:
    stamp: tuple[int, int]
    recent: bool
    value: Any


class YamlFiles:
    """A cache of parsed YAML files and of directory listings.

    The cache belongs to one :class:`~autofit.config.lookup.Config`; it holds no global state.
    """

    def __init__(self) -> None:
        self._documents: dict[str, _Cached] = {}
        self._listings: dict[str, _Cached] = {}

    def clear(self) -> None:
        """Forget every cached file and listing."""
        self._documents.clear()
        self._listings.clear()

    def listing(self, directory: str) -> frozenset[str] | None:
        """The names of the entries of a directory.

        Parameters
        ----------
        directory
            The directory.

        Returns
        -------
        frozenset of str or None
            The names, or None if ``directory`` does not exist or is not a directory.
        """
        try:
            status = os.stat(directory)
        except OSError:
            return None
        if not stat.S_ISDIR(status.st_mode):
            return None
        stamp = (status.st_mtime_ns, 0)
        cached = self._listings.get(directory)
        if cached is not None and cached.stamp == stamp and not cached.recent:
            return cached.value
        try:
            names = frozenset(os.listdir(directory))
        except OSError:
            return None
        recent = _is_recent(status.st_mtime_ns, time.time_ns())
        self._listings[directory] = _Cached(stamp, recent, names)
        return names

    def load(self, path: str) -> YamlDocument | None:
        """Parse a YAML file whose top level is a mapping, or reuse the cached parse.

        Parameters
        ----------
        path
            The file.

        Returns
        -------
        YamlDocument or None
            The parsed file, or None if it does not exist.

        Raises
        ------
        ConfigException
            If the file is not valid YAML or its top level is not a mapping. The message names
            the file and, for invalid YAML, the parser's error with its line and column.
        """
        try:
            status = os.stat(path)
        except OSError:
            return None
        stamp = (status.st_mtime_ns, status.st_size)
        cached = self._documents.get(path)
        if cached is not None and cached.stamp == stamp and not cached.recent:
            return cached.value
        import yaml  # loaded with the first configuration file read, not at import

        read_ns = time.time_ns()
        try:
            with open(path, encoding="utf-8") as file:
                data = yaml.safe_load(file)
        except FileNotFoundError:
            return None
        except yaml.YAMLError as error:
            raise ConfigException(f"Cannot parse configuration file {path}: {error}") from error
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigException(f"Cannot read configuration file {path}: {error}") from error
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ConfigException(
                f"Configuration file {path} must hold a mapping at its top level, "
                f"got a {type(data).__name__}"
            )
        document = YamlDocument(path, data)
        recent = _is_recent(status.st_mtime_ns, read_ns)
        self._documents[path] = _Cached(stamp, recent, document)
        return document


class DirectoryView:
    """Existence checks against cached listings, each directory checked once per view.

    Make one view per lookup: within it a directory's listing is read (or validated) once, so
    probing many candidate file names costs one ``stat`` per directory.

    Parameters
    ----------
    files
        The cache to read listings from.
    """

    def __init__(self, files: YamlFiles) -> None:
        self._files = files
        self._listings: dict[str, frozenset[str] | None] = {}

    def names(self, directory: str) -> frozenset[str] | None:
        """The entries of ``directory``, or None if it is not a directory."""
        if directory not in self._listings:
            self._listings[directory] = self._files.listing(directory)
        return self._listings[directory]

    def find(self, root: str, parts: Sequence[str]) -> str | None:
        """The path ``root/parts[0]/.../parts[-1]`` if it exists, else None.

        Parameters
        ----------
        root
            The directory to start from.
        parts
            Path components below ``root``.

        Returns
        -------
        str or None
            The joined path, or None if any component is missing.
        """
        directory = root
        for part in parts:
            names = self.names(directory)
            if names is None or part not in names:
                return None
            directory = os.path.join(directory, part)
        return directory
