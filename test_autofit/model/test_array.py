"""Tests of ``af.Array``: arrays of parameters whose instance is a numpy array."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import autofit as af


@pytest.fixture
def array():
    """A 2 x 3 array of standard normal priors."""
    return af.Array(shape=(2, 3), prior=af.GaussianPrior(mean=0.0, sigma=1.0))


def test_every_element_is_an_independent_parameter(array):
    assert array.shape == (2, 3)
    assert array.prior_count == 6
    assert array.paths == [
        ("prior_0_0",),
        ("prior_0_1",),
        ("prior_0_2",),
        ("prior_1_0",),
        ("prior_1_1",),
        ("prior_1_2",),
    ]
    elements = [array[i, j] for i in range(2) for j in range(3)]
    assert len({id(element) for element in elements}) == 6
    assert all(type(element) is af.GaussianPrior for element in elements)
    assert all((element.mean, element.sigma) == (0.0, 1.0) for element in elements)


def test_the_instance_is_an_array_of_the_shape_with_the_vector_values(array):
    instance = array.instance_from_vector([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])

    assert isinstance(instance, np.ndarray)
    assert instance.dtype == np.float64
    np.testing.assert_array_equal(instance, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])


def test_the_unit_vector_maps_through_each_element_prior(array):
    units = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]

    instance = array.instance_from_unit_vector(units)

    np.testing.assert_allclose(instance, stats.norm.ppf(units).reshape(2, 3), rtol=1e-12)


def test_elements_are_fixed_set_and_linked_by_index(array):
    uniform = af.UniformPrior(lower_limit=0.0, upper_limit=10.0)
    array[0, 1] = 1.5
    array[1, 2] = uniform
    array[1, 0] = array[0, 0]

    assert array[1, 2] is uniform
    assert array[1, 0] is array[0, 0]
    assert array.prior_count == 4
    assert array.paths == [("prior_0_0",), ("prior_0_2",), ("prior_1_1",), ("prior_1_2",)]
    instance = array.instance_from_vector([-1.0, 2.0, 3.0, 7.0])
    np.testing.assert_array_equal(instance, [[-1.0, 1.5, 2.0], [-1.0, 3.0, 7.0]])
    with pytest.raises(af.exc.PriorLimitException):
        array.instance_from_vector([-1.0, 2.0, 3.0, 11.0])


def test_negative_indices_count_from_the_end(array):
    array[-1, -1] = 9.0

    assert array[1, 2] == 9.0
    assert array[-2, 0] is array[0, 0]


@pytest.mark.parametrize("index", [(2, 0), (0, 3), (-3, 0), (0,), (0, 0, 0), 5])
def test_an_out_of_range_index_raises_index_error(array, index):
    with pytest.raises(IndexError, match=r"out of range for shape \(2, 3\)"):
        array[index]
    with pytest.raises(IndexError):
        array[index] = 1.0


def test_a_one_dimensional_array_from_an_integer_shape():
    array = af.Array(shape=3, prior=af.UniformPrior(lower_limit=0.0, upper_limit=2.0))

    assert array.shape == (3,)
    instance = array.instance_from_unit_vector([0.0, 0.5, 1.0])
    assert instance.shape == (3,)
    np.testing.assert_allclose(instance, [0.0, 1.0, 2.0])
    array[2] = 5.0
    np.testing.assert_array_equal(array.instance_from_vector([0.5, 1.5]), [0.5, 1.5, 5.0])


def test_a_three_dimensional_array():
    array = af.Array(shape=(2, 1, 2), prior=af.UniformPrior())

    assert array.paths[-1] == ("prior_1_0_1",)
    instance = array.instance_from_vector([0.1, 0.2, 0.3, 0.4])
    assert instance.shape == (2, 1, 2)
    assert instance[1, 0, 1] == 0.4


def test_an_array_inside_a_collection():
    model = af.Collection(weights=af.Array(shape=(2,), prior=af.UniformPrior()), g=af.ex.Gaussian)

    assert model.paths[:2] == [("weights", "prior_0"), ("weights", "prior_1")]
    instance = model.instance_from_vector([0.25, 0.75, 50.0, 1.0, 2.0])
    np.testing.assert_array_equal(instance.weights, [0.25, 0.75])
    assert instance.g.sigma == 2.0


def test_an_element_linked_to_another_model():
    model = af.Collection(g=af.ex.Gaussian, weights=af.Array(shape=(2,), prior=af.UniformPrior()))
    model.weights[1] = model.g.sigma

    assert model.prior_count == 4
    instance = model.instance_from_vector([50.0, 1.0, 2.0, 0.5])
    np.testing.assert_array_equal(instance.weights, [0.5, 2.0])


def test_an_array_without_a_prior_needs_every_element_set():
    array = af.Array(shape=(2,))

    with pytest.raises(af.exc.ModelException, match="prior_0"):
        array.instance_from_vector([])
    array[0] = af.UniformPrior()
    array[1] = 4.0
    np.testing.assert_array_equal(array.instance_from_vector([0.5]), [0.5, 4.0])


def test_an_empty_dimension_is_rejected():
    with pytest.raises(ValueError, match=">= 1"):
        af.Array(shape=(2, 0), prior=af.UniformPrior())


def test_a_frozen_array_cannot_be_modified(array):
    array.freeze()

    with pytest.raises(af.exc.ModelException, match="frozen"):
        array[0, 0] = 1.0


def test_repr(array):
    assert repr(array) == "<Array shape=(2, 3) (N=6)>"
