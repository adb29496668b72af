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
- two Gaussians: :data:`REFERENCE_TWO`, -47.63, by importance sampling with both
  normalizations integrated out for every draw (:func:`two_gaussians_log_evidence`: 100 000
  draws, error 0.007; seeds 1 and 2 agree to 0.004); ``--reference`` repeats it (about 40 s).
  Long nested-sampling runs scatter around it by more than their reported errors: dynesty with
  500 live points gave -47.17 +- 0.14 (100-step walks), -47.37 +- 0.14 (slices) and
  -47.81 +- 0.15 (50-step walks, through autofit).

``--old-defaults`` adds the defaults before this benchmark: ``af.DynestyStatic(nlive=100,
sample="auto")`` (dynesty's uniform sampling inside ellipsoids below 10 parameters) and
``af.Nautilus(n_live=100)`` with nautilus' own settings (:data:`NAUTILUS_OWN_DEFAULTS`: four
networks, 10 000 effective samples, ...), each fit stopped at ``--old-maxcall`` likelihood calls
(the dynesty two-Gaussian fit needs hundreds of thousands; the nautilus ones finish before, in
minutes).

Run from the repository root::

    python benchmarks/model_comparison.py               # about 25 s: 10 s per search
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
#: nautilus' own settings where af.Nautilus's defaults differ (``n_points_min``: nautilus'
#: ``n_dim + 50`` is 53 and 56 for the two models; with 100 live points any value above 50
#: keeps the outer bound one ellipsoid, so 56 acts as nautilus' value for both).
NAUTILUS_OWN_DEFAULTS: dict[str, Any] = {
    "n_networks": 4,
    "n_eff": 10000,
    "f_live": 0.01,
    "discard_exploration": False,
    "n_update": LIVE_POINTS,
    "n_points_min": 56,
    "neural_network_kwargs": {},
}
#: The log evidence of two Gaussians, from the long runs described above.
REFERENCE_TWO = -47.63
REFERENCE_TWO_ERROR = 0.01


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
        if "Nautilus" in chosen:
            chosen["Nautilus_old_defaults"] = lambda: af.Nautilus(
                n_live=LIVE_POINTS,
                n_like_max=old_maxcall,
                seed=SEED,
                silence=True,
                **NAUTILUS_OWN_DEFAULTS,
            )
    return chosen, skipped


