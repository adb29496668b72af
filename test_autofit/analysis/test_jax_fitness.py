"""The fitness of a ``use_jax=True`` analysis: traced once, jitted, vmapped; the same values as
the numpy path."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af
from autofit.analysis.fitness import Fitness
from autofit.exc import LikelihoodException

pytest.importorskip("jax")

from autofit.analysis.jax_fitness import JaxFitness  # noqa: E402

DATA, NOISE_MAP = af.ex.simulate_data(noise=0.1, seed=2)


def gaussian_model() -> af.Model:
    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.normalization = af.LogUniformPrior(lower_limit=1e-2, upper_limit=1e2)
    model.sigma = af.GaussianPrior(mean=10.0, sigma=5.0, lower_limit=0.0, upper_limit=50.0)
    model.add_assertion(model.sigma < model.centre)
    return model


@pytest.fixture(scope="module")
def fitnesses():
    model = gaussian_model()
    numpy_fitness = Fitness(model, af.ex.Analysis(DATA, NOISE_MAP))
    jax_fitness = Fitness(model, af.ex.Analysis(DATA, NOISE_MAP, use_jax=True))
    return model, numpy_fitness, jax_fitness


@pytest.fixture(scope="module")
def points(fitnesses):
    model = fitnesses[0]
    vectors = model.compiled.batch_vector_from_unit(np.random.default_rng(3).random((40, 3)))
    vectors[0, 0] = 120.0  # outside the centre's prior
    vectors[1, 2] = 5.0  # sigma
    vectors[1, 0] = 4.0  # centre below sigma: the assertion rejects it
    return vectors


def test_an_analysis_with_use_jax_gets_the_jax_fitness(fitnesses):
    _, numpy_fitness, jax_fitness = fitnesses
    assert type(numpy_fitness) is Fitness
    assert type(jax_fitness) is JaxFitness
    # Fitness.call_batch, the seam of every batching search, gets the jitted, vmapped batch.
    assert jax_fitness.batch_evaluator == jax_fitness.evaluate_batch


def test_batch_and_single_values_match_the_numpy_path(fitnesses, points):
    _, numpy_fitness, jax_fitness = fitnesses
    expected = np.array([numpy_fitness(vector) for vector in points])
    assert expected[0] == expected[1] == -np.inf
    rejected_before, calls_before = jax_fitness.rejected, jax_fitness.calls
    batch = jax_fitness.call_batch(points)
    assert jax_fitness.calls - calls_before == len(points)
    assert jax_fitness.rejected - rejected_before == np.count_nonzero(np.isinf(expected))
    np.testing.assert_allclose(batch, expected, rtol=1e-10)
    single = np.array([jax_fitness(vector) for vector in points[:5]])
    np.testing.assert_allclose(single, expected[:5], rtol=1e-10)
    assert jax_fitness.log_likelihood(points[2].tolist()) == pytest.approx(
        numpy_fitness.log_likelihood(points[2].tolist()), rel=1e-10
    )


def test_a_wrong_shape_is_named(fitnesses):
    jax_fitness = fitnesses[2]
    with pytest.raises(ValueError, match=r"Expected a vector of length 3"):
        jax_fitness([1.0, 2.0])
    with pytest.raises(ValueError, match=r"shape \(n, 3\)"):
        jax_fitness.call_batch(np.zeros((4, 2)))


class Untraceable(af.Analysis):
    """Converts the traced value with float(): impossible while tracing."""

    def log_likelihood_function(self, instance):
        return -0.5 * float(instance.centre) ** 2


class ReturnsAnArray(af.Analysis):
    def log_likelihood_function(self, instance):
        return self._xp.ones(3) * instance.centre


@pytest.mark.parametrize(
    "analysis_class, message",
    [
        (Untraceable, r"(?s)Tracing Untraceable.log_likelihood_function with JAX.*jax\.numpy"),
        (ReturnsAnArray, r"must return the log likelihood as one real number.*shape \(3,\)"),
    ],
)
def test_a_likelihood_that_cannot_be_traced_is_explained(analysis_class, message):
    fitness = Fitness(gaussian_model(), analysis_class(use_jax=True))
    with pytest.raises(LikelihoodException, match=message):
        fitness.call_batch(np.array([[50.0, 1.0, 10.0]]))


def test_a_pickled_jax_fitness_is_rebuilt(fitnesses, points):
    import pickle

    jax_fitness = fitnesses[2]
    copy = pickle.loads(pickle.dumps(jax_fitness))
    assert type(copy) is JaxFitness
    assert copy(points[2]) == pytest.approx(jax_fitness(points[2]), rel=1e-12)
