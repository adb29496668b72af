"""JAX likelihoods (``use_jax=True``) against the numpy path: batches, Emcee and gradients.

Two problems:

- ``gaussian``: the simulated 1D Gaussian of ``gaussian_problem.py`` (3 parameters, 100 points),
  fitted with ``af.ex.Analysis`` (numpy, or ``use_jax=True``);
- ``linear_200``: a linear model of 200 coefficients (``af.Array`` of Gaussian priors) fitted to
  500 data points, ``data = design @ coefficients + noise``, with the same analysis written once
  with ``self._xp``.

For each problem the report holds:

- ``batch``: the cost per point of ``Fitness.call_batch`` for batches of 1 to 1024 points, numpy
  (one point at a time) against JAX (one jitted, vmapped call per batch), and the batch size from
  which JAX wins;
- ``lbfgs``: ``af.LBFGS`` with finite differences (numpy) and with JAX's gradient: likelihood
  calls (the driver's count: one per point with gradients, ``parameters + 1`` without), the
  maximum log likelihood found and the time.

For ``gaussian`` it also times ``af.Emcee`` at 32 and 64 walkers (``emcee``), as the time per
likelihood call once the fixed costs (compiling, the initializer) are removed: the numpy path
point by point (``numpy``, ``vectorize=False``), numpy batches through the analysis's
``log_likelihood_function_batch`` (``numpy_batch``, ``vectorize=True``) and JAX
(``use_jax=True``, ``vectorize=True``: one jitted, vmapped call per half-ensemble). emcee's
stretch move proposes half of the walkers at a time, so 32 walkers are batches of 16 and 64
walkers batches of 32.

``--device gpu`` runs the JAX measurements on a GPU; on a machine without one the report's
``device`` entry says "no GPU" and nothing else is measured.

Run from the repository root::

    python benchmarks/jax_likelihood.py              # a few minutes
    python benchmarks/jax_likelihood.py --device gpu

The result is printed as JSON on standard output.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from typing import Any

import common  # first: puts this checkout on sys.path

# Compiled functions are kept on disk for the run: the many Emcee fits below (each with a fitness
# of its own) compile their likelihood once.
os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", tempfile.mkdtemp(prefix="autofit_jax_cache_"))
os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
import numpy as np
from gaussian_problem import make_model, simulate

import autofit as af
from autofit.analysis.fitness import Fitness

BATCH_SIZES = (1, 8, 16, 32, 64, 128, 256, 1024)
COEFFICIENTS = 200
POINTS = 500


class Linear(af.Analysis):
    """``data = design @ coefficients`` with Gaussian noise, written with ``self._xp``."""

    def __init__(self, design: np.ndarray, data: np.ndarray, noise: float, use_jax: bool):
        super().__init__(use_jax=use_jax)
        self.design, self.data, self.noise = design, data, noise

    def log_likelihood_function(self, instance: Any) -> Any:
        xp = self._xp
        residuals = (self.data - self.design @ instance.coefficients) / self.noise
        value = -0.5 * xp.dot(residuals, residuals)
        return value if self.is_jax else float(value)


def linear_problem() -> tuple[af.Collection, Any]:
    rng = np.random.default_rng(1)
    design = rng.normal(size=(POINTS, COEFFICIENTS)) / np.sqrt(COEFFICIENTS)
    truth = rng.normal(size=COEFFICIENTS)
    data = design @ truth + rng.normal(0.0, 0.1, POINTS)
    model = af.Collection(
        coefficients=af.Array(shape=(COEFFICIENTS,), prior=af.GaussianPrior(mean=0.0, sigma=2.0))
    )
    return model, lambda use_jax: Linear(design, data, 0.1, use_jax)


def gaussian_problem() -> tuple[af.Model, Any]:
    data, noise_map = simulate()
    return make_model(), lambda use_jax: af.ex.Analysis(data, noise_map, use_jax=use_jax)


def per_point(function: Any, points: np.ndarray, seconds: float = 0.2) -> float:
    """Microseconds per point of ``function(points)``: the best of 3 runs of about ``seconds``."""
    function(points)  # compile, warm caches
    started = time.perf_counter()
    function(points)
    once = max(time.perf_counter() - started, 1e-6)
    repeat = max(1, int(seconds / once))
    best = np.inf
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(repeat):
            function(points)
        best = min(best, (time.perf_counter() - started) / repeat)
    return 1e6 * best / points.shape[0]


def batch_costs(model: Any, analysis: Any) -> dict[str, Any]:
    numpy_fitness = Fitness(model, analysis(False))
    jax_fitness = Fitness(model, analysis(True))
    rng = np.random.default_rng(2)
    rows: dict[str, Any] = {}
    wins_from = None
    for size in BATCH_SIZES:
        points = model.compiled.batch_vector_from_unit(
            rng.uniform(0.2, 0.8, (size, model.prior_count))
        )
        numpy_us = per_point(lambda p: [numpy_fitness(v) for v in p], points)
        jax_us = per_point(jax_fitness.call_batch, points)
        rows[str(size)] = {
            "numpy_us_per_point": round(numpy_us, 3),
            "jax_us_per_point": round(jax_us, 3),
        }
        if wins_from is None and jax_us < numpy_us:
            wins_from = size
    return {"sizes": rows, "jax_wins_from_batch": wins_from}


def driver_calls(result: Any) -> int:
    for line in (result.paths.output_path / "search.summary").read_text().splitlines():
        if line.startswith("Total Likelihood Calls"):
            return int(line.split()[-1])
    raise KeyError("Total Likelihood Calls")


def lbfgs(model: Any, analysis: Any, folder: str) -> dict[str, Any]:
    report = {}
    for use_jax in (False, True):
        search = af.LBFGS(seed=1, silence=True, name=f"lbfgs_{use_jax}", path_prefix=folder)
        started = time.perf_counter()
        result = search.fit(model=model, analysis=analysis(use_jax))
        report["jax_gradient" if use_jax else "finite_differences"] = {
            "likelihood_calls": driver_calls(result),
            "max_log_likelihood": round(float(result.log_likelihood), 6),
            "seconds": round(time.perf_counter() - started, 3),
        }
    report["calls_ratio"] = round(
        report["finite_differences"]["likelihood_calls"]
        / report["jax_gradient"]["likelihood_calls"],
        2,
    )
    return report


def emcee_fit(model: Any, analysis: Any, walkers: int, steps: int, vectorize: bool) -> float:
    """Seconds of one ``af.Emcee`` fit without output or early stopping."""
    search = af.Emcee(
        nwalkers=walkers,
        nsteps=steps,
        vectorize=vectorize,
        auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
        seed=1,
        silence=True,
    )
    started = time.perf_counter()
    search.fit(model=model, analysis=analysis)
    return time.perf_counter() - started


def emcee_runs(model: Any, analysis: Any, steps: int, repeat: int) -> dict[str, Any]:
    """Microseconds per likelihood call of ``af.Emcee`` at 32 and 64 walkers: the time of a fit
    of ``steps`` steps minus that of ``steps // 10`` steps (which removes the fixed costs:
    compiling, the initializer), over the calls between them; the best of ``repeat`` runs,
    interleaved."""
    short_steps = steps // 10
    paths = {
        "numpy": (False, False),
        "numpy_batch": (False, True),
        "jax": (True, True),
    }
    report: dict[str, Any] = {}
    for walkers in (32, 64):
        calls = walkers * (steps - short_steps)
        best = {name: np.inf for name in paths}
        for _ in range(repeat):
            for name, (use_jax, vectorize) in paths.items():
                long = emcee_fit(model, analysis(use_jax), walkers, steps, vectorize)
                short = emcee_fit(model, analysis(use_jax), walkers, short_steps, vectorize)
                best[name] = min(best[name], 1e6 * (long - short) / calls)
        entry = {f"{name}_us_per_call": round(value, 3) for name, value in best.items()}
        entry["batch_per_call"] = walkers // 2
        entry["jax_speedup_over_numpy"] = round(best["numpy"] / best["jax"], 2)
        entry["jax_speedup_over_numpy_batch"] = round(best["numpy_batch"] / best["jax"], 2)
        report[f"walkers_{walkers}"] = entry
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=("cpu", "gpu"), default="cpu")
    parser.add_argument("--steps", type=int, default=2000, help="Emcee steps")
    parser.add_argument("--repeat", type=int, default=3, help="Emcee repeats (best kept)")
    arguments = parser.parse_args()
    import jax

    report: dict[str, Any] = {"environment": common.environment({"jax": jax.__version__})}
    if arguments.device == "gpu":
        try:
            device = jax.devices("gpu")[0]
        except RuntimeError:
            report["device"] = "no GPU"
            print(json.dumps(report, indent=2))
            return
    else:
        device = jax.devices("cpu")[0]
    report["device"] = str(device)
    with jax.default_device(device), tempfile.TemporaryDirectory(prefix="autofit_jax_") as output:
        # The LBFGS fits write their summaries (the driver's call counts) here, without plots.
        os.environ[af.conf.OUTPUT_PATH_VARIABLE] = output
        os.environ["AUTOFIT_SKIP_VISUALIZATION"] = "1"
        for name, problem in (("gaussian", gaussian_problem), ("linear_200", linear_problem)):
            model, analysis = problem()
            entry: dict[str, Any] = {"parameters": model.prior_count}
            entry["batch"] = batch_costs(model, analysis)
            entry["lbfgs"] = lbfgs(model, analysis, name)
            if name == "gaussian":
                entry["emcee"] = emcee_runs(model, analysis, arguments.steps, arguments.repeat)
            report[name] = entry
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
