"""af.Zeus: the ensemble slice sampler of the zeus package (zeus-mcmc).

An optional extra: ``pip install 'autofit[zeus]'``. The package is imported when a fit runs; a
search created without it raises an ImportError naming the extra.

The interface is the one of ``af.Emcee``. The chain advances in blocks; at every update (each
``iterations_per_update`` steps) its positions, log posteriors, the tuned scale factor and the
random state are checkpointed to ``files/search_internal/zeus.npz`` (no pickle, written
atomically), and a new fit of the same search continues the chain from its last positions. zeus draws from numpy's and Python's global
generators: the sampler's own states are set around every block and saved with the
checkpoint, and the caller's are restored, so a resumed chain is the uninterrupted chain.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from autofit.exc import SearchException
from autofit.output.atomic import atomic_save_npz
from autofit.parallel.serial import uses_workers
from autofit.samples.mcmc import SamplesMCMC
from autofit.searches.base import NonLinearSearch
from autofit.searches.context import BatchLogPosterior, CheckpointError, RunContext
from autofit.searches.emcee import AutoCorrelationsSettings, mcmc_initializer
from autofit.searches.optional import (
    global_random_state,
    require,
    root_logger_preserved,
    seeded_random_state,
)
from autofit.searches.settings import apply_aliases, whole_number

__all__ = ["Zeus", "ZeusAdapter"]

CHECKPOINT = "zeus.npz"


def _require_zeus() -> Any:
    return require("zeus", "zeus", "Zeus", package="zeus-mcmc")


def _encode_random_state(state: dict[str, Any]) -> dict[str, np.ndarray]:
    kind, keys, position, has_gauss, cached = state["numpy"]
    version, internal, gauss_next = state["python"]
    return {
        "numpy_random_kind": np.array(kind),
        "numpy_random_keys": np.asarray(keys, dtype=np.uint32),
        "numpy_random_numbers": np.array([position, has_gauss, cached], dtype=float),
        "python_random_version": np.array(version),
        "python_random_internal": np.asarray(internal, dtype=np.int64),
        "python_random_gauss": np.array(np.nan if gauss_next is None else gauss_next),
    }


def _decode_random_state(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    position, has_gauss, cached = arrays["numpy_random_numbers"]
    gauss = float(arrays["python_random_gauss"])
    return {
        "numpy": (
            str(arrays["numpy_random_kind"]),
            arrays["numpy_random_keys"].astype(np.uint32),
            int(position),
            int(has_gauss),
            float(cached),
        ),
        "python": (
            int(arrays["python_random_version"]),
            tuple(int(value) for value in arrays["python_random_internal"]),
            None if np.isnan(gauss) else gauss,
        ),
    }


class ZeusAdapter:
    """Runs a zeus ensemble in blocks, checkpointing the chain after each block.

    Parameters
    ----------
    nwalkers, nsteps
        Ensemble size and maximum chain length.
    settings
        When to stop early.
    sampler_settings
        Keywords of ``zeus.EnsembleSampler`` (``tune``, ``tolerance``, ``patience``, ...).
    vectorize
        Hand zeus's log probability a batch of points at a time (``Fitness.call_batch``).
    check_walkers
        Require an even number of walkers, at least twice the number of parameters.
    """

    def __init__(
        self,
        nwalkers: int,
        nsteps: int,
        settings: AutoCorrelationsSettings,
        sampler_settings: dict[str, Any],
        vectorize: bool = False,
        check_walkers: bool = True,
    ) -> None:
        self.nwalkers = nwalkers
        self.nsteps = nsteps
        self.settings = settings
        self.sampler_settings = sampler_settings
        self.vectorize = vectorize
        self.check_walkers = check_walkers

    def _path(self, context: RunContext) -> Path | None:
        return None if context.checkpoint_path is None else context.checkpoint_path / CHECKPOINT

    def _load(self, path: Path | None, ndim: int) -> dict[str, Any] | None:
        """The checkpoint's arrays, or None when there is none.

        Raises
        ------
        CheckpointError
            If the file is unreadable or holds a chain of another shape.
        """
        if path is None or not path.exists():
            return None
        try:
            with open(path, "rb") as file, np.load(file, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
            iteration = int(arrays["iteration"])
            chain, log_prob = arrays["chain"], arrays["log_prob"]
            random_state = _decode_random_state(arrays)
        except Exception as error:  # noqa: BLE001 - any unreadable file is a bad checkpoint
            raise CheckpointError(f"{path.name}: {error}") from error
        if chain.shape != (iteration, self.nwalkers, ndim) or log_prob.shape != chain.shape[:2]:
            raise CheckpointError(
                f"{path.name} holds a chain of shape {chain.shape}, expected "
                f"({iteration}, {self.nwalkers}, {ndim})"
            )
        if iteration == 0:
            return None
        arrays["random_state"] = random_state
        return arrays

    def _save(
        self, path: Path, sampler: Any, random_state: dict[str, Any], previous_tau: Any
    ) -> None:
        extra = {} if previous_tau is None else {"previous_tau": np.asarray(previous_tau)}
        atomic_save_npz(
            path,
            chain=sampler.samples.chain,
            log_prob=sampler.samples.logprob,
            iteration=np.array(sampler.samples.length),
            mu=np.array(float(sampler.mu)),
            tune=np.array(bool(sampler.tune)),
            maxsteps=np.array(int(sampler.maxsteps)),
            **_encode_random_state(random_state),
            **extra,
        )

    @staticmethod
    def _restore(sampler: Any, arrays: dict[str, Any]) -> None:
        chain = arrays["chain"].astype(float)
        log_prob = arrays["log_prob"].astype(float)
        store = sampler.samples
        store.samples, store.logp = chain.copy(), log_prob.copy()
        store.index, store.initialised = chain.shape[0], True
        sampler.iteration = chain.shape[0]
        sampler.state_X, sampler.state_Z = chain[-1].copy(), log_prob[-1].copy()
        sampler.mu = float(arrays["mu"])
        sampler.tune = bool(arrays["tune"])
        sampler.maxsteps = int(arrays["maxsteps"])

    def _next_block(self, iteration: int, context: RunContext) -> int:
        """Steps to the next convergence check, update or the end (aligned to iteration
        numbers, so a resumed chain is cut into the same blocks as an uninterrupted one)."""
        boundaries = [self.nsteps, iteration + context.iterations_per_update]
        boundaries[1] -= iteration % context.iterations_per_update
        if self.settings.check_for_convergence:
            check = self.settings.check_size
            boundaries.append(iteration + check - iteration % check)
        return min(boundaries) - iteration

    def run(self, context: RunContext) -> Any:
        """Run (or resume) the ensemble until ``nsteps`` or convergence."""
        zeus = _require_zeus()
        ndim = context.model.prior_count
        _require_walkers(self.check_walkers, self.nwalkers, ndim)
        path = self._path(context)
        arrays = self._load(path, ndim)
        pool = context.pool if uses_workers(context.pool) else None
        log_probability = context.fitness
        if self.vectorize:
            # zeus evaluates a vectorised log probability itself, without its pool: each batch
            # goes to Fitness.call_batch (split over the workers with several cores).
            log_probability, pool = BatchLogPosterior(context), None
        with root_logger_preserved():
            sampler = zeus.EnsembleSampler(
                self.nwalkers,
                ndim,
                log_probability,
                pool=pool,
                verbose=False,
                vectorize=self.vectorize,
                check_walkers=self.check_walkers,
                **self.sampler_settings,
            )
        start = log_prob = previous_tau = None
        if arrays is not None:
            self._restore(sampler, arrays)
            random_state = arrays["random_state"]
            previous_tau = arrays.get("previous_tau")
        else:
            _, vectors, values = context.initial_points(self.nwalkers)
            start, log_prob = np.array(vectors, dtype=float), np.array(values, dtype=float)
            random_state = seeded_random_state(context.seed)
        progress = context.progress
        progress.start(
            self.nsteps, sampler.samples.length, unit="step", best_name="max log posterior"
        )
        while sampler.samples.length < self.nsteps:
            block = self._next_block(sampler.samples.length, context)
            with root_logger_preserved(), global_random_state(random_state) as after:
                # zeus's run_mcmc iterates this generator; iterating it here moves the fit's
                # one progress display at every step.
                for _, log_posterior, _ in sampler.sample(
                    start, log_prob0=log_prob, iterations=block, progress=False
                ):
                    progress.advance(1, best=float(np.max(log_posterior)))
            random_state = after[0]
            start = log_prob = None
            iteration = sampler.samples.length
            converged = False
            if self.settings.check_for_convergence and iteration % self.settings.check_size == 0:
                from autofit.samples.autocorrelation import integrated_time

                tau = integrated_time(sampler.samples.chain)
                converged = self.settings.converged(tau, previous_tau, iteration)
                previous_tau = tau
            finished = converged or iteration >= self.nsteps
            update = iteration % context.iterations_per_update == 0
            # Checkpoints go with the updates (and the end), so the driver's record of the
            # calls made so far always matches the checkpoint a resumed run continues from.
            if path is not None and (finished or update):
                self._save(path, sampler, random_state, previous_tau)
            if finished:
                break
            if update:
                context.update(sampler)
        return sampler

    def to_samples(self, context: RunContext, sampler: Any) -> SamplesMCMC:
        """The chain so far as :class:`SamplesMCMC` (all walkers of each step together)."""
        iteration = sampler.samples.length
        ndim = context.model.prior_count
        parameters = sampler.samples.chain.reshape(-1, ndim) if iteration else np.zeros((0, ndim))
        log_posterior = sampler.samples.logprob.reshape(-1) if iteration else np.zeros(0)
        info = {
            "kind": "mcmc",
            "nwalkers": self.nwalkers,
            "nsteps": self.nsteps,
            "total_steps": iteration,
            "scale_factor": float(sampler.mu),
            "seed": context.seed,
        }
        return SamplesMCMC.from_chain(context.model, parameters, log_posterior, info)


def _require_walkers(check: bool, nwalkers: int, ndim: int) -> None:
    """Raise ``SearchException`` (when ``check``) unless ``nwalkers`` is even and at least twice
    ``ndim``."""
    if check and (nwalkers < 2 * ndim or nwalkers % 2):
        raise SearchException(
            f"af.Zeus needs an even number of walkers, at least twice the {ndim} free "
            f"parameters: got nwalkers={nwalkers} (check_walkers=False skips this check)"
        )


class Zeus(NonLinearSearch):
    """The zeus ensemble slice sampler (same interface as :class:`~autofit.Emcee`).

    Needs the ``zeus`` extra (``pip install 'autofit[zeus]'``).

    Parameters
    ----------
    nwalkers
        Number of walkers (even, at least twice the number of parameters).
    nsteps
        Maximum number of steps of every walker.
    auto_correlation_settings
        When to stop early (alias ``auto_correlations_settings``).
    tune
        Tune the scale factor ``mu`` at the start of the run.
    tolerance
        Tuning tolerance.
    patience
        Tuning steps to wait before tuning is considered done.
    maxsteps
        Most stepping-out steps per slice.
    mu
        Initial scale factor.
    maxiter
        Most expansions and contractions per step.
    light_mode
        No expansions after tuning (fewer likelihood calls on near-Gaussian posteriors).
    shuffle_ensemble
        Shuffle the walkers before splitting the ensemble at every step.
    vectorize
        Evaluate the log posterior of each half of the ensemble as one batch (zeus's
        ``vectorize``): with the analysis's ``log_likelihood_function_batch`` when it has one
        (point by point otherwise), split over the workers when ``number_of_cores > 1``. The
        chain is the same as without it. Not part of the identifier.
    check_walkers
        Check that ``nwalkers`` is even and at least twice the number of parameters (zeus's
        ``check_walkers``); False skips the check. Not part of the identifier.
    **kwargs
        The common search keywords of :class:`~autofit.searches.base.NonLinearSearch`
        (``name``, ``path_prefix``, ``unique_tag``, ``number_of_cores``, ``pool``,
        ``iterations_per_update``, ``initializer``, ``session``, ``paths``, ``seed``,
        ``silence``).

    Raises
    ------
    ImportError
        If zeus-mcmc is not installed.

    Examples
    --------
    >>> search = af.Zeus(nwalkers=30, nsteps=1000, name="gaussian_fit", seed=1)
    >>> result = search.fit(model=model, analysis=analysis)
    """

    default_iterations_per_update = 500

    _default_initializer = staticmethod(mcmc_initializer)

    def __init__(
        self,
        nwalkers: int = 50,
        nsteps: int = 2000,
        auto_correlation_settings: AutoCorrelationsSettings | None = None,
        tune: bool = True,
        tolerance: float = 0.05,
        patience: int = 5,
        maxsteps: int = 10000,
        mu: float = 1.0,
        maxiter: int = 10000,
        light_mode: bool = False,
        shuffle_ensemble: bool = True,
        vectorize: bool = False,
        check_walkers: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs = apply_aliases(kwargs, {"auto_correlations_settings": "auto_correlation_settings"})
        auto_correlation_settings = kwargs.pop(
            "auto_correlation_settings", auto_correlation_settings
        )
        super().__init__(**kwargs)
        _require_zeus()
        self.nwalkers = whole_number("Zeus", "nwalkers", nwalkers, minimum=2)
        self.nsteps = whole_number("Zeus", "nsteps", nsteps)
        self.auto_correlation_settings = auto_correlation_settings or AutoCorrelationsSettings()
        self._sampler_settings = {
            "tune": bool(tune),
            "tolerance": float(tolerance),
            "patience": int(patience),
            "maxsteps": int(maxsteps),
            "mu": float(mu),
            "maxiter": int(maxiter),
            "light_mode": bool(light_mode),
            "shuffle_ensemble": bool(shuffle_ensemble),
        }
        self.vectorize = bool(vectorize)
        self.check_walkers = bool(check_walkers)
        self.adapter = ZeusAdapter(
            self.nwalkers,
            self.nsteps,
            self.auto_correlation_settings,
            self._sampler_settings,
            vectorize=self.vectorize,
            check_walkers=self.check_walkers,
        )

    def check_model(self, model: Any) -> None:
        """The walkers must suit the model (see ``check_walkers``), checked before output."""
        _require_walkers(self.check_walkers, self.nwalkers, model.prior_count)

    @property
    def sampler_settings(self) -> dict[str, Any]:
        return {
            "nwalkers": self.nwalkers,
            "nsteps": self.nsteps,
            "auto_correlation_settings": self.auto_correlation_settings.dict(),
            **self._sampler_settings,
        }

    def dict(self) -> dict[str, Any]:
        """The search's settings as JSON (``search.json``), with ``vectorize`` and
        ``check_walkers``."""
        result = super().dict()
        result["settings"].update(vectorize=self.vectorize, check_walkers=self.check_walkers)
        return result
