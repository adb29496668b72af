"""af.Nautilus: importance nested sampling boosted by neural networks (nautilus-sampler).

An optional extra: ``pip install 'autofit[nautilus]'`` installs nautilus-sampler and h5py (its
checkpoint format). The package is imported when a fit runs; a search created without it raises
an ImportError naming the extra.

The prior is the model's compiled unit-cube transform and the likelihood the driver's fitness
(the log likelihood alone; rejected points are ``-inf``). Nautilus writes its own checkpoint,
``files/search_internal/nautilus.hdf5``, after every batch of likelihood calls, and a new fit
of the same search resumes from it. The run advances in blocks of ``iterations_per_update``
likelihood calls, with samples and summaries written after each block.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from autofit.exc import SearchException
from autofit.samples.nest import SamplesNest
from autofit.searches.base import NonLinearSearch
from autofit.searches.context import CheckpointError, RunContext
from autofit.searches.optional import BatchFitness, BatchPool, UnitCubeTransform, require

__all__ = ["Nautilus", "NautilusAdapter"]

CHECKPOINT = "nautilus.hdf5"


def _require_nautilus() -> Any:
    return require("nautilus", "nautilus", "Nautilus", package="nautilus-sampler")


def _require_h5py() -> Any:
    return require("h5py", "nautilus", "Nautilus", package="h5py")


class NautilusAdapter:
    """Runs ``nautilus.Sampler`` in blocks of likelihood calls, resuming from its file.

    Parameters
    ----------
    sampler_settings
        Keywords of ``nautilus.Sampler`` (``n_live``, ``n_update``, ...).
    run_settings
        Keywords of ``Sampler.run`` (``f_live``, ``n_shell``, ``n_eff``, ``n_like_max``,
        ``discard_exploration``).
    vectorized
        Transform and evaluate whole batches of points at once.
    """

    def __init__(
        self, sampler_settings: dict[str, Any], run_settings: dict[str, Any], vectorized: bool
    ) -> None:
        self.sampler_settings = sampler_settings
        self.run_settings = run_settings
        self.vectorized = vectorized

    def _checkpoint(self, context: RunContext) -> Path | None:
        return None if context.checkpoint_path is None else context.checkpoint_path / CHECKPOINT

    def _sampler(self, context: RunContext, nautilus: Any) -> Any:
        path = self._checkpoint(context)
        if path is not None:
            _require_h5py()
            path.parent.mkdir(parents=True, exist_ok=True)
        processes = int(getattr(context.pool, "processes", 1))
        pool = (BatchPool(context.pool, self.vectorized), None) if processes > 1 else None
        settings = {key: value for key, value in self.sampler_settings.items() if value is not None}
        arguments = {
            **settings,
            "prior": UnitCubeTransform(context.model),
            "likelihood": BatchFitness(context.fitness) if self.vectorized else context.fitness,
            "n_dim": context.model.prior_count,
            "vectorized": self.vectorized,
            "pool": pool,
            "seed": context.seed,
            "filepath": None if path is None else str(path),
            "resume": True,
        }
        resuming = path is not None and path.exists()
        try:
            return nautilus.Sampler(**arguments)
        except Exception as error:  # noqa: BLE001 - any unreadable file is a bad checkpoint
            if not resuming:
                raise
            raise CheckpointError(f"{path.name}: {error}") from error

    def run(self, context: RunContext) -> Any:
        """Run (or resume) nautilus until its effective sample size target is reached."""
        nautilus = _require_nautilus()
        if context.model.prior_count < 2:
            raise SearchException(
                "af.Nautilus needs at least 2 free parameters, the model has "
                f"{context.model.prior_count}; use af.DynestyStatic for one parameter"
            )
        sampler = self._sampler(context, nautilus)
        settings = dict(self.run_settings)
        n_like_max = settings.pop("n_like_max", None) or np.inf
        while True:
            block_end = min(n_like_max, sampler.n_like + context.iterations_per_update)
            success = sampler.run(**settings, n_like_max=block_end, verbose=not context.silence)
            if success or sampler.n_like >= n_like_max:
                return sampler
            context.update(sampler)

    def to_samples(self, context: RunContext, sampler: Any) -> SamplesNest:
        """The points with their importance weights (rejected points left out)."""
        ndim = context.model.prior_count
        info: dict[str, Any] = {
            "kind": "nest",
            "number_live_points": int(sampler.n_live),
            "total_likelihood_calls": int(sampler.n_like),
            "effective_sample_size": float(sampler.n_eff),
            "explored": bool(sampler.explored),
            "seed": context.seed,
        }
        parameters, log_likelihood, weights = np.zeros((0, ndim)), np.zeros(0), None
        if sum(len(points) for points in sampler.points):
            points, log_weights, log_likelihood = sampler.posterior()
            keep = np.isfinite(log_likelihood)
            parameters = np.asarray(points, dtype=float).reshape(-1, ndim)[keep]
            log_likelihood = np.asarray(log_likelihood, dtype=float)[keep]
            log_weights = np.asarray(log_weights, dtype=float)[keep]
            if parameters.shape[0]:
                weights = np.exp(log_weights - log_weights.max())
            info["log_evidence"] = float(sampler.log_z)
        info["total_accepted_samples"] = int(parameters.shape[0])
        log_prior = (
            context.model.compiled.batch_log_priors(parameters).sum(axis=1)
            if parameters.size
            else np.zeros(0)
        )
        return SamplesNest(
            context.model,
            parameters=parameters,
            log_likelihood=log_likelihood,
            log_prior=log_prior,
            weights=weights,
            samples_info=info,
        )


class Nautilus(NonLinearSearch):
    """Nested sampling with nautilus: importance sampling inside neural-network bounds.

    Needs the ``nautilus`` extra (``pip install 'autofit[nautilus]'``). Nautilus needs at
    least two free parameters. It reports the log evidence but no error for it.

    Parameters
    ----------
    n_live
        Number of live points (nautilus recommends 1000 - 3000).
    n_update
        Additions to the live set before a new bound is built (None: ``n_live``).
    enlarge_per_dim
        Factor by which the outer ellipsoidal bounds are enlarged along each dimension.
    n_points_min
        Fewest points per ellipsoid (None: number of parameters + 50).
    split_threshold
        Bound volume, relative to the target, above which the bound is split further.
    n_networks
        Number of neural networks in the estimator of each bound.
    neural_network_kwargs
        Keywords of scikit-learn's ``MLPRegressor`` (None: nautilus' defaults).
    n_batch
        Likelihood calls per batch (None: the smallest multiple of the number of cores that
        is at least 100).
    n_like_new_bound
        Likelihood calls before a new bound is built (None: ``10 * n_live``).
    vectorized
        Transform each batch of unit vectors in one vectorised call and evaluate it as one
        batch (split over the cores when ``number_of_cores > 1``).
    f_live
        Largest fraction of the evidence in the live set when exploration stops.
    n_shell
        Fewest points in each shell.
    n_eff
        Effective sample size at which the run stops.
    n_like_max
        Most likelihood calls, counting those of resumed runs (None: no limit).
    discard_exploration
        Leave the points of the exploration phase out of the posterior and evidence (unbiased,
        but needs more likelihood calls).
    **kwargs
        The common search keywords of :class:`~autofit.searches.base.NonLinearSearch`
        (``name``, ``path_prefix``, ``unique_tag``, ``number_of_cores``,
        ``iterations_per_update`` -- here likelihood calls between updates, ``initializer``,
        ``session``, ``paths``, ``seed``, ``silence``).

    Raises
    ------
    ImportError
        If nautilus-sampler (or h5py) is not installed.

    Examples
    --------
    >>> search = af.Nautilus(n_live=500, name="gaussian_fit", seed=1)
    >>> result = search.fit(model=model, analysis=analysis)
    >>> result.samples.log_evidence
    """

    default_iterations_per_update = 5000

    def __init__(
        self,
        n_live: int = 2000,
        n_update: int | None = None,
        enlarge_per_dim: float = 1.1,
        n_points_min: int | None = None,
        split_threshold: float = 100.0,
        n_networks: int = 4,
        neural_network_kwargs: dict[str, Any] | None = None,
        n_batch: int | None = None,
        n_like_new_bound: int | None = None,
        vectorized: bool = False,
        f_live: float = 0.01,
        n_shell: int = 1,
        n_eff: float = 10000,
        n_like_max: int | None = None,
        discard_exploration: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        _require_nautilus()
        if self.name or self.path_prefix or self._paths is not None:
            _require_h5py()
        self.n_live = int(n_live)
        self.vectorized = bool(vectorized)
        self._sampler_settings = {
            "n_live": self.n_live,
            "n_update": n_update,
            "enlarge_per_dim": enlarge_per_dim,
            "n_points_min": n_points_min,
            "split_threshold": split_threshold,
            "n_networks": n_networks,
            "neural_network_kwargs": dict(neural_network_kwargs or {}),
            "n_batch": n_batch,
            "n_like_new_bound": n_like_new_bound,
        }
        self._run_settings = {
            "f_live": f_live,
            "n_shell": n_shell,
            "n_eff": n_eff,
            "n_like_max": n_like_max,
            "discard_exploration": bool(discard_exploration),
        }
        self.adapter = NautilusAdapter(self._sampler_settings, self._run_settings, self.vectorized)

    @property
    def sampler_settings(self) -> dict[str, Any]:
        return {**self._sampler_settings, "vectorized": self.vectorized, **self._run_settings}

    def _fitness(self, model: Any, analysis: Any) -> Any:
        from autofit.analysis.fitness import Fitness

        return Fitness(model, analysis, use_log_prior=False)
