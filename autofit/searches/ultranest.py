"""af.UltraNest: reactive nested sampling with the ultranest package.

An optional extra: ``pip install 'autofit[ultranest]'`` installs ultranest and h5py (its point
store). The package is imported when a fit runs; a search created without it raises an
ImportError naming the extra.

The transform is the model's compiled unit-cube transform and the likelihood the driver's
fitness (the log likelihood alone; a rejected point gets ``-1e300``, as ultranest needs finite
values). UltraNest stores every likelihood evaluation in its own resumable point store under
``files/search_internal/ultranest/``; a new fit of the same search replays the stored points
instead of recomputing them. The run advances in blocks of ``iterations_per_update``
likelihood calls, with samples and summaries written after each block.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from autofit.exc import AutofitError, SearchException
from autofit.parallel.serial import uses_workers
from autofit.samples.nest import SamplesNest
from autofit.searches.base import NonLinearSearch
from autofit.searches.context import CheckpointError, RunContext
from autofit.searches.optional import (
    BatchFitness,
    BatchPool,
    SettingsAdapter,
    UnitCubeTransform,
    global_random_state,
    require,
    seeded_random_state,
)

__all__ = ["UltraNest", "UltraNestAdapter"]

CHECKPOINT = "ultranest"
POINT_STORE = Path("results") / "points.hdf5"
#: A rejected point's log likelihood (ultranest rejects non-finite values).
REJECTED = -1.0e300


def _require_ultranest() -> Any:
    return require("ultranest", "ultranest", "UltraNest")


def _require_h5py() -> Any:
    return require("h5py", "ultranest", "UltraNest")


def _quiet_ultranest_logger() -> None:
    """Route ultranest's log through Python's logging instead of its own stdout and file
    handlers (ultranest adds those only to a logger that has no handler yet)."""
    logger = logging.getLogger("ultranest")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


class _PooledBatchFitness:
    """The fitness at every row of a batch, evaluated in the driver's process pool."""

    def __init__(self, pool: Any) -> None:
        self.pool = BatchPool(pool, vectorized=True)

    def __call__(self, vectors: np.ndarray) -> np.ndarray:
        return self.pool.map(None, [np.asarray(vectors, dtype=float)])[0]


def _log_accepted_volume(log_widths: np.ndarray, accepted: np.ndarray) -> float:
    """The log of the prior volume the analysis accepts: the summed volume elements (UltraNest's
    ``logw``) of the accepted samples, or 0 when nothing was rejected.

    UltraNest counts rejected points as zero likelihood; dividing its evidence by this volume
    gives the evidence of the prior renormalised over the accepted region, as the other searches
    report.
    """
    from scipy.special import logsumexp

    if log_widths.shape != accepted.shape or accepted.all() or not accepted.any():
        return 0.0
    return float(min(logsumexp(log_widths[accepted]), 0.0))


