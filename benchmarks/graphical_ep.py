"""Expectation propagation on hierarchical models of many datasets: cost and accuracy.

Each dataset is a 1D Gaussian profile (100 pixels) whose centre is drawn from a population
N(50, 10); the population's mean and width are fitted through ``af.HierarchicalFactor``.

Two modes, each printing JSON:

- cost (default): N datasets with 3 free parameters each (centre, normalization, sigma) plus 2
  hierarchical parameters, for N in ``--sizes`` (10, 100, 1000): seconds per sweep, seconds per
  factor update, sweeps, and the population recovered. The cost per factor update must stay
  flat with N (one sweep is O(N)). ``--sizes 10000 --max-sweeps 1`` shows it at 30,000
  parameters.
- ``--exact``: 1 free parameter per dataset (the centre), for which the posterior is integrated
  on a grid: EP's population mean and width and every dataset's centre are compared with the
  exact posterior means, in units of the exact posterior standard deviation, over several seeds.

Run: ``python benchmarks/graphical_ep.py`` and ``python benchmarks/graphical_ep.py --exact``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time

import numpy as np

import autofit as af

PIXELS = 100
POPULATION_MEAN = 50.0
POPULATION_SIGMA = 10.0
NORMALIZATION = 25.0
WIDTH = 10.0


def simulate(size: int, seed: int, noise: float) -> tuple[np.ndarray, list[np.ndarray]]:
    """True centres and the data of ``size`` datasets."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(POPULATION_MEAN, POPULATION_SIGMA, size)
    xvalues = np.arange(PIXELS, dtype=float)
    datasets = []
    for centre in centres:
        signal = profile(xvalues, centre)
        datasets.append(signal + rng.normal(0.0, noise, PIXELS))
    return centres, datasets


def profile(xvalues: np.ndarray, centre: np.ndarray | float) -> np.ndarray:
    """af.ex.Gaussian's profile with this benchmark's normalization and width."""
    offsets = (xvalues - np.asarray(centre)[..., None]) / WIDTH
    return NORMALIZATION / (WIDTH * math.sqrt(2.0 * math.pi)) * np.exp(-0.5 * offsets**2)


def hierarchical_prior() -> af.HierarchicalFactor:
    """The population: a Gaussian whose mean and width are fitted."""
    return af.HierarchicalFactor(
        af.GaussianPrior,
        mean=af.GaussianPrior(mean=50.0, sigma=30.0),
        sigma=af.LogUniformPrior(lower_limit=1.0, upper_limit=100.0),
    )


def build_graph(
    datasets: list[np.ndarray], noise: float, free: int
) -> tuple[af.FactorGraphModel, af.HierarchicalFactor, list[af.Model]]:
    """The graph: one factor per dataset (``free`` = 1 or 3 free parameters) and the
    hierarchical factor on the centres."""
    hierarchical = hierarchical_prior()
    factors, models = [], []
    for data in datasets:
        if free == 1:
            model = af.Model(
                af.ex.Gaussian,
                centre=af.UniformPrior(0.0, 100.0),
                normalization=NORMALIZATION,
                sigma=WIDTH,
            )
        else:
            model = af.Model(
                af.ex.Gaussian,
                centre=af.UniformPrior(0.0, 100.0),
                normalization=af.UniformPrior(0.0, 100.0),
                sigma=af.UniformPrior(0.5, 50.0),
            )
        factors.append(af.AnalysisFactor(model, af.ex.Analysis(data, np.full(PIXELS, noise))))
        hierarchical.add_drawn_variable(model.centre)
        models.append(model)
    return af.FactorGraphModel(*factors, hierarchical), hierarchical, models


# -- the exact posterior of the 1-parameter model ------------------------------------------------


