"""Classes of the script take their priors from config/priors/*.yaml, keyed by class name."""

import warnings

import numpy as np

import autofit as af


class Gaussian:
    def __init__(
        self,
        centre: float = 30.0,
        normalization: float = 1.0,
        sigma: float = 5.0,
    ):
        self.centre = centre
        self.normalization = normalization
        self.sigma = sigma

    def model_data_from(self, xvalues: np.ndarray) -> np.ndarray:
        transformed_xvalues = xvalues - self.centre
        return np.multiply(
            np.divide(self.normalization, self.sigma * np.sqrt(2.0 * np.pi)),
            np.exp(-0.5 * np.square(np.divide(transformed_xvalues, self.sigma))),
        )


class Exponential:
    def __init__(
        self,
        centre: float = 30.0,
        normalization: float = 1.0,
        rate: float = 0.01,
    ):
        self.centre = centre
        self.normalization = normalization
        self.rate = rate


class MyGaussian(Gaussian):
    pass


class GaussianKurtosis:
    def __init__(self, centre: float = 30.0, kurtosis: float = 1.0):
        self.centre = centre
        self.kurtosis = kurtosis


model = af.Collection(gaussian=Gaussian, exponential=Exponential)

print(model.info)

# A subclass falls back to the priors of its parent.
print(f"subclass sigma {af.Model(MyGaussian).sigma}")

# Only whole class names match: GaussianKurtosis does not take Gaussian's priors.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    kurtosis = af.Model(GaussianKurtosis)
print(f"kurtosis free {kurtosis.prior_count} warnings {len(caught)}")
print(f"warning {caught[0].category.__name__}")

centre_width = model.gaussian.centre.width_modifier
print(f"centre width modifier {type(centre_width).__name__} {centre_width.value}")

instance = model.instance_from_prior_medians()
print(f"median sigma {instance.gaussian.sigma}")
print(f"median rate {instance.exponential.rate}")
