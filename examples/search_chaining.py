"""Search chaining: fit two Gaussians in three searches, each passing what it learned on.

The data are two Gaussians, at x = 25 and x = 70. Fitting both at once from broad priors works
here, but in harder problems (more components, overlapping ones, expensive likelihoods) a chain
of simpler fits is faster and more robust:

1. the left Gaussian alone, on the left part of the data (x < 45);
2. the right Gaussian on all the data, with the left one fixed at the values of search 1
   (``take_attributes(source=result_1.instance.gaussian_left)``);
3. both Gaussians, each with priors centred on the posteriors of searches 1 and 2
   (``take_attributes(source=result.model...)``).

Run from the repository root (it takes about 10 seconds):

    python examples/search_chaining.py

Nothing is written to disk unless the environment variable ``AUTOFIT_OUTPUT_PATH`` names an
output folder; then the searches write ``<AUTOFIT_OUTPUT_PATH>/search_chaining/search[1]_left/``,
``search[2]_right/`` and ``search[3]_both/``, and a second run loads them.
"""

import os

import numpy as np

import autofit as af

# -- The data --------------------------------------------------------------------------------------

left = af.ex.Gaussian(centre=25.0, normalization=30.0, sigma=6.0)
right = af.ex.Gaussian(centre=70.0, normalization=40.0, sigma=8.0)
data, noise_map = af.ex.simulate_data([left, right], noise=0.1, seed=4)

# -- The analysis ----------------------------------------------------------------------------------


class Analysis(af.Analysis):
    """The summed Gaussians of an instance against the data at x < ``x_max`` (all the data when
    ``x_max`` is None)."""

    def __init__(self, data: np.ndarray, noise_map: np.ndarray, x_max: float | None = None):
        super().__init__()
        self.data = data
        self.noise_map = noise_map
        self.xvalues = np.arange(data.shape[0], dtype=float)
        self.x_max = x_max

    def log_likelihood_function(self, instance: af.ModelInstance) -> float:
        model_data = sum(gaussian.model_data_from(self.xvalues) for gaussian in instance)
        residuals = (self.data - model_data) / self.noise_map
        if self.x_max is not None:
            residuals = residuals[self.xvalues < self.x_max]
        return -0.5 * float(np.dot(residuals, residuals))


# -- The searches ----------------------------------------------------------------------------------

# The examples test sets AUTOFIT_EXAMPLE_QUICK to run with fewer live points.
quick = os.environ.get("AUTOFIT_EXAMPLE_QUICK", "") not in ("", "0")
write = bool(os.environ.get(af.conf.OUTPUT_PATH_VARIABLE))


def search(name: str) -> af.DynestyStatic:
    """A nested sampler with short random walks (quick in 3 to 6 dimensions)."""
    return af.DynestyStatic(
        nlive=25 if quick else 50,
        sample="rwalk",
        walks=10,
        seed=1,
        silence=True,
        name=name if write else None,
        path_prefix="search_chaining" if write else None,
    )


def two_gaussians() -> af.Collection:
    return af.Collection(
        gaussian_left=af.Model(af.ex.Gaussian), gaussian_right=af.Model(af.ex.Gaussian)
    )


# Search 1: the left Gaussian on the left part of the data.
model_1 = af.Collection(gaussian_left=af.Model(af.ex.Gaussian))
model_1.gaussian_left.centre = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
result_1 = search("search[1]_left").fit(
    model=model_1, analysis=Analysis(data, noise_map, x_max=45.0)
)

# Search 2: the right Gaussian; the left one fixed at the best fit of search 1.
model_2 = two_gaussians()
model_2.gaussian_left.take_attributes(source=result_1.instance.gaussian_left)
model_2.gaussian_right.centre = af.UniformPrior(lower_limit=50.0, upper_limit=100.0)
result_2 = search("search[2]_right").fit(model=model_2, analysis=Analysis(data, noise_map))

# Search 3: both Gaussians, with the priors passed from searches 1 and 2.
model_3 = two_gaussians()
model_3.gaussian_left.take_attributes(source=result_1.model.gaussian_left)
model_3.gaussian_right.take_attributes(source=result_2.model.gaussian_right)
result_3 = search("search[3]_both").fit(model=model_3, analysis=Analysis(data, noise_map))

# -- What each search found ------------------------------------------------------------------------

print(
    f"Search 1 fitted {model_1.prior_count} parameters, search 2 {model_2.prior_count}, "
    f"search 3 {model_3.prior_count}."
)
print("Priors of search 3, passed from searches 1 and 2:")
for name, prior in model_3.path_priors_tuples:
    print(f"    {'.'.join(name):30s} GaussianPrior mean {prior.mean:7.2f} sigma {prior.sigma:6.2f}")
print()
truths = {"gaussian_left": left, "gaussian_right": right}
median = result_3.samples.median_pdf()
errors = result_3.samples.errors_at_sigma(3.0)
print("Search 3, median and 3-sigma errors:")
for component, truth in truths.items():
    for parameter in ("centre", "normalization", "sigma"):
        value = getattr(getattr(median, component), parameter)
        lower, upper = getattr(getattr(errors, component), parameter)
        true_value = getattr(truth, parameter)
        print(
            f"    {component}.{parameter:14s} {value:8.3f} +{upper:.3f} -{lower:.3f}  "
            f"(truth {true_value})"
        )
print()
print(f"Search 1, left centre:  {result_1.instance.gaussian_left.centre:.2f}")
print(f"Search 2, right centre: {result_2.instance.gaussian_right.centre:.2f}")
print(
    f"Max log likelihood: search 2 {result_2.log_likelihood:.2f}, "
    f"search 3 {result_3.log_likelihood:.2f}"
)
