"""Model methods PyAutoFit scripts call: prior lookups, instances from arguments, new models."""

import autofit as af


class Gaussian:
    def __init__(self, centre=30.0, normalization=1.0, sigma=5.0):
        self.centre = centre
        self.normalization = normalization
        self.sigma = sigma


class Exponential:
    def __init__(self, centre=30.0, normalization=1.0, rate=0.01):
        self.centre = centre
        self.normalization = normalization
        self.rate = rate


model = af.Collection(gaussian=af.Model(Gaussian), exponential=af.Model(Exponential))
model.exponential.centre = model.gaussian.centre

print(f"isinstance {isinstance(model, af.AbstractPriorModel)}")
print(f"prior count {model.prior_count}")

for name, prior in model.prior_tuples_ordered_by_id:
    print(f"ordered {name} {model.name_for_prior(prior)}")

print(f"unique {len(model.unique_prior_tuples)}")
print(f"direct {[prior_tuple.name for prior_tuple in model.gaussian.direct_prior_tuples]}")

for path, component in model.path_instance_tuples_for_class(af.Model):
    print(f"component {'.'.join(path)} {component.cls.__name__}")

values = [50.0, 2.0, 5.0, 3.0, 0.5]
arguments = dict(zip(model.priors_ordered_by_id, values, strict=True))
instance = model.instance_for_arguments(arguments)
print(f"arguments {instance.exponential.centre} {instance.exponential.rate}")

instance = model.instance_from_path_arguments(
    {
        ("gaussian", "centre"): 40.0,
        ("gaussian", "normalization"): 2.0,
        ("gaussian", "sigma"): 5.0,
        ("exponential", "normalization"): 3.0,
        ("exponential", "rate"): 0.5,
    }
)
print(f"paths {instance.exponential.centre}")

instance = model.instance_from_prior_name_arguments(
    {
        "gaussian_centre": 30.0,
        "gaussian_normalization": 2.0,
        "gaussian_sigma": 5.0,
        "exponential_normalization": 3.0,
        "exponential_rate": 0.5,
    }
)
print(f"names {instance.exponential.centre}")

new_model = model.mapper_from_partial_prior_arguments(
    {model.gaussian.sigma: af.GaussianPrior(mean=5.0, sigma=1.0)}
)
print(f"partial {new_model.prior_count} {new_model.gaussian.sigma}")

fixed_model = model.mapper_from_prior_arguments(
    {prior: 1.0 for prior in model.priors[:-1]} | {model.exponential.rate: af.UniformPrior()}
)
print(f"replaced {fixed_model.prior_count}")

print(f"latex {model.parameter_labels_with_superscripts_latex[0]}")
print(f"ids increase {model.gaussian.centre.id < model.gaussian.sigma.id}")

model.freeze()
try:
    model.gaussian.centre = 1.0
except AssertionError:
    print("frozen AssertionError")
