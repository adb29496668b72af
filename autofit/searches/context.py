"""RunContext: everything a sampler adapter needs from the search driver for one run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from autofit.searches.progress import FitProgress

__all__ = ["RunContext", "CheckpointError"]


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
        An object with ``map`` evaluating ``fitness`` (serial or a process pool).
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
        Extra facts about the run (``number_of_cores``, ``previous_calls``).
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

    def initial_points(self, total_points: int) -> tuple[list, list, list]:
        """``(unit vectors, vectors, fitness values)`` for ``total_points`` starting points."""
        return self.initializer.samples_from_model(total_points, self.model, self.fitness, self.rng)
