"""RunContext: everything a sampler adapter needs from the search driver for one run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from autofit.parallel.serial import uses_workers
from autofit.searches.progress import FitProgress

__all__ = ["RunContext", "CheckpointError", "BatchLogPosterior"]


class CheckpointError(Exception):
    """A checkpoint exists but cannot be read (truncated or from another run)."""


@dataclass
class RunContext:
    """What the driver hands a sampler adapter.

    Attributes
    ----------
    model
        The model being fitted.
    fitness
        Vector -> log posterior (``-inf`` when rejected); counts calls and rejections.
    pool
        An object with ``map`` evaluating ``fitness`` (serial or a process pool). A pool of
        several processes may also offer ``map_batch(vectors)``: ``fitness.call_batch`` of a
        2D array of vectors, the rows split over its workers (see :meth:`evaluate_batch`).
    checkpoint_path
        Folder for the sampler's checkpoints (``files/search_internal``), None without output.
    iterations_per_update
        Iterations between updates.
    update
        Call with ``during_analysis=True`` after each block of iterations, once the checkpoint is
        written; the driver writes samples, summaries and visualisation.
    initializer
        Draws initial points with finite fitness.
    seed
        The run's seed (fixed even when the user gave none).
    silence
        Whether to suppress progress output (the sampler's own included).
    info
        Extra facts about the run (``number_of_cores``, the search's ``pool`` or None,
        ``previous_calls``).
    progress
        The fit's one progress display (a bar, log lines or nothing; see
        :class:`~autofit.searches.progress.FitProgress`).
    """

    model: Any
    fitness: Any
    pool: Any
    checkpoint_path: Path | None
    iterations_per_update: int
    update: Callable[..., None]
    initializer: Any
    seed: int
    silence: bool = False
    info: dict[str, Any] = field(default_factory=dict)
    progress: FitProgress = field(default_factory=lambda: FitProgress("", "quiet"))

    @property
    def rng(self) -> np.random.Generator:
        """A generator seeded from the run's seed (a new one at every access)."""
        return np.random.default_rng(self.seed)

    def evaluate_batch(self, vectors: Any) -> np.ndarray:
        """The fitness of every row of a 2D array of vectors, as ``fitness.call_batch`` gives it.

        With a pool of workers (processes or MPI ranks) the rows are split over its workers (its
        ``map_batch``, each worker evaluating its part as one batch; a pool without
        ``map_batch`` evaluates the rows one by one through its ``map``).
        """
        if uses_workers(self.pool):
            map_batch = getattr(self.pool, "map_batch", None)
            if map_batch is not None:
                return np.asarray(map_batch(vectors), dtype=float)
            return np.asarray(self.pool.map(self.fitness, list(vectors)), dtype=float)
        return self.fitness.call_batch(vectors)

    def batch_function(self) -> Callable[[np.ndarray], np.ndarray]:
        """:meth:`evaluate_batch` as one callable, for a sampler that evaluates many batches in
        a loop: the fitness's own ``call_batch`` when there are no workers (one call less per
        batch), else :meth:`evaluate_batch`."""
        return self.evaluate_batch if uses_workers(self.pool) else self.fitness.call_batch

    def initial_points(self, total_points: int) -> tuple[list, list, list]:
        """``(unit vectors, vectors, fitness values)`` for ``total_points`` starting points,
        evaluated in batches (:meth:`evaluate_batch`)."""
        return self.initializer.samples_from_model(
            total_points, self.model, self.fitness, self.rng, evaluate_batch=self.evaluate_batch
        )


class BatchLogPosterior:
    """A sampler's vectorised log probability: the fitness of every row of a 2D array of points
    (:meth:`RunContext.evaluate_batch`).

    Parameters
    ----------
    context
        The run's context.
    """

    def __init__(self, context: RunContext) -> None:
        self.context = context

    def __call__(self, points: Any) -> np.ndarray:
        return self.context.evaluate_batch(np.atleast_2d(np.asarray(points, dtype=float)))
