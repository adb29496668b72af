"""Before resuming a fit, check that its checkpoint was made with the same data.

An interrupted fit resumes from its checkpoint. If the data (or the likelihood) changed since,
continuing would mix a chain of the old data with samples of the new. The samples written at the
checkpoint's last update hold the best point found so far and its log likelihood; the likelihood
is evaluated there again, and a different value means the checkpoint belongs to other data. It
is then set aside (moved with those samples to ``<output folder>/search_internal.data_changed.<n>``,
kept for inspection) and the fit starts afresh, with a
:class:`~autofit.searches.base.CheckpointWarning`.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

__all__ = ["set_aside_if_data_changed", "SAMPLE_FILES"]

#: The files of ``files/`` that belong to the checkpoint's run (moved aside with it).
SAMPLE_FILES = ("samples.csv", "samples.npy", "samples_info.json", "samples_summary.json", "latent")

#: Relative tolerance of the comparison (as for completed fits).
TOLERANCE = 1e-6


def _has_checkpoint(folder: Path) -> bool:
    return folder.is_dir() and any(path.name != "driver.json" for path in folder.iterdir())


def _best_point(paths: Any, model: Any) -> tuple[list[float], float] | None:
    """The parameters and log likelihood of the best sample written at the last update."""
    if not paths.has("samples.csv"):
        return None
    try:
        samples = paths.read_samples(model)
    except Exception:  # unreadable samples: the checkpoint's own checks decide
        return None
    if samples.total_samples == 0:
        return None
    index = samples.max_log_likelihood_index()
    stored = float(samples.log_likelihood[index])
    if not math.isfinite(stored):
        return None
    return samples.parameters[index].tolist(), stored


def _aside_folder(output_path: Path) -> Path:
    number = 1
    while (output_path / f"search_internal.data_changed.{number}").exists():
        number += 1
    return output_path / f"search_internal.data_changed.{number}"


def set_aside_if_data_changed(paths: Any, model: Any, fitness: Any) -> tuple[Path, str] | None:
    """Set the checkpoint aside if the likelihood at its best point changed.

    Parameters
    ----------
    paths
        The fit's output paths (a folder with ``files/search_internal``).
    model
        The model of the fit.
    fitness
        A fitness of the analysis (its ``log_likelihood(parameters)`` is called once).

    Returns
    -------
    None when there is nothing to resume or the checkpoint matches; otherwise the folder the
    checkpoint was moved to and a description of the mismatch.
    """
    checkpoint = paths.files_path / "search_internal"
    if not _has_checkpoint(checkpoint):
        return None
    best = _best_point(paths, model)
    if best is None:
        return None
    parameters, stored = best
    value = fitness.log_likelihood(parameters)
    if math.isclose(value, stored, rel_tol=TOLERANCE, abs_tol=TOLERANCE):
        return None
    aside = _aside_folder(paths.output_path)
    shutil.move(str(checkpoint), str(aside))
    for name in SAMPLE_FILES:
        if (paths.files_path / name).exists():
            shutil.move(str(paths.files_path / name), str(aside / name))
    mismatch = (
        f"the best point of the checkpoint has a log likelihood of {stored:.8g} stored but "
        f"{value:.8g} now"
    )
    return aside, mismatch
