"""The shape of PyAutoFit's overview script: a Gaussian fitted with Emcee."""

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


xvalues = np.arange(100)
truth = Gaussian(centre=50.0, normalization=25.0, sigma=10.0)
rng = np.random.default_rng(1)
noise_map = np.full(100, 0.1)
data = truth.model_data_from(xvalues) + rng.normal(0.0, 0.1, 100)

model = af.Model(Gaussian)
model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
model.normalization = af.LogUniformPrior(lower_limit=1e-2, upper_limit=1e2)
model.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=30.0)

print(model.info)

search = af.Emcee(nwalkers=20, nsteps=300, seed=1)
result = search.fit(model=model, analysis=Analysis(data=data, noise_map=noise_map))

print(f"centre {result.max_log_likelihood_instance.centre:.0f}")
print(f"sigma {result.samples.median_pdf().sigma:.0f}")
