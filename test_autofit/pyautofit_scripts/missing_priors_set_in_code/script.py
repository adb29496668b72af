"""A component class with no prior configuration; every prior is set in code before fitting."""

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


class Analysis(af.Analysis):
    def __init__(self, data: np.ndarray, noise_map: np.ndarray):
        super().__init__()
        self.data = data
        self.noise_map = noise_map

    def log_likelihood_function(self, instance) -> float:
        xvalues = np.arange(self.data.shape[0])
        model_data = instance.model_data_from(xvalues=xvalues)
        residual_map = self.data - model_data
        chi_squared_map = (residual_map / self.noise_map) ** 2.0
        return -0.5 * sum(chi_squared_map)


xvalues = np.arange(60)
truth = Gaussian(centre=30.0, normalization=20.0, sigma=6.0)
rng = np.random.default_rng(2)
noise_map = np.full(60, 0.2)
data = truth.model_data_from(xvalues) + rng.normal(0.0, 0.2, 60)

model = af.Model(Gaussian)

print(model.info)
print(f"free before {model.prior_count}")

try:
    model.instance_from_prior_medians()
except af.exc.ConfigException as exception:
    print(f"unusable: {str(exception).splitlines()[0]}")

model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=60.0)
model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
model.sigma = af.UniformPrior(lower_limit=0.5, upper_limit=20.0)

print(f"free after {model.total_free_parameters}")

search = af.LBFGS(name="missing_priors_set_in_code")
result = search.fit(model=model, analysis=Analysis(data=data, noise_map=noise_map))

print(f"centre {result.max_log_likelihood_instance.centre:.0f}")
print(f"sigma {result.instance.sigma:.0f}")
