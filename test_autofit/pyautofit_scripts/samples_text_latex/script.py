"""Results as text and single samples, in the style of PyAutoFit's result cookbooks:
af.text.Samples.latex, the summary's max_log_likelihood_sample and Sample.instance_for_model,
and the starting bounds of InitializerParamBounds."""

import numpy as np

import autofit as af

xvalues = np.arange(100)
gaussian = af.ex.Gaussian(centre=50.0, normalization=25.0, sigma=10.0)
rng = np.random.default_rng(4)
noise_map = np.full(100, 0.1)
data = gaussian.model_data_from(xvalues=xvalues) + rng.normal(0.0, 0.1, 100)

model = af.Collection(gaussian=af.Model(af.ex.Gaussian))
model.gaussian.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
model.gaussian.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
model.gaussian.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=30.0)

initializer = af.InitializerParamBounds(
    {
        model.gaussian.centre: (45.0, 55.0),
        model.gaussian.normalization: (20.0, 30.0),
        model.gaussian.sigma: (8.0, 12.0),
    }
)
print(initializer.info_from_model(model=model))

search = af.Emcee(nwalkers=20, nsteps=300, initializer=initializer, seed=1)
result = search.fit(model=model, analysis=af.ex.Analysis(data=data, noise_map=noise_map))

samples = result.samples

latex = af.text.Samples.latex(
    samples=samples,
    median_pdf_model=True,
    sigma=3.0,
    name_to_label=True,
    include_name=True,
    include_quickmath=True,
    prefix="Example Prefix ",
    suffix=" \\[-2pt]",
)
print(latex)

samples_summary = result.samples_summary
sample = samples_summary.max_log_likelihood_sample
print(f"max log likelihood sample {sample.log_likelihood:.2f}")
instance = sample.instance_for_model(model=samples.model)
print(f"instance centre {instance.gaussian.centre:.0f}")
print(f"same as result.instance {instance.gaussian.sigma == result.instance.gaussian.sigma}")
