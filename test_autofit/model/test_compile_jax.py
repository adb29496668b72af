"""The traceable (JAX) form of a compiled model agrees with the numpy form."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import autofit as af
from autofit.exc import ModelException
from autofit.priors.abstract import Prior

jax = pytest.importorskip("jax")

from autofit.model.compile_jax import traceable_model  # noqa: E402

jnp = jax.numpy


class Profile:
    def __init__(self, centre: tuple[float, float] = (0.0, 0.0), scale: float = 1.0, **kwargs):
        self.centre = centre
        self.scale = scale
        self.kwargs = kwargs


def every_prior_type() -> af.Collection:
    return af.Collection(
        uniform=af.UniformPrior(lower_limit=-2.0, upper_limit=3.0),
        log_uniform=af.LogUniformPrior(lower_limit=1e-3, upper_limit=1e2),
        gaussian=af.GaussianPrior(mean=1.0, sigma=2.0),
        truncated=af.GaussianPrior(mean=1.0, sigma=2.0, lower_limit=0.0, upper_limit=8.0),
        truncated_named=af.TruncatedGaussianPrior(
            mean=-1.0, sigma=0.5, lower_limit=-1.5, upper_limit=10.0
        ),
        log_gaussian=af.LogGaussianPrior(mean=0.5, sigma=0.7),
        log_gaussian_truncated=af.LogGaussianPrior(
            mean=0.0, sigma=1.0, lower_limit=0.5, upper_limit=4.0
        ),
    )


@pytest.fixture(scope="module")
def priors_model():
    model = every_prior_type()
    return model, traceable_model(model)


def test_unit_transform_and_log_prior_match_the_numpy_form(priors_model):
    model, traceable = priors_model
    units = np.random.default_rng(1).uniform(0.001, 0.999, (50, model.prior_count))
    expected = model.compiled.batch_vector_from_unit(units)
    vectors = np.asarray(jax.jit(jax.vmap(traceable.vector_from_unit))(units))
    np.testing.assert_allclose(vectors, expected, rtol=1e-10, atol=1e-12)
    log_priors = np.asarray(jax.jit(jax.vmap(traceable.log_prior))(vectors))
    np.testing.assert_allclose(log_priors, model.compiled.summed_log_priors(vectors), rtol=1e-10)
    assert bool(jax.vmap(traceable.accepted)(vectors).all())


def test_limits_reject_and_nan_is_never_accepted(priors_model):
    model, traceable = priors_model
    inside = model.compiled.batch_vector_from_unit(np.full((1, model.prior_count), 0.5))[0]
    below = inside.copy()
    below[0] = -2.5  # the uniform prior's lower limit is -2
    not_a_number = inside.copy()
    not_a_number[3] = np.nan
    accepted = [bool(traceable.accepted(jnp.asarray(v))) for v in (inside, below, not_a_number)]
    assert accepted == [True, False, False]


def test_gradient_of_the_log_prior_is_finite_and_correct(priors_model):
    model, traceable = priors_model
    vector = model.compiled.batch_vector_from_unit(np.full((1, model.prior_count), 0.3))[0]
    gradient = np.asarray(jax.jit(jax.grad(traceable.log_prior))(jnp.asarray(vector)))
    step = 1e-6
    numeric = [
        (
            model.compiled.summed_log_priors((vector + step * np.eye(vector.size)[i])[None])[0]
            - model.compiled.summed_log_priors((vector - step * np.eye(vector.size)[i])[None])[0]
        )
        / (2 * step)
        for i in range(vector.size)
    ]
    np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-8)


def profile(**kwargs: Any) -> af.Model:
    uniform = af.UniformPrior
    return af.Model(
        Profile,
        centre=(
            uniform(lower_limit=0.0, upper_limit=1.0),
            uniform(lower_limit=0.0, upper_limit=1.0),
        ),
        scale=af.LogUniformPrior(lower_limit=0.1, upper_limit=10.0),
        **kwargs,
    )


def test_instances_with_tuples_kwargs_derived_values_arrays_and_assertions():
    first = profile(extra=af.UniformPrior(lower_limit=0.0, upper_limit=1.0))
    second = profile()
    second.scale = af.Log(first.scale) + 2.0
    model = af.Collection(
        first=first,
        second=second,
        weights=af.Array(shape=(2, 2), prior=af.UniformPrior(lower_limit=0.0, upper_limit=1.0)),
        free=af.Array(shape=(3,), prior=af.GaussianPrior(mean=0.0, sigma=1.0)),
        label="fixed",
    )
    model.weights[1, 1] = 0.25
    model.add_assertion(first.centre.centre_0 > first.centre.centre_1)
    traceable = traceable_model(model)
    assert traceable.count == model.prior_count

    def summary(vector: Any) -> Any:
        instance = traceable.instance(vector)
        return (
            instance.first.centre[0],
            instance.first.kwargs["extra"],
            instance.second.scale,
            instance.weights,
            traceable.accepted(vector),
            instance.free,
        )

    units = np.full(model.prior_count, 0.5)
    units[0] = 0.7  # first.centre_0 above first.centre_1: the assertion holds
    vector = model.vector_from_unit_vector(units.tolist())
    instance = model.instance_from_vector(vector)
    centre, extra, scale, weights, accepted, free = jax.jit(summary)(jnp.asarray(vector))
    np.testing.assert_allclose(np.asarray(free), instance.free)
    assert float(centre) == pytest.approx(instance.first.centre[0])
    assert float(extra) == pytest.approx(instance.first.kwargs["extra"])
    assert float(scale) == pytest.approx(instance.second.scale)
    np.testing.assert_allclose(np.asarray(weights), instance.weights)
    assert float(weights[1, 1]) == 0.25
    assert bool(accepted)
    swapped = list(vector)
    swapped[0], swapped[1] = swapped[1], swapped[0]
    assert not bool(jax.jit(traceable.accepted)(jnp.asarray(swapped)))


def test_traceable_form_is_rebuilt_after_the_model_changes():
    model = profile()
    first = traceable_model(model)
    assert traceable_model(model) is first
    model.scale = 2.0
    assert traceable_model(model) is not first
    assert traceable_model(model).count == model.prior_count == 2


def test_a_prior_type_without_a_jax_form_is_named():
    class TablePrior(Prior):
        type_name = "Table"

        @staticmethod
        def batch_value_for(unit, *arguments):
            return unit

    model = af.Collection(x=TablePrior(lower_limit=0.0, upper_limit=1.0))
    with pytest.raises(ModelException, match=r"x has a prior of type TablePrior.*no JAX form"):
        traceable_model(model)
