"""af.DynestyStatic and af.DynestyDynamic: nested sampling with the dynesty package.

Likelihoods go through the compiled model: the prior transform is the model's generated
unit-cube transform. Both checkpoint with dynesty's own (atomic) save files under
``files/search_internal/`` every ``iterations_per_update`` iterations and write their samples
there: static runs advance in blocks of that many iterations; dynamic runs (whose initial run and
batches dynesty drives itself) are saved from dynesty's checkpoint hook, which is called once per
iteration and is made to count iterations instead of seconds.

dynesty's save files are pickles, and loading a pickle can run code: each save is followed by
its keyed hash (``dynesty.save.mac``, see :mod:`autofit.output.checkpoint_mac`), and a file
without a valid one is set aside (``dynesty.save.unverified``) with a warning, and the search
starts afresh.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from autofit.output.checkpoint_mac import (
    KEY_PATH_VARIABLE,
    checkpoint_is_signed,
    mac_path,
    set_aside,
    sign_checkpoint,
)
from autofit.parallel.cached import CachedFunction, CachedFunctionPool, register_functions
from autofit.samples.nest import SamplesNest
from autofit.searches.base import NonLinearSearch, checkpoint_warning
from autofit.searches.context import CheckpointError, RunContext
from autofit.searches.dynesty_pool import BATCH, DynestyBatchMap
from autofit.searches.progress import FitProgress
from autofit.searches.settings import apply_aliases, whole_number

__all__ = [
    "DynestyStatic",
    "DynestyDynamic",
    "UnitTransform",
    "DynestyAdapter",
    "IterationCheckpoints",
    "iteration_checkpoints",
    "progress_printer",
    "DEFAULT_SAMPLE",
    "DEFAULT_WALKS",
    "DEFAULT_N_EFFECTIVE",
]

#: How both dynesty searches draw a new live point by default: a random walk from a live point.
#: dynesty's own default (``"auto"``: uniform draws inside the bounding ellipsoids below 10
#: parameters) needs hundreds of thousands of calls when two components of the same class make
#: the posterior multimodal and curved (measured in the searches docs page); pass
#: ``sample="auto"`` for it.
DEFAULT_SAMPLE = "rwalk"
#: Steps of each random walk by default: None is dynesty's own default for random walks,
#: ``ndim + 20`` (fewer steps bias the evidence upwards as the dimension grows).
DEFAULT_WALKS = None
#: Effective posterior samples a dynamic run stops at by default (dynesty's is 10 000).
DEFAULT_N_EFFECTIVE = 1000

CHECKPOINT = "dynesty.save"
#: A rejected point's log likelihood for dynesty (finite: it can never become a live point).
REJECTED = -1.0e300
LOGLIKE, TRANSFORM = "autofit.dynesty.loglike", "autofit.dynesty.prior_transform"


class UnitTransform:
    """Picklable prior transform: unit cube -> physical parameters (the compiled transform)."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def __call__(self, unit: np.ndarray) -> np.ndarray:
        return np.array(self.model.compiled.vector_from_unit(unit.tolist()))


def _accepted(function: Any, settings: dict[str, Any]) -> dict[str, Any]:
    """The settings that ``function`` takes (dynesty's keywords differ between versions)."""
    names = inspect.signature(function).parameters
    return {key: value for key, value in settings.items() if key in names and value is not None}


