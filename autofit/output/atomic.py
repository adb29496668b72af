"""Atomic file writes: a temporary file in the same folder, flushed, then renamed over the target.

A process killed at any moment leaves either the previous complete file or the new complete
file, never a half-written one. Files get the permissions of any other new file of the process
(``0o666`` less the umask), not the private ``0o600`` of a temporary file, so colleagues sharing
an output folder can read them when the umask lets them.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "atomic_write_json",
    "atomic_save_npz",
    "file_mode",
    "TEMPORARY_SUFFIX",
]

#: Suffix of the temporary files of atomic writes (``.<name>.<random>.tmp``).
TEMPORARY_SUFFIX = ".tmp"


@functools.cache
def _umask() -> int:
    """The process's umask, read once: from ``/proc`` where the system has it (no change to the
    process state), else by setting it and restoring it at once."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The permission bits of a new file: ``0o666`` less the process's umask."""
    return 0o666 & ~_umask()


def atomic_write_bytes(path: str | Path, data: bytes, durable: bool = False) -> None:
    """Write ``data`` to ``path`` atomically, creating parent folders as needed.

    The temporary file has a unique name (safe with threads and processes writing the same
    target) and is removed if the write fails; the previous file is then left untouched. The
    rename makes the write atomic for a killed process; ``durable=True`` also flushes the data to
    disk first (``fsync``), so it survives a power cut — used for checkpoints.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent
    )
    try:
        with os.fdopen(handle, "wb") as file:
            if hasattr(os, "fchmod"):
                os.fchmod(file.fileno(), file_mode())
            file.write(data)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | Path, value: Any, indent: int | None = 2) -> None:
    """Write ``value`` as JSON to ``path`` atomically (numpy values become lists and floats)."""
    atomic_write_text(path, json.dumps(value, indent=indent, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serialisable")


def atomic_save_npz(path: str | Path, **arrays: np.ndarray) -> None:
    """Save arrays to an ``.npz`` file atomically and durably (a checkpoint); read it back with
    ``np.load(allow_pickle=False)``."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    atomic_write_bytes(path, buffer.getvalue(), durable=True)
