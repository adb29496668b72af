"""Where a fit writes: nowhere (NullPaths) or an output folder (DirectoryPaths).

The folder of one fit is ``<output>/<path_prefix>/<unique_tag>/<name>/<identifier>/`` holding
``model.info``, ``model.results``, ``search.summary``, ``metadata``, ``.identifier``,
``.completed`` when done, ``image/`` and ``files/`` (JSON, CSV and NumPy files, and
``search_internal/`` checkpoints). Every file is written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import numpy as np

from autofit.exc import SearchException
from autofit.output.atomic import atomic_write_bytes, atomic_write_json, atomic_write_text
from autofit.output.lock import FolderLock, remove_temporary_files

__all__ = [
    "AbstractPaths",
    "NullPaths",
    "DirectoryPaths",
    "SubPaths",
    "check_folder_name",
    "fit_key",
    "fit_folder_text",
    "SubAnalysisPaths",
]


def _folders(text: str | None) -> str:
    """A relative folder path in one spelling (``a/./b/`` and ``a\\b`` are ``a/b``)."""
    text = (text or "").replace("\\", "/")
    return "" if not text.strip("/.") else PurePosixPath(text).as_posix()


def fit_folder_text(
    path_prefix: str | None, unique_tag: str | None, name: str | None, identifier: str
) -> str:
    """``<path_prefix>/<unique_tag>/<name>/<identifier>`` without empty parts (for messages)."""
    parts = [_folders(path_prefix), _folders(unique_tag), _folders(name), identifier]
    return "/".join(part for part in parts if part)


def fit_key(
    path_prefix: str | None, unique_tag: str | None, name: str | None, identifier: str
) -> str:
    """The key of one fit: an md5 digest of its output folder's parts
    ``<path_prefix>/<unique_tag>/<name>/<identifier>``.

    Two fits of the same model and search that differ only in ``name`` or ``path_prefix`` (say
    two datasets fitted under different prefixes) share an identifier but are different fits,
    with different keys: the database stores each under its key.
    """
    parts = [_folders(path_prefix), _folders(unique_tag), _folders(name), identifier]
    text = json.dumps(parts, separators=(",", ":"))
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_folder_name(value: str | Path | None, what: str) -> str:
    """``value`` as text, checked to be a folder (or folders) inside the output folder.

    Parameters
    ----------
    value
        A ``name``, ``path_prefix`` or ``unique_tag`` (None is the empty string).
    what
        Its argument name, for the message.

    Raises
    ------
    SearchException
        If it is an absolute path, has a ``..`` part (it would escape the output folder), or
        holds a newline or another control character (it would break ``metadata``).
    """
    text = "" if value is None else str(value)
    if _CONTROL.search(text):
        raise SearchException(
            f"{what}={text!r} holds a newline or another control character; give a {what} "
            "that is plain text"
        )
    posix, windows = PurePosixPath(text), PureWindowsPath(text)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or text.startswith("\\"):
        raise SearchException(
            f"{what}={text!r} is an absolute path; give a {what} relative to the output folder "
            "(set the output folder itself with af.conf.instance.push(output_path=...))"
        )
    if ".." in windows.parts:
        raise SearchException(
            f"{what}={text!r} has a '..' part and would write outside the output folder; give "
            f"a {what} without '..'"
        )
    return text


class AbstractPaths:
    """What searches and analyses use to save and load the files of a fit.

    Parameters
    ----------
    name
        Name of the fit (a folder level of the output).
    path_prefix
        Folders above ``name`` (for example ``"project/dataset_1"``).
    unique_tag
        A tag that separates fits of different datasets (also part of the identifier).
    """

    is_null = False

    def __init__(self, name: str = "", path_prefix: str | Path = "", unique_tag: str | None = None):
        self.name = check_folder_name(name, "name")
        self.path_prefix = check_folder_name(path_prefix, "path_prefix")
        check_folder_name(unique_tag, "unique_tag")
        self.unique_tag = unique_tag
        self.identifier: str | None = None

    @property
    def key(self) -> str:
        """The fit's key (see :func:`fit_key`): one per output folder."""
        if self.identifier is None:
            raise RuntimeError("The identifier of the fit is not known yet")
        return fit_key(self.path_prefix, self.unique_tag, self.name, self.identifier)

    # Subclasses override everything below.
    def save_json(self, name: str, value: Any) -> None:
        """Save a JSON-serialisable value as ``files/<name>.json``."""

    def load_json(self, name: str) -> Any:
        """Load ``files/<name>.json``."""
        raise FileNotFoundError(name)

    def save_array(self, name: str, array: np.ndarray) -> None:
        """Save a numpy array as ``files/<name>.npy``."""

    def load_array(self, name: str) -> np.ndarray:
        """Load ``files/<name>.npy``."""
        raise FileNotFoundError(name)

    def save_text(self, name: str, text: str) -> None:
        """Save text to ``<name>`` in the fit's folder (e.g. ``model.info``)."""

    def has(self, name: str) -> bool:
        """Whether ``files/<name>`` exists."""
        return False

    @property
    def is_complete(self) -> bool:
        """Whether the fit finished (``.completed`` exists)."""
        return False

    def mark_complete(self) -> None:
        """Write the ``.completed`` marker."""

    def on_start(self) -> None:
        """Called once the start files of a fit are written (model, search, metadata)."""

    def lock(self) -> contextlib.AbstractContextManager[Any]:
        """A context that holds the fit's lock while it runs (see :mod:`autofit.output.lock`);
        nothing to lock here."""
        return contextlib.nullcontext()

    def clean_up(self) -> list[Path]:
        """Remove what interrupted runs left behind (called with the lock held)."""
        return []

    def record_samples(self, samples: Any) -> None:
        """Called after each update's sample files are written."""

    def read_samples(self, model: Any, folder: str = "") -> Any:
        """The samples of a completed fit (``folder="latent"`` for its latent samples)."""
        raise FileNotFoundError("These paths hold no samples")

    def for_sub_analysis(self, analysis_name: str) -> AbstractPaths:
        """Paths for one analysis of several fitted together (or a job of a larger fit): the
        same fit, with its output in the sub-folder ``analysis_name`` of this fit's folder.

        Parameters
        ----------
        analysis_name
            The sub-folder, for example ``"analyses/analysis_0"``; a relative path inside the
            fit's folder.

        Returns
        -------
        AbstractPaths
            Paths of the same kind (nothing is written for NullPaths).

        Raises
        ------
        SearchException
            If ``analysis_name`` is empty, absolute or leaves the folder (``..``).
        """
        raise NotImplementedError(f"{type(self).__name__} has no sub-analysis paths")


