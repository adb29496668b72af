"""Model comparison: how many Gaussians are in the data? Let the Bayesian evidence decide.

The data are simulated from two Gaussians. We fit three models to them, made of one, two and
three Gaussians (``af.Collection`` of ``af.ex.Gaussian``), with the nested sampler
``af.DynestyStatic``, which computes the Bayesian evidence Z of each model: the likelihood
averaged over the prior. A model with more parameters always fits at least as well (its
maximum log likelihood is at least as high), but it spreads its prior over a larger parameter
space, and the evidence pays for every part of that space the data do not need. The model with
the highest evidence wins: here, two Gaussians.

Run from the repository root (it takes about 20 seconds):

    python examples/model_comparison.py

Nothing is written to disk unless the environment variable ``AUTOFIT_OUTPUT_PATH`` names an
output folder; then each fit writes ``<AUTOFIT_OUTPUT_PATH>/model_comparison/gaussians_<n>/``.
"""

import os

import numpy as np

import autofit as af

# -- The data --------------------------------------------------------------------------------------

# Two Gaussians sampled at x = 0, 1, ..., 99, plus Gaussian noise of standard deviation 0.2.
truths = [
    af.ex.Gaussian(centre=35.0, normalization=20.0, sigma=6.0),
    af.ex.Gaussian(centre=65.0, normalization=30.0, sigma=8.0),
]
data, noise_map = af.ex.simulate_data(truths, pixels=100, noise=0.2, seed=1)

# -- The analysis ----------------------------------------------------------------------------------


class Analysis(af.Analysis):
    """Fits the sum of the Gaussians of an instance to the data with a chi-squared likelihood."""

    def __init__(self, data: np.ndarray, noise_map: np.ndarray) -> None:
        super().__init__()
        self.data = data
        self.noise_map = noise_map
        self.xvalues = np.arange(data.shape[0], dtype=float)

    def log_likelihood_function(self, instance: af.ModelInstance) -> float:
        """``instance`` holds one af.ex.Gaussian per component of the model."""
        model_data = sum(gaussian.model_data_from(self.xvalues) for gaussian in instance)
        residuals = (self.data - model_data) / self.noise_map
        return -0.5 * float(np.sum(residuals**2))


analysis = Analysis(data=data, noise_map=noise_map)

# -- The models ------------------------------------------------------------------------------------


def gaussians(count: int) -> af.Collection:
    """``count`` Gaussians, each with the same priors.

    The prior on each normalization (the area under the Gaussian) is wide, 0 to 1000: we do not
    know the scale of the signal. A component the data do not need is squeezed into a small part
    of that range, and the evidence charges the model for the rest.
    """
    model = af.Collection()
    for index in range(count):
        gaussian = af.Model(af.ex.Gaussian)
        gaussian.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
        gaussian.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=1000.0)
        gaussian.sigma = af.UniformPrior(lower_limit=1.0, upper_limit=20.0)
        setattr(model, f"gaussian_{index}", gaussian)
    return model


# -- The fits --------------------------------------------------------------------------------------

# The examples test sets AUTOFIT_EXAMPLE_QUICK to run with fewer live points.
quick = os.environ.get("AUTOFIT_EXAMPLE_QUICK", "") not in ("", "0")
# With AUTOFIT_OUTPUT_PATH set, each fit writes its output folder (and a second run of the
# script loads the completed fits); otherwise nothing is written.
write = bool(os.environ.get(af.conf.OUTPUT_PATH_VARIABLE))

rows = []
for count in (1, 2, 3):
    # Random walks inside dynesty's ellipsoids: with several Gaussians of the same priors the
    # posterior has one mode per ordering of the components, and surplus components leave
    # long ridges, where drawing uniformly inside the ellipsoids rarely finds a better point.
    search = af.DynestyStatic(
        nlive=50 if quick else 75,
        sample="rwalk",
        walks=25,
        seed=1,
        silence=True,
        name=f"gaussians_{count}" if write else None,
        path_prefix="model_comparison" if write else None,
    )
    result = search.fit(model=gaussians(count), analysis=analysis)
    samples = result.samples
    rows.append((count, samples.log_evidence, samples.log_evidence_error, result.log_likelihood))

# -- The comparison --------------------------------------------------------------------------------

print("Gaussians   log evidence          max log likelihood")
for count, log_evidence, error, max_log_likelihood in rows:
    print(f"{count:>9}   {log_evidence:10.2f} +/- {error:4.2f}   {max_log_likelihood:18.2f}")

# The more Gaussians, the better the fit (the highest likelihood); the evidence weighs the fit
# against the prior volume each model spends on it.
ranked = sorted(rows, key=lambda row: row[1], reverse=True)
winner, runner_up = ranked[0], ranked[1]
difference = winner[1] - runner_up[1]
print()
print(
    f"The model with {winner[0]} Gaussian{'s' if winner[0] > 1 else ''} wins: its log evidence "
    f"is {difference:.1f} higher than that of the model with {runner_up[0]} (a Bayes factor "
    f"of {np.exp(difference):.3g})."
)
print(f"The data were simulated from {len(truths)} Gaussians.")
