"""Tests of the batch form of a compiled model: log priors and batch instances of many vectors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autofit as af
from test_autofit.model.profiles import Galaxy, LightDeVaucouleurs, WithDefaults


class Counted:
    """Counts its constructor calls."""

    calls = 0

    def __init__(self, a=1.0, b=2.0):
        type(self).calls += 1
        self.a = a
        self.b = b


def vectors_for(model, rows=60, seed=0, outside=0.1):
    """Physical vectors from unit vectors in [-outside, 1 + outside]: values from outside the
    unit interval are set beyond the prior's limits."""
    rng = np.random.default_rng(seed)
    units = rng.uniform(-outside, 1.0 + outside, (rows, model.prior_count))
    vectors = np.array(
        [model.vector_from_unit_vector(np.clip(unit, 0.0, 1.0).tolist()) for unit in units]
    )
    lower = np.array([prior.lower_limit for prior in model.priors])
    upper = np.array([prior.upper_limit for prior in model.priors])
    vectors = np.where(units < 0.0, lower - 1.0, vectors)
    return np.where(units > 1.0, upper + 1.0, vectors)


def per_point_log_priors(model, vectors):
    return np.array([model.compiled.evaluate(vector)[0] for vector in vectors])


def test_one_constructor_call_per_component_with_arrays_of_the_rows():
    Counted.calls = 0
    model = af.Collection(
        first=af.Model(Counted, a=af.UniformPrior(0.0, 1.0), b=af.UniformPrior(0.0, 1.0)),
        second=af.Model(Counted, a=af.UniformPrior(0.0, 1.0), b=5.0),
    )
    vectors = np.arange(12, dtype=float).reshape(4, 3) / 20.0
    instance = model.compiled.batch_instance(vectors)
    assert Counted.calls == 2
    assert isinstance(instance, af.ModelInstance)
    np.testing.assert_array_equal(instance.first.a, vectors[:, 0])
    np.testing.assert_array_equal(instance.first.b, vectors[:, 1])
    np.testing.assert_array_equal(instance.second.a, vectors[:, 2])
    # A fixed float is broadcast to one value per row.
    np.testing.assert_array_equal(instance.second.b, np.full(4, 5.0))


def test_fixed_values_that_are_not_floats_are_passed_unchanged():
    model = af.Model(WithDefaults)
    instance = model.compiled.batch_instance(np.array([[0.5], [0.25]]))
    np.testing.assert_array_equal(instance.value, [0.5, 0.25])
    assert (instance.name, instance.flag, instance.option, instance.count) == ("x", True, None, 3)


def test_tuples_arrays_derived_and_linked_parameters():
    model = af.Collection(
        light=LightDeVaucouleurs,
        weights=af.Array(shape=(2, 2), prior=af.UniformPrior(0.0, 1.0)),
        galaxy=af.Model(Galaxy, redshift=0.5, bulge=af.Model(Counted, a=0.0, b=0.0)),
    )
    model.galaxy.bulge.b = model.light.intensity * 2.0 + 1.0
    model.galaxy.bulge.a = model.light.effective_radius
    vectors = vectors_for(model, rows=5, outside=0.0)
    instance = model.compiled.batch_instance(vectors)
    singles = [model.instance_from_vector(vector) for vector in vectors]
    centre_0, centre_1 = instance.light.centre
    np.testing.assert_array_equal(centre_0, [single.light.centre[0] for single in singles])
    np.testing.assert_array_equal(centre_1, [single.light.centre[1] for single in singles])
    assert instance.weights.shape == (5, 2, 2)
    np.testing.assert_array_equal(instance.weights, [single.weights for single in singles])
    bulge = instance.galaxy.profiles["bulge"]
    np.testing.assert_allclose(bulge.b, [s.galaxy.profiles["bulge"].b for s in singles])
    np.testing.assert_array_equal(bulge.a, instance.light.effective_radius)
    np.testing.assert_array_equal(instance.galaxy.redshift, np.full(5, 0.5))