class UltraNestAdapter(SettingsAdapter):
    """Runs ``ultranest.ReactiveNestedSampler`` in blocks of likelihood calls.

    Parameters
    ----------
    sampler_settings
        Keywords of ``ReactiveNestedSampler`` (``num_test_samples``, ``draw_multiple``, ...).
    run_settings
        Keywords of ``ReactiveNestedSampler.run`` (``min_num_live_points``, ``dlogz``,
        ``max_ncalls``, ...).
    vectorized
        Transform and evaluate whole batches of points at once.
    """

    checkpoint_name = CHECKPOINT

    def _functions(self, context: RunContext) -> tuple[Any, Any]:
        transform = UnitCubeTransform(context.model)
        if not self.vectorized:
            return context.fitness, transform
        if uses_workers(context.pool):
            return _PooledBatchFitness(context.pool), transform
        return BatchFitness(context.fitness), transform

    def _sampler(self, context: RunContext, ultranest: Any) -> Any:
        path = self._checkpoint(context)
        resuming = path is not None and (path / POINT_STORE).exists()
        if path is not None:
            _require_h5py()
            path.mkdir(parents=True, exist_ok=True)
        loglike, transform = self._functions(context)
        settings = {key: value for key, value in self.sampler_settings.items() if value is not None}
        try:
            return ultranest.ReactiveNestedSampler(
                list(context.model.joined_paths),
                loglike,
                transform,
                log_dir=None if path is None else str(path),
                resume="resume" if resuming else "overwrite",
                vectorized=self.vectorized,
                storage_backend="hdf5",
                **settings,
            )
        except AutofitError:
            raise
        except Exception as error:  # noqa: BLE001 - any unreadable store is a bad checkpoint
            if not resuming:
                raise
            raise CheckpointError(f"{CHECKPOINT}/{POINT_STORE}: {error}") from error

    def run(self, context: RunContext) -> Any:
        """Run (or resume) ultranest until its convergence criteria are met."""
        ultranest = _require_ultranest()
        _quiet_ultranest_logger()
        settings = {key: value for key, value in self.run_settings.items() if value is not None}
        max_ncalls = settings.pop("max_ncalls", None) or np.inf
        state = seeded_random_state(context.seed)
        with global_random_state(state) as after:
            sampler = self._sampler(context, ultranest)
        state = after[0]
        try:
            while True:
                block_end = min(max_ncalls, sampler.ncall + context.iterations_per_update)
                with global_random_state(state) as after:
                    sampler.run(
                        **settings,
                        max_ncalls=int(block_end),
                        show_status=not context.silence,
                        viz_callback=False,
                    )
                state = after[0]
                if sampler.ncall < block_end or sampler.ncall >= max_ncalls:
                    return sampler
                context.update(sampler)
        finally:
            # Release the point store (its file stays locked while open).
            sampler.pointstore.close()

    def to_samples(self, context: RunContext, sampler: Any) -> SamplesNest:
        """The weighted samples of the run (rejected points left out)."""
        ndim = context.model.prior_count
        results = sampler.results or {}
        info: dict[str, Any] = {
            "kind": "nest",
            "number_live_points": int(getattr(sampler, "min_num_live_points", 0) or 0),
            "total_likelihood_calls": int(sampler.ncall),
            "seed": context.seed,
        }
        parameters, log_likelihood, weights = np.zeros((0, ndim)), np.zeros(0), None
        if results:
            weighted = results["weighted_samples"]
            log_likelihood = np.asarray(weighted["logl"], dtype=float)
            keep = log_likelihood > 0.5 * REJECTED
            parameters = np.asarray(weighted["points"], dtype=float).reshape(-1, ndim)[keep]
            weights = np.asarray(weighted["weights"], dtype=float)[keep]
            info["log_evidence"] = float(results["logz"]) - _log_accepted_volume(
                np.asarray(weighted.get("logw", []), dtype=float), keep
            )
            log_likelihood = log_likelihood[keep]
            info["log_evidence_error"] = float(results["logzerr"])
            info["effective_sample_size"] = float(results["ess"])
        info["total_accepted_samples"] = int(parameters.shape[0])
        log_prior = context.model.compiled.summed_log_priors(parameters)
        return SamplesNest(
            context.model,
            parameters=parameters,
            log_likelihood=log_likelihood,
            log_prior=log_prior,
            weights=weights if weights is not None and weights.size else None,
            samples_info=info,
        )


