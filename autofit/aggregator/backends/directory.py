"""The directory backend: fits read from output folders, queries evaluated in Python.

Every folder holding a ``.identifier`` file is a fit (``<path_prefix>/<unique_tag>/<name>/
<identifier>/``). A folder that cannot be read as a fit (an empty identifier, a missing or
truncated ``model.json``, ``search.json`` or ``samples_summary.json``, a samples CSV whose last
row is cut off) is reported with a logged warning and skipped. Scanning reads only those small
JSON files and the two ends of the CSV files; samples load when asked for.
"""

from __future__ import annotations

import json
import logging
import math
import os
from functools import cached_property
from pathlib import Path
from typing import Any

from autofit.aggregator.backends.base import FitHeader, sort_key
from autofit.output.paths import fit_key

__all__ = ["FolderFit", "DirectoryBackend", "scan_directory", "read_fit_folder"]

logger = logging.getLogger("autofit.aggregator")

#: Folders of a fit folder that hold no other fits and are not walked.
FIT_SUBFOLDERS = ("files", "image")


class UnreadableFit(ValueError):
    """A folder with a ``.identifier`` that is not a readable fit."""


def _read_metadata(folder: Path) -> dict[str, str]:
    path = folder / "metadata"
    values = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        if "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise UnreadableFit(f"cannot read {path.name} ({error})") from error


class FolderFit:
    """One fit folder: its header, and lazily parsed files for evaluating queries.

    Parameters
    ----------
    folder
        The fit's folder (holding ``.identifier``).
    header
        Its identifier, names and completion.
    """

    def __init__(self, folder: Path, header: FitHeader) -> None:
        self.folder = folder
        self.header = header

    @property
    def files_path(self) -> Path:
        return self.folder / "files"

    def record(self) -> _FolderRecord:
        """A :class:`~autofit.aggregator.query.FitRecord` of this fit (drop it after use)."""
        return _FolderRecord(self)


class _FolderRecord:
    """What queries read of a fit folder, each file parsed at most once."""

    def __init__(self, fit: FolderFit) -> None:
        self._fit = fit
        self.name = fit.header.name
        self.path_prefix = fit.header.path_prefix
        self.unique_tag = fit.header.unique_tag
        self.is_complete = fit.header.is_complete

    def _json(self, name: str) -> Any:
        path = self._fit.files_path / name
        return json.loads(path.read_text()) if path.exists() else None

    @cached_property
    def _components(self) -> dict[str, str]:
        from autofit.database.content import components_of

        return dict(components_of(self._json("model.json") or {}))

    @cached_property
    def _parameters(self) -> dict[str, Any]:
        summary = self._json("samples_summary.json") or {}
        if "max_log_likelihood_vector" not in summary:
            return {}
        return dict(zip(summary["paths"], summary["max_log_likelihood_vector"], strict=True))

    @cached_property
    def _info(self) -> Any:
        return self._json("info.json")

    def component_class(self, path: str) -> str | None:
        return self._components.get(path)

    def parameter_value(self, path: str) -> float | None:
        try:
            value = float(self._parameters[path])
        except (KeyError, TypeError, ValueError):
            return None
        return value if math.isfinite(value) else None

    def info(self) -> Any:
        return self._info


#: Bytes read from the end of a samples CSV to check that its last row is whole.
_CSV_TAIL_BYTES = 65536


def _check_csv_tail(path: Path) -> None:
    """Raise UnreadableFit if the samples CSV at ``path`` is visibly truncated: its last line
    incomplete, or with fewer columns than its header. Reads the header and the file's end."""
    if not path.exists():
        return
    with open(path, "rb") as file:
        header = file.readline()
        size = file.seek(0, os.SEEK_END)
        file.seek(max(len(header), size - _CSV_TAIL_BYTES))
        tail = file.read()
    name = path.relative_to(path.parents[1] if path.parent.name == "latent" else path.parent)
    if not header.endswith(b"\n") or (tail and not tail.endswith(b"\n")):
        raise UnreadableFit(f"files/{name.as_posix()} is truncated (its last row is incomplete)")
    last = tail.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    if last and last.count(b",") != header.count(b","):
        raise UnreadableFit(
            f"files/{name.as_posix()} is truncated: its last row has {last.count(b',') + 1} "
            f"columns, the header {header.count(b',') + 1}"
        )


def read_fit_folder(folder: Path) -> FolderFit:
    """The fit in ``folder``, after checking that its small JSON files are whole and that its
    samples CSV files end with a whole row.

    Raises
    ------
    UnreadableFit
        If the folder is not a readable fit.
    """
    identifier = (folder / ".identifier").read_text().strip()
    if not identifier:
        raise UnreadableFit(".identifier is empty")
    files = folder / "files"
    _read_json(files / "model.json")
    search = _read_json(files / "search.json")
    if not isinstance(search, dict):
        raise UnreadableFit("search.json does not hold a dictionary")
    if (files / "samples_summary.json").exists():
        _read_json(files / "samples_summary.json")
    _check_csv_tail(files / "samples.csv")
    _check_csv_tail(files / "latent" / "samples.csv")
    metadata = _read_metadata(folder)
    name = metadata.get("name", search.get("name") or "")
    path_prefix = metadata.get("path_prefix", search.get("path_prefix") or "")
    unique_tag = metadata.get("unique_tag", search.get("unique_tag") or "")
    header = FitHeader(
        id=identifier,
        name=name,
        path_prefix=path_prefix,
        unique_tag=unique_tag,
        is_complete=(folder / ".completed").exists(),
        key=fit_key(path_prefix, unique_tag, name, identifier),
    )
    return FolderFit(folder, header)


