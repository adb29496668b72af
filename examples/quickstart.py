"""Quickstart: fit a 1D Gaussian to noisy data with MCMC (af.Emcee).

The four steps of every fit:

1. the data (here simulated from a known Gaussian, so we can check the answer);
2. the model: a Python class whose constructor arguments become free parameters with priors;
3. the analysis: a class with a ``log_likelihood_function`` that compares an instance of the
   model to the data;
4. the search: ``af.Emcee`` samples the posterior and returns a result in terms of the class.

Run from the repository root (it takes a few seconds):

    python examples/quickstart.py

The fit writes its output to ``output/quickstart/<identifier>/``. Run the script again and the
completed fit is loaded from that folder instead of sampling again; stop it half way (Ctrl-C)
and the next run continues where it stopped.
"""

import logging
import os

import numpy as np

import autofit as af

# Show what the search is doing (where it writes, when it finishes).
logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")

# -- 1. The data -----------------------------------------------------------------------------------

# A Gaussian profile sampled at x = 0, 1, ..., 99, plus Gaussian noise of standard deviation 0.1.
# af.ex.Gaussian(centre, normalization, sigma) is an ordinary Python class shipped as an example;
# your own classes work the same way.
truth = af.ex.Gaussian(centre=50.0, normalization=25.0, sigma=10.0)
data, noise_map = af.ex.simulate_data([truth], pixels=100, noise=0.1, seed=1)

# -- 2. The model ----------------------------------------------------------------------------------

# af.Model turns the class into a parameter space: one free parameter per constructor argument.
model = af.Model(af.ex.Gaussian)

# Every parameter has a default prior from the configuration; here we choose our own.
model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
model.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=30.0)

print(model.info)
print()

# -- 3. The analysis -------------------------------------------------------------------------------


class Analysis(af.Analysis):
    """Fits a 1D profile to data with a chi-squared likelihood."""

    def __init__(self, data: np.ndarray, noise_map: np.ndarray) -> None:
        super().__init__()
        self.data = data
        self.noise_map = noise_map
        self.xvalues = np.arange(data.shape[0], dtype=float)

    def log_likelihood_function(self, instance: af.ex.Gaussian) -> float:
        """The search calls this with an instance of the model: a real af.ex.Gaussian whose
        centre, normalization and sigma are the values being tried."""
        model_data = instance.model_data_from(self.xvalues)
        residuals = (self.data - model_data) / self.noise_map
        return -0.5 * float(np.sum(residuals**2))


analysis = Analysis(data=data, noise_map=noise_map)

# -- 4. The search ---------------------------------------------------------------------------------

# 30 walkers of up to 1000 steps each: the run stops earlier if the chain becomes long compared
# with its autocorrelation time (see af.AutoCorrelationsSettings). The seed makes the run
# reproducible. With a name, the fit writes its output folder; with neither name nor path_prefix,
# nothing is written.
# (The test suite sets AUTOFIT_EXAMPLE_QUICK to run a shorter chain.)
quick = os.environ.get("AUTOFIT_EXAMPLE_QUICK", "") not in ("", "0")
search = af.Emcee(name="quickstart", nwalkers=30, nsteps=200 if quick else 1000, seed=1)

result = search.fit(model=model, analysis=analysis)

# -- The result ------------------------------------------------------------------------------------

# The samples speak in the model's class: median_pdf() is an af.ex.Gaussian whose parameters are
# the medians of their marginal posteriors, and values_at_lower_sigma / values_at_upper_sigma give
# the limits of the 3-sigma (99.73%) credible interval of each parameter. The first steps of the
# chain (the burn-in) are left out of these estimates.
samples = result.samples
median = samples.median_pdf()
lower = samples.values_at_lower_sigma(sigma=3.0)
upper = samples.values_at_upper_sigma(sigma=3.0)

print()
print(f"{samples.total_samples} samples ({search.nwalkers} walkers).")
print("Median PDF model, with 3-sigma limits:")
for name in ("centre", "normalization", "sigma"):
    value, low, high = getattr(median, name), getattr(lower, name), getattr(upper, name)
    print(
        f"    {name:<14} {value:8.3f}   +{high - value:.3f} -{value - low:.3f}"
        f"   (truth {getattr(truth, name):g})"
    )

# result.instance is the sample with the highest likelihood, again an af.ex.Gaussian.
print()
print(f"Maximum log likelihood: {result.log_likelihood:.3f}, at {result.instance}")

# Everything about the fit is in its output folder: model.info, model.results (this summary as
# text), search.summary (time and likelihood calls), image/ (plots of the samples) and files/
# (samples.csv, the model and search as JSON, and the checkpoint used to resume).
print()
print(f"Output written to {result.paths.output_path}")
