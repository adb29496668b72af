"""af.LBFGS and af.BFGS: maximum-likelihood fits with scipy.optimize.minimize.

The optimisers work in the unit hypercube of the priors (L-BFGS-B with bounds [0, 1]; BFGS in
logit coordinates ``t`` with ``u = 1 / (1 + exp(-t))``), where scale parameters with log priors
are well conditioned. The density of the unit cube is uniform, so the maximum found there is the
maximum of the likelihood within the priors.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autofit.output.atomic import atomic_save_npz
from autofit.samples.optimizer import SamplesOptimizer
from autofit.searches.base import NonLinearSearch
from autofit.searches.context import CheckpointError, RunContext

__all__ = ["LBFGS", "BFGS", "ScipyMinimizeAdapter"]

CHECKPOINT = "optimizer.npz"
#: What a rejected or out-of-prior point is worth to the optimiser (a large finite penalty keeps
#: the line searches of BFGS well defined).
PENALTY = -1.0e99
#: Initial points drawn from the initializer; the optimiser starts from the best of them.
STARTS = 20


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * values))


def _logit(units: np.ndarray) -> np.ndarray:
    units = np.clip(units, 1e-12, 1.0 - 1e-12)
    return np.log(units) - np.log1p(-units)


class _Recorder:
    """The objective: optimiser coordinates -> unit vector -> physical vector -> -log L.

    Records every point with a finite likelihood.
    """

    def __init__(self, fitness: Any, model: Any, logit: bool) -> None:
        self.fitness = fitness
        self.model = model
        self.logit = logit
        self.points: list[list[float]] = []
        self.values: list[float] = []

    def vector(self, coordinates: np.ndarray) -> list[float]:
        units = _sigmoid(coordinates) if self.logit else np.clip(coordinates, 0.0, 1.0)
        return self.model.vector_from_unit_vector(units.tolist())

    def __call__(self, coordinates: np.ndarray) -> float:
        vector = self.vector(coordinates)
        value = self.fitness(vector)
        if value > PENALTY:
            self.points.append(vector)
            self.values.append(value)
        return -value


class ScipyMinimizeAdapter:
    """Runs ``scipy.optimize.minimize`` once for the whole fit, checkpointing (and updating the
    output) every ``iterations_per_update`` iterations from its callback; a resumed fit starts a
    new call from the checkpointed point."""

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

    def run(self, context: RunContext) -> Any:
        """Minimise ``-log likelihood`` until convergence or ``maxiter`` iterations."""
        from scipy.optimize import minimize

        logit = self.method != "L-BFGS-B"
        recorder = _Recorder(context.fitness, context.model, logit)
        state = self._load(context)
        if state is None:
            units, _, values = context.initial_points(self._starts(context))
            start = np.array(units[int(np.argmax(values))], dtype=float)
            x, iterations, done = (_logit(start) if logit else start), 0, False
        else:
            x, iterations = state["x"], int(state["iterations"])
            done = bool(state["done"])
            recorder.points = state["points"].tolist()
            recorder.values = state["values"].tolist()
        result = None
        if not done and iterations < self.maxiter:
            calls = 0

            def save(x: np.ndarray, iteration: int, done: bool) -> None:
                if context.checkpoint_path is not None:
                    atomic_save_npz(
                        context.checkpoint_path / CHECKPOINT,
                        x=np.asarray(x, dtype=float),
                        iterations=np.array(iteration),
                        done=np.array(done),
                        points=np.array(recorder.points, dtype=float).reshape(
                            -1, context.model.prior_count
                        ),
                        values=np.array(recorder.values, dtype=float),
                    )

            def every_iteration(x: np.ndarray) -> None:
                # One call of scipy for the whole run, so that the optimiser keeps its curvature
                # estimate; the checkpoint and update come from here.
                nonlocal calls
                calls += 1
                if calls % context.iterations_per_update == 0:
                    save(x, iterations + calls, False)
                    context.update(recorder)

            result = minimize(
                recorder,
                x,
                method=self.method,
                tol=self.tol,
                bounds=self._bounds(context.model),
                options={**self.options, "maxiter": self.maxiter - iterations},
                callback=every_iteration,
            )
            x = np.asarray(result.x, dtype=float)
            iterations += int(result.nit)
            save(x, iterations, True)
        recorder.result = result
        recorder.iterations = iterations
        return recorder

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
            "seed": context.seed,
        }
        return SamplesOptimizer(
            context.model,
            parameters=parameters,
            log_likelihood=log_likelihood,
            log_prior=log_prior,
            samples_info=info,
        )


def _likelihood_fitness(self: Any, model: Any, analysis: Any) -> Any:
    """The optimisers maximise the likelihood alone; rejected points get a finite penalty."""
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
            "maxcor": maxcor,
            "ftol": ftol,
            "gtol": gtol,
            "eps": eps,
            "maxfun": maxfun,
            "maxls": maxls,
        }
        if iprint != -1:
            self.options["iprint"] = iprint
        if disp is not None:
            self.options["disp"] = disp
        self.maxiter = int(maxiter)
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
        self.maxiter = int(maxiter) if maxiter is not None else 15000
        self.adapter = ScipyMinimizeAdapter("BFGS", tol, self.options, self.maxiter)

    @property
    def sampler_settings(self) -> dict[str, Any]:
        settings = {"method": "BFGS", "tol": self.tol, "maxiter": self.maxiter, **self.options}
        settings["norm"] = str(settings["norm"])
        return settings

    _fitness = _likelihood_fitness
