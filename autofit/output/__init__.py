"""Output of fits: atomic writes and the folder layout of one fit."""

from autofit.output.atomic import (
    atomic_save_npz,
    atomic_write_bytes,
    atomic_write_json,
    atomic_write_text,
)
from autofit.output.paths import AbstractPaths, DirectoryPaths, NullPaths

__all__ = [
    "AbstractPaths",
    "NullPaths",
    "DirectoryPaths",
    "atomic_write_bytes",
    "atomic_write_text",
    "atomic_write_json",
    "atomic_save_npz",
]
