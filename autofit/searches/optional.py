"""Pieces shared by the optional samplers (``af.Nautilus``, ``af.UltraNest``, ``af.Zeus``).

Their packages are extras (``pip install 'autofit[nautilus]'``): :func:`require` imports one when
a search needs it and otherwise says which extra installs it. The unit-cube transform, the
batched likelihood and the pool view here let every sampler call the model's compiled transform
and the driver's fitness and pool.
"""

from __future__ import annotations

import importlib
import logging
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

__all__ = [
    "require",
    "SettingsAdapter",
    "UnitCubeTransform",
    "BatchFitness",
    "BatchPool",
    "global_random_state",
    "seeded_random_state",
    "root_logger_preserved",
]


def require(
    module_name: str, extra: str, search_name: str, package: str | None = None
) -> ModuleType:
    """Import ``module_name``, or explain which extra of autofit installs it.

    Parameters
    ----------
    module_name
        The module to import (``"nautilus"``).
    extra
        The extra of autofit that installs it (``"nautilus"``).
    search_name
        The search that needs it (``"Nautilus"``, shown as ``af.Nautilus``).
    package
        The package's name on PyPI when it differs from the module's (``"nautilus-sampler"``).

    Returns
    -------
    The imported module.

    Raises
    ------
    ImportError
        If the module cannot be imported; the message names the package and the extra.
    """
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        raise ImportError(
            f"af.{search_name} needs the {package or module_name!r} package: "
            f"pip install 'autofit[{extra}]'",
            name=module_name,
        ) from error


class SettingsAdapter:
    """What the adapters of the optional nested samplers hold: the sampler's and its run's
    settings, whether to evaluate points in batches, and where the checkpoint goes.

    Parameters
    ----------
    sampler_settings
        Keywords of the sampler's constructor.
    run_settings
        Keywords of its run.
    vectorized
        Transform and evaluate whole batches of points at once.
    """

    #: The checkpoint's name in ``files/search_internal/`` (a file or a folder).
    checkpoint_name = ""

    def __init__(
        self, sampler_settings: dict[str, Any], run_settings: dict[str, Any], vectorized: bool
    ) -> None:
        self.sampler_settings = sampler_settings
        self.run_settings = run_settings
        self.vectorized = vectorized

    def _checkpoint(self, context: Any) -> Path | None:
        if context.checkpoint_path is None:
            return None
        return context.checkpoint_path / self.checkpoint_name


class UnitCubeTransform:
    """Unit cube -> physical parameters with the model's compiled transform (picklable).

    One unit vector gives an array of its physical values; a 2D array ``(n_points,
    n_parameters)`` is transformed in one vectorised call.
    """

    def __init__(self, model: Any) -> None:
        self.model = model

    def __call__(self, unit: np.ndarray) -> np.ndarray:
        unit = np.asarray(unit, dtype=float)
        if unit.ndim == 2:
            return np.asarray(self.model.compiled.batch_vector_from_unit(unit), dtype=float)
        return np.asarray(self.model.compiled.vector_from_unit(unit.tolist()), dtype=float)


class BatchFitness:
    """The fitness at every row of a 2D array of parameter vectors (for vectorised samplers),
    evaluated as one batch (``Fitness.call_batch``)."""

    def __init__(self, fitness: Any) -> None:
        self.fitness = fitness

    def __call__(self, vectors: np.ndarray) -> np.ndarray:
        return self.fitness.call_batch(np.atleast_2d(np.asarray(vectors, dtype=float)))


class BatchPool:
    """A sampler's view of the driver's pool: ``map`` evaluates the fitness at every point.

    The driver's process pool evaluates its own fitness whatever function it is handed (the
    workers received it once). With ``vectorized`` each item is a 2D batch of points, and the
    result is one array of values per batch: the batches are joined and split over the workers
    (the pool's ``map_batch``, each worker evaluating its part with ``Fitness.call_batch``).

    Parameters
    ----------
    pool
        The driver's pool (``context.pool``).
    vectorized
        Whether the items are batches of points.
    """

    def __init__(self, pool: Any, vectorized: bool = False) -> None:
        self.pool = pool
        self.vectorized = vectorized
        self.size = int(getattr(pool, "processes", 1))

    def map(self, function: Any, items: Iterable[Any]) -> list[Any]:
        """The fitness at each item (each point of each batch when vectorised)."""
        items = list(items)
        if not self.vectorized:
            return self.pool.map(function, items)
        sizes = [len(batch) for batch in items]
        points = np.concatenate([np.asarray(batch, dtype=float) for batch in items])
        map_batch = getattr(self.pool, "map_batch", None)
        if map_batch is not None:
            # Split over the workers, each evaluating its part as one batch.
            values = np.asarray(map_batch(points), dtype=float)
        else:
            values = np.asarray(self.pool.map(function, list(points)), dtype=float)
        return np.split(values, np.cumsum(sizes)[:-1])


@contextmanager
def global_random_state(state: dict[str, Any] | None) -> Iterator[list]:
    """Run a sampler that draws from the global generators with its own random state.

    ``state`` is ``{"numpy": np.random.get_state(), "python": random.getstate()}`` (either may
    be missing). It is set on entry; on exit the sampler's state is stored in the yielded
    one-element list and the caller's states are restored, so the user's own draws are not
    disturbed and the sampler's stream is not disturbed by the user's.
    """
    state = state or {}
    previous = {"numpy": np.random.get_state(), "python": random.getstate()}
    if state.get("numpy") is not None:
        np.random.set_state(state["numpy"])
    if state.get("python") is not None:
        random.setstate(state["python"])
    holder: list = [None]
    try:
        yield holder
    finally:
        holder[0] = {"numpy": np.random.get_state(), "python": random.getstate()}
        np.random.set_state(previous["numpy"])
        random.setstate(previous["python"])


def seeded_random_state(seed: int) -> dict[str, Any]:
    """Global-generator states (numpy and Python's ``random``) drawn from ``seed``."""
    generator = random.Random(seed)
    return {
        "numpy": np.random.RandomState(seed % 2**32).get_state(),
        "python": generator.getstate(),
    }


@contextmanager
def root_logger_preserved() -> Iterator[None]:
    """Undo changes a sampler makes to the root logger's handlers and level."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
