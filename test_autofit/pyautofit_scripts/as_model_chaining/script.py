"""Chaining searches through instances: a result's instance turned back into a model."""

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
        model_data = sum(profile.model_data_from(xvalues=xvalues) for profile in instance)
        residual_map = self.data - model_data
        chi_squared_map = (residual_map / self.noise_map) ** 2.0
        return -0.5 * sum(chi_squared_map)


xvalues = np.arange(100)
truth = Gaussian(centre=50.0, normalization=25.0, sigma=10.0)
rng = np.random.default_rng(3)
noise_map = np.full(100, 0.05)
data = truth.model_data_from(xvalues) + rng.normal(0.0, 0.05, 100)
analysis = Analysis(data=data, noise_map=noise_map)

model_1 = af.Collection(gaussian=af.Model(Gaussian))

search_1 = af.Emcee(name="search[1]", nwalkers=20, nsteps=200, seed=1)
result_1 = search_1.fit(model=model_1, analysis=analysis)
print(f"search 1 centre {result_1.instance.gaussian.centre:.0f}")

fixed = result_1.instance.as_model(())
print(f"fixed free {fixed.prior_count}")
print(f"fixed centre {fixed.gaussian.centre:.0f}")

model_2 = result_1.instance.as_model((Gaussian,))
print(f"model 2 free {model_2.prior_count}")
print(f"model 2 sigma prior {model_2.gaussian.sigma}")
print(f"is prior model {isinstance(model_2, af.AbstractPriorModel)}")

model_2.gaussian.centre = af.GaussianPrior(
    mean=result_1.instance.gaussian.centre, sigma=5.0, lower_limit=0.0, upper_limit=100.0
)
search_2 = af.LBFGS(name="search[2]")
result_2 = search_2.fit(model=model_2, analysis=analysis)
print(f"search 2 centre {result_2.instance.gaussian.centre:.0f}")
print(f"search 2 sigma {result_2.instance.gaussian.sigma:.0f}")

single = af.AbstractPriorModel.from_instance(result_2.instance.gaussian, model_classes=(Gaussian,))
print(f"single {type(single).__name__} {single.cls.__name__} {single.prior_count}")