def two_gaussians_log_evidence(seed: int, draws: int = 100_000) -> dict[str, Any]:
    """The log evidence of two Gaussians by importance sampling, with both normalizations
    integrated out for every draw.

    The model is linear in the normalizations: for given centres and sigmas the likelihood is a
    2D Gaussian in them, integrated over the prior's square exactly in one direction (normal
    cumulative distribution) and by the trapezoidal rule on 4001 points in the other. The
    remaining four parameters (centre and sigma of each component) are drawn from a mixture:
    45% one component near the best single Gaussian (normal, width 2 in centre and sigma) and the
    other from its prior, 45% the same with the roles swapped, 10% both from their priors.
    """
    from scipy.special import logsumexp, ndtr
    from scipy.stats import norm

    data, noise_map = simulate()
    x = np.arange(data.size, dtype=float)
    scaled = data / noise_map
    squared = float(scaled @ scaled)
    low, high = BOUNDS["normalization"]
    grid = np.linspace(low, high, 4001)
    step = grid[1] - grid[0]
    centre_span = BOUNDS["centre"][1] - BOUNDS["centre"][0]
    sigma_span = BOUNDS["sigma"][1] - BOUNDS["sigma"][0]
    peak, width = np.array([49.88, 9.37]), 2.0
    rng = np.random.default_rng(seed)

    def uniform(count: int) -> np.ndarray:
        return np.column_stack(
            [
                BOUNDS["centre"][0] + centre_span * rng.random(count),
                BOUNDS["sigma"][0] + sigma_span * rng.random(count),
            ]
        )

    choice = rng.random(draws)
    near = peak + width * rng.normal(size=(draws, 2))
    first = np.where((choice < 0.45)[:, None], near, uniform(draws))
    second = np.where(((choice >= 0.45) & (choice < 0.9))[:, None], near, uniform(draws))
    log_uniform = -2.0 * math.log(centre_span * sigma_span)

    def log_near(points: np.ndarray) -> np.ndarray:
        return np.sum(norm.logpdf(points, peak, width), axis=1) - math.log(centre_span * sigma_span)

    log_proposal = logsumexp(
        [
            math.log(0.45) + log_near(first),
            math.log(0.45) + log_near(second),
            np.full(draws, math.log(0.1) + log_uniform),
        ],
        axis=0,
    )
    inside = (first[:, 1] > 0) & (second[:, 1] > 0)
    for points in (first, second):
        inside &= (points[:, 0] >= BOUNDS["centre"][0]) & (points[:, 0] <= BOUNDS["centre"][1])
        inside &= points[:, 1] <= BOUNDS["sigma"][1]

    def profiles(points: np.ndarray) -> np.ndarray:
        centre, sigma = points[:, :1], points[:, 1:]
        return (
            np.exp(-0.5 * ((x - centre) / sigma) ** 2)
            / (sigma * math.sqrt(2.0 * math.pi))
            / noise_map
        )

    log_marginal = np.full(draws, -np.inf)
    for start in range(0, draws, 500):
        rows = np.arange(start, min(start + 500, draws))
        rows = rows[inside[rows]]
        if rows.size == 0:
            continue
        a, b = profiles(first[rows]), profiles(second[rows])
        aa, ab, bb = np.sum(a * a, 1), np.sum(a * b, 1), np.sum(b * b, 1)
        ad, bd = a @ scaled, b @ scaled
        hidden = bb < 1e-10  # the second profile is zero at every pixel
        bb_safe = np.where(hidden, 1.0, bb)
        # chi^2 minimised over the second normalization given the first, and its width.
        mean = (bd[:, None] - ab[:, None] * grid) / bb_safe[:, None]
        spread = 1.0 / np.sqrt(bb_safe)[:, None]
        chi_squared = squared - 2.0 * ad[:, None] * grid + aa[:, None] * grid**2
        log_second = np.where(
            hidden[:, None],
            math.log(high - low),
            0.5 * bb_safe[:, None] * mean**2
            + np.log(np.maximum(ndtr((high - mean) / spread) - ndtr((low - mean) / spread), 1e-300))
            + np.log(math.sqrt(2.0 * math.pi) * spread),
        )
        terms = -0.5 * chi_squared + log_second
        top = terms.max(axis=1)
        weights = np.exp(terms - top[:, None])
        integral = step * (weights.sum(axis=1) - 0.5 * (weights[:, 0] + weights[:, -1]))
        log_marginal[rows] = top + np.log(integral) - 2.0 * math.log(high - low)
    log_weights = log_marginal + log_uniform - log_proposal
    log_evidence = float(logsumexp(log_weights) - math.log(draws))
    relative = np.exp(log_weights - log_evidence)
    return {
        "seed": seed,
        "draws": draws,
        "log_evidence": round(log_evidence, 4),
        "error": round(float(np.std(relative) / math.sqrt(draws)), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per fit (best time kept)")
    parser.add_argument(
        "--old-defaults",
        action="store_true",
        help='also DynestyStatic(sample="auto") and Nautilus with nautilus\' own settings',
    )
    parser.add_argument(
        "--old-maxcall", type=int, default=100_000, help="call limit of the old-defaults fits"
    )
    parser.add_argument(
        "--reference", action="store_true", help="recompute the two-Gaussian reference evidence"
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
        "two_gaussians_method": "importance sampling over centres and sigmas, normalizations "
        "integrated out (two_gaussians_log_evidence)",
    }
    if arguments.reference:
        report["reference"]["two_gaussians_recomputed"] = two_gaussians_log_evidence(SEED)
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