class NullPaths(AbstractPaths):
    """A fit that writes nothing: used when a search has neither ``name`` nor ``path_prefix``."""

    is_null = True

    def __init__(self) -> None:
        super().__init__()

    @property
    def output_path(self) -> None:
        return None

    @property
    def image_path(self) -> None:
        return None

    @property
    def search_internal_path(self) -> None:
        return None

    def for_sub_analysis(self, analysis_name: str) -> NullPaths:
        """Null paths too: a fit that writes nothing writes nothing for its parts either."""
        _check_analysis_name(analysis_name)
        return NullPaths()


def _check_analysis_name(analysis_name: str) -> str:
    name = check_folder_name(analysis_name, "analysis_name")
    if not name:
        raise SearchException("analysis_name must name a sub-folder, got an empty name")
    return name


#: Array names the fit itself writes (``files/samples.npy``, the binary copy of the samples).
RESERVED_ARRAYS = ("samples", "latent/samples")


class DirectoryPaths(AbstractPaths):
    """The output folder of one fit on disk.

    Parameters
    ----------
    name, path_prefix, unique_tag
        See :class:`AbstractPaths`.
    output_root
        The folder all fits are written under (``af.conf.instance.output_path`` by default).
    """

    def __init__(
        self,
        name: str = "",
        path_prefix: str | Path = "",
        unique_tag: str | None = None,
        output_root: str | Path | None = None,
    ) -> None:
        super().__init__(name, path_prefix, unique_tag)
        if output_root is None:
            from autofit.config import instance

            output_root = instance.output_path
        self.output_root = Path(output_root)

    @property
    def output_path(self) -> Path:
        """``<output>/<path_prefix>/<unique_tag>/<name>/<identifier>``."""
        if self.identifier is None:
            raise RuntimeError("The identifier of the fit is not known yet")
        parts = [self.path_prefix, self.unique_tag or "", self.name, self.identifier]
        return self.output_root.joinpath(*[part for part in parts if part])

    @property
    def files_path(self) -> Path:
        """The ``files/`` folder (JSON, CSV and NumPy files)."""
        return self.output_path / "files"

    @property
    def image_path(self) -> Path:
        """The ``image/`` folder for visualisation."""
        path = self.output_path / "image"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def search_internal_path(self) -> Path:
        """The ``files/search_internal/`` folder for sampler checkpoints."""
        path = self.files_path / "search_internal"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def save_json(self, name: str, value: Any) -> None:
        atomic_write_json(self.files_path / f"{name}.json", value)

    def load_json(self, name: str) -> Any:
        return json.loads((self.files_path / f"{name}.json").read_text())

    def save_array(self, name: str, array: np.ndarray) -> None:
        import io

        if name in RESERVED_ARRAYS:
            raise ValueError(
                f"paths.save_array({name!r}, ...): files/{name}.npy holds the fit's samples; "
                "save the array under another name"
            )
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(array), allow_pickle=False)
        atomic_write_bytes(self.files_path / f"{name}.npy", buffer.getvalue())

    def load_array(self, name: str) -> np.ndarray:
        return np.load(self.files_path / f"{name}.npy", allow_pickle=False)

    def save_text(self, name: str, text: str) -> None:
        atomic_write_text(self.output_path / name, text)

    def save_file(self, relative: str, data: bytes | str) -> None:
        """Save ``data`` to ``files/<relative>`` atomically."""
        target = self.files_path / relative
        if isinstance(data, str):
            atomic_write_text(target, data)
        else:
            atomic_write_bytes(target, data)

    def has(self, name: str) -> bool:
        return (self.files_path / name).exists()

    @property
    def is_complete(self) -> bool:
        return (self.output_path / ".completed").exists()

    def mark_complete(self) -> None:
        atomic_write_text(self.output_path / ".completed", "")

    def read_samples(self, model: Any, folder: str = "") -> Any:
        from autofit.samples.io import read_samples

        return read_samples(model, self.files_path / folder if folder else self.files_path)

    def lock(self) -> FolderLock:
        """The lock on the output folder, held while the fit runs.

        Raises
        ------
        FitLockedException
            On entering, if another process runs the fit (naming its process id and the folder).
        """
        return FolderLock(self.output_path)

    def clean_up(self) -> list[Path]:
        """Delete temporary files that writes interrupted by a kill left in the folder."""
        return remove_temporary_files(self.output_path)

    def remove_search_internal(self) -> None:
        """Delete the checkpoints (after a corrupted checkpoint forces a clean restart)."""
        shutil.rmtree(self.files_path / "search_internal", ignore_errors=True)

    def for_sub_analysis(self, analysis_name: str) -> SubAnalysisPaths:
        """Paths writing into ``<output_path>/<analysis_name>/`` (see
        :meth:`AbstractPaths.for_sub_analysis`)."""
        return SubAnalysisPaths(self, analysis_name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.output_path) if self.identifier else self.name!r})"


