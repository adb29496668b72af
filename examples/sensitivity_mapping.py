"""Sensitivity mapping: where would a faint second Gaussian have been detected?

The data are one broad Gaussian at x = 50. Would we have noticed a narrow second Gaussian, and
how bright must it be, and where? ``af.Sensitivity`` answers it cell by cell over a grid of the
perturbation's centre and normalization: in each cell it simulates a dataset with the
perturbation at the cell's centre, fits it with one Gaussian (the base model) and with two (the
base model plus the perturbation), and compares the Bayesian evidences of the two fits. A
large positive log evidence difference means the perturbation would have been detected.

Run from the repository root (about 30 seconds; quick mode, used by the tests, maps a 2 x 2
grid in a few seconds):

    python examples/sensitivity_mapping.py

Nothing is written to disk unless the environment variable ``AUTOFIT_OUTPUT_PATH`` names an
output folder; then the map writes ``<AUTOFIT_OUTPUT_PATH>/sensitivity_mapping/<identifier>/``
(one folder per cell, ``results.csv`` and ``sensitivity.json``), and a second run loads it.
"""

import os

import numpy as np

import autofit as af

# The examples test sets AUTOFIT_EXAMPLE_QUICK to map a smaller grid.
quick = os.environ.get("AUTOFIT_EXAMPLE_QUICK", "") not in ("", "0")
write = bool(os.environ.get(af.conf.OUTPUT_PATH_VARIABLE))

# -- Simulating and fitting ------------------------------------------------------------------------


class Analysis(af.Analysis):
    """A chi-squared fit of the sum of an instance's Gaussians to the data."""

    def __init__(self, data: np.ndarray, noise_map: np.ndarray) -> None:
        super().__init__()
        self.data = data
        self.noise_map = noise_map
        self.xvalues = np.arange(data.shape[0], dtype=float)

    def log_likelihood_function(self, instance: af.ModelInstance) -> float:
        model_data = sum(
            (gaussian.model_data_from(self.xvalues) for gaussian in instance),
            np.zeros_like(self.xvalues),
        )
        return -0.5 * float(np.sum(((self.data - model_data) / self.noise_map) ** 2))


def simulate(instance: af.ModelInstance, simulate_path) -> tuple[np.ndarray, np.ndarray]:
    """100 pixels of every Gaussian of ``instance`` (the base one and the perturbation) plus
    noise of 0.1."""
    return af.ex.simulate_data(list(instance), pixels=100, noise=0.1, seed=3)


class Fit:
    """Fits a simulated dataset with a small nested-sampling search, written (when the map is)
    into a sub-folder of the cell's folder."""

    def __init__(self, analysis_name: str) -> None:
        self.analysis_name = analysis_name

    def __call__(self, model, dataset, paths, instance) -> af.Result:
        search = af.DynestyStatic(
            paths=paths.for_sub_analysis(analysis_name=self.analysis_name),
            nlive=25,
            seed=1,
            silence=True,
        )
        return search.fit(model=model, analysis=Analysis(*dataset))


# -- The models ------------------------------------------------------------------------------------

# The base model: the broad Gaussian, its normalization free.
base_model = af.Collection(
    gaussian=af.Model(
        af.ex.Gaussian,
        centre=50.0,
        sigma=10.0,
        normalization=af.UniformPrior(lower_limit=0.0, upper_limit=50.0),
    )
)
# The perturbation: a narrow Gaussian; its centre and normalization span the grid.
perturb_model = af.Model(
    af.ex.Gaussian,
    centre=af.UniformPrior(lower_limit=10.0, upper_limit=90.0),
    sigma=2.0,
    normalization=af.LogUniformPrior(lower_limit=0.01, upper_limit=10.0),
)
simulation_instance = af.ModelInstance(
    {"gaussian": af.ex.Gaussian(centre=50.0, normalization=25.0, sigma=10.0)}
)

sensitivity = af.Sensitivity(
    paths=af.DirectoryPaths(name="sensitivity_mapping") if write else af.NullPaths(),
    simulation_instance=simulation_instance,
    base_model=base_model,
    perturb_model=perturb_model,
    simulate_cls=simulate,
    base_fit_cls=Fit("base"),
    perturb_fit_cls=Fit("perturbed"),
    number_of_steps=2 if quick else 3,
    number_of_cores=1 if quick else 2,
)
result = sensitivity.run()

# -- The map ---------------------------------------------------------------------------------------

centres = result.perturbed_physical_centres_list_from("centre").native
normalizations = result.perturbed_physical_centres_list_from("normalization").native
differences = result.log_evidence_differences.native

print("Log evidence of two Gaussians minus one, per simulated perturbation")
print("centre  normalization  log evidence difference  detected")
for index in np.ndindex(result.shape):
    difference = differences[index]
    print(
        f"{centres[index]:6.1f}  {normalizations[index]:13.3g}  {difference:23.1f}  "
        f"{'yes' if difference > 5.0 else 'no'}"
    )

# The brightest perturbations are detected wherever they are; the faintest nowhere.
brightest = np.isclose(normalizations, normalizations.max())
faintest = np.isclose(normalizations, normalizations.min())
print(f"Brightest perturbations detected everywhere: {bool(np.all(differences[brightest] > 5.0))}")
print(f"Faintest perturbations detected nowhere: {bool(np.all(differences[faintest] < 5.0))}")
if write:
    print(f"Output written to {sensitivity.output_path}")
