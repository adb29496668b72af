"""af.LBFGS and af.BFGS: maximum-likelihood fits with scipy.optimize.minimize.

The optimisers work in the unit hypercube of the priors (L-BFGS-B with bounds [0, 1]; BFGS in
logit coordinates ``t`` with ``u = 1 / (1 + exp(-t))``), where scale parameters with log priors
are well conditioned. The density of the unit cube is uniform, so the maximum found there is the
maximum of the likelihood within the priors.

For an analysis created with ``use_jax=True`` the gradient is JAX's (``jax.value_and_grad`` of
coordinates -> unit vector -> physical vector -> log likelihood, jitted): one likelihood
evaluation per point instead of the ``dimensions + 1`` of forward finite differences.
"""

from __future__ import annotations

import logging
import math
import warnings
from typing import Any

import numpy as np

from autofit.output.atomic import atomic_save_npz
from autofit.samples.optimizer import SamplesOptimizer
from autofit.searches.base import NonLinearSearch
from autofit.searches.context import CheckpointError, RunContext
from autofit.searches.settings import whole_number

__all__ = ["LBFGS", "BFGS", "ScipyMinimizeAdapter", "OptimizerWarning"]

logger = logging.getLogger("autofit.search")

CHECKPOINT = "optimizer.npz"
#: What the fitness returns for a rejected or out-of-prior point (the optimiser never sees it:
#: the objective replaces it with a finite penalty, see :class:`_Objective`).
PENALTY = -1.0e99
#: Initial points drawn from the initializer; the optimiser starts from the best of them.
STARTS = 20
#: Runs of scipy after the first, each from the best accepted point, when a run met rejections.
RESTARTS = 3
#: The default finite-difference step of each method (scipy's).
DEFAULT_EPS = {"L-BFGS-B": 1e-08, "BFGS": 1.4901161193847656e-08}
FLOAT64_PRECISION = float(np.finfo(float).eps)
#: scipy's status of a run ended by a failed line search (both methods: "ABNORMAL_TERMINATION_IN_
#: LNSRCH" for L-BFGS-B, "Desired error not necessarily achieved due to precision loss" for BFGS).
LINE_SEARCH_FAILED = 2
#: scipy's status of a run stopped by ``maxiter`` (or ``maxfun`` for L-BFGS-B): no restart.
LIMIT_REACHED = 1


class OptimizerWarning(UserWarning):
    """An optimiser stopped where its result cannot be trusted: on a point the analysis rejects,
    or at its start point because the likelihood did not change over a finite-difference step."""


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * values))


def _logit(units: np.ndarray) -> np.ndarray:
    units = np.clip(units, 1e-12, 1.0 - 1e-12)
    return np.log(units) - np.log1p(-units)


