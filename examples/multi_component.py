"""A model of two components, with priors chosen for the problem, a link and an assertion.

The data are the light of an object with a compact core and an extended halo, simulated as a
Gaussian (``af.ex.Gaussian``) plus a symmetric exponential profile (``af.ex.Exponential``) with
the same centre. The model is a collection of the two components, and the defaults of their
priors are replaced with what we know:

- the centre has a Gaussian prior, truncated to the data (we know roughly where the object is);
- the normalisations have log-uniform priors (we do not know their scale to within a factor of
  ten);
- the Gaussian's width has a uniform prior, the exponential's decay rate a log-uniform one;
- the exponential's centre is *linked* to the Gaussian's: one parameter, shared by both;
- an *assertion* says the core is narrower than the halo: ``gaussian.sigma`` is smaller than the
  halo's scale length ``1 / exponential.rate``.

The nested sampler ``af.DynestyStatic`` fits the model, and the script prints every parameter's
median with its 3-sigma errors beside the true value.

Run from the repository root (it takes about 10 seconds):

    python examples/multi_component.py

The fit writes its output to ``output/multi_component/<identifier>/`` (below
``AUTOFIT_OUTPUT_PATH`` instead of ``./output`` when that environment variable is set). Run the
script again and the completed fit is loaded from that folder instead of sampling again.
"""

import os

import autofit as af

# -- The data --------------------------------------------------------------------------------------

# The core and the halo share the centre x = 50. 100 pixels, noise of standard deviation 0.1.
true_core = af.ex.Gaussian(centre=50.0, normalization=30.0, sigma=5.0)
true_halo = af.ex.Exponential(centre=50.0, normalization=40.0, rate=0.05)
data, noise_map = af.ex.simulate_data([true_core, true_halo], pixels=100, noise=0.1, seed=2)

# -- The model -------------------------------------------------------------------------------------

model = af.Collection(gaussian=af.Model(af.ex.Gaussian), exponential=af.Model(af.ex.Exponential))

# A Gaussian prior with limits: centred on 50 with a width of 10, and never outside the data.
model.gaussian.centre = af.GaussianPrior(mean=50.0, sigma=10.0, lower_limit=0.0, upper_limit=100.0)
model.gaussian.normalization = af.LogUniformPrior(lower_limit=1.0, upper_limit=1000.0)
model.gaussian.sigma = af.UniformPrior(lower_limit=0.5, upper_limit=25.0)

# Linking: the exponential's centre *is* the Gaussian's centre, one free parameter.
model.exponential.centre = model.gaussian.centre
model.exponential.normalization = af.LogUniformPrior(lower_limit=1.0, upper_limit=1000.0)
model.exponential.rate = af.LogUniformPrior(lower_limit=0.001, upper_limit=1.0)

# An assertion: points where the core is wider than the halo's scale length 1 / rate are
# rejected. It removes no parameter, only a region of the parameter space.
model.add_assertion(model.gaussian.sigma * model.exponential.rate < 1.0, name="core inside halo")

# Six parameters in the two classes, five free parameters: the link removes one.
print(model.info)
print()

# -- The analysis ----------------------------------------------------------------------------------

# af.ex.Analysis sums the components of the instance (here its gaussian and exponential) at
# x = 0, 1, ..., 99, and returns -chi^2 / 2 against the data.
analysis = af.ex.Analysis(data=data, noise_map=noise_map)

# -- The search ------------------------------------------------------------------------------------

# New live points are found by random walks (sample="rwalk") from existing ones. For fewer than
# ten parameters dynesty would otherwise draw them uniformly from its bounding ellipsoids, which
# for this sharply peaked likelihood accept fewer than one point in a hundred; the random walks
# are many times faster. The seed makes the run reproducible; silence=True hides dynesty's
# progress bar.
# (The test suite sets AUTOFIT_EXAMPLE_QUICK to run with fewer live points.)
quick = os.environ.get("AUTOFIT_EXAMPLE_QUICK", "") not in ("", "0")
search = af.DynestyStatic(
    name="multi_component",
    nlive=50 if quick else 100,
    sample="rwalk",
    walks=25,
    seed=1,
    silence=True,
)

result = search.fit(model=model, analysis=analysis)

# -- The result ------------------------------------------------------------------------------------

samples = result.samples
median = samples.median_pdf(as_instance=False)
lower, upper = zip(*samples.values_at_sigma(sigma=3.0, as_instance=False), strict=True)
truth = {"gaussian": true_core, "exponential": true_halo}

print(f"{samples.total_samples} samples, log evidence {samples.log_evidence:.2f}.")
print("Median PDF model, with 3-sigma errors:")
within = []
for path, value, low, high in zip(model.paths, median, lower, upper, strict=True):
    component, name = path
    true_value = getattr(truth[component], name)
    within.append(low <= true_value <= high)
    print(
        f"    {component + '.' + name:<27} {value:9.4f}   +{high - value:.4f} -{value - low:.4f}"
        f"   (truth {true_value:g})"
    )

# An instance of the model: the linked centre takes the same value in both components.
instance = samples.median_pdf()
print()
print(
    f"Linked centre: gaussian.centre = {instance.gaussian.centre:.4f}, "
    f"exponential.centre = {instance.exponential.centre:.4f}"
)
print(
    f"Assertion: core sigma {instance.gaussian.sigma:.2f} < halo scale length 1 / rate "
    f"{1.0 / instance.exponential.rate:.2f}"
)

print()
print(f"Maximum log likelihood: {result.log_likelihood:.3f}")
print(
    f"Every true value lies within the 3-sigma limits: {all(within)} "
    f"({sum(within)} of {len(within)} parameters)"
)
print()
print(f"Output written to {result.paths.output_path}")