def test_log_priors_equal_the_one_vector_form_with_rows_outside_limits_and_assertions():
    model = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)
    model.gaussian.sigma = af.GaussianPrior(mean=10.0, sigma=3.0, lower_limit=0.0)
    model.exponential.rate = af.LogGaussianPrior(mean=0.0, sigma=1.0)
    model.exponential.normalization = af.TruncatedGaussianPrior(
        mean=1.0, sigma=2.0, lower_limit=0.0, upper_limit=5.0
    )
    model.add_assertion(model.gaussian.centre > model.exponential.centre)
    vectors = vectors_for(model, rows=200)
    evaluation = model.compiled.batch_evaluate(vectors)
    expected = per_point_log_priors(model, vectors)
    assert np.array_equal(np.isfinite(evaluation.log_priors), np.isfinite(expected))
    finite = np.isfinite(expected)
    assert 20 < finite.sum() < 190  # rows inside, outside the limits and against the assertion
    np.testing.assert_allclose(evaluation.log_priors[finite], expected[finite], rtol=1e-14)
    statuses = [model.compiled.evaluate(vector) for vector in vectors]
    violated = np.array([value == -math.inf and status == 1 for value, status in statuses])
    assert np.array_equal(evaluation.in_limits & ~evaluation.assertions_hold, violated)
    assert violated.any()
    # The instance holds the valid rows only, in order.
    np.testing.assert_array_equal(evaluation.instance.gaussian.centre, vectors[finite, 0])


def test_vectorised_models_give_the_same_log_priors():
    model = af.Collection(
        gaussian=af.ex.Gaussian,
        image=af.Array(shape=(300,), prior=af.GaussianPrior(mean=0.0, sigma=1.0, lower_limit=-1)),
    )
    assert model.compiled.vectorised
    vectors = vectors_for(model, rows=20, outside=0.0)
    vectors[3, 7] = -2.0  # outside the limits of one element
    evaluation = model.compiled.batch_evaluate(vectors)
    expected = per_point_log_priors(model, vectors)
    assert np.array_equal(np.isfinite(evaluation.log_priors), np.isfinite(expected))
    finite = np.isfinite(expected)
    assert finite.any()
    np.testing.assert_allclose(evaluation.log_priors[finite], expected[finite], rtol=1e-12)
    assert evaluation.instance.image.shape == (int(finite.sum()), 300)


def test_no_valid_row_gives_no_instance():
    model = af.Model(af.ex.Gaussian)
    evaluation = model.compiled.batch_evaluate(np.full((3, 3), -5.0))
    assert evaluation.instance is None
    assert not evaluation.valid.any()
    assert np.all(evaluation.log_priors == -math.inf)


def test_nan_lies_outside_the_limits():
    model = af.Model(af.ex.Gaussian)
    evaluation = model.compiled.batch_evaluate(np.array([[np.nan, 1.0, 1.0], [50.0, 1.0, 1.0]]))
    np.testing.assert_array_equal(evaluation.in_limits, [False, True])


def test_wrong_shape_is_an_error_naming_the_parameters():
    model = af.Model(af.ex.Gaussian)
    with pytest.raises(ValueError, match=r"shape \(n, 3\).*centre, normalization, sigma"):
        model.compiled.batch_evaluate(np.zeros(3))


@pytest.mark.parametrize("rows", [1, 5, 16, 5])
def test_the_all_valid_shortcut_agrees_with_the_one_vector_form_at_any_batch_size(rows):
    # Uniform priors (a constant log prior), a Gaussian prior with one limit (some parameters
    # checked, a log prior that varies) and a collection without limits on one parameter.
    uniform = af.Model(af.ex.Gaussian)
    mixed = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)
    mixed.gaussian.sigma = af.GaussianPrior(mean=10.0, sigma=3.0, lower_limit=0.0)
    mixed.exponential.rate = af.GaussianPrior(mean=1.0, sigma=1.0)
    for model in (uniform, mixed):
        plan = model.compiled.batch_plan
        vectors = vectors_for(model, rows=rows, seed=rows, outside=0.0)
        log_priors, instance = plan.valid_rows(vectors)
        np.testing.assert_allclose(log_priors, per_point_log_priors(model, vectors), rtol=1e-14)
        gaussian = instance if model is uniform else instance.gaussian
        np.testing.assert_array_equal(gaussian.centre, vectors[:, 0])
        # One value beyond a limit (or NaN) in any row: no shortcut, and the full evaluation
        # rejects exactly that row.
        for bad in (-1.0, np.nan):
            outside = vectors.copy()
            outside[rows - 1, 0] = bad
            assert plan.valid_rows(outside) is None
            evaluation = model.compiled.batch_evaluate(outside)
            assert np.array_equal(evaluation.valid, np.arange(rows) != rows - 1)
