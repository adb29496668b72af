"""af.Emcee: the affine-invariant ensemble MCMC sampler of the emcee package."""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np

from autofit.exc import SearchException
from autofit.parallel.serial import uses_workers
from autofit.samples.mcmc import SamplesMCMC
from autofit.searches.base import NonLinearSearch
from autofit.searches.context import BatchLogPosterior, RunContext
from autofit.searches.emcee_backend import npz_backend_class
from autofit.searches.emcee_vectorized import supports_vectorized_sample, vectorized_sample
from autofit.searches.initializer import AbstractInitializer, InitializerBall
from autofit.searches.settings import apply_aliases, whole_number

__all__ = ["Emcee", "AutoCorrelationsSettings", "EmceeAdapter", "mcmc_initializer"]


def mcmc_initializer() -> AbstractInitializer:
    """The default start of the MCMC searches (Emcee, Zeus): a small ball around the prior
    medians. Walkers started together move as one ensemble to the posterior; started across the
    whole prior, a few can stay stranded on a far ridge of the likelihood for the whole run."""
    return InitializerBall(lower_limit=0.49, upper_limit=0.51)


CHECKPOINT = "emcee.npz"


class AutoCorrelationsSettings:
    """When an MCMC run may stop early.

    Every ``check_size`` steps the integrated autocorrelation time ``tau`` of each parameter is
    estimated; the run stops once the chain is longer than ``required_length * tau`` for every
    parameter and ``tau`` changed by less than ``change_threshold`` (relative) since the last check.

    Parameters
    ----------
    check_for_convergence
        Whether to stop early at all.
    check_size
        Steps between checks.
    required_length
        Chain length needed, in autocorrelation times.
    change_threshold
        Largest relative change of ``tau`` between checks.
    """

    def __init__(
        self,
        check_for_convergence: bool = True,
        check_size: int = 100,
        required_length: int = 50,
        change_threshold: float = 0.01,
    ) -> None:
        self.check_for_convergence = check_for_convergence
        self.check_size = whole_number(type(self).__name__, "check_size", check_size)
        self.required_length = required_length
        self.change_threshold = change_threshold

    def dict(self) -> dict[str, Any]:
        """The settings as JSON."""
        return dict(vars(self))

    def converged(self, tau: np.ndarray, previous: np.ndarray | None, iteration: int) -> bool:
        """Whether the run may stop, given this and the previous autocorrelation estimates."""
        if not self.check_for_convergence or previous is None or previous.shape != tau.shape:
            return False
        long_enough = bool(np.all(tau * self.required_length < iteration))
        stable = bool(np.all(np.abs(previous - tau) / tau < self.change_threshold))
        return long_enough and stable


class EmceeAdapter:
    """Runs emcee in blocks, checkpointing its backend after each block.

    Parameters
    ----------
    nwalkers, nsteps
        Ensemble size and maximum chain length.
    settings
        When to stop early.
    vectorize
        Evaluate each half of the ensemble as one batch (``Fitness.call_batch``), stepping the
        sampler with :func:`~autofit.searches.emcee_vectorized.vectorized_sample`.
    """

    def __init__(
        self,
        nwalkers: int,
        nsteps: int,
        settings: AutoCorrelationsSettings,
        vectorize: bool = False,
    ) -> None:
        self.nwalkers = nwalkers
        self.nsteps = nsteps
        self.settings = settings
        self.vectorize = vectorize

    def _load(self, context: RunContext, ndim: int) -> tuple[Any, np.ndarray | None]:
        path = None if context.checkpoint_path is None else context.checkpoint_path / CHECKPOINT
        if path is None or not path.exists():
            return None, None
        backend, arrays = npz_backend_class().load(path, self.nwalkers, ndim)
        previous = arrays.get("previous_tau")
        return (backend if backend.iteration > 0 else None), previous

    def run(self, context: RunContext) -> Any:
        """Run (or resume) the chain until ``nsteps`` or convergence."""
        import emcee

        ndim = context.model.prior_count
        backend, previous_tau = self._load(context, ndim)
        start = None
        if backend is None:
            backend = npz_backend_class()()
            _, start, _ = context.initial_points(self.nwalkers)
            start = np.array(start)
        pool = context.pool if uses_workers(context.pool) else None
        log_prob, batch = context.fitness, None
        if self.vectorize:
            # Each half of the ensemble is one batch, split over the workers by the context.
            log_prob = batch = BatchLogPosterior(context)
            pool = None
        sampler = emcee.EnsembleSampler(
            self.nwalkers, ndim, log_prob, backend=backend, pool=pool, vectorize=self.vectorize
        )
        if batch is not None and not supports_vectorized_sample(sampler):
            batch = None
        if start is not None:
            sampler.random_state = np.random.RandomState(context.seed % 2**32).get_state()
        check = self.settings.check_size if self.settings.check_for_convergence else self.nsteps
        since_update = 0
        progress = context.progress
        progress.start(self.nsteps, backend.iteration, unit="step", best_name="max log posterior")
        # A resumed chain continues from the backend's last sample (as emcee's run_mcmc does).
        state = start if start is not None else sampler.get_last_sample()
        evaluate_batch = context.batch_function()
        while backend.iteration < self.nsteps:
            block = min(check, context.iterations_per_update, self.nsteps - backend.iteration)
            if batch is not None:
                steps = vectorized_sample(sampler, state, block, evaluate_batch)
            else:
                steps = sampler.sample(state, iterations=block, store=True)
            first = backend.iteration
            if progress.live:
                for step in steps:
                    progress.advance(1, best=float(np.max(step.log_prob)))
            else:
                step = deque(steps, maxlen=1).pop()  # the last state of the block
                progress.advance(
                    backend.iteration - first,
                    best=float(np.max(backend.log_prob[first : backend.iteration])),
                )
            state = step
            since_update += block
            converged = False
            extra = {}
            if self.settings.check_for_convergence and backend.iteration % check == 0:
                from autofit.samples.autocorrelation import integrated_time

                tau = integrated_time(backend.chain[: backend.iteration])
                converged = self.settings.converged(tau, previous_tau, backend.iteration)
                previous_tau = tau
            if previous_tau is not None:
                extra["previous_tau"] = previous_tau
            if context.checkpoint_path is not None:
                backend.save(context.checkpoint_path / CHECKPOINT, extra)
            if converged:
                break
            finished = backend.iteration >= self.nsteps
            if since_update >= context.iterations_per_update and not finished:
                # The driver writes the final state itself once the run returns.
                context.update(sampler)
                since_update = 0
        return sampler

    def to_samples(self, context: RunContext, sampler: Any) -> SamplesMCMC:
        """The chain so far as :class:`SamplesMCMC` (all walkers of each step together)."""
        backend = sampler.backend
        iteration = backend.iteration
        ndim = context.model.prior_count
        parameters = backend.chain[:iteration].reshape(-1, ndim)
        log_posterior = backend.log_prob[:iteration].reshape(-1)
        info = {
            "kind": "mcmc",
            "nwalkers": self.nwalkers,
            "nsteps": self.nsteps,
            "total_steps": iteration,
            "acceptance_fraction": float(np.mean(backend.accepted) / max(iteration, 1)),
            "seed": context.seed,
        }
        return SamplesMCMC.from_chain(context.model, parameters, log_posterior, info)


