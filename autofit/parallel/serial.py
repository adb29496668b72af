"""The serial pool: ``map`` in the calling process."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["SerialPool", "uses_workers"]


class SerialPool:
    """A pool that evaluates in the calling process (one core)."""

    processes = 1

    def map(self, function: Callable[[Any], Any], iterable: Iterable[Any]) -> list[Any]:
        """``[function(item) for item in iterable]``."""
        return [function(item) for item in iterable]

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> SerialPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def uses_workers(pool: Any) -> bool:
    """Whether ``pool`` evaluates in other processes (a process or MPI pool, even of one worker),
    so that a sampler should hand it its batches."""
    return not isinstance(pool, SerialPool)