class IterationCheckpoints:
    """Stands in for dynesty's checkpoint timer during a dynamic run.

    dynesty asks its timer whether to save after each point it hands back (outside the final
    live-point additions); this one runs ``checkpoint`` (save, then write the samples) itself
    once the sampler has advanced ``every`` iterations since the last checkpoint, and always
    answers no. The starting live points of a batch do not advance the iteration count.

    dynesty pickles its timer into the save file, so only the counters are pickled, never the
    callbacks (which hold the fit).

    Parameters
    ----------
    every
        Iterations between checkpoints (``iterations_per_update``).
    iteration
        Returns the sampler's current iteration.
    checkpoint
        Saves the sampler and writes the samples.
    """

    def __init__(
        self,
        every: int,
        iteration: Callable[[], int] | None,
        checkpoint: Callable[[], None] | None,
    ) -> None:
        self.every = max(int(every), 1)
        self.iteration = iteration
        self.checkpoint = checkpoint
        self.last = iteration() if iteration is not None else 0

    def is_time(self) -> bool:
        if self.iteration is None or self.checkpoint is None:
            return False
        current = self.iteration()
        if current - self.last >= self.every:
            self.last = current
            self.checkpoint()
        # dynesty saves when this is True; the checkpoint above has done so already.
        return False

    def __getstate__(self) -> dict[str, Any]:
        return {"every": self.every, "last": self.last}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, iteration=None, checkpoint=None)


@contextlib.contextmanager
def iteration_checkpoints(
    every: int, iteration: Callable[[], int], checkpoint: Callable[[], None]
) -> Iterator[None]:
    """While active, each timer a dynamic dynesty run creates counts iterations (see
    :class:`IterationCheckpoints`)."""
    import dynesty.dynamicsampler as module

    original = module.DelayTimer
    module.DelayTimer = lambda _delay: IterationCheckpoints(every, iteration, checkpoint)
    try:
        yield
    finally:
        module.DelayTimer = original


def _save(sampler: Any, path: Path) -> None:
    """Save the sampler (a pickle) and its MAC, which a resumed run checks before loading it."""
    sampler.save(str(path))
    _sign(path)


def _sign(path: Path) -> None:
    """Write the checkpoint's MAC; without a usable key the fit goes on (a resumed run will then
    start afresh) and says so once."""
    try:
        sign_checkpoint(path)
    except (OSError, ValueError) as error:
        if path not in _UNSIGNED:
            _UNSIGNED.add(path)
            checkpoint_warning(
                f"Cannot sign the checkpoint {path} ({error}): a resumed fit will start "
                f"afresh; set {KEY_PATH_VARIABLE} to a key file you can write"
            )


#: Checkpoints whose MAC could not be written (warned about once).
_UNSIGNED: set[Path] = set()


def progress_printer(progress: FitProgress) -> Callable[..., None]:
    """A ``print_func`` for dynesty's ``run_nested`` that moves the fit's one progress display
    (instead of a new dynesty bar for every block or batch)."""

    def report(results: Any, niter: int, ncall: int, *args: Any, **kwargs: Any) -> None:
        postfix = {}
        logz = getattr(results, "logz", None)
        if logz is not None and np.isfinite(logz):
            postfix["logz"] = float(logz)
        delta = getattr(results, "delta_logz", None)
        if delta is not None and np.isfinite(delta):
            postfix["dlogz"] = float(delta)
        progress.move_to(int(niter), best=getattr(results, "loglstar", None), **postfix)

    return report


