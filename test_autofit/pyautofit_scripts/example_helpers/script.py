"""The example helpers of af.ex as PyAutoFit's workspace uses them: a model collection with a
fixed time and a None entry fitted by af.ex.Analysis, the gaussian.fwhm latent, the result's
model data, and af.ex.plot_profile_1d writing a PNG."""

from os import path
from pathlib import Path

import numpy as np

import autofit as af

xvalues = np.arange(100)
gaussian = af.ex.Gaussian(centre=50.0, normalization=25.0, sigma=10.0)
exponential = af.ex.Exponential(centre=50.0, normalization=40.0, rate=0.05)
rng = np.random.default_rng(5)
noise_map = np.full(100, 0.1)
model_data = gaussian.model_data_from(xvalues=xvalues) + exponential.model_data_from(
    xvalues=xvalues
)
data = model_data + rng.normal(0.0, 0.1, 100)

output_path = Path("output") / "plots"

af.ex.plot_profile_1d(
    xvalues=xvalues,
    profile_1d=data,
    title="Example Data",
    ylabel="Data Normalization",
    errors=noise_map,
    color="k",
    output_path=output_path,
    output_filename="data",
)
print(f"data.png written {path.exists(output_path / 'data.png')}")

gaussian_model = af.Model(af.ex.Gaussian)
gaussian_model.centre = af.UniformPrior(lower_limit=40.0, upper_limit=60.0)
gaussian_model.normalization = af.UniformPrior(lower_limit=10.0, upper_limit=40.0)
gaussian_model.sigma = af.UniformPrior(lower_limit=5.0, upper_limit=15.0)

exponential_model = af.Model(af.ex.Exponential)
exponential_model.centre = 50.0
exponential_model.normalization = af.UniformPrior(lower_limit=20.0, upper_limit=60.0)
exponential_model.rate = af.UniformPrior(lower_limit=0.01, upper_limit=0.1)

model = af.Collection(
    gaussian=gaussian_model, exponential=exponential_model, time=1.5, background=None
)
print(model.info)

analysis = af.ex.Analysis(data=data, noise_map=noise_map)

search = af.DynestyStatic(name="example_helpers", nlive=50, sample="rwalk", seed=1)
result = search.fit(model=model, analysis=analysis)

instance = result.max_log_likelihood_instance
print(f"time {instance.time} background {instance.background}")
print(f"gaussian sigma near 10: {abs(result.samples.median_pdf().gaussian.sigma - 10.0) < 1.5}")

latent_samples = result.latent_samples
print(f"latent {latent_samples.model.joined_paths}")
fwhm = latent_samples.median_pdf().gaussian.fwhm
sigma = result.samples.median_pdf().gaussian.sigma
print(f"fwhm / sigma {fwhm / sigma:.2f}")
latent_csv = result.paths.files_path / "latent" / "samples.csv"
print(f"latent csv header {latent_csv.read_text().splitlines()[0].split(',')[0]}")

model_data_1d = result.max_log_likelihood_model_data_1d
print(f"model data {model_data_1d.shape} residual rms {np.std(data - model_data_1d):.1f}")

af.ex.plot_profile_1d(
    xvalues=xvalues,
    profile_1d=model_data_1d,
    title="Model Fit",
    ylabel="Model Normalization",
    color="r",
    output_path=output_path,
    output_filename="model_fit",
)
print(f"model_fit.png written {path.exists(output_path / 'model_fit.png')}")
