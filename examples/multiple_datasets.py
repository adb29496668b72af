"""Several datasets fitted together, sharing one parameter.

Three exposures of the same emission line: the line sits at the same position in each (its
centre is a property of the source), but each exposure sees it with its own brightness and
width (the instrument's resolution and the exposure time differ), and with its own noise. Each
dataset is a Gaussian (``af.ex.Gaussian``) with the same centre and a different normalisation
and sigma.

Fitting the datasets together, with the centre as *one* parameter, uses the information on it
from all three at once. Each dataset gets a factor, ``af.AnalysisFactor(model, analysis)``; the
three models share the centre by sharing one prior object, and ``af.FactorGraphModel`` sums
the factors' log likelihoods. Any search fits the graph; here the nested sampler
``af.DynestyStatic``. The script prints the shared centre with its error, each dataset's own
parameters, and compares the joint error on the centre with that of each dataset fitted alone.

Run from the repository root (it takes about 20 seconds):

    python examples/multiple_datasets.py

The joint fit writes its output to ``output/multiple_datasets/joint/<identifier>/`` (below
``AUTOFIT_OUTPUT_PATH`` instead of ``./output`` when that environment variable is set), with
each dataset's files in ``files/factor_0/``, ``files/factor_1/`` and ``files/factor_2/``; each
dataset's fit on its own writes ``output/multiple_datasets/dataset_<i>/alone/<identifier>/``.
Run the script again and the completed fits are loaded from those folders instead of sampling
again.
"""

import os

import numpy as np

import autofit as af

# -- The datasets ----------------------------------------------------------------------------------

# One centre, three normalisations, widths and noise levels.
true_centre = 42.0
truths = [
    af.ex.Gaussian(centre=true_centre, normalization=20.0, sigma=5.0),
    af.ex.Gaussian(centre=true_centre, normalization=40.0, sigma=8.0),
    af.ex.Gaussian(centre=true_centre, normalization=60.0, sigma=12.0),
]
noise_levels = [0.2, 0.2, 0.15]
datasets = [
    af.ex.simulate_data([truth], pixels=100, noise=noise, seed=2 + index)
    for index, (truth, noise) in enumerate(zip(truths, noise_levels, strict=True))
]

# -- One factor per dataset ------------------------------------------------------------------------

# The shared centre is one prior object, used by every dataset's model.
shared_centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)


def gaussian_model(centre: af.UniformPrior) -> af.Model:
    """A Gaussian with the given centre prior and its own normalization and sigma."""
    model = af.Model(af.ex.Gaussian, centre=centre)
    model.normalization = af.LogUniformPrior(lower_limit=1.0, upper_limit=1000.0)
    model.sigma = af.UniformPrior(lower_limit=0.5, upper_limit=30.0)
    return model


# af.ex.Analysis fits a profile to one dataset: -chi^2 / 2 of the data given the instance.
factors = [
    af.AnalysisFactor(gaussian_model(shared_centre), af.ex.Analysis(data, noise_map))
    for data, noise_map in datasets
]
graph = af.FactorGraphModel(*factors)

# The global model holds the factors' models as "0", "1" and "2". The shared centre is one
# parameter: 1 + 3 x 2 = 7 free parameters, not 9.
print(graph.global_prior_model.info)
print()

# -- The joint fit ---------------------------------------------------------------------------------

# New live points are found by random walks (sample="rwalk") from existing ones, which here makes
# the joint fit about twice as fast as dynesty's default for fewer than ten parameters (uniform
# draws from its bounding ellipsoids). silence=True hides dynesty's progress bar.
# (The test suite sets AUTOFIT_EXAMPLE_QUICK to run with fewer live points.)
quick = os.environ.get("AUTOFIT_EXAMPLE_QUICK", "") not in ("", "0")
nlive = 30 if quick else 100


def nested_sampler(name: str, unique_tag: str | None = None) -> af.DynestyStatic:
    """The search of each fit: the same settings, under its own name (and unique tag)."""
    return af.DynestyStatic(
        name=name,
        unique_tag=unique_tag,
        path_prefix="multiple_datasets",
        nlive=nlive,
        sample="rwalk",
        walks=20,
        seed=1,
        silence=True,
    )


result = nested_sampler("joint").fit(model=graph.global_prior_model, analysis=graph)

# -- The result ------------------------------------------------------------------------------------

# The result is a list: one result per factor, whose samples are the joint samples of that
# factor's parameters. The shared centre is in every one of them, with the same value. Its
# 1-sigma error here is the mean of the lower and upper 1-sigma errors.
samples = result[0].samples
centre = samples.median_pdf().centre
centre_lower, centre_upper = samples.values_at_sigma(sigma=3.0).centre
centre_error = np.mean(samples.errors_at_sigma(sigma=1.0).centre)

print(
    f"Shared centre: {centre:.4f} +- {centre_error:.4f} (1 sigma), "
    f"3-sigma limits [{centre_lower:.4f}, {centre_upper:.4f}]   (truth {true_centre:g})"
)
print()
print("Each dataset's own parameters (median, 3-sigma errors):")
within = [centre_lower <= true_centre <= centre_upper]
for index, (factor_result, truth) in enumerate(zip(result, truths, strict=True)):
    median = factor_result.samples.median_pdf()
    lower = factor_result.samples.values_at_lower_sigma(sigma=3.0)
    upper = factor_result.samples.values_at_upper_sigma(sigma=3.0)
    for name in ("normalization", "sigma"):
        value, low, high = getattr(median, name), getattr(lower, name), getattr(upper, name)
        true_value = getattr(truth, name)
        within.append(low <= true_value <= high)
        print(
            f"    dataset {index}  {name:<14} {value:8.4f}   +{high - value:.4f} "
            f"-{value - low:.4f}   (truth {true_value:g})"
        )

print()
print(
    f"Every true value lies within the 3-sigma limits: {all(within)} "
    f"({sum(within)} of {len(within)} parameters)"
)

# -- What the shared parameter gains ---------------------------------------------------------------

# Each dataset on its own, with the same priors (a new centre prior for each fit). The unique
# tag names the dataset: the identifier of a fit depends on the model and the search, not on
# the data, so without it the three fits would share one output folder, and the second and third
# would load the first's result.
print()
print("The centre from each dataset alone (median +- 1-sigma error):")
alone_errors = []
for index, factor in enumerate(factors):
    alone = nested_sampler("alone", unique_tag=f"dataset_{index}").fit(
        model=gaussian_model(af.UniformPrior(lower_limit=0.0, upper_limit=100.0)),
        analysis=factor.analysis,
    )
    alone_centre = alone.samples.median_pdf().centre
    alone_errors.append(np.mean(alone.samples.errors_at_sigma(sigma=1.0).centre))
    print(f"    dataset {index}  {alone_centre:.4f} +- {alone_errors[-1]:.4f}")

print(f"    together   {centre:.4f} +- {centre_error:.4f}")

# For posteriors close to Gaussians, independent measurements of one quantity combine in inverse
# quadrature: 1 / error^2 = sum of 1 / error_i^2. Three equally good datasets give an error
# sqrt(3) = 1.7 times smaller than each.
predicted_error = 1.0 / np.sqrt(np.sum(1.0 / np.square(alone_errors)))
print(
    f"The joint error is {min(alone_errors) / centre_error:.2f} times smaller than that of the "
    f"best single dataset; combining the single errors in inverse quadrature predicts "
    f"{predicted_error:.4f}."
)
print()
# Each factor's result has the paths of the joint fit (its files in files/factor_<i>/).
print(f"Joint fit written to {result[0].paths.output_path}")