class Emcee(NonLinearSearch):
    """The emcee affine-invariant ensemble sampler.

    Parameters
    ----------
    nwalkers
        Number of walkers in the ensemble (at least twice the number of parameters).
    nsteps
        Maximum number of steps of every walker.
    auto_correlation_settings
        When to stop early (alias ``auto_correlations_settings``).
    vectorize
        Evaluate the log posterior of each half of the ensemble as one batch (emcee's
        ``vectorize``): with the analysis's ``log_likelihood_function_batch`` when it has one
        (point by point otherwise), split over the workers when ``number_of_cores > 1``. The
        sampler is then stepped with whole arrays: the same stretch move on two fixed halves
        of the ensemble, with the random numbers of a block of steps drawn at once, so the
        chain samples the same posterior as emcee's own loop but is not the same chain number
        for number. Not part of the identifier.
    **kwargs
        The common search keywords of :class:`~autofit.searches.base.NonLinearSearch`
        (``name``, ``path_prefix``, ``unique_tag``, ``number_of_cores``, ``pool``,
        ``iterations_per_update``, ``initializer``, ``session``, ``paths``, ``seed``,
        ``silence``).

    Examples
    --------
    >>> search = af.Emcee(nwalkers=30, nsteps=1000, name="gaussian_fit", seed=1)
    >>> result = search.fit(model=model, analysis=analysis)
    """

    default_iterations_per_update = 500

    _default_initializer = staticmethod(mcmc_initializer)

    def __init__(
        self,
        nwalkers: int = 50,
        nsteps: int = 2000,
        auto_correlation_settings: AutoCorrelationsSettings | None = None,
        vectorize: bool = False,
        **kwargs: Any,
    ) -> None:
        if auto_correlation_settings is not None and "auto_correlations_settings" in kwargs:
            raise TypeError(
                "Give either 'auto_correlation_settings' or its alias "
                "'auto_correlations_settings', not both"
            )
        kwargs = apply_aliases(kwargs, {"auto_correlations_settings": "auto_correlation_settings"})
        auto_correlation_settings = kwargs.pop(
            "auto_correlation_settings", auto_correlation_settings
        )
        super().__init__(**kwargs)
        self.nwalkers = whole_number("Emcee", "nwalkers", nwalkers, minimum=2)
        self.nsteps = whole_number("Emcee", "nsteps", nsteps)
        self.auto_correlation_settings = auto_correlation_settings or AutoCorrelationsSettings()
        self.vectorize = bool(vectorize)
        self.adapter = EmceeAdapter(
            self.nwalkers, self.nsteps, self.auto_correlation_settings, vectorize=self.vectorize
        )

    def check_model(self, model: Any) -> None:
        """emcee's stretch move needs at least twice as many walkers as free parameters.

        Raises
        ------
        SearchException
            If ``nwalkers`` is below twice the model's free parameters.
        """
        ndim = model.prior_count
        if self.nwalkers < 2 * ndim:
            raise SearchException(
                f"af.Emcee needs at least twice as many walkers as the {ndim} free parameters: "
                f"got nwalkers={self.nwalkers}; pass nwalkers={2 * ndim} or more"
            )

    @property
    def sampler_settings(self) -> dict[str, Any]:
        return {
            "nwalkers": self.nwalkers,
            "nsteps": self.nsteps,
            "auto_correlation_settings": self.auto_correlation_settings.dict(),
        }

    def dict(self) -> dict[str, Any]:
        """The search's settings as JSON (``search.json``), with ``vectorize``."""
        result = super().dict()
        result["settings"]["vectorize"] = self.vectorize
        return result

    def _fitness(self, model: Any, analysis: Any) -> Any:
        from autofit.analysis.fitness import Fitness

        return Fitness(model, analysis)
