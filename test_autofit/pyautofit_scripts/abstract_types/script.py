"""PyAutoFit's abstract types in annotations and isinstance checks: samples and paths."""

import autofit as af


def describe(samples: af.SamplesPDF, paths: af.AbstractPaths | None = None) -> str:
    median = samples.median_pdf()
    where = "memory" if paths is None or isinstance(paths, af.NullPaths) else "disk"
    return f"centre {median.centre:.0f} ({where})"


data, noise_map = af.ex.simulate_data(noise=0.1, seed=1)
model = af.Model(af.ex.Gaussian)
model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
model.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=30.0)

search = af.Emcee(nwalkers=20, nsteps=200, seed=1)
result = search.fit(model=model, analysis=af.ex.Analysis(data=data, noise_map=noise_map))

print("pdf samples:", isinstance(result.samples, af.SamplesPDF))
print(describe(result.samples, search.paths))

sample_list = result.samples.sample_list
rebuilt = af.SamplesPDF(model=model, sample_list=sample_list)
print(f"rebuilt {rebuilt.max_log_likelihood().centre:.0f}")
