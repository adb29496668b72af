"""Quickstart: compose a model from a Python class, look at it, and turn vectors into instances.

Run from the repository root:

    python examples/quickstart.py
"""

import autofit as af

# A model of the example class af.ex.Gaussian(centre, normalization, sigma). Every constructor
# argument becomes a free parameter whose prior comes from the default configuration.
model = af.Model(af.ex.Gaussian)

# Priors can be set in code; a number fixes a parameter.
model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
model.normalization = af.LogUniformPrior(lower_limit=1e-2, upper_limit=1e2)
model.sigma = af.GaussianPrior(mean=10.0, sigma=5.0, lower_limit=0.0)

print(model.info)
print()
print("parameter order:", model.paths)
print("identifier:", model.identifier)

# A vector of physical values, in the order above, becomes an instance of the user's class.
gaussian = model.instance_from_vector([50.0, 2.0, 10.0])
print()
print("instance from a vector:", gaussian)
print("its full width at half maximum:", gaussian.fwhm)

# Searches work in the unit hypercube: each unit value is mapped through its prior.
print("instance at the prior medians:", model.instance_from_prior_medians())

# Several components form a Collection; parameters can be linked and constrained.
collection = af.Collection(gaussian=model, exponential=af.ex.Exponential)
collection.exponential.centre = collection.gaussian.centre
collection.add_assertion(collection.gaussian.sigma > 2.0)
print()
print(collection.info)
instance = collection.random_instance()
print()
print("a random instance:", instance.gaussian, instance.exponential)
