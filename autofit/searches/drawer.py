"""af.Drawer: draws from the prior, weighted by the likelihood (importance sampling)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autofit.exc import SearchException
from autofit.output.atomic import atomic_save_npz
from autofit.priors import special
from autofit.samples.samples import Samples
from autofit.searches.base import NonLinearSearch
from autofit.searches.context import CheckpointError, RunContext
from autofit.searches.settings import whole_number

__all__ = ["Drawer", "DrawerAdapter"]

CHECKPOINT = "drawer.npz"


class DrawerAdapter:
    """Draws ``total_draws`` points with a finite likelihood from the initializer."""

    def __init__(self, total_draws: int) -> None:
        self.total_draws = total_draws

    def run(self, context: RunContext) -> Any:
        path = None if context.checkpoint_path is None else context.checkpoint_path / CHECKPOINT
        if path is not None and path.exists():
            try:
                with open(path, "rb") as file, np.load(file, allow_pickle=False) as data:
                    return {"vectors": data["vectors"], "values": data["values"]}
            except Exception as error:  # noqa: BLE001 - any unreadable file is a bad checkpoint
                raise CheckpointError(f"{CHECKPOINT}: {error}") from error
        vectors, values = self._draw(context)
        state = {"vectors": vectors, "values": values}
        if path is not None:
            atomic_save_npz(path, **state)
        return state

    def _draw(self, context: RunContext) -> tuple[np.ndarray, np.ndarray]:
        """Draw from the initializer in batches until ``total_draws`` points have a finite
        likelihood; each batch is evaluated in one call (``Fitness.call_batch``, split over the
        workers with ``number_of_cores > 1``)."""
        model, rng = context.model, context.rng
        vectors: list[list[float]] = []
        values: list[float] = []
        attempts = 0
        limit = context.initializer.max_attempts_per_point * self.total_draws
        while len(vectors) < self.total_draws:
            if attempts >= limit:
                raise SearchException(
                    f"{type(context.initializer).__name__} found only {len(vectors)} of "
                    f"{self.total_draws} points with a finite log likelihood in {attempts} "
                    "draws for af.Drawer: check the likelihood and the priors"
                )
            batch = self.total_draws - len(vectors)
            units = [
                np.clip(context.initializer.draw_unit_vector(model, rng, index), 0.0, 1.0)
                for index in range(len(vectors), len(vectors) + batch)
            ]
            batch_vectors = [model.vector_from_unit_vector(unit.tolist()) for unit in units]
            batch_values = context.evaluate_batch(
                np.array(batch_vectors, dtype=float).reshape(batch, model.prior_count)
            )
            attempts += batch
            for vector, value in zip(batch_vectors, batch_values, strict=True):
                if np.isfinite(value):
                    vectors.append(vector)
                    values.append(float(value))
        count = model.prior_count
        return np.array(vectors, dtype=float).reshape(-1, count), np.array(values, dtype=float)

    def to_samples(self, context: RunContext, state: Any) -> Samples:
        """The draws, weighted by their likelihood; the evidence is the mean likelihood."""
        vectors, log_posterior = state["vectors"], state["values"]
        log_prior = context.model.compiled.summed_log_priors(vectors)
        log_likelihood = log_posterior - log_prior
        info: dict[str, Any] = {
            "kind": "samples",
            "total_draws": self.total_draws,
            "seed": context.seed,
        }
        if vectors.shape[0]:
            log_weights = log_likelihood - special.logsumexp(log_likelihood)
            weights = np.exp(log_weights)
            info["log_evidence"] = float(
                special.logsumexp(log_likelihood) - np.log(vectors.shape[0])
            )
        else:
            weights = None
        return Samples(
            context.model,
            parameters=vectors,
            log_likelihood=log_likelihood,
            log_prior=log_prior,
            weights=weights,
            samples_info=info,
        )


class Drawer(NonLinearSearch):
    """Draw ``total_draws`` points from the prior (via the initializer) and weight them by the
    likelihood: a quick look at the likelihood surface and, with enough draws, an importance-
    sampled posterior and evidence estimate (the log of the mean likelihood).

    Parameters
    ----------
    total_draws
        Number of accepted draws.
    **kwargs
        The common search keywords (see :class:`~autofit.searches.base.NonLinearSearch`).
    """

    def __init__(self, total_draws: int = 50, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.total_draws = whole_number("Drawer", "total_draws", total_draws)
        self.adapter = DrawerAdapter(self.total_draws)

    @property
    def sampler_settings(self) -> dict[str, Any]:
        return {"total_draws": self.total_draws}