class _Objective:
    """What scipy minimises: optimiser coordinates -> unit vector -> physical vector -> -log L,
    with its finite-difference gradient.

    Records every point with a finite likelihood. A rejected point (``FitException``, NaN or an
    infinity, outside a prior's limits, a violated assertion) is given a finite penalty instead
    of a huge number: the objective of the last accepted point plus a slope times the distance
    from it. The penalty is always worse than that point, so line searches step back, and it
    grows with the distance into the rejected region. Its gradient is the penalty's own (pointing
    back to the accepted point), with no likelihood calls; at an accepted point, a step whose
    forward difference lands in the rejected region is taken backwards instead.

    Parameters
    ----------
    fitness
        Physical vector -> log likelihood (``PENALTY`` when rejected).
    model
        The model (unit -> physical vectors).
    logit
        Whether the coordinates are logits of the unit vector (BFGS) or the unit vector itself
        (L-BFGS-B, bounded to [0, 1]).
    step
        The finite-difference step in the coordinates.
    """

    def __init__(self, fitness: Any, model: Any, logit: bool, step: float = 1e-8) -> None:
        self.fitness = fitness
        self.model = model
        self.logit = logit
        self.step = step
        self.points: list[list[float]] = []
        self.values: list[float] = []
        self.penalised = 0
        self._penalised_points: set[bytes] = set()
        self.reference: np.ndarray | None = None
        self.reference_objective = math.inf
        self.best: np.ndarray | None = None
        self.best_value = -math.inf

    def coordinates(self, units: np.ndarray) -> np.ndarray:
        """Optimiser coordinates of a unit vector."""
        units = np.asarray(units, dtype=float)
        return _logit(units) if self.logit else units

    def vector(self, coordinates: np.ndarray) -> list[float]:
        units = _sigmoid(coordinates) if self.logit else np.clip(coordinates, 0.0, 1.0)
        return self.model.vector_from_unit_vector(units.tolist())

    def accept(self, coordinates: np.ndarray, value: float) -> None:
        """Make an accepted point the reference of the penalty (and the best, if it is)."""
        coordinates = np.array(coordinates, dtype=float)
        self.reference, self.reference_objective = coordinates, -value
        if value > self.best_value:
            self.best, self.best_value = coordinates, value

    def __call__(self, coordinates: np.ndarray) -> float:
        vector = self.vector(coordinates)
        value = self.fitness(vector)
        if value > PENALTY:
            self.points.append(vector)
            self.values.append(value)
            self.accept(coordinates, value)
            return -value
        return self._penalty(coordinates)

    def _penalty(self, coordinates: np.ndarray) -> float:
        self.penalised += 1
        self._penalised_points.add(np.asarray(coordinates, dtype=float).tobytes())
        if self.reference is None:
            return -PENALTY
        distance = float(np.linalg.norm(np.asarray(coordinates) - self.reference))
        slope = max(1.0, abs(self.reference_objective))
        return self.reference_objective + slope * max(distance, 1e-12)

    def _penalty_gradient(self, coordinates: np.ndarray) -> np.ndarray:
        if self.reference is None:
            return np.zeros_like(coordinates)
        offset = coordinates - self.reference
        distance = max(float(np.linalg.norm(offset)), 1e-12)
        return max(1.0, abs(self.reference_objective)) * offset / distance

    def value_and_gradient(self, coordinates: np.ndarray) -> tuple[float, np.ndarray]:
        """The objective and its forward-difference gradient (see the class docstring)."""
        coordinates = np.array(coordinates, dtype=float)
        value = self(coordinates)
        if self.is_penalised(coordinates):
            return value, self._penalty_gradient(coordinates)
        gradient = np.empty_like(coordinates)
        for index in range(coordinates.size):
            gradient[index] = self._derivative(coordinates, value, index)
        return value, gradient

    def _derivative(self, coordinates: np.ndarray, value: float, index: int) -> float:
        steps = (self.step, -self.step)
        if not self.logit and coordinates[index] + self.step > 1.0:
            steps = (-self.step,)
        elif not self.logit and coordinates[index] - self.step < 0.0:
            steps = (self.step,)
        derivative = 0.0
        for number, step in enumerate(steps):
            shifted = coordinates.copy()
            shifted[index] += step
            shifted_value = self(shifted)
            derivative = (shifted_value - value) / (shifted[index] - coordinates[index])
            if not self.is_penalised(shifted) or number == len(steps) - 1:
                break
        return derivative

    def is_penalised(self, coordinates: np.ndarray) -> bool:
        """Whether the objective at ``coordinates`` was a penalty."""
        return np.asarray(coordinates, dtype=float).tobytes() in self._penalised_points


class _JaxObjective(_Objective):
    """:class:`_Objective` with the exact gradient of a JAX likelihood (one traced, jitted
    evaluation gives the value and the gradient); rejected points get the same penalty."""

    def __init__(self, fitness: Any, model: Any, logit: bool, step: float = 1e-8) -> None:
        super().__init__(fitness, model, logit, step)
        import jax

        jnp = jax.numpy
        traceable = fitness.traceable

        def log_likelihood(coordinates: Any) -> tuple[Any, Any]:
            if logit:
                units = 0.5 * (1.0 + jnp.tanh(0.5 * coordinates))
            else:
                units = jnp.clip(coordinates, 0.0, 1.0)
            vector = traceable.vector_from_unit(units)
            return fitness.traced(vector)[0], vector

        self._value_and_gradient = jax.jit(jax.value_and_grad(log_likelihood, has_aux=True))

    def value_and_gradient(self, coordinates: np.ndarray) -> tuple[float, np.ndarray]:
        """The objective and its exact gradient (the penalty's own at a rejected point)."""
        coordinates = np.array(coordinates, dtype=float)
        (value, vector), gradient = self._value_and_gradient(coordinates)
        value = float(value)
        self.fitness.calls += 1
        if not math.isfinite(value):
            self.fitness.rejected += 1
            return self._penalty(coordinates), self._penalty_gradient(coordinates)
        self.points.append(np.asarray(vector, dtype=float).tolist())
        self.values.append(value)
        self.accept(coordinates, value)
        gradient = np.asarray(gradient, dtype=float)
        return -value, -np.where(np.isfinite(gradient), gradient, 0.0)