class DynestyAdapter:
    """Runs a dynesty sampler, resuming from its save file when one exists."""

    def __init__(self, dynamic: bool, sampler_settings: dict[str, Any], run_settings: dict):
        self.dynamic = dynamic
        self.sampler_settings = sampler_settings
        self.run_settings = run_settings

    def _checkpoint(self, context: RunContext) -> Path | None:
        return None if context.checkpoint_path is None else context.checkpoint_path / CHECKPOINT

    def _pool(self, context: RunContext, transform: UnitTransform) -> DynestyBatchMap:
        """dynesty's pool: lists of points dynesty evaluates at once are one batch
        (``Fitness.call_batch``), split over the workers with several cores."""
        # Sent together, so that each worker's batch and point functions share one fitness.
        functions = {
            LOGLIKE: context.fitness,
            TRANSFORM: transform,
            BATCH: context.fitness.call_batch,
        }
        register_functions(functions)
        given = context.info.get("pool")
        cores = context.info.get("number_of_cores", 1)
        if given is not None:  # e.g. af.MPIPool: its workers receive the functions once
            workers = given.start(None, functions)
        else:
            workers = CachedFunctionPool(functions, cores) if cores > 1 else None
        return DynestyBatchMap(context.fitness, LOGLIKE, workers)

    def _restore(self, path: Path | None, pool: Any) -> Any:
        if path is None or not path.exists():
            return None
        if not checkpoint_is_signed(path):
            # A pickle runs code when loaded: only files this user's runs wrote are trusted.
            kept = set_aside(path)
            checkpoint_warning(
                f"The checkpoint {path} has no valid MAC ({mac_path(path).name}): it was not "
                f"written by your runs or was changed, and loading a pickle can run code; "
                f"starting the search afresh (the old file is kept as {kept.name})"
            )
            return None
        import dynesty

        cls = dynesty.DynamicNestedSampler if self.dynamic else dynesty.NestedSampler
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return cls.restore(str(path), pool=pool)
        except Exception as error:  # noqa: BLE001 - any unreadable file is a bad checkpoint
            raise CheckpointError(f"{path.name}: {error}") from error

    def _new(self, context: RunContext, transform: UnitTransform, pool: Any) -> Any:
        import dynesty

        ndim = context.model.prior_count
        settings = dict(self.sampler_settings)
        # Pass only the proposal settings of the chosen sampling method (dynesty warns
        # about the others).
        sample = settings.get("sample")
        if sample == "rwalk":
            settings.pop("slices", None)
        elif sample in ("slice", "rslice"):
            settings.pop("walks", None)
        elif sample == "unif":
            settings.pop("slices", None)
            settings.pop("walks", None)
        rstate = np.random.default_rng(context.seed)
        loglike, transform = CachedFunction(LOGLIKE), CachedFunction(TRANSFORM)
        common = {
            "rstate": rstate,
            "pool": pool,
            "queue_size": pool.size,
        }
        if self.dynamic:
            cls = dynesty.DynamicNestedSampler
            # nlive sets dynesty's default for the initial run and for every batch.
            settings["nlive"] = self.run_settings["nlive_init"]
            arguments = _accepted(cls.__init__, {**settings, **common})
            return cls(loglike, transform, ndim, **arguments)
        if pool.pool is not None:  # the initial live points are evaluated by the workers
            context = dataclasses.replace(context, pool=pool)
        units, vectors, values = context.initial_points(settings["nlive"])
        live_points = [np.array(units), np.array(vectors), np.array(values)]
        cls = dynesty.NestedSampler
        arguments = _accepted(cls.__new__, {**settings, **common, "live_points": live_points})
        return cls(loglike, transform, ndim, **arguments)

    def run(self, context: RunContext) -> Any:
        """Run (or resume) the nested sampler to its stopping criterion."""
        transform = UnitTransform(context.model)
        pool = self._pool(context, transform)
        path = self._checkpoint(context)
        try:
            sampler = self._restore(path, pool) or self._new(context, transform, pool)
            if self.dynamic:
                self._run_dynamic(sampler, context, path)
            else:
                self._run_static(sampler, context, path)
        except BaseException:
            if pool is not None:
                pool.terminate()  # Ctrl+C: do not wait for the workers
            raise
        if pool is not None:
            pool.close()
        # sampler.ncall counts every call of the run, resumed parts included; the driver adds
        # the calls recorded before this resume itself.
        this_run = int(sampler.ncall) - int(context.info.get("previous_calls", 0))
        context.fitness.calls = max(context.fitness.calls, this_run)
        return sampler

    def _run_static(self, sampler: Any, context: RunContext, path: Path | None) -> None:
        settings = self.run_settings
        dlogz = settings.get("dlogz")
        if dlogz is None:
            dlogz = 1e-3 * (sampler.nlive - 1.0) + 0.01
        maxiter = settings.get("maxiter") or np.iinfo(np.int64).max
        maxcall = settings.get("maxcall") or np.iinfo(np.int64).max
        if sampler.added_live:
            return
        progress = context.progress
        progress.start(None, sampler.it - 1)
        printer = progress_printer(progress)
        while True:
            iterations = sampler.it - 1
            block = int(min(context.iterations_per_update, maxiter - iterations))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sampler.run_nested(
                    # dynesty runs maxiter + 1 iterations per call.
                    maxiter=block - 1,
                    maxcall=int(min(maxcall - sampler.ncall, np.iinfo(np.int64).max)),
                    dlogz=dlogz,
                    add_live=False,
                    print_progress=progress.mode != "quiet",
                    print_func=printer,
                )
            finished = (
                self._remaining_log_evidence(sampler) < dlogz
                or sampler.it - 1 >= maxiter
                or sampler.ncall >= maxcall
                or np.ptp(sampler.live_logl) == 0
            )
            if finished:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    sampler.add_final_live(print_progress=False)
            if path is not None:
                _save(sampler, path)
            if finished:
                return
            progress.move_to(sampler.it - 1, best=float(np.max(sampler.live_logl)))
            context.update(sampler)

    @staticmethod
    def _remaining_log_evidence(sampler: Any) -> float:
        saved = sampler.saved_run
        if not len(saved["logl"]):
            return np.inf
        return float(
            np.logaddexp(0.0, np.max(sampler.live_logl) + saved["logvol"][-1] - saved["logz"][-1])
        )

    def _run_dynamic(self, sampler: Any, context: RunContext, path: Path | None) -> None:
        resume = path is not None and path.exists()
        arguments = _accepted(sampler.run_nested, self.run_settings)

        written = len(sampler.saved_run["logl"])
        progress = context.progress
        progress.start(None, max(int(sampler.it) - 1, 0))

        def checkpoint() -> None:
            nonlocal written
            if path is not None:
                _save(sampler, path)
            # During a batch the results are those of the run before it: write the samples
            # only when they have changed.
            if len(sampler.saved_run["logl"]) != written:
                written = len(sampler.saved_run["logl"])
                context.update(sampler)

        with (
            warnings.catch_warnings(),
            iteration_checkpoints(
                context.iterations_per_update, lambda: int(sampler.it), checkpoint
            ),
        ):
            warnings.simplefilter("ignore")
            sampler.run_nested(
                **arguments,
                print_progress=progress.mode != "quiet",
                print_func=progress_printer(progress),
                # A file is needed for dynesty to ask its (iteration-counting) timer at all;
                # dynesty also saves there once the run is done.
                checkpoint_file=None if path is None else str(path),
                resume=resume,
            )
        if path is not None and path.exists():
            _sign(path)

    def to_samples(self, context: RunContext, sampler: Any) -> SamplesNest:
        """The dead points (and final live points) with their importance weights."""
        results = sampler.results
        parameters = np.asarray(results["samples"], dtype=float).reshape(
            -1, context.model.prior_count
        )
        log_likelihood = np.asarray(results["logl"], dtype=float)
        info: dict[str, Any] = {
            "kind": "nest",
            # A dynamic run's live points vary: its initial (and batch) number is given.
            "number_live_points": int(
                getattr(sampler, "nlive", 0) or getattr(sampler, "nlive0", 0) or 0
            ),
            "total_accepted_samples": int(parameters.shape[0]),
            "total_likelihood_calls": int(np.sum(results["ncall"])),
            "seed": context.seed,
        }
        weights = None
        if parameters.shape[0]:
            log_weights = np.asarray(results["logwt"], dtype=float)
            log_evidence = float(np.asarray(results["logz"])[-1]) - _log_accepted_volume(
                log_likelihood, np.asarray(results["logvol"], dtype=float)
            )
            weights = np.exp(log_weights - log_weights.max())
            info["log_evidence"] = log_evidence
            info["log_evidence_error"] = float(np.asarray(results["logzerr"])[-1])
        log_prior = context.model.compiled.summed_log_priors(parameters)
        return SamplesNest(
            context.model,
            parameters=parameters,
            log_likelihood=log_likelihood,
            log_prior=log_prior,
            weights=weights,
            samples_info=info,
        )


