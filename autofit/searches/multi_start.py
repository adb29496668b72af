"""af.MultiStartAdam: Adam from many starting points at once, for JAX likelihoods.

An optional extra: ``pip install "autofit[optax]"``. The analysis must be created with
``use_jax=True``.

``n_starts`` points drawn by the initializer (from the priors by default) are optimised together:
one compiled, vmapped call per step evaluates the log posterior and its gradient at every start
and moves each with its own Adam state (optax). The starts move in unconstrained coordinates
``z`` with ``u = 1 / (1 + exp(-z))`` the unit-cube vector of the priors, so no step leaves the
priors, while the objective is the log posterior of the physical parameters (its maximum, the
MAP, does not depend on the coordinates). The learning rate falls along a cosine from
``learning_rate`` to ``learning_rate * learning_rate_decay``, so the starts settle on their
maxima. Each start keeps the best point it visited; a step onto a rejected point (``-inf``)
takes the start back to its best point.

Every ``iterations_per_update`` steps the starts, their Adam states and best points are
checkpointed to ``files/search_internal/multi_start.npz`` (no pickle, written atomically); a new
fit of the same search continues from there, with the steps of an uninterrupted fit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from autofit.output.atomic import atomic_save_npz
from autofit.samples.optimizer import SamplesOptimizer
from autofit.searches.base import NonLinearSearch
from autofit.searches.blackjax import require_jax_analysis
from autofit.searches.context import CheckpointError, RunContext
from autofit.searches.optional import require
from autofit.searches.settings import whole_number

__all__ = ["MultiStartAdam", "MultiStartAdapter"]

CHECKPOINT = "multi_start.npz"


class _Starts:
    """The state of a multi-start run (numpy arrays, one row per start)."""

    def __init__(self) -> None:
        self.iteration = 0
        self.coordinates: np.ndarray | None = None
        self.optimizer_state: list[np.ndarray] = []
        self.best_coordinates: np.ndarray | None = None
        self.best_value: np.ndarray | None = None


class MultiStartAdapter:
    """Runs the vmapped Adam steps, checkpointing at each update.

    Parameters
    ----------
    n_starts, n_steps, learning_rate, learning_rate_decay
        See :class:`MultiStartAdam`.
    """

    def __init__(
        self, n_starts: int, n_steps: int, learning_rate: float, learning_rate_decay: float
    ) -> None:
        self.n_starts = n_starts
        self.n_steps = n_steps
        self.learning_rate = learning_rate
        self.learning_rate_decay = learning_rate_decay

    def _functions(self, context: RunContext) -> tuple[Any, Any, Any]:
        """``(optimizer, step, vectors)``: the optax transformation, the jitted step of every
        start and the jitted map from coordinates to physical vectors."""
        optax = require("optax", "optax", "MultiStartAdam")
        import jax

        jnp = jax.numpy
        fitness = context.fitness
        traceable = fitness.traceable
        schedule = optax.cosine_decay_schedule(
            self.learning_rate, self.n_steps, alpha=self.learning_rate_decay
        )
        optimizer = optax.adam(schedule)

        def vector(z: Any) -> Any:
            return traceable.vector_from_unit(jax.nn.sigmoid(z))

        def log_posterior(z: Any) -> Any:
            log_likelihood, log_prior = fitness.traced(vector(z))
            return log_likelihood + log_prior

        value_and_gradient = jax.value_and_grad(log_posterior)

        def one_start(z: Any, state: Any, best_z: Any, best_value: Any) -> Any:
            value, gradient = value_and_gradient(z)
            finite = jnp.isfinite(value) & jnp.all(jnp.isfinite(gradient))
            gradient = jnp.where(finite, gradient, 0.0)
            better = finite & (value > best_value)
            best_z = jnp.where(better, z, best_z)
            best_value = jnp.where(better, value, best_value)
            updates, state = optimizer.update(-gradient, state, z)
            z = jnp.where(finite, z + updates, best_z)
            return z, state, best_z, best_value

        step = jax.jit(jax.vmap(one_start))
        return optimizer, step, jax.jit(jax.vmap(vector))

    # -- checkpoints -----------------------------------------------------------------------------

    def _path(self, context: RunContext) -> Path | None:
        return None if context.checkpoint_path is None else context.checkpoint_path / CHECKPOINT

    @staticmethod
    def _save(path: Path, starts: _Starts) -> None:
        leaves = {f"optimizer_{i}": np.asarray(a) for i, a in enumerate(starts.optimizer_state)}
        atomic_save_npz(
            path,
            iteration=np.array(starts.iteration),
            coordinates=starts.coordinates,
            best_coordinates=starts.best_coordinates,
            best_value=starts.best_value,
            **leaves,
        )

    def _load(self, path: Path | None, dimensions: int, leaves: int) -> _Starts | None:
        """The checkpointed starts, or None.

        Raises
        ------
        CheckpointError
            If the file is unreadable or holds starts of another shape.
        """
        if path is None or not path.exists():
            return None
        try:
            with open(path, "rb") as file, np.load(file, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
            starts = _Starts()
            starts.iteration = int(arrays["iteration"])
            starts.coordinates = arrays["coordinates"].astype(float)
            starts.best_coordinates = arrays["best_coordinates"].astype(float)
            starts.best_value = arrays["best_value"].astype(float)
            starts.optimizer_state = [arrays[f"optimizer_{i}"] for i in range(leaves)]
        except Exception as error:  # noqa: BLE001 - any unreadable file is a bad checkpoint
            raise CheckpointError(f"{path.name}: {error}") from error
        if starts.coordinates.shape != (self.n_starts, dimensions):
            raise CheckpointError(
                f"{path.name} holds starts of shape {starts.coordinates.shape}, expected "
                f"({self.n_starts}, {dimensions})"
            )
        return starts

    # -- the run ---------------------------------------------------------------------------------

    def run(self, context: RunContext) -> _Starts:
        """Optimise every start for ``n_steps`` steps (resuming from a checkpoint)."""
        import jax

        jnp = jax.numpy
        dimensions = context.model.prior_count
        optimizer, step, vectors = self._functions(context)
        template = jax.vmap(optimizer.init)(jnp.zeros((self.n_starts, dimensions)))
        leaves, tree = jax.tree.flatten(template)
        path = self._path(context)
        starts = self._load(path, dimensions, len(leaves))
        if starts is None:
            starts = _Starts()
            units, _, _ = context.initial_points(self.n_starts)
            units = np.clip(np.array(units, dtype=float), 1e-12, 1.0 - 1e-12)
            starts.coordinates = np.log(units) - np.log1p(-units)
            starts.best_coordinates = starts.coordinates.copy()
            starts.best_value = np.full(self.n_starts, -np.inf)
            state = template
        else:
            state = jax.tree.unflatten(tree, [jnp.asarray(a) for a in starts.optimizer_state])
        self.vectors = vectors
        z = jnp.asarray(starts.coordinates)
        best_z, best_value = jnp.asarray(starts.best_coordinates), jnp.asarray(starts.best_value)
        progress = context.progress
        progress.start(self.n_steps, starts.iteration, unit="step", best_name="max log posterior")
        while starts.iteration < self.n_steps:
            z, state, best_z, best_value = step(z, state, best_z, best_value)
            context.fitness.calls += self.n_starts
            starts.iteration += 1
            finished = starts.iteration >= self.n_steps
            update = starts.iteration % context.iterations_per_update == 0
            if update or finished:
                starts.coordinates = np.asarray(z, dtype=float)
                starts.best_coordinates = np.asarray(best_z, dtype=float)
                starts.best_value = np.asarray(best_value, dtype=float)
                starts.optimizer_state = [np.asarray(a) for a in jax.tree.leaves(state)]
                progress.advance(0, best=float(np.max(starts.best_value)))
                if path is not None:
                    self._save(path, starts)
                if not finished:
                    context.update(starts)
            progress.advance(1)
        return starts

    def to_samples(self, context: RunContext, starts: _Starts) -> SamplesOptimizer:
        """The best point of every start (those with a finite log posterior)."""
        dimensions = context.model.prior_count
        keep = np.isfinite(starts.best_value)
        coordinates = starts.best_coordinates[keep]
        if coordinates.shape[0]:
            parameters = np.asarray(self.vectors(coordinates), dtype=float)
            log_likelihood = context.fitness.log_likelihood_batch(parameters)
        else:
            parameters, log_likelihood = np.zeros((0, dimensions)), np.zeros(0)
        info = {
            "kind": "optimizer",
            "method": "MultiStartAdam",
            "iterations": starts.iteration,
            "n_starts": self.n_starts,
            "gradient": "jax",
            "seed": context.seed,
        }
        return SamplesOptimizer(
            context.model,
            parameters=parameters,
            log_likelihood=log_likelihood,
            log_prior=context.model.compiled.summed_log_priors(parameters),
            samples_info=info,
        )


class MultiStartAdam(NonLinearSearch):
    """Adam from ``n_starts`` starting points in one vmapped batch; the best point is the result
    (see the module docstring).

    Needs the ``optax`` extra (``pip install "autofit[optax]"``) and an analysis created with
    ``use_jax=True``. The samples hold the best point of every start; ``result.instance`` is
    the one of highest likelihood (with uniform priors, the maximum of the posterior).

    Parameters
    ----------
    n_starts
        Starting points, drawn by the initializer (the priors by default).
    n_steps
        Adam steps of every start.
    learning_rate
        Adam's learning rate at the first step, in the unconstrained coordinates (a step of
        0.01 moves a parameter by about 0.25% of its prior's width near the prior's median).
    learning_rate_decay
        The learning rate at the last step, as a fraction of ``learning_rate`` (1.0 keeps it
        constant).
    **kwargs
        The common search keywords of :class:`~autofit.searches.base.NonLinearSearch`.
        ``number_of_cores`` is accepted and unused: the starts run in JAX's own threads.

    Raises
    ------
    ImportError
        If optax is not installed.

    Examples
    --------
    >>> search = af.MultiStartAdam(n_starts=32, n_steps=300, seed=1)
    >>> result = search.fit(model=model, analysis=Analysis(data, noise_map, use_jax=True))
    """

    default_iterations_per_update = 100
    #: The starts run in one process, vmapped: no likelihood pool.
    uses_driver_pool = False
    takes_pool = False

    def __init__(
        self,
        n_starts: int = 48,
        n_steps: int = 300,
        learning_rate: float = 1.0e-2,
        learning_rate_decay: float = 1.0e-2,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        require("optax", "optax", "MultiStartAdam")
        self.n_starts = whole_number("MultiStartAdam", "n_starts", n_starts)
        self.n_steps = whole_number("MultiStartAdam", "n_steps", n_steps)
        for name, value in (
            ("learning_rate", learning_rate),
            ("learning_rate_decay", learning_rate_decay),
        ):
            if not float(value) > 0.0:
                raise ValueError(f"MultiStartAdam: {name} must be positive, got {name}={value!r}")
        self.learning_rate = float(learning_rate)
        self.learning_rate_decay = float(learning_rate_decay)
        self.adapter = MultiStartAdapter(
            self.n_starts, self.n_steps, self.learning_rate, self.learning_rate_decay
        )

    def check_analysis(self, analysis: Any) -> None:
        """The analysis must have been created with ``use_jax=True``.

        Raises
        ------
        SearchException
            If it was not.
        """
        require_jax_analysis("MultiStartAdam", analysis)

    @property
    def sampler_settings(self) -> dict[str, Any]:
        return {
            "n_starts": self.n_starts,
            "n_steps": self.n_steps,
            "learning_rate": self.learning_rate,
            "learning_rate_decay": self.learning_rate_decay,
        }
