"""af.Nautilus: importance nested sampling boosted by neural networks (nautilus-sampler).

An optional extra: ``pip install 'autofit[nautilus]'`` installs nautilus-sampler and h5py (its
checkpoint format). The package is imported when a fit runs; a search created without it raises
an ImportError naming the extra.

The prior is the model's compiled unit-cube transform and the likelihood the driver's fitness
(the log likelihood alone; rejected points are ``-inf``). The run advances in blocks of
``iterations_per_update`` likelihood calls. After each block the sampler is checkpointed in
nautilus' own resumable format, ``files/search_internal/nautilus.hdf5`` (written to a temporary
file, then renamed over the old one, so a kill leaves a complete checkpoint), and the driver
writes samples and summaries. A new fit of the same search resumes from the checkpoint,
random state included, and continues as the uninterrupted run would.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from autofit.exc import SearchException
from autofit.parallel.serial import uses_workers
from autofit.samples.nest import SamplesNest
from autofit.searches.base import NonLinearSearch
from autofit.searches.context import CheckpointError, RunContext
from autofit.searches.optional import (
    BatchFitness,
    BatchPool,
    SettingsAdapter,
    UnitCubeTransform,
    require,
)

__all__ = ["Nautilus", "NautilusAdapter", "log_evidence_error", "sampler_defaults"]

CHECKPOINT = "nautilus.hdf5"

#: Keywords of scikit-learn's ``MLPRegressor`` given to nautilus when ``neural_network_kwargs``
#: is None: training stops after 5 epochs without improvement (nautilus: 10).
NEURAL_NETWORK_KWARGS: dict[str, Any] = {"n_iter_no_change": 5}


def sampler_defaults(n_live: int, n_dim: int) -> dict[str, Any]:
    """The values af.Nautilus gives nautilus for the sampler settings left as None.

    - ``n_update``: ``10 * n_live`` (nautilus: ``n_live``). A new bound is built once the
      points above the current likelihood threshold have grown by ten live sets (or after
      ``n_like_new_bound`` calls): each bound holds down to a tenth of the volume of the one
      before instead of about half, so a few times fewer bounds, each of which costs a network
      training, for more likelihood calls between them.
    - ``n_points_min``: ``n_live // 4``, between ``n_dim + 1`` and nautilus' ``n_dim + 50``. An
      ellipsoid is split only if each half keeps ``n_points_min`` of the points above the
      threshold, about ``n_live`` of them; with nautilus' value and fewer than about
      ``2 * (n_dim + 50)`` live points the outer bound is one ellipsoid around every mode, and
      sampling it is mostly rejections.
    - ``neural_network_kwargs``: :data:`NEURAL_NETWORK_KWARGS`.

    Parameters
    ----------
    n_live
        The number of live points.
    n_dim
        The number of free parameters.

    Returns
    -------
    The keywords of ``nautilus.Sampler`` with their values.
    """
    return {
        "n_update": 10 * n_live,
        "n_points_min": min(n_dim + 50, max(n_dim + 1, n_live // 4)),
        "neural_network_kwargs": dict(NEURAL_NETWORK_KWARGS),
    }


def _require_nautilus() -> Any:
    return require("nautilus", "nautilus", "Nautilus", package="nautilus-sampler")


def _require_h5py() -> Any:
    return require("h5py", "nautilus", "Nautilus", package="h5py")


def _write_checkpoint(sampler: Any, path: Path) -> None:
    """Write the sampler in nautilus' format to ``path`` atomically (temporary file, fsync,
    rename)."""
    temporary = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    sampler.write(temporary, overwrite=True)
    with open(temporary, "rb+") as file:
        os.fsync(file.fileno())
    os.replace(temporary, path)


def _volume_relative_variance(bound: Any) -> float:
    """Relative variance of a bound's volume where nautilus estimated it by rejection sampling
    (the neural-network bound and its union of ellipsoids count their samples and rejections)."""
    total = 0.0
    for part in (bound, getattr(bound, "outer_bound", None)):
        n_sample = int(getattr(part, "n_sample", 0) or 0)
        n_reject = int(getattr(part, "n_reject", 0) or 0)
        if n_sample > n_reject:
            total += n_reject / ((n_sample - n_reject) * n_sample)
    return total


def log_evidence_error(sampler: Any) -> float | None:
    """The statistical error of nautilus' log evidence (nautilus reports none).

    The evidence is a sum over shells of (shell volume) x (mean likelihood in the shell). Each
    mean has relative variance ``1 / n_eff - 1 / n`` (its points' effective sample size ``n_eff``
    among ``n``), each volume the binomial variance of the fraction of the bound's samples that
    fell in the shell, plus that of the bound's own volume estimate; the shells are added as
    independent. On analytic Gaussians this matches the scatter of ``log Z`` over seeds; it does
    not include the small bias of keeping the exploration phase (see ``discard_exploration``).

    Returns
    -------
    The error, or None before any shell has points.
    """
    shell_n = np.asarray(sampler.shell_n, dtype=float)
    shell_n_sample = np.asarray(sampler.shell_n_sample, dtype=float)
    if sampler.discard_exploration and sampler.explored:
        shell_n_sample = shell_n_sample - np.asarray(sampler.shell_n_sample_exp, dtype=float)
    log_l = np.asarray(sampler.shell_log_l, dtype=float)
    select = (shell_n > 0) & np.isfinite(log_l)
    if not np.any(select):
        return None
    from scipy.special import logsumexp

    log_z = (log_l + np.asarray(sampler.shell_log_v, dtype=float))[select]
    fractions = np.exp(2.0 * (log_z - logsumexp(log_z)))
    n, n_sample = shell_n[select], shell_n_sample[select]
    n_eff = np.asarray(sampler.shell_n_eff, dtype=float)[select]
    volumes = np.array([_volume_relative_variance(bound) for bound in sampler.bounds])[select]
    relative_variance = (1.0 / n_eff - 1.0 / n) + (1.0 - n / n_sample) / n + volumes
    return float(np.sqrt(np.sum(fractions * np.clip(relative_variance, 0.0, None))))


def log_accepted_fraction(sampler: Any) -> float:
    """The log of the fraction of the prior the analysis accepts, estimated shell by shell: each
    shell's volume times the fraction of its points that were accepted; 0 when none was rejected.

    Rejected points have a log likelihood of ``-inf`` for nautilus, so its evidence counts them as
    zero likelihood; subtracting this gives the evidence of the prior renormalised over the
    accepted region, as the other searches report.
    """
    from scipy.special import logsumexp

    log_volumes = np.asarray(sampler.shell_log_v, dtype=float)
    terms, rejected = [], False
    for shell, log_l in enumerate(sampler.log_l):
        finite = np.isfinite(np.asarray(log_l, dtype=float))
        if finite.size == 0 or shell >= log_volumes.size:
            continue
        rejected = rejected or not bool(np.all(finite))
        accepted = int(np.count_nonzero(finite))
        if accepted:
            terms.append(log_volumes[shell] + np.log(accepted / finite.size))
    if not rejected or not terms:
        return 0.0
    return float(min(logsumexp(terms), 0.0))


class NautilusAdapter(SettingsAdapter):
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

    checkpoint_name = CHECKPOINT
    #: Whether nautilus prints its progress (the search's ``verbose``).
    verbose = True

    def _sampler(self, context: RunContext, nautilus: Any) -> Any:
        path = self._checkpoint(context)
        if path is not None:
            _require_h5py()
            path.parent.mkdir(parents=True, exist_ok=True)
        parallel = uses_workers(context.pool)
        pool = (BatchPool(context.pool, self.vectorized), None) if parallel else None
        settings = {key: value for key, value in self.sampler_settings.items() if value is not None}
        defaults = sampler_defaults(int(settings["n_live"]), context.model.prior_count)
        settings = {**defaults, **settings}
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
        # Checkpoints are written here, at the updates, instead of by nautilus after each batch.
        sampler.filepath = None
        path = self._checkpoint(context)
        settings = dict(self.run_settings)
        n_like_max = settings.pop("n_like_max", None) or np.inf
        while True:
            block_end = min(n_like_max, sampler.n_like + context.iterations_per_update)
            success = sampler.run(
                **settings, n_like_max=block_end, verbose=self.verbose and not context.silence
            )
            if path is not None:
                _write_checkpoint(sampler, path)
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
            "effective_sample_size": float(sampler.n_eff or 0.0),
            "explored": bool(sampler.explored),
            "seed": context.seed,
        }
        parameters, log_likelihood, weights = np.zeros((0, ndim)), np.zeros(0), None
        # With discard_exploration, right after the exploration phase no point counts yet.
        if sampler.log_z is not None and sum(len(points) for points in sampler.points):
            points, log_weights, log_likelihood = sampler.posterior()
            keep = np.isfinite(log_likelihood)
            parameters = np.asarray(points, dtype=float).reshape(-1, ndim)[keep]
            log_likelihood = np.asarray(log_likelihood, dtype=float)[keep]
            log_weights = np.asarray(log_weights, dtype=float)[keep]
            if parameters.shape[0]:
                weights = np.exp(log_weights - log_weights.max())
            info["log_evidence"] = float(sampler.log_z) - log_accepted_fraction(sampler)
            error = log_evidence_error(sampler)
            if error is not None:
                info["log_evidence_error"] = error
        info["total_accepted_samples"] = int(parameters.shape[0])
        log_prior = context.model.compiled.summed_log_priors(parameters)
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
    least two free parameters. The error of the log evidence, which nautilus does not report,
    is estimated from its shells (see :func:`log_evidence_error`).

    Seven defaults differ from nautilus' own, so that a fit with a few hundred live points and a
    cheap likelihood takes seconds: ``n_networks=1`` (nautilus: 4), ``n_eff=500`` (10 000),
    ``f_live=0.3`` (0.01), ``discard_exploration=True`` (False), and, for the settings left as
    None, ``n_update=10 * n_live``, ``n_points_min=n_live // 4`` (within ``n_dim + 1`` and
    ``n_dim + 50``) and ``neural_network_kwargs={"n_iter_no_change": 5}`` (see
    :func:`sampler_defaults`). Measured on one and two Gaussians in 100 data points with
    ``n_live=100`` (``benchmarks/model_comparison.py``): nautilus' defaults take 274 s for
    both fits, these 8 - 9.5 s of CPU, with both evidences within 0.2 of the reference (keeping
    the exploration phase left the six-parameter evidence 0.27 - 0.44 too low). Training the
    networks and building the bounds dominate the time then; for a likelihood that costs more
    than a bound, calls matter more: nautilus' ``n_update=n_live`` builds bounds twice as often
    and needed half the exploration calls on the one-Gaussian fit. Every keyword given is
    passed to nautilus as it is.

    Parameters
    ----------
    n_live
        Number of live points (nautilus recommends 1000 - 3000).
    n_update
        Additions to the live set before a new bound is built (None: ``10 * n_live``;
        nautilus: ``n_live``).
    enlarge_per_dim
        Factor by which the outer ellipsoidal bounds are enlarged along each dimension.
    n_points_min
        Fewest points per ellipsoid (None: ``n_live // 4``, at least the number of parameters
        + 1 and at most nautilus' default, the number of parameters + 50).
    split_threshold
        Bound volume, relative to the target, above which the bound is split further.
    n_networks
        Number of neural networks in the estimator of each bound (nautilus: 4).
    neural_network_kwargs
        Keywords of scikit-learn's ``MLPRegressor``, on top of nautilus' own (None:
        ``{"n_iter_no_change": 5}``; ``{}``: nautilus' defaults, which stop after 10 epochs
        without improvement).
    n_batch
        Likelihood calls per batch (None: the smallest multiple of the number of cores that
        is at least 100).
    n_like_new_bound
        Likelihood calls before a new bound is built (None: ``10 * n_live``).
    vectorized
        Transform each batch of unit vectors in one vectorised call and evaluate it as one
        batch (split over the cores when ``number_of_cores > 1``).
    f_live
        Largest fraction of the evidence in the live set when exploration stops (nautilus:
        0.01). The sampling phase samples the innermost shell too, so a larger value ends the
        exploration, and its bound building, sooner without biasing the evidence.
    n_shell
        Fewest points in each shell.
    n_eff
        Effective sample size at which the run stops (nautilus: 10 000).
    n_like_max
        Most likelihood calls, counting those of resumed runs (None: no limit).
    discard_exploration
        Leave the points of the exploration phase out of the posterior and evidence (unbiased,
        but needs more likelihood calls; nautilus: False).
    verbose
        Let nautilus print its progress (``Sampler.run(verbose=...)``); ``silence=True``
        silences it too. Not part of the identifier.
    **kwargs
        The common search keywords of :class:`~autofit.searches.base.NonLinearSearch`
        (``name``, ``path_prefix``, ``unique_tag``, ``number_of_cores``, ``pool``,
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
        n_networks: int = 1,
        neural_network_kwargs: dict[str, Any] | None = None,
        n_batch: int | None = None,
        n_like_new_bound: int | None = None,
        vectorized: bool = False,
        f_live: float = 0.3,
        n_shell: int = 1,
        n_eff: float = 500,
        n_like_max: int | None = None,
        discard_exploration: bool = True,
        verbose: bool = True,
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
            "neural_network_kwargs": (
                None if neural_network_kwargs is None else dict(neural_network_kwargs)
            ),
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
        self.verbose = bool(verbose)
        self.adapter = NautilusAdapter(self._sampler_settings, self._run_settings, self.vectorized)
        self.adapter.verbose = self.verbose

    @property
    def sampler_settings(self) -> dict[str, Any]:
        return {**self._sampler_settings, "vectorized": self.vectorized, **self._run_settings}

    def dict(self) -> dict[str, Any]:
        """The search's settings as JSON (``search.json``), with ``verbose``."""
        result = super().dict()
        result["settings"]["verbose"] = self.verbose
        return result

    def _fitness(self, model: Any, analysis: Any) -> Any:
        from autofit.analysis.fitness import Fitness

        return Fitness(model, analysis, use_log_prior=False)