def _log_accepted_volume(log_likelihood: np.ndarray, log_volume: np.ndarray) -> float:
    """The log of the prior volume the analysis accepts, estimated from the run: the volume left
    when the last rejected dead point (likelihood :data:`REJECTED`) died, or 0 without one.

    Dead points drawn from the whole prior include rejected ones (dynamic runs draw their live
    points themselves). Dividing the evidence by this volume gives the evidence of the prior
    renormalised over the accepted region, as for runs whose live points were drawn from the
    accepted region only (DynestyStatic's initializer).
    """
    rejected = np.flatnonzero(log_likelihood <= 0.5 * REJECTED)
    if rejected.size == 0 or log_volume.shape != log_likelihood.shape:
        return 0.0
    return float(log_volume[rejected[-1]])


def _nested_fitness(self: Any, model: Any, analysis: Any) -> Any:
    from autofit.analysis.fitness import Fitness

    return Fitness(model, analysis, use_log_prior=False, resample_value=REJECTED)


def _check_trajectory_settings(fmove: float, max_move: int) -> None:
    """``fmove`` is a fraction in (0, 1] and ``max_move`` a positive number of steps.

    Raises
    ------
    ValueError
        Naming the setting out of range.
    """
    if not 0.0 < fmove <= 1.0:
        raise ValueError(f"fmove must be in (0, 1], got fmove={fmove}")
    if int(max_move) < 1:
        raise ValueError(f"max_move must be at least 1, got max_move={max_move}")