class SubAnalysisPaths(DirectoryPaths):
    """The output of one analysis of a fit, in a sub-folder of the fit's folder:
    ``<parent output_path>/<analysis_name>/`` with its own ``files/`` and ``image/`` folders.

    Made by :meth:`DirectoryPaths.for_sub_analysis`. It has the parent's name, path_prefix,
    unique_tag and identifier; a search given these paths runs a whole fit in the sub-folder.

    Parameters
    ----------
    parent
        The fit's paths (any paths with an ``output_path``).
    analysis_name
        The sub-folder (a relative path inside the parent's folder).
    """

    def __init__(self, parent: DirectoryPaths, analysis_name: str) -> None:
        super().__init__(parent.name, parent.path_prefix, parent.unique_tag, parent.output_root)
        self.analysis_name = _check_analysis_name(analysis_name)
        self.parent = parent
        self.identifier = parent.identifier

    @property
    def output_path(self) -> Path:
        """``<parent output_path>/<analysis_name>``."""
        return self.parent.output_path / self.analysis_name


class SubPaths(AbstractPaths):
    """The paths of one part of a fit (e.g. one factor of a graph): files go into
    ``files/<folder>/`` and images into ``image/<folder>/`` of the parent paths.

    Parameters
    ----------
    parent
        The fit's paths.
    folder
        The part's sub-folder name.
    """

    def __init__(self, parent: AbstractPaths, folder: str) -> None:
        super().__init__(parent.name, parent.path_prefix, parent.unique_tag)
        self.parent = parent
        self.folder = folder
        self.identifier = parent.identifier
        self.is_null = parent.is_null

    def _name(self, name: str) -> str:
        return f"{self.folder}/{name}"

    def save_json(self, name: str, value: Any) -> None:
        self.parent.save_json(self._name(name), value)

    def load_json(self, name: str) -> Any:
        return self.parent.load_json(self._name(name))

    def save_array(self, name: str, array: np.ndarray) -> None:
        self.parent.save_array(self._name(name), array)

    def load_array(self, name: str) -> np.ndarray:
        return self.parent.load_array(self._name(name))

    def has(self, name: str) -> bool:
        return self.parent.has(self._name(name))

    @property
    def output_path(self) -> Path | None:
        return self.parent.output_path

    @property
    def files_path(self) -> Path:
        """The part's folder inside the parent's ``files/``."""
        return self.parent.files_path / self.folder

    @property
    def image_path(self) -> Path | None:
        parent = self.parent.image_path
        if parent is None:
            return None
        path = parent / self.folder
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def is_complete(self) -> bool:
        return self.parent.is_complete
