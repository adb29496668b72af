"""Time a whole nested-sampling fit: ``af.DynestyStatic`` against raw dynesty.

The problem of ``fit_overhead.py`` (defined in ``gaussian_problem.py``): one simulated 1D
Gaussian (100 points, centre 50, normalization 25, sigma 10, noise 0.1), U(0, 100) priors on
centre and normalization and U(0, 30) on sigma. It is fitted with 50 live points and the same
seed three ways:

- ``raw``: ``dynesty.NestedSampler`` with a hand-written prior transform (the three uniform
  priors) and log likelihood (Gaussian profile and chi-squared in numpy on the 100 points),
  ``nlive=50``, ``rstate=numpy.random.default_rng(SEED)``, then ``run_nested`` with dynesty's
  default stopping criterion and ``sampler.results``. This is the floor;
- ``autofit``: ``af.DynestyStatic(nlive=50, seed=SEED)`` fitting ``af.Model(af.ex.Gaussian)``
  with ``af.ex.Analysis``, with no output folder;
- ``autofit_output``: the same with ``name="nested_overhead"`` and a fresh temporary output folder
  for every run (default ``iterations_per_update``), so every file of a fit is written.

A fit with output has its search plots drawn by the plot server (a forked process); the benchmark
waits for them outside the timings (``background_seconds_after_fit``), so they do not compete
with the next fit for the processor, and also reports the time with them
(``wall_seconds_best_including_plots``, ``over_raw_including_plots``).

Each fit builds its sampler (or model, analysis and search) from scratch and is timed from there
to the returned result. The three fits run in turn, ``--repeat`` times, and the best time of each
is kept.

Targets: ``autofit`` within 1.3x of ``raw`` and ``autofit_output`` within 1.5x. The reference
implementation spends about 1.4 ms per likelihood call on this problem, 5x raw dynesty's total
time.

Before timing, one fit of each kind is checked: likelihood calls are counted (the raw likelihood
and the analysis's ``log_likelihood_function``), and both log evidences are reported with their
errors (autofit draws its initial live points with its initializer, so the two runs are not the
same sequence of points; they must agree within their errors). Per-call times of the hot path
at a fixed point (raw likelihood and prior transform, autofit's fitness and unit transform)
separate per-call costs from per-fit costs; ``--profile`` adds the functions where the
``autofit`` fit spends its time beyond raw dynesty's (cProfile, by cumulative and own time).

Run from the repository root::

    python benchmarks/nested_overhead.py            # about 20 s on an idle machine
    python benchmarks/nested_overhead.py --repeat 5 --profile

The result is printed as JSON on standard output.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import os
import pstats
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

import common  # first: puts this checkout on sys.path
import dynesty
import numpy as np
from gaussian_problem import (
    BOUNDS,
    NOISE,
    PIXELS,
    SEED,
    SQRT_TWO_PI,
    TRUTH,
    WITH_OUTPUT_TARGET,
    WITHOUT_OUTPUT_TARGET,
    CountingAnalysis,
    make_model,
    simulate,
)

import autofit as af
from autofit.analysis.fitness import Fitness

NLIVE = 50
#: The reference implementation on this problem: milliseconds per likelihood call, and its
#: total time over raw dynesty's.
REFERENCE = {"ms_per_call": 1.4, "over_raw": 5.0}

LOWER = np.array([lower for lower, _ in BOUNDS.values()])
WIDTH = np.array([upper - lower for lower, upper in BOUNDS.values()])


# -- the problem ----------------------------------------------------------------------------------


def prior_transform(unit: np.ndarray) -> np.ndarray:
    """The hand-written prior transform: the unit cube onto the three uniform priors."""
    return LOWER + WIDTH * unit


def make_log_likelihood(data: np.ndarray, noise_map: np.ndarray) -> Callable[[Any], float]:
    """The hand-written log likelihood a user would pass to ``dynesty.NestedSampler``."""
    xvalues = np.arange(data.shape[0], dtype=float)

    def log_likelihood(theta: np.ndarray) -> float:
        centre, normalization, sigma = theta.tolist()
        offsets = (xvalues - centre) / sigma
        model_data = normalization / (sigma * SQRT_TWO_PI) * np.exp(-0.5 * offsets * offsets)
        residuals = (data - model_data) / noise_map
        return -0.5 * float(np.dot(residuals, residuals))

    return log_likelihood


# -- the three fits -------------------------------------------------------------------------------


def fit_raw(log_likelihood: Callable[[Any], float]) -> Any:
    """Raw dynesty with the hand-written prior transform and likelihood; its results."""
    sampler = dynesty.NestedSampler(
        log_likelihood,
        prior_transform,
        len(BOUNDS),
        nlive=NLIVE,
        rstate=np.random.default_rng(SEED),
    )
    sampler.run_nested(print_progress=False)
    return sampler.results


def fit_autofit(
    data: np.ndarray, noise_map: np.ndarray, output_root: Path | None, analysis_class: type
) -> Any:
    """``af.DynestyStatic``, writing into ``output_root`` when it is given."""
    model = make_model()
    analysis = analysis_class(data=data, noise_map=noise_map)
    output = {} if output_root is None else {"name": "nested_overhead"}
    if output_root is not None:
        os.environ[af.conf.OUTPUT_PATH_VARIABLE] = str(output_root)
    search = af.DynestyStatic(nlive=NLIVE, seed=SEED, silence=True, **output)
    return search.fit(model=model, analysis=analysis)


def check(data: np.ndarray, noise_map: np.ndarray, output_root: Path) -> dict[str, Any]:
    """One untimed fit of each kind: likelihood calls, evidences and the best fit."""
    log_likelihood = make_log_likelihood(data, noise_map)
    counts = {"raw": 0}

    def counted(theta: np.ndarray) -> float:
        counts["raw"] += 1
        return log_likelihood(theta)

    raw = fit_raw(counted)
    best = int(np.argmax(raw["logl"]))

    CountingAnalysis.calls = 0
    result = fit_autofit(data, noise_map, None, CountingAnalysis)
    samples = result.samples
    CountingAnalysis.calls, without_output = 0, CountingAnalysis.calls
    fit_autofit(data, noise_map, output_root, CountingAnalysis)
    with_output = CountingAnalysis.calls
    common.wait_for_background_work()
    raw_log_evidence, raw_error = float(raw["logz"][-1]), float(raw["logzerr"][-1])
    return {
        "raw": {
            "likelihood_calls": counts["raw"],
            "dynesty_ncall": int(np.sum(raw["ncall"])),
            "iterations": int(raw["niter"]),
            "log_evidence": round(raw_log_evidence, 4),
            "log_evidence_error": round(raw_error, 4),
            "max_log_likelihood_point": dict(
                zip(BOUNDS, np.round(raw["samples"][best], 4).tolist(), strict=True)
            ),
        },
        "autofit": {
            "likelihood_calls": without_output,
            "likelihood_calls_with_output": with_output,
            "total_samples": samples.total_samples,
            "log_evidence": round(samples.log_evidence, 4),
            "log_evidence_error": round(samples.log_evidence_error, 4),
            "max_log_likelihood_point": dict(
                zip(
                    BOUNDS,
                    np.round(samples.max_log_likelihood(as_instance=False), 4).tolist(),
                    strict=True,
                )
            ),
        },
        "log_evidence_difference_in_errors": round(
            abs(samples.log_evidence - raw_log_evidence)
            / math.hypot(samples.log_evidence_error, raw_error),
            2,
        ),
        "truth": TRUTH,
    }


# -- timing ---------------------------------------------------------------------------------------


def per_call_microseconds(functions: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """Minimum over 5 repeats of the mean per-call time of each function, in microseconds."""
    result = {}
    for name, function in functions.items():
        number = 20000
        seconds = min(timeit.Timer(function).repeat(repeat=5, number=number))
        result[name] = round(seconds / number * 1e6, 3)
    return result


def hot_path(data: np.ndarray, noise_map: np.ndarray) -> dict[str, float]:
    """Per-call times at the truth, for numpy vectors as dynesty passes them."""
    theta = np.array(list(TRUTH.values()))
    unit = (theta - LOWER) / WIDTH
    log_likelihood = make_log_likelihood(data, noise_map)
    model = make_model()
    analysis = af.ex.Analysis(data=data, noise_map=noise_map)
    fitness = Fitness(model, analysis, use_log_prior=False)
    instance = model.instance_from_vector(theta.tolist())
    compiled = model.compiled
    return per_call_microseconds(
        {
            "raw_log_likelihood_us": lambda: log_likelihood(theta),
            "raw_prior_transform_us": lambda: prior_transform(unit),
            "autofit_fitness_us": lambda: fitness(theta),
            "autofit_unit_transform_us": lambda: np.array(compiled.vector_from_unit(unit.tolist())),
            "analysis_log_likelihood_us": lambda: analysis.log_likelihood_function(
                instance=instance
            ),
        }
    )


def profile(data: np.ndarray, noise_map: np.ndarray, top: int = 25) -> dict[str, list[str]]:
    """cProfile of one raw and one autofit fit (no output): the top functions by cumulative
    and by own time, as text lines."""
    log_likelihood = make_log_likelihood(data, noise_map)
    report = {}
    for name, fit in (
        ("raw", lambda: fit_raw(log_likelihood)),
        ("autofit", lambda: fit_autofit(data, noise_map, None, af.ex.Analysis)),
    ):
        profiler = cProfile.Profile()
        profiler.enable()
        fit()
        profiler.disable()
        for sort in ("cumulative", "tottime"):
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream)
            stats.strip_dirs().sort_stats(sort).print_stats(top)
            lines = [line.rstrip() for line in stream.getvalue().splitlines() if line.strip()]
            start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
            report[f"{name}_by_{sort}"] = lines[start:]
    return report


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each fit (default 3)")
    parser.add_argument(
        "--profile", action="store_true", help="add cProfile tables of one fit of each kind"
    )
    report = build_report(parser.parse_args(argv))
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


def build_report(arguments: argparse.Namespace) -> dict[str, Any]:
    """Run the check and the timed fits; the report as a dict (``repeat`` and ``profile`` are
    read from ``arguments``)."""
    started = time.perf_counter()
    environment_info = common.environment(
        {"numpy": np.__version__, "dynesty": dynesty.__version__, "autofit": af.__version__}
    )
    data, noise_map = simulate()
    log_likelihood = make_log_likelihood(data, noise_map)
    previous_output = os.environ.get(af.conf.OUTPUT_PATH_VARIABLE)
    with tempfile.TemporaryDirectory(prefix="autofit_nested_") as temp:
        runs = iter(range(1_000_000))

        def fresh_output() -> Path:
            return Path(temp) / f"run_{next(runs)}"

        checked = check(data, noise_map, fresh_output())
        every, _, waited = common.timed_runs(
            {
                "raw": lambda: fit_raw(log_likelihood),
                "autofit": lambda: fit_autofit(data, noise_map, None, af.ex.Analysis),
                "autofit_output": lambda: fit_autofit(
                    data, noise_map, fresh_output(), af.ex.Analysis
                ),
            },
            arguments.repeat,
        )
        profiled = profile(data, noise_map) if arguments.profile else None
    if previous_output is None:
        os.environ.pop(af.conf.OUTPUT_PATH_VARIABLE, None)
    else:
        os.environ[af.conf.OUTPUT_PATH_VARIABLE] = previous_output

    calls = {
        "raw": checked["raw"]["likelihood_calls"],
        "autofit": checked["autofit"]["likelihood_calls"],
        "autofit_output": checked["autofit"]["likelihood_calls_with_output"],
    }
    best = {name: min(values) for name, values in every.items()}
    raw = best["raw"]

    def entry(name: str, target: float | None) -> dict[str, Any]:
        seconds = best[name]
        values: dict[str, Any] = {
            "wall_seconds_best": round(seconds, 4),
            "wall_seconds_all": [round(value, 4) for value in every[name]],
            "likelihood_calls": calls[name],
            "ms_per_call": round(seconds / calls[name] * 1e3, 4),
        }
        if name == "autofit_output":
            with_plots = [fit + wait for fit, wait in zip(every[name], waited[name], strict=True)]
            values["background_seconds_after_fit"] = [round(value, 3) for value in waited[name]]
            values["wall_seconds_best_including_plots"] = round(min(with_plots), 4)
            values["over_raw_including_plots"] = round(min(with_plots) / raw, 3)
        if target is not None:
            values["over_raw"] = round(seconds / raw, 3)
            values["per_call_over_raw"] = round((seconds / calls[name]) / (raw / calls["raw"]), 3)
            values["target_over_raw"] = target
            values["meets_target"] = bool(seconds / raw <= target)
        return values

    fits = {
        "raw": entry("raw", None),
        "autofit": entry("autofit", WITHOUT_OUTPUT_TARGET),
        "autofit_output": entry("autofit_output", WITH_OUTPUT_TARGET),
    }
    report: dict[str, Any] = {
        "benchmark": "nested_overhead",
        "environment": environment_info,
        "settings": {
            "nlive": NLIVE,
            "seed": SEED,
            "pixels": PIXELS,
            "noise": NOISE,
            "priors": {name: f"U({lower:g}, {upper:g})" for name, (lower, upper) in BOUNDS.items()},
            "repeat": arguments.repeat,
            "statistic": "best wall time over the repeats, in seconds; the fits run in turn",
            "autofit_output": "name='nested_overhead', a fresh temporary output folder per run, "
            "default iterations_per_update; the search plots drawn by the plot server (a forked process) "
            "after it returns are waited for outside the timings (background_seconds_after_fit, "
            "and wall_seconds_best_including_plots with them)",
        },
        "targets": {
            "autofit_over_raw": WITHOUT_OUTPUT_TARGET,
            "autofit_output_over_raw": WITH_OUTPUT_TARGET,
        },
        "reference": {
            **REFERENCE,
            "description": "the reference implementation on this problem: about 1.4 ms per "
            "likelihood call and 5x raw dynesty's total time",
        },
        "check": checked,
        "fits": fits,
        "hot_path_per_call": hot_path(data, noise_map),
        "meets_targets": bool(
            fits["autofit"]["meets_target"] and fits["autofit_output"]["meets_target"]
        ),
    }
    if profiled is not None:
        report["profile"] = profiled
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    return report


if __name__ == "__main__":
    main()