class ScipyMinimizeAdapter:
    """Runs ``scipy.optimize.minimize``, checkpointing (and updating the output) every
    ``iterations_per_update`` iterations from its callback; a resumed fit starts a new call
    from the checkpointed point.

    A run that met rejected points is followed by new runs from the best accepted point (up to
    ``RESTARTS``, while they improve it). A JAX likelihood (``use_jax=True``) gives its exact
    gradient. A likelihood of low precision (``numpy.float32``) gets
    a finite-difference step of the square root of its precision, unless ``eps`` was given.
    """

    def __init__(self, method: str, tol: float | None, options: dict[str, Any], maxiter: int):
        self.method = method
        self.tol = tol
        self.options = options
        self.maxiter = maxiter

    def _load(self, context: RunContext) -> dict[str, np.ndarray] | None:
        if context.checkpoint_path is None:
            return None
        path = context.checkpoint_path / CHECKPOINT
        if not path.exists():
            return None
        try:
            with open(path, "rb") as file, np.load(file, allow_pickle=False) as data:
                state = {name: data[name] for name in data.files}
            if state["x"].shape != (context.model.prior_count,):
                raise ValueError(f"start point of shape {state['x'].shape}")
        except Exception as error:  # noqa: BLE001 - any unreadable file is a bad checkpoint
            raise CheckpointError(f"{CHECKPOINT}: {error}") from error
        return state

    @staticmethod
    def _starts(context: RunContext) -> int:
        """Initial points drawn; the optimiser starts from the best (one for given starts)."""
        from autofit.searches.initializer import InitializerParamStartPoints

        return 1 if isinstance(context.initializer, InitializerParamStartPoints) else STARTS

    def _bounds(self, model: Any) -> list[tuple[float, float]] | None:
        return [(0.0, 1.0)] * model.prior_count if self.method == "L-BFGS-B" else None

    def _options(self, fitness: Any, dimensions: int) -> dict[str, Any]:
        """scipy's options, with a finite-difference step suited to the likelihood's precision.

        The objective returns its own gradient, so scipy counts one evaluation where the
        likelihood is called ``dimensions + 1`` times (once with a JAX gradient): ``maxfun`` (a
        number of likelihood calls, as when scipy takes the finite differences) is divided
        accordingly.
        """
        options = dict(self.options)
        precision = getattr(fitness, "precision", FLOAT64_PRECISION)
        if options.get("eps") == DEFAULT_EPS[self.method] and precision > FLOAT64_PRECISION:
            options["eps"] = max(math.sqrt(precision), options["eps"])
        if "maxfun" in options and not _has_jax_gradient(fitness):
            options["maxfun"] = max(1, options["maxfun"] // (dimensions + 1))
        return options

    def _start(self, context: RunContext, objective: _Objective) -> tuple[np.ndarray, int, bool]:
        """The start point, iterations done and whether the run finished (from a checkpoint if
        there is one)."""
        state = self._load(context)
        if state is None:
            units, _, values = context.initial_points(self._starts(context))
            best = int(np.argmax(values))
            x = objective.coordinates(np.array(units[best], dtype=float))
            objective.accept(x, float(values[best]))
            return x, 0, False
        objective.points = state["points"].tolist()
        objective.values = state["values"].tolist()
        if objective.values:
            best = int(np.argmax(objective.values))
            units = context.model.unit_vector_from_vector(objective.points[best])
            objective.accept(objective.coordinates(units), objective.values[best])
        return state["x"], int(state["iterations"]), bool(state["done"])

    def run(self, context: RunContext) -> Any:
        """Minimise ``-log likelihood`` until convergence or ``maxiter`` iterations."""
        from scipy.optimize import minimize

        objective_class = _JaxObjective if _has_jax_gradient(context.fitness) else _Objective
        objective = objective_class(context.fitness, context.model, self.method != "L-BFGS-B")
        x, iterations, done = self._start(context, objective)
        options = self._options(context.fitness, context.model.prior_count)
        objective.step = options.pop("eps")
        start_value = objective.best_value
        calls = 0
        run_start = iterations

        def save(x: np.ndarray, iteration: int, done: bool) -> None:
            if context.checkpoint_path is not None:
                atomic_save_npz(
                    context.checkpoint_path / CHECKPOINT,
                    x=np.asarray(x, dtype=float),
                    iterations=np.array(iteration),
                    done=np.array(done),
                    points=np.array(objective.points, dtype=float).reshape(
                        -1, context.model.prior_count
                    ),
                    values=np.array(objective.values, dtype=float),
                )

        def every_iteration(x: np.ndarray) -> None:
            # One call of scipy per run, so that the optimiser keeps its curvature estimate;
            # the checkpoint and update come from here.
            nonlocal calls
            calls += 1
            if calls % context.iterations_per_update == 0:
                save(x, run_start + calls, False)
                context.update(objective)

        result = None
        restarts = 0
        while not done and iterations < self.maxiter:
            best_before, penalised_before = objective.best_value, objective.penalised
            calls, run_start = 0, iterations
            result = minimize(
                objective.value_and_gradient,
                x,
                jac=True,
                method=self.method,
                tol=self.tol,
                bounds=self._bounds(context.model),
                options={**options, "maxiter": self.maxiter - iterations},
                callback=every_iteration,
            )
            x = np.asarray(result.x, dtype=float)
            iterations += int(result.nit)
            met_rejections = objective.penalised > penalised_before
            improved = objective.best_value > best_before
            trusted = not met_rejections and result.status != LINE_SEARCH_FAILED
            limited = result.status == LIMIT_REACHED
            if trusted or limited or restarts == RESTARTS or (restarts and not improved):
                break
            # Rejections and likelihoods of low precision can end a run early (a line search
            # that cannot step back into the accepted region, or cannot resolve a decrease):
            # start again, with a fresh curvature estimate, from the best accepted point.
            restarts += 1
            x = objective.best.copy()
        if result is not None:
            self._warn(objective, x, start_value, result)
            save(x, iterations, True)
        objective.result = result
        objective.iterations = iterations
        return objective

    def _warn(
        self,
        objective: _Objective,
        x: np.ndarray,
        start_value: float,
        result: Any,
    ) -> None:
        """Warn when the optimiser stopped where its result cannot be trusted."""
        name = "LBFGS" if self.method == "L-BFGS-B" else "BFGS"
        if objective.is_penalised(x):
            message = (
                f"{name} stopped at a point the analysis rejects (FitException, NaN or infinite "
                f"likelihood, a prior limit or an assertion), after {objective.penalised} "
                f"rejected evaluations and restarts from the best accepted point. The result is "
                f"the best accepted point, which may not be the maximum likelihood: check that "
                f"the rejected region is meant to be rejected, or fit with a sampler."
            )
        elif objective.best_value <= start_value and not np.any(result.jac):
            message = (
                f"{name} stopped at its start point ({result.message}): the likelihood did not "
                f"change over the finite-difference step eps={objective.step!r} of the "
                f"optimiser's coordinates (the unit hypercube of the priors, or its logits for "
                f"BFGS). A likelihood of low precision (e.g. numpy.float32) or one that is flat "
                f"there needs a larger step: pass eps=1e-4 or more, or return float64."
            )
        else:
            return
        logger.warning(message)
        warnings.warn(message, OptimizerWarning, stacklevel=2)

    def to_samples(self, context: RunContext, recorder: Any) -> SamplesOptimizer:
        """Every accepted point the optimiser evaluated."""
        count = context.model.prior_count
        parameters = np.array(recorder.points, dtype=float).reshape(-1, count)
        log_likelihood = np.array(recorder.values, dtype=float)
        log_prior = context.model.compiled.summed_log_priors(parameters)
        info = {
            "kind": "optimizer",
            "method": self.method,
            "iterations": int(getattr(recorder, "iterations", 0)),
            "gradient": "jax" if isinstance(recorder, _JaxObjective) else "finite differences",
            "seed": context.seed,
        }
        return SamplesOptimizer(
            context.model,
            parameters=parameters,
            log_likelihood=log_likelihood,
            log_prior=log_prior,
            samples_info=info,
        )


def _has_jax_gradient(fitness: Any) -> bool:
    """Whether the fitness is traceable by JAX (an analysis created with ``use_jax=True``)."""
    return hasattr(fitness, "traced")


def _likelihood_fitness(self: Any, model: Any, analysis: Any) -> Any:
    """The optimisers maximise the likelihood alone; rejected points get a finite penalty (see
    :class:`_Objective`)."""
    from autofit.analysis.fitness import Fitness

    return Fitness(model, analysis, use_log_prior=False, resample_value=PENALTY)


class LBFGS(NonLinearSearch):
    """Limited-memory BFGS with bounds (``scipy.optimize.minimize(method="L-BFGS-B")``),
    maximising the likelihood over the unit hypercube of the priors (bounds [0, 1]).

    Parameters
    ----------
    tol, maxcor, ftol, gtol, eps, maxfun, maxiter, iprint, maxls, disp
        scipy's options of the L-BFGS-B method, with its defaults.
    **kwargs
        The common search keywords (see :class:`~autofit.searches.base.NonLinearSearch`).
    """

    default_iterations_per_update = 100
    #: The optimisers evaluate one point at a time: no likelihood pool.
    uses_driver_pool = False
    takes_pool = False

    def __init__(
        self,
        tol: float | None = None,
        maxcor: int = 10,
        ftol: float = 2.220446049250313e-09,
        gtol: float = 1e-05,
        eps: float = 1e-08,
        maxfun: int = 15000,
        maxiter: int = 15000,
        iprint: int = -1,
        maxls: int = 20,
        disp: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.tol = tol
        self.options = {
            "maxcor": whole_number("LBFGS", "maxcor", maxcor),
            "ftol": ftol,
            "gtol": gtol,
            "eps": eps,
            "maxfun": whole_number("LBFGS", "maxfun", maxfun),
            "maxls": whole_number("LBFGS", "maxls", maxls),
        }
        if iprint != -1:
            self.options["iprint"] = iprint
        if disp is not None:
            self.options["disp"] = disp
        self.maxiter = whole_number("LBFGS", "maxiter", maxiter)
        self.adapter = ScipyMinimizeAdapter("L-BFGS-B", tol, self.options, self.maxiter)

    @property
    def sampler_settings(self) -> dict[str, Any]:
        return {"method": "L-BFGS-B", "tol": self.tol, "maxiter": self.maxiter, **self.options}

    _fitness = _likelihood_fitness


class BFGS(NonLinearSearch):
    """BFGS quasi-Newton optimisation (``scipy.optimize.minimize(method="BFGS")``), maximising
    the likelihood in logit coordinates of the priors' unit hypercube.

    Parameters
    ----------
    tol, gtol, norm, eps, maxiter, disp, xrtol, c1, c2
        scipy's options of the BFGS method, with its defaults.
    **kwargs
        The common search keywords (see :class:`~autofit.searches.base.NonLinearSearch`).
    """

    default_iterations_per_update = 100
    #: The optimisers evaluate one point at a time: no likelihood pool.
    uses_driver_pool = False
    takes_pool = False

    def __init__(
        self,
        tol: float | None = None,
        gtol: float = 1e-05,
        norm: float = math.inf,
        eps: float = 1.4901161193847656e-08,
        maxiter: int | None = None,
        disp: bool = False,
        xrtol: float = 0.0,
        c1: float = 1e-4,
        c2: float = 0.9,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.tol = tol
        self.options = {
            "gtol": gtol,
            "norm": norm,
            "eps": eps,
            "disp": disp,
            "xrtol": xrtol,
            "c1": c1,
            "c2": c2,
        }
        self.maxiter = 15000 if maxiter is None else whole_number("BFGS", "maxiter", maxiter)
        self.adapter = ScipyMinimizeAdapter("BFGS", tol, self.options, self.maxiter)

    @property
    def sampler_settings(self) -> dict[str, Any]:
        settings = {"method": "BFGS", "tol": self.tol, "maxiter": self.maxiter, **self.options}
        settings["norm"] = str(settings["norm"])
        return settings

    _fitness = _likelihood_fitness