def _log_normal(x: np.ndarray, mean: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    return -0.5 * ((x - mean) / sigma) ** 2 - np.log(sigma) - 0.5 * math.log(2.0 * math.pi)


def exact_posterior(datasets: list[np.ndarray], noise: float, grid: int = 121) -> dict:
    """Posterior means and standard deviations of the population mean and width and of every
    centre, by integration on grids (centre prior Uniform(0, 100), mean prior N(50, 30), width
    prior LogUniform(1, 100))."""
    xvalues = np.arange(PIXELS, dtype=float)
    coarse = np.linspace(0.0, 100.0, 2001)
    centre_grids, centre_likelihoods = [], []
    for data in datasets:
        chi = -0.5 * np.sum(((data - profile(xvalues, coarse)) / noise) ** 2, axis=1)
        peak = coarse[np.argmax(chi)]
        weights = np.exp(chi - chi.max())
        spread = math.sqrt(np.sum(weights * (coarse - peak) ** 2) / weights.sum())
        fine = np.linspace(max(0.0, peak - 10 * spread), min(100.0, peak + 10 * spread), 81)
        log_like = -0.5 * np.sum(((data - profile(xvalues, fine)) / noise) ** 2, axis=1)
        centre_grids.append(fine)
        centre_likelihoods.append(np.exp(log_like - log_like.max()) * np.gradient(fine))

    def log_posterior(means: np.ndarray, log_sigmas: np.ndarray) -> np.ndarray:
        mean, log_sigma = np.meshgrid(means, log_sigmas, indexing="ij")
        sigma = np.exp(log_sigma)[..., None]
        total = _log_normal(mean, 50.0, 30.0)  # flat in log sigma: the log-uniform prior
        for fine, likelihood in zip(centre_grids, centre_likelihoods, strict=True):
            density = np.exp(_log_normal(fine, mean[..., None], sigma))
            total = total + np.log(np.sum(density * likelihood, axis=-1) + 1e-300)
        return total

    means = np.linspace(0.0, 100.0, grid)
    log_sigmas = np.linspace(0.0, math.log(100.0), grid)
    for _ in range(2):  # a coarse grid, then one around the posterior's mass
        log_p = log_posterior(means, log_sigmas)
        p = np.exp(log_p - log_p.max())
        p /= p.sum()
        p_mean, p_log_sigma = p.sum(axis=1), p.sum(axis=0)
        m, s = (
            np.sum(p_mean * means),
            math.sqrt(np.sum(p_mean * (means - np.sum(p_mean * means)) ** 2)),
        )
        lm = np.sum(p_log_sigma * log_sigmas)
        ls = math.sqrt(np.sum(p_log_sigma * (log_sigmas - lm) ** 2))
        means = np.linspace(m - 7 * s, m + 7 * s, grid)
        log_sigmas = np.linspace(max(0.0, lm - 7 * ls), min(math.log(100.0), lm + 7 * ls), grid)
    mean_grid, log_sigma_grid = np.meshgrid(means, log_sigmas, indexing="ij")
    sigma_grid = np.exp(log_sigma_grid)

    def moments(values: np.ndarray) -> tuple[float, float]:
        average = float(np.sum(p * values))
        return average, math.sqrt(float(np.sum(p * (values - average) ** 2)))

    result = {"mean": moments(mean_grid), "sigma": moments(sigma_grid), "centres": []}
    for fine, likelihood in zip(centre_grids, centre_likelihoods, strict=True):
        density = np.exp(_log_normal(fine, mean_grid[..., None], sigma_grid[..., None]))
        weights = density * likelihood
        norm = weights.sum(axis=-1)
        conditional_mean = np.sum(weights * fine, axis=-1) / norm
        conditional_second = np.sum(weights * fine**2, axis=-1) / norm
        average = float(np.sum(p * conditional_mean))
        second = float(np.sum(p * conditional_second))
        result["centres"].append((average, math.sqrt(max(second - average**2, 0.0))))
    return result


def exact_comparison(size: int, seed: int, noise: float = 0.5) -> dict:
    """EP vs the exact posterior for one simulated population: offsets in exact sd."""
    _, datasets = simulate(size, seed, noise)
    graph, hierarchical, models = build_graph(datasets, noise, free=1)
    began = time.perf_counter()
    result = graph.optimise(
        af.LaplaceOptimiser(), ep_history=af.EPHistory(kl_tol=0.01), max_steps=20
    )
    seconds = time.perf_counter() - began
    exact = exact_posterior(datasets, noise)
    field = result.updated_ep_mean_field.mean_field

    def offset(prior: af.Prior, reference: tuple[float, float]) -> float:
        return (field.mean[prior] - reference[0]) / reference[1]

    def population(name: str) -> dict:
        """EP's and the exact posterior of the population's ``name`` parameter."""
        prior = hierarchical.arguments[name]
        return {
            "ep": field.mean[prior],
            "ep_sd": field.scale[prior],
            "exact": exact[name][0],
            "exact_sd": exact[name][1],
            "offset_sd": offset(prior, exact[name]),
        }

    centre_offsets = [
        offset(model.centre, reference)
        for model, reference in zip(models, exact["centres"], strict=True)
    ]
    return {
        "size": size,
        "seed": seed,
        "sweeps": result.sweeps,
        "seconds": round(seconds, 2),
        **{name: population(name) for name in ("mean", "sigma")},
        "largest_centre_offset_sd": float(np.max(np.abs(centre_offsets))),
    }


# -- cost -----------------------------------------------------------------------------------------


def cost(size: int, max_sweeps: int, cores: int, noise: float = 0.2) -> dict:
    """Seconds per sweep and per factor update of the 3-parameter model with ``size`` datasets."""
    centres, datasets = simulate(size, seed=size, noise=noise)
    graph, hierarchical, _ = build_graph(datasets, noise, free=3)
    began = time.perf_counter()
    result = graph.optimise(
        af.LaplaceOptimiser(),
        ep_history=af.EPHistory(kl_tol=0.05),
        max_steps=max_sweeps,
        number_of_cores=cores,
        allow_stale=True,
    )
    seconds = time.perf_counter() - began
    field = result.updated_ep_mean_field.mean_field
    updates = sum(summary.updates for summary in result.factor_summaries)
    mean_prior, sigma_prior = hierarchical.arguments["mean"], hierarchical.arguments["sigma"]
    sample_sd = float(np.std(centres, ddof=1)) if size > 1 else float("nan")
    return {
        "datasets": size,
        "parameters": graph.global_prior_model.prior_count,
        "cores": cores,
        "sweeps": result.sweeps,
        "converged": result.is_converged,
        "seconds": round(seconds, 2),
        "seconds_per_sweep": round(seconds / max(result.sweeps, 1), 3),
        "factor_updates": updates,
        "ms_per_factor_update": round(1000.0 * seconds / max(updates, 1), 3),
        "failed_or_stale": len(result.failed_factors) + len(result.stale_factors),
        "population_mean": [field.mean[mean_prior], field.scale[mean_prior]],
        "population_sigma": [field.mean[sigma_prior], field.scale[sigma_prior]],
        "sample_mean_and_sd_of_true_centres": [float(np.mean(centres)), sample_sd],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exact", action="store_true", help="compare with the exact posterior")
    parser.add_argument("--sizes", type=int, nargs="*", default=None)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--max-sweeps", type=int, default=10)
    parser.add_argument("--cores", type=int, default=1)
    arguments = parser.parse_args()
    report: dict = {"cpu_count": os.cpu_count()}
    if arguments.exact:
        sizes = arguments.sizes or [10, 50, 200]
        runs = [exact_comparison(size, seed) for size in sizes for seed in range(arguments.seeds)]
        report["exact"] = runs
        report["largest_offset_sd"] = {
            "population_mean": max(abs(run["mean"]["offset_sd"]) for run in runs),
            "population_sigma": max(abs(run["sigma"]["offset_sd"]) for run in runs),
            "centres": max(run["largest_centre_offset_sd"] for run in runs),
        }
        report["all_within_half_sd"] = all(
            value < 0.5 for value in report["largest_offset_sd"].values()
        )
    else:
        sizes = arguments.sizes or [10, 100, 1000]
        runs = [cost(size, arguments.max_sweeps, arguments.cores) for size in sizes]
        report["cost"] = runs
        by_size = {run["datasets"]: run["ms_per_factor_update"] for run in runs}
        if 100 in by_size and 1000 in by_size:
            report["per_update_ratio_1000_vs_100"] = round(by_size[1000] / by_size[100], 3)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
