"""Time a batched numpy likelihood: ``af.Emcee(vectorize=True)`` against raw emcee.

The simulated 1D Gaussian of ``gaussian_problem.py`` (100 points, ``af.ex.simulate_data``) is
fitted with 32 walkers and 1000 steps, the same seed and the same starting points, by:

- ``raw``: ``emcee.EnsembleSampler`` calling a hand-written per-point log probability (uniform
  prior bounds check, Gaussian profile and chi-squared in numpy on the 100 points), as a user of
  emcee would write it;
- ``autofit_batch``: ``af.Emcee(vectorize=True)`` fitting ``af.Model(af.ex.Gaussian)`` with
  ``af.ex.Analysis``, whose ``log_likelihood_function_batch`` evaluates each half of the ensemble
  (16 points) in one numpy call on a batch instance; the ensemble is stepped with whole arrays
  (the stretch move on two fixed halves, each block's random numbers drawn in one call);
- ``autofit_per_point``: ``af.Emcee()`` with the same analysis, one point at a time, for scale.

No output folder is written and the convergence check is off, so every run makes 1000 steps.
Each fit is timed from building the search (or sampler) to the result; the fits run in turn
``--repeat`` times and the best time of each is kept. Target: ``autofit_batch`` at least 5x
faster than ``raw``.

The posteriors are compared after discarding the first ``BURN_IN`` steps: mean and standard
deviation of each parameter over the walkers of the remaining steps, for ``raw`` and
``autofit_batch``. Both start from the same points, but their chains differ (the stepping of
``vectorize=True`` draws its random numbers differently from emcee's loop), so they agree within
sampling noise: ``same_posterior`` says whether every mean differs by less than
``MEAN_TOLERANCE`` raw standard deviations and every standard deviation by less than
``SD_TOLERANCE`` (relative).

Run from the repository root::

    python benchmarks/batch_likelihood.py              # about 15 s
    python benchmarks/batch_likelihood.py --repeat 5

The result is printed as JSON on standard output.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import common  # first: puts this checkout on sys.path
import emcee
import numpy as np
from gaussian_problem import (
    BOUNDS,
    SEED,
    TRUTH,
    make_log_probability,
    make_model,
    simulate,
    starting_points,
)

import autofit as af

NWALKERS = 32
NSTEPS = 1000
BURN_IN = 300
TARGET = 5.0
#: Largest difference of the posterior means, in raw posterior standard deviations (about six
#: standard errors of the difference of two independent chains of this length).
MEAN_TOLERANCE = 0.3
#: Largest relative difference of the posterior standard deviations.
SD_TOLERANCE = 0.15


def fit_raw(data: np.ndarray, noise_map: np.ndarray) -> np.ndarray:
    """Raw emcee with the per-point log probability; the chain."""
    sampler = emcee.EnsembleSampler(NWALKERS, len(BOUNDS), make_log_probability(data, noise_map))
    sampler.random_state = np.random.RandomState(SEED).get_state()
    sampler.run_mcmc(starting_points(NWALKERS), NSTEPS)
    return sampler.get_chain()


def fit_autofit(data: np.ndarray, noise_map: np.ndarray, vectorize: bool) -> np.ndarray:
    """``af.Emcee`` with ``af.ex.Analysis`` and no output; the chain."""
    search = af.Emcee(
        nwalkers=NWALKERS,
        nsteps=NSTEPS,
        seed=SEED,
        vectorize=vectorize,
        auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
        initializer=af.InitializerPrior(),
        silence=True,
    )
    result = search.fit(model=make_model(), analysis=af.ex.Analysis(data, noise_map))
    return result.search_internal.get_chain()


def posterior(chain: np.ndarray) -> dict[str, dict[str, float]]:
    """Mean and standard deviation of each parameter after the burn-in."""
    kept = chain[BURN_IN:].reshape(-1, chain.shape[-1])
    return {
        name: {"mean": float(np.mean(column)), "sd": float(np.std(column))}
        for name, column in zip(BOUNDS, kept.T, strict=True)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each fit (best kept)")
    arguments = parser.parse_args()
    report: dict[str, Any] = {
        "environment": common.environment(
            {"numpy": np.__version__, "emcee": emcee.__version__, "autofit": af.__version__}
        ),
        "problem": {"nwalkers": NWALKERS, "nsteps": NSTEPS, "pixels": 100, "truth": TRUTH},
    }
    data, noise_map = simulate()
    chains = {
        "raw": fit_raw(data, noise_map),
        "autofit_batch": fit_autofit(data, noise_map, vectorize=True),
    }
    fits = {
        "raw": lambda: fit_raw(data, noise_map),
        "autofit_batch": lambda: fit_autofit(data, noise_map, vectorize=True),
        "autofit_per_point": lambda: fit_autofit(data, noise_map, vectorize=False),
    }
    wall, cpu, _ = common.timed_runs(fits, arguments.repeat)
    best = {name: min(times) for name, times in wall.items()}
    speedup = best["raw"] / best["autofit_batch"]
    report["seconds"] = {name: round(value, 4) for name, value in best.items()}
    report["cpu_seconds"] = {name: round(min(times), 4) for name, times in cpu.items()}
    report["all_wall_seconds"] = {
        name: [round(value, 4) for value in times] for name, times in wall.items()
    }
    report["speedup_batch_over_raw"] = round(speedup, 2)
    report["speedup_batch_over_per_point"] = round(
        best["autofit_per_point"] / best["autofit_batch"], 2
    )
    report["target"] = TARGET
    report["meets_target"] = bool(speedup >= TARGET)
    report["posterior"] = {name: posterior(chain) for name, chain in chains.items()}
    raw, batch = report["posterior"]["raw"], report["posterior"]["autofit_batch"]
    report["mean_offsets_in_sd"] = {
        name: round(abs(batch[name]["mean"] - raw[name]["mean"]) / raw[name]["sd"], 3)
        for name in raw
    }
    report["sd_ratios"] = {name: round(batch[name]["sd"] / raw[name]["sd"], 3) for name in raw}
    report["same_posterior"] = all(
        report["mean_offsets_in_sd"][name] < MEAN_TOLERANCE
        and abs(report["sd_ratios"][name] - 1.0) < SD_TOLERANCE
        for name in raw
    )
    report["burn_in_steps"] = BURN_IN
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
