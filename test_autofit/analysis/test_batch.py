"""Tests of ``Fitness.call_batch`` and the batch evaluators: the values of many vectors at once
are those of the fitness row by row."""

from __future__ import annotations

import math

import dill
import numpy as np
import pytest

import autofit as af
from autofit.analysis.batch import (
    NumpyBatchEvaluator,
    PointwiseEvaluator,
    register_batch_evaluator,
    unregister_batch_evaluator,
)
from autofit.analysis.fitness import Fitness
from autofit.exc import FitException, LikelihoodException
from test_autofit.model.test_batch import vectors_for

DATA, NOISE = af.ex.simulate_data(noise=0.5)


class CountingAnalysis(af.ex.Analysis):
    """af.ex.Analysis counting its batch calls and the rows it is given."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.batches, self.rows = 0, 0

    def log_likelihood_function_batch(self, instances):
        self.batches += 1
        self.rows += len(instances.gaussian.centre)
        return super().log_likelihood_function_batch(instances)


class PickyAnalysis(af.Analysis):
    """Rejects (FitException) points with centre above 70, returns NaN below 10; its batch
    method rejects the whole batch whenever it holds such a point."""

    def log_likelihood_function(self, instance):
        if instance.gaussian.centre > 70.0:
            raise FitException("too far right")
        if instance.gaussian.centre < 10.0:
            return math.nan
        return -0.5 * (instance.gaussian.centre - 50.0) ** 2

    def log_likelihood_function_batch(self, instances):
        centre = instances.gaussian.centre
        if np.any(centre > 70.0):
            raise FitException("one of them is too far right")
        return np.where(centre < 10.0, np.nan, -0.5 * (centre - 50.0) ** 2)


def model_with_assertion():
    model = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)
    model.add_assertion(model.gaussian.centre > model.exponential.centre)
    return model


def per_point(fitness, vectors):
    return np.array([fitness(vector) for vector in vectors])


@pytest.mark.parametrize("use_log_prior", [True, False])
def test_without_batch_method_the_values_are_exactly_those_of_the_rows(use_log_prior):
    model = model_with_assertion()
    vectors = vectors_for(model, rows=150)
    # No batch method (None is not one): every row goes through log_likelihood_function.
    plain = type("Plain", (PickyAnalysis,), {"log_likelihood_function_batch": None})()
    fitness = Fitness(model, plain, use_log_prior=use_log_prior, resample_value=-1e99)
    values = fitness.call_batch(vectors)
    assert isinstance(fitness.batch_evaluator, PointwiseEvaluator)
    calls, rejected = fitness.calls, fitness.rejected
    expected = per_point(fitness, vectors)
    np.testing.assert_array_equal(values, expected)
    assert calls == fitness.calls - calls == 150
    assert rejected == fitness.rejected - rejected > 0
    assert np.any(values == -1e99) and np.any(values > -1e99)


def test_batch_method_gives_the_values_of_the_rows_and_counts_the_same():
    model = model_with_assertion()
    vectors = vectors_for(model, rows=300, seed=3)
    analysis = CountingAnalysis(DATA, NOISE)
    fitness = Fitness(model, analysis)
    values = fitness.call_batch(vectors)
    assert isinstance(fitness.batch_evaluator, NumpyBatchEvaluator)
    assert analysis.batches == 1
    calls, rejected = fitness.calls, fitness.rejected
    expected = per_point(fitness, vectors)
    assert analysis.batches == 1  # the rows were not evaluated one by one
    finite = np.isfinite(expected)
    assert np.array_equal(np.isfinite(values), finite)
    assert 0 < finite.sum() < 300
    np.testing.assert_allclose(values[finite], expected[finite], rtol=1e-12)
    # Rows outside the limits or against the assertion never reach the analysis.
    assert analysis.rows == finite.sum()
    assert calls == fitness.calls - calls == 300
    assert rejected == fitness.rejected - rejected


def test_a_fit_exception_from_the_batch_method_evaluates_the_rows_one_by_one():
    model = af.Collection(gaussian=af.ex.Gaussian)
    vectors = vectors_for(model, rows=100, seed=5)
    fitness = Fitness(model, PickyAnalysis(), use_log_prior=False)
    values = fitness.call_batch(vectors)
    rejected = fitness.rejected
    expected = per_point(fitness, vectors)
    np.testing.assert_array_equal(values, expected)
    assert rejected == fitness.rejected - rejected > 0
    assert np.isfinite(values).any()


def test_nan_rows_of_the_batch_method_are_rejected_alone():
    model = af.Collection(gaussian=af.Model(af.ex.Gaussian, centre=af.UniformPrior(0.0, 60.0)))
    vectors = vectors_for(model, rows=50, seed=2, outside=0.0)
    fitness = Fitness(model, PickyAnalysis(), use_log_prior=False)
    values = fitness.call_batch(vectors)
    low = vectors[:, 0] < 10.0
    assert low.any() and (~low).any()
    assert np.all(values[low] == -math.inf)
    np.testing.assert_allclose(values[~low], -0.5 * (vectors[~low, 0] - 50.0) ** 2)
    assert fitness.rejected == low.sum()


def test_the_example_analysis_batch_method_matches_its_likelihood_for_collections():
    model = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)
    vectors = vectors_for(model, rows=40, outside=0.0)
    analysis = af.ex.Analysis(DATA, NOISE)
    instances = model.compiled.batch_instance(vectors)
    expected = [analysis.log_likelihood_function(model.instance_from_vector(v)) for v in vectors]
    np.testing.assert_allclose(
        analysis.log_likelihood_function_batch(instances), expected, rtol=1e-12
    )


def test_a_subclass_overriding_the_likelihood_is_evaluated_one_by_one():
    class Shifted(af.ex.Analysis):
        def log_likelihood_function(self, instance):
            return super().log_likelihood_function(instance) + 1.0

    model = af.Model(af.ex.Gaussian)
    vectors = vectors_for(model, rows=10, outside=0.0)
    fitness = Fitness(model, Shifted(DATA, NOISE))
    np.testing.assert_array_equal(fitness.call_batch(vectors), per_point(fitness, vectors))


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        (lambda n: np.zeros(n + 1), r"shape \(\d+,\) of real numbers, but returned ndarray"),
        (lambda n: None, "return statement missing"),
        (lambda n: np.zeros(n, dtype=complex), "dtype complex128"),
    ],
)
def test_a_batch_method_returning_the_wrong_thing_is_an_error(returned, message):
    class Bad(af.Analysis):
        def log_likelihood_function(self, instance):
            return 0.0

        def log_likelihood_function_batch(self, instances):
            return returned(len(instances.centre))

    fitness = Fitness(af.Model(af.ex.Gaussian), Bad())
    with pytest.raises(LikelihoodException, match=f"Bad.log_likelihood_function_batch.*{message}"):
        fitness.call_batch(np.array([[50.0, 1.0, 5.0], [40.0, 1.0, 5.0]]))


def test_an_error_in_the_batch_method_names_the_analysis_and_a_point():
    class Broken(af.Analysis):
        def log_likelihood_function(self, instance):
            return 0.0

        def log_likelihood_function_batch(self, instances):
            raise KeyError("boom")

    fitness = Fitness(af.Model(af.ex.Gaussian), Broken())
    with pytest.raises(
        LikelihoodException,
        match=r"Broken.log_likelihood_function_batch raised "
        r"KeyError: 'boom' \(for a batch of 1 points.*centre=50.0",
    ):
        fitness.call_batch(np.array([[50.0, 1.0, 5.0]]))


class Checked:
    """Refuses a width that is not positive in its constructor (which arrays cannot answer)."""

    def __init__(self, centre=1.0, width=1.0):
        if not width > 0.0:
            raise ValueError("width must be positive")
        self.centre, self.width = centre, width


class CheckedAnalysis(af.Analysis):
    def log_likelihood_function(self, instance):
        return -0.5 * (instance.centre - 3.0) ** 2 / instance.width

    def log_likelihood_function_batch(self, instances):
        return -0.5 * (instances.centre - 3.0) ** 2 / instances.width


def test_constructors_that_refuse_arrays_are_evaluated_one_by_one():
    model = af.Model(Checked, centre=af.UniformPrior(0.0, 10.0), width=af.UniformPrior(1.0, 2.0))
    vectors = vectors_for(model, rows=12, outside=0.0)
    fitness = Fitness(model, CheckedAnalysis())
    values = fitness.call_batch(vectors)
    np.testing.assert_array_equal(values, per_point(fitness, vectors))
    assert fitness.batch_evaluator.pointwise is not None
    np.testing.assert_array_equal(fitness.call_batch(vectors), values)


def test_an_empty_batch_gives_no_values():
    model = af.Model(af.ex.Gaussian)
    fitness = Fitness(model, af.ex.Analysis(DATA, NOISE))
    assert fitness.call_batch(np.zeros((0, 3))).shape == (0,)
    assert fitness.calls == 0
    evaluation = model.compiled.batch_evaluate(np.zeros((0, 3)))
    assert evaluation.instance is None and evaluation.log_priors.shape == (0,)


def test_wrong_shapes_are_an_error():
    fitness = Fitness(af.Model(af.ex.Gaussian), af.ex.Analysis(DATA, NOISE))
    with pytest.raises(ValueError, match=r"call_batch expects a 2D array of shape \(n, 3\)"):
        fitness.call_batch(np.zeros((4, 2)))


def test_a_registered_evaluator_is_chosen_first_and_can_decline():
    seen = []

    def factory(fitness):
        seen.append(fitness)
        if isinstance(fitness.analysis, CountingAnalysis):
            return lambda vectors: np.full(vectors.shape[0], 7.0)
        return None

    register_batch_evaluator("test", factory)
    try:
        chosen = Fitness(af.Model(af.ex.Gaussian), CountingAnalysis(DATA, NOISE))
        declined = Fitness(af.Model(af.ex.Gaussian), af.ex.Analysis(DATA, NOISE))
        np.testing.assert_array_equal(chosen.call_batch(np.ones((2, 3))), [7.0, 7.0])
        assert chosen.calls == 2
        assert isinstance(declined.batch_evaluator, NumpyBatchEvaluator)
        assert seen == [chosen, declined]
    finally:
        unregister_batch_evaluator("test")
    fresh = Fitness(af.Model(af.ex.Gaussian), CountingAnalysis(DATA, NOISE))
    assert isinstance(fresh.batch_evaluator, NumpyBatchEvaluator)


def test_a_pickled_fitness_evaluates_batches():
    model = af.Model(af.ex.Gaussian)
    vectors = vectors_for(model, rows=20, outside=0.0)
    fitness = Fitness(model, af.ex.Analysis(DATA, NOISE))
    before = fitness.call_batch(vectors)
    copy = dill.loads(dill.dumps(fitness))
    np.testing.assert_array_equal(copy.call_batch(vectors), before)


def test_the_example_analysis_computes_its_latent_fwhm_in_one_batch():
    model = af.Model(af.ex.Gaussian)
    result = af.Drawer(total_draws=30, seed=3).fit(
        model=model, analysis=af.ex.Analysis(DATA, NOISE)
    )
    batch = result.latent_samples
    one_by_one = af.Analysis.compute_latent_samples(af.ex.Analysis(DATA, NOISE), result.samples)
    np.testing.assert_array_equal(batch.parameters, one_by_one.parameters)
    np.testing.assert_array_equal(batch.weights, one_by_one.weights)
    np.testing.assert_allclose(
        batch.parameters[:, 0], 2.3548200450309493 * result.samples.parameters[:, 2]
    )


def test_models_build_batch_instances_for_users():
    model = af.Collection(gaussian=af.ex.Gaussian, scale=2.0)
    batch = model.batch_instance_from_vectors(np.array([[50.0, 1.0, 5.0], [40.0, 2.0, 6.0]]))
    np.testing.assert_array_equal(batch.gaussian.sigma, [5.0, 6.0])
    np.testing.assert_array_equal(batch.scale, [2.0, 2.0])
