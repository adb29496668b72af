"""Samples on disk: ``samples.csv``, ``samples.npy``, ``samples_info.json`` and
``samples_summary.json``.

The CSV has one column per free parameter (named by its dotted path), then ``log_likelihood``,
``log_prior``, ``log_posterior`` and ``weight``. ``samples.npy`` holds the same table as float64
(a binary copy that loads in about a millisecond instead of parsing the text). The SHA-256 of
both files is recorded in ``samples_info.json`` (``"table_checksums"``); readers use the binary
copy only when both files still have their recorded checksums, and otherwise parse the CSV (with
a :class:`SamplesFileWarning` when a file has changed since it was written). Nothing needs
pickle to be read back.
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from autofit.exc import SearchException
from autofit.output.atomic import atomic_write_bytes, atomic_write_json
from autofit.samples.mcmc import SamplesMCMC
from autofit.samples.nest import SamplesNest
from autofit.samples.optimizer import SamplesOptimizer
from autofit.samples.posterior import SamplesPDF
from autofit.samples.samples import Samples

__all__ = [
    "SamplesFileWarning",
    "CHECKSUMS_KEY",
    "SAMPLES_CLASSES",
    "samples_to_csv_text",
    "write_samples",
    "read_samples",
    "samples_from_texts",
    "samples_from_files",
]

SAMPLES_CLASSES: dict[str, type[Samples]] = {
    cls.kind: cls for cls in (Samples, SamplesPDF, SamplesMCMC, SamplesNest, SamplesOptimizer)
}
EXTRA_COLUMNS = ("log_likelihood", "log_prior", "log_posterior", "weight")
#: The key of ``samples_info.json`` holding the SHA-256 of ``samples.csv`` and ``samples.npy``.
CHECKSUMS_KEY = "table_checksums"


class SamplesFileWarning(UserWarning):
    """A samples file differs from the checksum recorded when it was written (edited or
    corrupted); the samples are read from ``samples.csv``."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _columns(model: Any) -> list[str]:
    """The header of the sample tables: the model's parameter paths, then EXTRA_COLUMNS."""
    return [*model.joined_paths, *EXTRA_COLUMNS]


def samples_table(samples: Samples, weight_threshold: float | None = None) -> np.ndarray:
    """The table written to ``samples.csv`` and ``samples.npy``: one row per sample, the
    parameters then ``log_likelihood``, ``log_prior``, ``log_posterior`` and ``weight``; samples
    whose weight is below ``weight_threshold`` (a fraction of the largest weight) are left out."""
    table = np.column_stack(
        [
            samples.parameters,
            samples.log_likelihood,
            samples.log_prior,
            samples.log_posterior,
            samples.weights,
        ]
    ).astype(np.float64, copy=False)
    if weight_threshold and samples.total_samples:
        table = table[samples.weights >= weight_threshold * samples.weights.max()]
    return table


def _csv_text(model: Any, table: np.ndarray) -> str:
    # repr gives the shortest text that reads back to the same float, much faster than savetxt.
    rows = [",".join(map(repr, row)) for row in table.tolist()]
    return "\n".join([",".join(_columns(model)), *rows]) + "\n"


def _npy_bytes(table: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(table), allow_pickle=False)
    return buffer.getvalue()


def samples_to_csv_text(samples: Samples, weight_threshold: float | None = None) -> str:
    """The CSV text of ``samples``; samples whose weight is below ``weight_threshold`` (a
    fraction of the largest weight) are left out of the file."""
    return _csv_text(samples.model, samples_table(samples, weight_threshold))


def write_samples(
    samples: Samples, files_path: Path, weight_threshold: float | None = None
) -> None:
    """Write ``samples.npy``, ``samples.csv``, ``samples_info.json`` and
    ``samples_summary.json`` atomically.

    The summary is computed from every sample, also those a ``weight_threshold`` leaves out of
    the two tables.
    """
    table = samples_table(samples, weight_threshold)
    npy = _npy_bytes(table)
    csv = _csv_text(samples.model, table).encode("utf-8")
    info = dict(samples.samples_info)
    info[CHECKSUMS_KEY] = {"samples.csv": _sha256(csv), "samples.npy": _sha256(npy)}
    atomic_write_bytes(files_path / "samples.npy", npy)
    atomic_write_bytes(files_path / "samples.csv", csv)
    atomic_write_json(files_path / "samples_info.json", info)
    atomic_write_json(files_path / "samples_summary.json", samples.summary().dict())


def read_samples(model: Any, files_path: Path) -> Samples:
    """Read the samples written by :func:`write_samples`.

    Raises
    ------
    SearchException
        If the files are missing, truncated or do not match the model's parameters.
    """
    files_path = Path(files_path)
    for name in ("samples_info.json", "samples.csv"):
        if not (files_path / name).exists():
            raise SearchException(f"Cannot read the samples: {files_path / name} is missing")

    def read(name: str) -> bytes | None:
        path = files_path / name
        return path.read_bytes() if path.exists() else None

    return samples_from_files(model, read, files_path)


def _table_from_npy(data: bytes | None, csv: bytes, columns: int) -> np.ndarray | None:
    """The table of ``samples.npy`` if it is a readable float table of ``columns`` columns with
    as many rows as the CSV, else None (the CSV is then parsed)."""
    if data is None:
        return None
    try:
        table = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError):
        return None
    rows = csv.count(b"\n") - 1
    if table.ndim != 2 or table.shape != (rows, columns) or table.dtype != np.float64:
        return None
    return table


