"""The serial pool: ``map`` in the calling process."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["SerialPool", "WorkerPool", "uses_workers"]


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


class WorkerPool:
    """What pools of worker processes share: used as a context, they are closed (waiting for
    the workers) when the block ends normally and terminated at once when it raises (Ctrl+C,
    an error). A subclass provides ``close`` and ``terminate``."""

    def close(self) -> None:
        raise NotImplementedError

    def terminate(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Any:
        return self

    def __exit__(self, kind: type | None, *exc_info: object) -> None:
        if kind is None:
            self.close()
        else:
            self.terminate()


def uses_workers(pool: Any) -> bool:
    """Whether ``pool`` evaluates in other processes (a process or MPI pool, even of one worker),
    so that a sampler should hand it its batches."""
    return not isinstance(pool, SerialPool)