def scan_directory(directory: str | Path) -> list[FolderFit]:
    """Every readable fit below ``directory``, in :func:`~.base.sort_key` order; unreadable fit
    folders are logged (warning) and skipped, and of two copies of the same fit (the same
    identifier, name, path_prefix and unique_tag: the same key) the first in that order is
    kept. Fits that differ only in name or path_prefix are all listed."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory} is not a directory of fits")
    found: dict[str, FolderFit] = {}
    fits = []
    for root, folders, names in os.walk(directory):
        folders.sort()
        if ".identifier" not in names:
            continue
        folders[:] = [folder for folder in folders if folder not in FIT_SUBFOLDERS]
        try:
            fits.append(read_fit_folder(Path(root)))
        except (UnreadableFit, OSError, UnicodeDecodeError) as error:
            logger.warning("Skipping the fit folder %s: %s", root, error)
    for fit in sorted(fits, key=lambda fit: (sort_key(fit.header), str(fit.folder))):
        if fit.header.key in found:
            logger.warning(
                "Skipping the fit folder %s: fit %s is also in %s",
                fit.folder,
                fit.header.id,
                found[fit.header.key].folder,
            )
            continue
        found[fit.header.key] = fit
    return list(found.values())


class DirectoryBackend:
    """Fits in output folders that match the queries applied so far.

    Parameters
    ----------
    fits
        The fit folders, in listing order.
    paths
        The parameter and component paths of every fit found (shared by the backends that
        queries derive from this one; computed when first asked for).
    """

    def __init__(self, fits: list[FolderFit], paths: _ModelPaths | None = None) -> None:
        self.fits = fits
        self._by_id = {fit.header.key: fit for fit in fits}
        self._paths = paths if paths is not None else _ModelPaths(fits)

    @classmethod
    def open(cls, directory: str | Path) -> DirectoryBackend:
        """The fits below ``directory``."""
        return cls(scan_directory(directory))

    def headers(self) -> list[FitHeader]:
        return [fit.header for fit in self.fits]

    def count(self) -> int:
        return len(self.fits)

    def header_at(self, index: int) -> FitHeader:
        try:
            return self.fits[index].header
        except IndexError:
            raise IndexError(f"Fit index {index} out of range") from None

    def filtered(self, predicate: Any) -> DirectoryBackend:
        return DirectoryBackend(
            [fit for fit in self.fits if predicate.evaluate(fit.record())], self._paths
        )

    def prefetched(
        self, fit_ids: list[str], documents: tuple[str, ...], files: tuple[str, ...]
    ) -> DirectoryBackend:
        return self

    def document(self, fit_id: str, which: str) -> str | None:
        path = self._by_id[fit_id].files_path / f"{which}.json"
        return path.read_text() if path.exists() else None

    def read_file(self, fit_id: str, name: str) -> bytes | None:
        path = self._by_id[fit_id].files_path / name
        return path.read_bytes() if path.is_file() else None

    def file_names(self, fit_id: str) -> list[str]:
        from autofit.database.content import STORED_SUFFIXES

        files = self._by_id[fit_id].files_path
        return sorted(
            path.relative_to(files).as_posix()
            for path in files.rglob("*")
            if path.is_file()
            and path.suffix in STORED_SUFFIXES
            and not path.name.startswith(".")
            and path.relative_to(files).parts[0] != "search_internal"
        )

    def where(self, fit_id: str) -> str:
        return str(self._by_id[fit_id].files_path)

    def has_model_path(self, kind: str, path: str) -> bool:
        return path in self._paths.of(kind)

    def model_paths(self, kind: str) -> set[str]:
        return set(self._paths.of(kind))

    def __repr__(self) -> str:
        return f"DirectoryBackend({len(self.fits)} fits)"


class _ModelPaths:
    """The parameter and component paths of a list of fit folders, read once."""

    def __init__(self, fits: list[FolderFit]) -> None:
        self._fits = fits
        self._found: dict[str, set[str]] | None = None

    def of(self, kind: str) -> set[str]:
        if self._found is None:
            found: dict[str, set[str]] = {"parameter": set(), "component": set()}
            for fit in self._fits:
                record = fit.record()
                try:
                    found["component"].update(record._components)
                    found["parameter"].update(record._parameters)
                except (OSError, ValueError, KeyError, TypeError):
                    continue  # a folder changed since it was listed: it names no paths
            self._found = found
        return self._found[kind]