class UltraNest(NonLinearSearch):
    """Reactive nested sampling with UltraNest (MLFriends regions, bootstrapped evidence).

    Needs the ``ultranest`` extra (``pip install 'autofit[ultranest]'``).

    Parameters
    ----------
    min_num_live_points
        Fewest live points throughout the run.
    cluster_num_live_points
        Fewest live points per detected cluster (at most ``min_num_live_points``).
    dlogz
        Target uncertainty of the log evidence.
    dKL
        Target posterior uncertainty (Kullback-Leibler divergence between bootstraps, nats).
    frac_remain
        Integrate until this fraction of the evidence is left in the live points.
    Lepsilon
        Stop when the live points' log likelihoods agree within this tolerance.
    min_ess
        Target effective sample size.
    max_iters
        Most iterations (None: no limit).
    max_ncalls
        Most likelihood calls, counting those of resumed runs (None: no limit).
    max_num_improvement_loops
        Most improvement loops after the first pass (-1: no limit).
    update_interval_volume_fraction
        Rebuild the region when the volume shrank by this fraction.
    num_test_samples
        Random points on which the transform and likelihood are checked before sampling.
    draw_multiple
        Draw more proposals at once when the efficiency drops (vectorised runs).
    num_bootstraps
        Number of bootstrapped evidence estimators and region rebuilds.
    ndraw_min, ndraw_max
        Fewest and most proposals drawn at once (vectorised runs).
    vectorized
        Transform and evaluate whole batches of proposals in one call (evaluated over the
        cores when ``number_of_cores > 1``; otherwise ultranest proposes one point at a time).
    **kwargs
        The common search keywords of :class:`~autofit.searches.base.NonLinearSearch`
        (``name``, ``path_prefix``, ``unique_tag``, ``number_of_cores``, ``pool``,
        ``iterations_per_update`` -- here likelihood calls between updates, ``initializer``,
        ``session``, ``paths``, ``seed``, ``silence``).

    Raises
    ------
    ImportError
        If ultranest is not installed.

    Examples
    --------
    >>> search = af.UltraNest(min_num_live_points=100, name="gaussian_fit", seed=1)
    >>> result = search.fit(model=model, analysis=analysis)
    >>> result.samples.log_evidence, result.samples.log_evidence_error
    """

    default_iterations_per_update = 5000

    def __init__(
        self,
        min_num_live_points: int = 400,
        cluster_num_live_points: int = 40,
        dlogz: float = 0.5,
        dKL: float = 0.5,  # noqa: N803 - ultranest's name
        frac_remain: float = 0.01,
        Lepsilon: float = 0.001,  # noqa: N803 - ultranest's name
        min_ess: int = 400,
        max_iters: int | None = None,
        max_ncalls: int | None = None,
        max_num_improvement_loops: int = -1,
        update_interval_volume_fraction: float = 0.8,
        num_test_samples: int = 2,
        draw_multiple: bool = True,
        num_bootstraps: int = 30,
        ndraw_min: int = 128,
        ndraw_max: int = 65536,
        vectorized: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        _require_ultranest()
        if self.name or self.path_prefix or self._paths is not None:
            _require_h5py()
        self.min_num_live_points = int(min_num_live_points)
        self.vectorized = bool(vectorized)
        # UltraNest asks for one point at a time unless vectorized: only then can a pool of
        # number_of_cores processes share the calls.
        self.uses_driver_pool = self.vectorized
        if self.pool is not None and not self.vectorized:
            raise SearchException(
                "UltraNest hands a pool batches of points only when vectorized: pass "
                "vectorized=True with pool="
            )
        self._sampler_settings = {
            "num_test_samples": int(num_test_samples),
            "draw_multiple": bool(draw_multiple),
            "num_bootstraps": int(num_bootstraps),
            "ndraw_min": int(ndraw_min),
            "ndraw_max": int(ndraw_max),
        }
        self._run_settings = {
            "min_num_live_points": self.min_num_live_points,
            "cluster_num_live_points": int(cluster_num_live_points),
            "dlogz": dlogz,
            "dKL": dKL,
            "frac_remain": frac_remain,
            "Lepsilon": Lepsilon,
            "min_ess": min_ess,
            "max_iters": max_iters,
            "max_ncalls": max_ncalls,
            "max_num_improvement_loops": max_num_improvement_loops,
            "update_interval_volume_fraction": update_interval_volume_fraction,
        }
        self.adapter = UltraNestAdapter(self._sampler_settings, self._run_settings, self.vectorized)

    @property
    def sampler_settings(self) -> dict[str, Any]:
        return {**self._sampler_settings, "vectorized": self.vectorized, **self._run_settings}

    def _fitness(self, model: Any, analysis: Any) -> Any:
        from autofit.analysis.fitness import Fitness

        return Fitness(model, analysis, use_log_prior=False, resample_value=REJECTED)
