"""Samples on disk: ``samples.csv``, ``samples_info.json`` and ``samples_summary.json``.

The CSV has one column per free parameter (named by its dotted path), then ``log_likelihood``,
``log_prior``, ``log_posterior`` and ``weight``. Nothing needs pickle to be read back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from autofit.exc import SearchException
from autofit.output.atomic import atomic_write_json, atomic_write_text
from autofit.samples.mcmc import SamplesMCMC
from autofit.samples.nest import SamplesNest
from autofit.samples.optimizer import SamplesOptimizer
from autofit.samples.samples import Samples

__all__ = [
    "SAMPLES_CLASSES",
    "samples_to_csv_text",
    "write_samples",
    "read_samples",
    "samples_from_texts",
]

SAMPLES_CLASSES: dict[str, type[Samples]] = {
    cls.kind: cls for cls in (Samples, SamplesMCMC, SamplesNest, SamplesOptimizer)
}
EXTRA_COLUMNS = ("log_likelihood", "log_prior", "log_posterior", "weight")


def samples_to_csv_text(samples: Samples, weight_threshold: float | None = None) -> str:
    """The CSV text of ``samples``; samples whose weight is below ``weight_threshold`` (a
    fraction of the largest weight) are left out of the file."""
    header = ",".join([*samples.model.joined_paths, *EXTRA_COLUMNS])
    table = np.column_stack(
        [
            samples.parameters,
            samples.log_likelihood,
            samples.log_prior,
            samples.log_posterior,
            samples.weights,
        ]
    )
    if weight_threshold and samples.total_samples:
        table = table[samples.weights >= weight_threshold * samples.weights.max()]
    # repr gives the shortest text that reads back to the same float, much faster than savetxt.
    rows = [",".join(map(repr, row)) for row in table.tolist()]
    return "\n".join([header, *rows]) + "\n"


def write_samples(
    samples: Samples, files_path: Path, weight_threshold: float | None = None
) -> None:
    """Write ``samples.csv``, ``samples_info.json`` and ``samples_summary.json`` atomically.

    The summary is computed from every sample, also those a ``weight_threshold`` leaves out of
    the CSV.
    """
    atomic_write_text(files_path / "samples.csv", samples_to_csv_text(samples, weight_threshold))
    atomic_write_json(files_path / "samples_info.json", samples.samples_info)
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
    return samples_from_texts(
        model,
        (files_path / "samples_info.json").read_text(),
        (files_path / "samples.csv").read_text(),
        files_path,
    )


def samples_from_texts(model: Any, info_text: str, csv_text: str, where: Any) -> Samples:
    """Samples from the texts of ``samples_info.json`` and ``samples.csv``; ``where`` names
    their origin in error messages.

    Raises
    ------
    SearchException
        If the texts are truncated or do not match the model's parameters.
    """
    info_path = f"{where}/samples_info.json"
    csv_path = f"{where}/samples.csv"
    try:
        info = json.loads(info_text)
    except ValueError as error:
        raise SearchException(f"Cannot read {info_path}: {error}") from error
    lines = csv_text.splitlines()
    if not lines:
        raise SearchException(f"{csv_path} is empty")
    if not csv_text.endswith("\n"):
        raise SearchException(f"{csv_path} is truncated: its last row is incomplete")
    header = lines[0].split(",")
    expected = [*model.joined_paths, *EXTRA_COLUMNS]
    if header != expected:
        raise SearchException(f"{csv_path} has columns {header}, expected {expected}")
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
    count = model.prior_count
    cls = SAMPLES_CLASSES.get(info.get("kind", "samples"), Samples)
    return cls(
        model,
        parameters=table[:, :count],
        log_likelihood=table[:, count],
        log_prior=table[:, count + 1],
        weights=table[:, count + 3],
        samples_info=info,
    )
