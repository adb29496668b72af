"""Searches set up with PyAutoFit's sampler keywords: Zeus(vectorize, check_walkers),
DynestyDynamic(fmove, max_move) and Nautilus(verbose)."""

import numpy as np

import autofit as af

xvalues = np.arange(100)
gaussian = af.ex.Gaussian(centre=50.0, normalization=25.0, sigma=10.0)
rng = np.random.default_rng(3)
noise_map = np.full(100, 0.1)
data = gaussian.model_data_from(xvalues=xvalues) + rng.normal(0.0, 0.1, 100)

model = af.Model(af.ex.Gaussian)
model.centre = af.UniformPrior(lower_limit=40.0, upper_limit=60.0)
model.normalization = af.UniformPrior(lower_limit=10.0, upper_limit=40.0)
model.sigma = af.UniformPrior(lower_limit=5.0, upper_limit=15.0)

analysis = af.ex.Analysis(data=data, noise_map=noise_map)

search = af.Zeus(
    nwalkers=10,
    nsteps=150,
    tune=True,
    vectorize=True,
    check_walkers=True,
    shuffle_ensemble=True,
    seed=1,
)
result_vectorized = search.fit(model=model, analysis=analysis)

search = af.Zeus(nwalkers=10, nsteps=150, vectorize=False, seed=1)
result = search.fit(model=model, analysis=analysis)

same = np.array_equal(result.samples.parameters, result_vectorized.samples.parameters)
print(f"Zeus vectorize same chain {same}")
print(f"Zeus centre {result_vectorized.samples.median_pdf().centre:.0f}")

search = af.DynestyDynamic(
    nlive=50,
    bound="multi",
    sample="rwalk",
    walks=10,
    facc=0.2,
    fmove=0.9,
    max_move=100,
    maxcall=3000,
    seed=1,
)
result = search.fit(model=model, analysis=analysis)
print(
    f"DynestyDynamic fmove {search.sampler_settings['fmove']} max_move {search.sampler_settings['max_move']}"
)
print(f"DynestyDynamic centre {result.samples.median_pdf().centre:.0f}")

search = af.Nautilus(n_live=100, n_networks=1, n_eff=300, verbose=False, seed=1)
result = search.fit(model=model, analysis=analysis)
print(f"Nautilus centre {result.samples.median_pdf().centre:.0f}")

try:
    af.Nautilus(n_live=100, verbse=False)
except TypeError as error:
    print(f"TypeError: {error}")