def _settings(self: Any) -> dict[str, Any]:
    return {**self._sampler_settings, **self._run_settings}


class DynestyStatic(NonLinearSearch):
    """Static nested sampling with dynesty: a fixed number of live points.

    New live points are found by random walks from existing ones (``sample="rwalk"``) with
    dynesty's number of steps for them (``walks=None``: ``ndim + 20``), inside several bounding
    ellipsoids (``bound="multi"``). dynesty's own default, ``sample="auto"``, draws uniformly
    inside the ellipsoids below 10 parameters: quick for one peak, but a model with two
    components of the same class (a bimodal, curved posterior) then takes hundreds of thousands
    of likelihood calls, where the random walks take about 25 000 (measured in the searches
    page of the documentation). Every setting given explicitly is used as given.

    Parameters
    ----------
    nlive
        Number of live points.
    bound, sample, bootstrap, enlarge, walks, facc, slices, fmove, max_move, update_interval,
    first_update
        dynesty's sampler settings (``fmove`` and ``max_move`` are passed on to dynesty versions
        that take them). ``walks=None`` and ``slices=None`` leave the steps to dynesty
        (``ndim + 20`` walks, ``3 + ndim`` slices for ``"rslice"``).
    dlogz, maxiter, maxcall
        Stopping criteria of ``run_nested`` (``dlogz`` defaults to dynesty's
        ``1e-3 * (nlive - 1) + 0.01``).
    **kwargs
        The common search keywords (see :class:`~autofit.searches.base.NonLinearSearch`).
    """

    default_iterations_per_update = 500
    uses_driver_pool = False
    _fitness = _nested_fitness
    sampler_settings = property(_settings)

    def __init__(
        self,
        nlive: int = 50,
        bound: str = "multi",
        sample: str = DEFAULT_SAMPLE,
        bootstrap: int | None = None,
        enlarge: float | None = None,
        walks: int | None = DEFAULT_WALKS,
        facc: float = 0.2,
        slices: int = 5,
        fmove: float = 0.9,
        max_move: int = 100,
        update_interval: float | None = None,
        first_update: dict | None = None,
        dlogz: float | None = None,
        maxiter: int | None = None,
        maxcall: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        _check_trajectory_settings(fmove, max_move)
        self._sampler_settings = {
            "nlive": int(nlive),
            "bound": bound,
            "sample": sample,
            "bootstrap": bootstrap,
            "enlarge": enlarge,
            "walks": walks,
            "facc": facc,
            "slices": slices,
            "fmove": fmove,
            "max_move": max_move,
            "update_interval": update_interval,
            "first_update": first_update,
        }
        self._run_settings = {"dlogz": dlogz, "maxiter": maxiter, "maxcall": maxcall}
        self.nlive = int(nlive)
        self.adapter = DynestyAdapter(False, self._sampler_settings, self._run_settings)


class DynestyDynamic(NonLinearSearch):
    """Dynamic nested sampling with dynesty: live points added where the posterior needs them.

    New live points are found by random walks, as for :class:`DynestyStatic` (see there why),
    and batches are added until the posterior has ``n_effective`` = 1000 effective samples
    (dynesty's default, 10 000, takes several times the likelihood calls of a static run).
    Every setting given explicitly is used as given.

    Parameters
    ----------
    nlive_init
        Live points of the initial run and of each batch (alias ``nlive``; default 500).
    dlogz_init
        Stopping criterion of the initial run.
    maxiter, maxcall
        Overall limits.
    bound, sample, bootstrap, enlarge, walks, facc, slices, fmove, max_move, update_interval,
    first_update
        dynesty's sampler settings (``fmove`` and ``max_move`` are passed on to dynesty versions
        that take them). ``walks=None`` and ``slices=None`` leave the steps to dynesty.
    n_effective
        Batches are added until the posterior's effective sample size reaches this (None:
        dynesty's default, ``max(10000, ndim ** 2)``).
    **kwargs
        The common search keywords (see :class:`~autofit.searches.base.NonLinearSearch`).
    """

    default_iterations_per_update = 500
    uses_driver_pool = False
    _fitness = _nested_fitness
    sampler_settings = property(_settings)

    def __init__(
        self,
        nlive_init: int | None = None,
        dlogz_init: float = 0.01,
        maxiter: int | None = None,
        maxcall: int | None = None,
        bound: str = "multi",
        sample: str = DEFAULT_SAMPLE,
        bootstrap: int | None = None,
        enlarge: float | None = None,
        walks: int | None = DEFAULT_WALKS,
        facc: float = 0.2,
        slices: int = 5,
        fmove: float = 0.9,
        max_move: int = 100,
        update_interval: float | None = None,
        first_update: dict | None = None,
        n_effective: int | None = DEFAULT_N_EFFECTIVE,
        **kwargs: Any,
    ) -> None:
        if nlive_init is not None and "nlive" in kwargs:
            raise TypeError("Give either 'nlive_init' or its alias 'nlive', not both")
        kwargs = apply_aliases(kwargs, {"nlive": "nlive_init"})
        nlive_init = kwargs.pop("nlive_init", nlive_init)
        nlive_init = 500 if nlive_init is None else nlive_init
        super().__init__(**kwargs)
        _check_trajectory_settings(fmove, max_move)
        if n_effective is not None:
            n_effective = whole_number("DynestyDynamic", "n_effective", n_effective)
        self._sampler_settings = {
            "bound": bound,
            "sample": sample,
            "bootstrap": bootstrap,
            "enlarge": enlarge,
            "walks": walks,
            "facc": facc,
            "slices": slices,
            "fmove": fmove,
            "max_move": max_move,
            "update_interval": update_interval,
            "first_update": first_update,
        }
        self._run_settings = {
            "nlive_init": int(nlive_init),
            "dlogz_init": dlogz_init,
            "n_effective": n_effective,
            "maxiter": maxiter,
            "maxcall": maxcall,
        }
        self.nlive_init = int(nlive_init)
        self.adapter = DynestyAdapter(True, self._sampler_settings, self._run_settings)
