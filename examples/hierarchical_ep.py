"""A population of 200 datasets fitted by expectation propagation.

Each dataset is a 1D Gaussian profile with its own centre, normalization and width (3 free
parameters each); the centres are drawn from a population N(50, 10) whose mean and width are
fitted through a hierarchical factor: 602 parameters in all. ``graph.optimise`` fits the graph
one dataset at a time, passing messages between the datasets and the population, and prints
the population recovered beside the truth.

Run from the repository root: ``python examples/hierarchical_ep.py`` (``AUTOFIT_EXAMPLE_QUICK=1``
fits 40 datasets).
"""

import logging
import os
import time

import numpy as np

import autofit as af

logging.basicConfig(level=logging.INFO, format="%(message)s")

QUICK = os.environ.get("AUTOFIT_EXAMPLE_QUICK") == "1"
DATASETS = 40 if QUICK else 200
POPULATION_MEAN, POPULATION_SIGMA = 50.0, 10.0

# The data: each dataset's centre is drawn from the population.
rng = np.random.default_rng(7)
true_centres = rng.normal(POPULATION_MEAN, POPULATION_SIGMA, DATASETS)
datasets = [
    af.ex.simulate_data([af.ex.Gaussian(centre, 25.0, 10.0)], noise=0.2, seed=seed)
    for seed, centre in enumerate(true_centres)
]

# The population: a Gaussian whose mean and width are fitted.
hierarchical = af.HierarchicalFactor(
    af.GaussianPrior,
    mean=af.GaussianPrior(mean=50.0, sigma=30.0),
    sigma=af.LogUniformPrior(lower_limit=1.0, upper_limit=100.0),
    name="population",
)

# One factor per dataset, its centre drawn from the population.
factors = []
for index, (data, noise_map) in enumerate(datasets):
    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.sigma = af.UniformPrior(lower_limit=0.5, upper_limit=50.0)
    hierarchical.add_drawn_variable(model.centre)
    factors.append(
        af.AnalysisFactor(model, af.ex.Analysis(data, noise_map), name=f"dataset_{index}")
    )

graph = af.FactorGraphModel(*factors, hierarchical)
print(f"{DATASETS} datasets, {graph.global_prior_model.prior_count} parameters")

began = time.perf_counter()
result = graph.optimise(
    af.LaplaceOptimiser(),
    ep_history=af.EPHistory(kl_tol=0.05),
    max_steps=10,
    number_of_cores=2,
    paths=af.DirectoryPaths(name="hierarchical_ep"),
)
seconds = time.perf_counter() - began

field = result.updated_ep_mean_field.mean_field
mean, sigma = hierarchical.arguments["mean"], hierarchical.arguments["sigma"]
print(
    f"\nExpectation propagation: {result.sweeps} sweeps in {seconds:.1f} s, converged: "
    f"{result.is_converged}, failed or stale factors: "
    f"{len(result.failed_factors) + len(result.stale_factors)}"
)
print(
    f"population mean  = {field.mean[mean]:6.2f} ± {field.scale[mean]:.2f}  (truth "
    f"{POPULATION_MEAN}, sample mean of the true centres {np.mean(true_centres):.2f})"
)
print(
    f"population sigma = {field.mean[sigma]:6.2f} ± {field.scale[sigma]:.2f}  (truth "
    f"{POPULATION_SIGMA}, sample sd of the true centres {np.std(true_centres, ddof=1):.2f})"
)

print("\nThe first five datasets' centres:")
for factor, truth in list(zip(factors, true_centres, strict=True))[:5]:
    centre = factor.prior_model.centre
    print(
        f"  {factor.name}: {field.mean[centre]:6.2f} ± {field.scale[centre]:.2f}  (truth {truth:.2f})"
    )

pulls = [
    (field.mean[factor.prior_model.centre] - truth) / field.scale[factor.prior_model.centre]
    for factor, truth in zip(factors, true_centres, strict=True)
]
print(f"\nCentres within 3 sigma of the truth: {np.sum(np.abs(pulls) < 3)} of {DATASETS}")
