"""An analysis written for PyAutoFit: it calls super().__init__(use_jax=use_jax) and computes
its likelihood with self._xp (numpy, or jax.numpy when use_jax=True), as do the example
analysis and profiles. Without JAX installed, use_jax=True raises an ImportError naming the
extra."""

import sys

import numpy as np

import autofit as af


class Analysis(af.Analysis):
    def __init__(self, data, noise_map, use_jax=False):
        super().__init__(use_jax=use_jax)

        self.data = data
        self.noise_map = noise_map

    def log_likelihood_function(self, instance):
        xp = self._xp
        xvalues = xp.arange(self.data.shape[0])
        model_data = instance.model_data_from(xvalues=xvalues, xp=xp)
        residual_map = self.data - model_data
        chi_squared_map = (residual_map / self.noise_map) ** 2.0
        return -0.5 * xp.sum(chi_squared_map)


xvalues = np.arange(100)
gaussian = af.ex.Gaussian(centre=50.0, normalization=25.0, sigma=10.0)
rng = np.random.default_rng(2)
noise_map = np.full(100, 0.1)
data = gaussian.model_data_from(xvalues=xvalues) + rng.normal(0.0, 0.1, 100)

model = af.Model(af.ex.Gaussian)
model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
model.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=30.0)

analysis = Analysis(data=data, noise_map=noise_map, use_jax=False)
print(f"is_jax {analysis.is_jax}")

analysis_jax = Analysis(data=data, noise_map=noise_map, use_jax=True)
example_jax = af.ex.Analysis(data=data, noise_map=noise_map, use_jax=True)
print(f"is_jax {analysis_jax.is_jax} {example_jax.is_jax}")

search = af.LBFGS(seed=1)
result = search.fit(model=model, analysis=analysis_jax)
print(f"centre {result.instance.centre:.1f}")
print(f"gradient {result.samples.samples_info['gradient']}")

result_example = af.LBFGS(seed=1).fit(model=model, analysis=example_jax)
print(f"sigma {result_example.instance.sigma:.1f}")

# As on a machine without JAX: a module set to None cannot be imported.
sys.modules["jax"] = None
try:
    Analysis(data=data, noise_map=noise_map, use_jax=True)
except ImportError as error:
    print(f"ImportError: {error}")