def samples_from_files(
    model: Any, read: Callable[[str], bytes | None], where: Any, folder: str = ""
) -> Samples | None:
    """Samples from the sample files of a fit, read through ``read(name)`` (the file's bytes,
    or None when it does not exist); ``where`` names their origin in error messages.

    The binary ``samples.npy`` is used when it and the CSV still have the checksums recorded in
    ``samples_info.json`` (and its shape agrees with the CSV's columns and rows); otherwise the
    CSV is parsed, with a :class:`SamplesFileWarning` if either file has changed since it was
    written. Returns None when ``samples_info.json`` or ``samples.csv`` is missing.

    Parameters
    ----------
    model
        The model whose free parameters are the table's first columns.
    read
        Reads a file of the fit by name (e.g. ``"samples.csv"``, ``"latent/samples.npy"``).
    where
        The origin of the files, for error messages.
    folder
        The folder of the files among the fit's files (``"latent"``), or ``""``.

    Raises
    ------
    SearchException
        If the files are truncated or do not match the model's parameters.
    """
    prefix = f"{folder}/" if folder else ""
    info = read(f"{prefix}samples_info.json")
    csv = read(f"{prefix}samples.csv")
    if info is None or csv is None:
        return None
    info_values = _read_info(_text(info, where, "samples_info.json"), where)
    csv_text = _text(csv, where, "samples.csv")
    columns = len(_columns(model))
    newline = csv.find(b"\n")
    table = None
    if newline >= 0 and csv.endswith(b"\n") and _verified(info_values, csv, read, prefix, where):
        table = _table_from_npy(read(f"{prefix}samples.npy"), csv, columns)
    if table is None:
        return _samples_from_csv(model, info_values, csv_text, where)
    # The header is still checked: the table's columns must be this model's parameters.
    _check_header(model, csv_text[:newline].split(","), f"{where}/samples.csv")
    return _samples_from_table(model, info_values, table)


def _verified(
    info: dict[str, Any], csv: bytes, read: Callable[[str], bytes | None], prefix: str, where: Any
) -> bool:
    """Whether ``samples.csv`` and ``samples.npy`` still have the checksums recorded with them
    (False, silently, for files written without checksums or without a binary copy)."""
    recorded = info.get(CHECKSUMS_KEY)
    if not isinstance(recorded, dict):
        return False
    if recorded.get("samples.csv") != _sha256(csv):
        warnings.warn(
            f"{where}/samples.csv differs from the checksum recorded in samples_info.json "
            "(edited or corrupted after it was written): reading the samples from its rows",
            SamplesFileWarning,
            stacklevel=4,
        )
        return False
    npy = read(f"{prefix}samples.npy")
    if npy is None:
        return False
    if recorded.get("samples.npy") != _sha256(npy):
        warnings.warn(
            f"{where}/samples.npy differs from the checksum recorded in samples_info.json "
            "(corrupted or replaced): reading the samples from samples.csv instead",
            SamplesFileWarning,
            stacklevel=4,
        )
        return False
    return True


def _text(data: bytes, where: Any, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SearchException(
            f"Cannot read {where}/{name}: it is not text ({error.reason} at byte {error.start}); "
            "the file is corrupted: restore it, or delete the fit's samples files to refit"
        ) from None


def _read_info(info_text: str, where: Any) -> dict[str, Any]:
    try:
        info = json.loads(info_text)
    except ValueError as error:
        raise SearchException(
            f"Cannot read {where}/samples_info.json (truncated or corrupted?): {error}"
        ) from error
    if not isinstance(info, dict):
        raise SearchException(
            f"Cannot read {where}/samples_info.json: it holds a {type(info).__name__}, "
            "not a dictionary of sample settings"
        )
    return info


def _check_header(model: Any, header: list[str], csv_path: str) -> None:
    expected = _columns(model)
    if header != expected:
        raise SearchException(f"{csv_path} has columns {header}, expected {expected}")


def _samples_from_table(model: Any, info: dict[str, Any], table: np.ndarray) -> Samples:
    count = model.prior_count
    info = {key: value for key, value in info.items() if key != CHECKSUMS_KEY}
    cls = SAMPLES_CLASSES.get(info.get("kind", "samples"), Samples)
    return cls(
        model,
        parameters=table[:, :count],
        log_likelihood=table[:, count],
        log_prior=table[:, count + 1],
        weights=table[:, count + 3],
        samples_info=info,
    )


def samples_from_texts(model: Any, info_text: str, csv_text: str, where: Any) -> Samples:
    """Samples from the texts of ``samples_info.json`` and ``samples.csv``; ``where`` names
    their origin in error messages.

    Raises
    ------
    SearchException
        If the texts are truncated or do not match the model's parameters.
    """
    return _samples_from_csv(model, _read_info(info_text, where), csv_text, where)


def _samples_from_csv(model: Any, info: dict[str, Any], csv_text: str, where: Any) -> Samples:
    csv_path = f"{where}/samples.csv"
    lines = csv_text.splitlines()
    if not lines:
        raise SearchException(f"{csv_path} is empty")
    if not csv_text.endswith("\n"):
        raise SearchException(f"{csv_path} is truncated: its last row is incomplete")
    expected = _columns(model)
    _check_header(model, lines[0].split(","), csv_path)
    if not any(line.strip() for line in lines[1:]):
        table = np.empty((0, len(expected)))
    else:
        try:
            table = np.loadtxt(lines[1:], delimiter=",", ndmin=2)
        except ValueError as error:
            raise SearchException(f"Cannot read {csv_path} (truncated?): {error}") from error
        if table.shape[1] != len(expected):
            raise SearchException(
                f"{csv_path} rows have {table.shape[1]} columns, expected {len(expected)}"
            )
    return _samples_from_table(model, info, table)
