"""NumPy arrays to and from JSON files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from autofit.output.atomic import atomic_write_text

__all__ = ["numpy_array_to_json", "numpy_array_from_json"]


def numpy_array_to_json(array: np.ndarray, file_path: str | Path, overwrite: bool = False) -> None:
    """Write ``array`` to a JSON file (nested lists).

    Parameters
    ----------
    array
        The array to write.
    file_path
        The ``.json`` file.
    overwrite
        Replace an existing file; otherwise an existing file raises ``FileExistsError``.
    """
    path = Path(file_path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists: pass overwrite=True to replace it")
    atomic_write_text(path, json.dumps(np.asarray(array).tolist()))


def numpy_array_from_json(file_path: str | Path) -> np.ndarray:
    """Read an array written by :func:`numpy_array_to_json`."""
    return np.array(json.loads(Path(file_path).read_text()))
