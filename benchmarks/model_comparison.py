"""One Gaussian or two? Model comparison by nested sampling with each search's default settings.

The data are 100 points of one Gaussian (centre 50, normalization 25, sigma 10) with noise 0.3
(``af.ex.simulate_data(noise=0.3, seed=1)``). Two models are fitted to them, every prior uniform:

- ``one``: ``af.Collection(gaussian_0=Gaussian)``, centre and normalization U(0, 100), sigma
  U(0, 30) (3 parameters);
- ``two``: two Gaussians with those same priors (6 parameters). Their components are
  interchangeable, so the posterior has two modes, and a second component can hide (a tiny
  normalization anywhere) or share the flux of the first along curved ridges.

Each search runs with 100 live points and its defaults otherwise: ``af.DynestyStatic(nlive=100)``,
``af.DynestyDynamic(nlive=100)`` and ``af.Nautilus(n_live=100)`` (left out with the reason when
nautilus is not installed). For each fit the JSON reports the wall and CPU (process) time, the
likelihood calls, the log evidence and its error, and its distance from the reference evidence
in those errors; for each search the time of both fits (target: at most 10 s on 2 cores; on a
machine shared with other jobs the CPU time is the steadier figure), whether both
evidences are within the conformance tolerance of the reference (``max(4 x error, 0.3)``, as in
``test_autofit/searches/test_conformance.py``) and whether the evidence prefers the true model
(one Gaussian).

The reference evidences:

- one Gaussian: quadrature. The model is linear in the normalization, so the likelihood is
  integrated over it in closed form (a Gaussian truncated to the prior's range) and over centre
  and sigma by Simpson's rule on a grid around the peak; computed at every run (``reference``).
- two Gaussians: :data:`REFERENCE_TWO`, from a long run: ``af.DynestyStatic(nlive=500,
  walks=50)`` (seed 7), -47.81 +- 0.15. ``--reference`` adds a nautilus run with 3000 live
  points and 20 000 effective samples (many minutes; on the one-Gaussian model such a run gives
  -45.370, the quadrature's value to 0.001).

``--old-defaults`` adds ``af.DynestyStatic(nlive=100, sample="auto")``, the defaults before this
benchmark (dynesty's uniform sampling inside ellipsoids below 10 parameters), with the two-Gaussian
fit stopped at ``--old-maxcall`` likelihood calls (it needs hundreds of thousands).

Run from the repository root::

    python benchmarks/model_comparison.py               # about 15 s on an idle machine
    python benchmarks/model_comparison.py --repeat 3    # best wall time of 3 runs per fit
    python benchmarks/model_comparison.py --old-defaults

The result is printed as JSON on standard output.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import time
from typing import Any

import common  # first: puts this checkout on sys.path
import numpy as np

import autofit as af

SEED = 1
PIXELS = 100
NOISE = 0.3
LIVE_POINTS = 100
BOUNDS = {"centre": (0.0, 100.0), "normalization": (0.0, 100.0), "sigma": (0.0, 30.0)}
#: Both fits of a search together, in seconds.
TARGET_SECONDS = 10.0
#: The log evidence of two Gaussians, from the long runs described above.
REFERENCE_TWO = -47.81
REFERENCE_TWO_ERROR = 0.15


def simulate() -> tuple[np.ndarray, np.ndarray]:
    """The data (one Gaussian at centre 50, normalization 25, sigma 10) and noise map."""
    return af.ex.simulate_data(pixels=PIXELS, noise=NOISE, seed=SEED)


def gaussian() -> af.Model:
    model = af.Model(af.ex.Gaussian)
    for name, (lower, upper) in BOUNDS.items():
        setattr(model, name, af.UniformPrior(lower_limit=lower, upper_limit=upper))
    return model


def gaussians(count: int) -> af.Collection:
    """``count`` Gaussians with the same uniform priors."""
    return af.Collection(**{f"gaussian_{index}": gaussian() for index in range(count)})


class CountingAnalysis(af.ex.Analysis):
    """``af.ex.Analysis`` counting its likelihood calls."""

    def __init__(self, data: np.ndarray, noise_map: np.ndarray) -> None:
        super().__init__(data, noise_map)
        self.calls = 0

    def log_likelihood_function(self, instance: Any) -> float:
        self.calls += 1
        return super().log_likelihood_function(instance)


def one_gaussian_log_evidence(data: np.ndarray, noise_map: np.ndarray) -> float:
    """The log evidence of one Gaussian by quadrature (see the module docstring)."""
    from scipy.integrate import simpson
    from scipy.special import ndtr

    x = np.arange(data.size, dtype=float)
    scaled = data / noise_map
    # The peak, then a grid 10 units of centre and 7 of sigma either side of it (the posterior's
    # widths are about 0.3 and 0.2: the grid's edges add nothing).
    centres, sigmas = np.linspace(40.0, 60.0, 401), np.linspace(3.0, 17.0, 281)
    normalization_low, normalization_high = BOUNDS["normalization"]
    log_integrand = np.empty((centres.size, sigmas.size))
    for row, centre in enumerate(centres):
        profiles = (
            np.exp(-0.5 * ((x - centre) / sigmas[:, None]) ** 2)
            / (sigmas[:, None] * math.sqrt(2.0 * math.pi))
            / noise_map
        )
        # chi^2(N) = chi^2_min + a (N - N_best)^2 for each (centre, sigma).
        a = np.sum(profiles * profiles, axis=1)
        b = profiles @ scaled
        best, width = b / a, 1.0 / np.sqrt(a)
        chi_squared_min = float(scaled @ scaled) - b * b / a
        inside = ndtr((normalization_high - best) / width) - ndtr(
            (normalization_low - best) / width
        )
        log_integrand[row] = (
            -0.5 * chi_squared_min
            + np.log(math.sqrt(2.0 * math.pi) * width)
            + np.log(np.maximum(inside, 1e-300))
        )
    peak = log_integrand.max()
    integral = simpson(simpson(np.exp(log_integrand - peak), x=sigmas, axis=1), x=centres)
    volume = math.prod(upper - lower for lower, upper in BOUNDS.values())
    return float(peak + math.log(integral) - math.log(volume))


def fit(search: Any, count: int, data: tuple[np.ndarray, np.ndarray]) -> dict[str, Any]:
    """Fit ``count`` Gaussians with ``search``; the wall time, calls and evidence."""
    analysis = CountingAnalysis(*data)
    started, started_cpu = time.perf_counter(), time.process_time()
    result = search.fit(model=gaussians(count), analysis=analysis)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - started_cpu
    samples = result.samples
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "likelihood_calls": analysis.calls,
        "log_evidence": round(float(samples.log_evidence), 3),
        "log_evidence_error": round(float(samples.log_evidence_error or 0.0), 3),
        "max_log_likelihood": round(float(samples.log_likelihood.max()), 3),
    }


def judge(entry: dict[str, Any], reference: float) -> None:
    """Add the distance from the reference evidence and whether it is within the conformance
    tolerance, ``max(4 x error, 0.3)``."""
    error = entry["log_evidence_error"]
    difference = entry["log_evidence"] - reference
    entry["reference_log_evidence"] = round(reference, 3)
    entry["difference_from_reference"] = round(difference, 3)
    entry["difference_in_errors"] = round(difference / error, 2) if error > 0 else None
    entry["within_tolerance"] = bool(abs(difference) <= max(4.0 * error, 0.3))


def compare(
    name: str, make_search: Any, data: Any, references: dict[int, float], repeat: int
) -> dict[str, Any]:
    """Both fits with ``make_search()`` (``repeat`` times each; the fastest run is reported)."""
    fits: dict[str, Any] = {}
    for count, label in ((1, "one_gaussian"), (2, "two_gaussians")):
        runs = [fit(make_search(), count, data) for _ in range(repeat)]
        best = min(runs, key=lambda run: run["seconds"])
        judge(best, references[count])
        fits[label] = best
    one, two = fits["one_gaussian"], fits["two_gaussians"]
    seconds = one["seconds"] + two["seconds"]
    difference = one["log_evidence"] - two["log_evidence"]
    return {
        "search": name,
        **fits,
        "both_fits_seconds": round(seconds, 3),
        "both_fits_cpu_seconds": round(one["cpu_seconds"] + two["cpu_seconds"], 3),
        "log_evidence_one_minus_two": round(difference, 3),
        "prefers_true_model": bool(difference > 0.0),
        "meets_time_target": bool(seconds <= TARGET_SECONDS),
        "evidences_within_tolerance": bool(one["within_tolerance"] and two["within_tolerance"]),
    }


def searches(old_defaults: bool, old_maxcall: int) -> tuple[dict[str, Any], dict[str, str]]:
    """The searches to compare (name -> factory) and those skipped (name -> reason)."""
    chosen: dict[str, Any] = {
        "DynestyStatic": lambda: af.DynestyStatic(nlive=LIVE_POINTS, seed=SEED, silence=True),
        "DynestyDynamic": lambda: af.DynestyDynamic(nlive=LIVE_POINTS, seed=SEED, silence=True),
    }
    skipped: dict[str, str] = {}
    if importlib.util.find_spec("nautilus") is None:
        skipped["Nautilus"] = 'nautilus is not installed (pip install "autofit[nautilus]")'
    else:
        chosen["Nautilus"] = lambda: af.Nautilus(n_live=LIVE_POINTS, seed=SEED, silence=True)
    if old_defaults:
        chosen["DynestyStatic_old_defaults"] = lambda: af.DynestyStatic(
            nlive=LIVE_POINTS, sample="auto", maxcall=old_maxcall, seed=SEED, silence=True
        )
    return chosen, skipped


def long_reference_run(seed: int) -> dict[str, Any]:
    """The two-Gaussian evidence from a long nautilus run (3000 live points, 20 000 effective
    samples), with a vectorised numpy likelihood."""
    import nautilus

    data, noise_map = simulate()
    x = np.arange(data.size, dtype=float)
    lower = np.tile([low for low, _ in BOUNDS.values()], 2)
    span = np.tile([high - low for low, high in BOUNDS.values()], 2)

    def log_likelihood(points: np.ndarray) -> np.ndarray:
        points = np.atleast_2d(points)
        model = np.zeros((points.shape[0], x.size))
        for first in (0, 3):
            centre, normalization, sigma = (points[:, first + i, None] for i in range(3))
            with np.errstate(all="ignore"):
                model += (
                    normalization
                    / (sigma * math.sqrt(2.0 * math.pi))
                    * np.exp(-0.5 * ((x - centre) / sigma) ** 2)
                )
        residuals = (data - model) / noise_map
        values = -0.5 * np.sum(residuals * residuals, axis=1)
        return np.where(np.isfinite(values), values, -np.inf)

    sampler = nautilus.Sampler(
        lambda unit: lower + span * unit,
        log_likelihood,
        n_dim=6,
        n_live=3000,
        vectorized=True,
        seed=seed,
    )
    started = time.perf_counter()
    sampler.run(n_eff=20000, verbose=False)
    return {
        "seed": seed,
        "log_evidence": float(sampler.log_z),
        "likelihood_calls": int(sampler.n_like),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per fit (best time kept)")
    parser.add_argument(
        "--old-defaults", action="store_true", help='also DynestyStatic(sample="auto")'
    )
    parser.add_argument(
        "--old-maxcall", type=int, default=100_000, help="call limit of the old-defaults fits"
    )
    parser.add_argument(
        "--reference", action="store_true", help="repeat the long two-Gaussian reference run"
    )
    arguments = parser.parse_args()

    import dynesty

    versions = {"numpy": np.__version__, "dynesty": dynesty.__version__}
    if importlib.util.find_spec("nautilus") is not None:
        import nautilus

        versions["nautilus"] = nautilus.__version__
    report: dict[str, Any] = {"environment": common.environment(versions)}
    data = simulate()
    started = time.perf_counter()
    references = {1: one_gaussian_log_evidence(*data), 2: REFERENCE_TWO}
    report["reference"] = {
        "one_gaussian": round(references[1], 3),
        "one_gaussian_method": "quadrature (normalization analytically, Simpson over centre and "
        "sigma)",
        "one_gaussian_seconds": round(time.perf_counter() - started, 2),
        "two_gaussians": REFERENCE_TWO,
        "two_gaussians_error": REFERENCE_TWO_ERROR,
        "two_gaussians_method": "DynestyStatic(nlive=500, walks=50), seed 7",
    }
    if arguments.reference:
        report["reference"]["two_gaussians_long_run"] = long_reference_run(SEED)
    chosen, skipped = searches(arguments.old_defaults, arguments.old_maxcall)
    report["settings"] = {
        "pixels": PIXELS,
        "noise": NOISE,
        "live_points": LIVE_POINTS,
        "priors": {name: f"U{bounds}" for name, bounds in BOUNDS.items()},
        "repeat": arguments.repeat,
        "target_seconds_both_fits": TARGET_SECONDS,
    }
    report["results"] = {
        name: compare(name, make_search, data, references, arguments.repeat)
        for name, make_search in chosen.items()
    }
    report["skipped"] = skipped
    report["meets_targets"] = all(
        entry["meets_time_target"]
        and entry["evidences_within_tolerance"]
        and entry["prefers_true_model"]
        for name, entry in report["results"].items()
        if not name.endswith("old_defaults")
    )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
