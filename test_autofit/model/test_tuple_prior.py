"""Tests of ``af.TuplePrior``: tuple arguments with one parameter per element."""

from __future__ import annotations

import pytest

import autofit as af
from test_autofit.model.profiles import LightExponential, MassIsothermal


def test_elements_are_named_after_the_argument():
    first = af.UniformPrior(lower_limit=0.0, upper_limit=1.0)
    second = af.GaussianPrior(mean=0.0, sigma=1.0)
    tuple_prior = af.TuplePrior("centre", [first, second, 3.0])

    assert tuple_prior.name == "centre"
    assert len(tuple_prior) == 3
    assert tuple_prior.centre_0 is first
    assert tuple_prior.centre_1 is second
    assert tuple_prior.centre_2 == 3.0
    assert tuple_prior[1] is second
    assert list(tuple_prior) == [first, second, 3.0]
    assert tuple_prior.prior_count == 2
    assert tuple_prior.paths == [("centre_0",), ("centre_1",)]


def test_its_instance_is_a_tuple():
    tuple_prior = af.TuplePrior(
        "centre", [af.UniformPrior(lower_limit=0.0, upper_limit=1.0), af.Constant(2.0)]
    )

    instance = tuple_prior.instance_from_vector([0.25])

    assert type(instance) is tuple
    assert instance == (0.25, 2.0)


def test_a_model_argument_is_a_tuple_prior_whose_elements_take_priors_and_numbers():
    model = af.Model(LightExponential)

    assert isinstance(model.centre, af.TuplePrior)
    model.centre.centre_0 = 0.5
    model.centre.centre_1 = af.UniformPrior(lower_limit=5.0, upper_limit=6.0)

    assert model.prior_count == 3
    instance = model.instance_from_unit_vector([0.5, 0.5, 0.5])
    assert instance.centre == (0.5, 5.5)


def test_a_tuple_of_priors_assigned_to_a_model_becomes_a_tuple_prior():
    model = af.Model(MassIsothermal)
    prior = af.UniformPrior(lower_limit=-1.0, upper_limit=1.0)
    model.centre = (prior, 0.25)

    assert isinstance(model.centre, af.TuplePrior)
    assert model.centre_0 is prior
    assert model.centre_1 == 0.25
    assert model.paths[0] == ("centre", "centre_0")
    assert model.instance_from_vector([0.75, 1.0, 0.5]).centre == (0.75, 0.25)


def test_a_tuple_shared_by_two_models_is_one_set_of_parameters():
    model = af.Collection(first=LightExponential, second=LightExponential)
    model.second.centre = model.first.centre

    assert model.second.centre is model.first.centre
    assert model.prior_count == 6
    instance = model.instance_from_vector([0.5, -1.5, 1.0, 1.0, 2.0, 1.0])
    assert instance.first.centre == instance.second.centre == (0.5, -1.5)


def test_the_elements_of_a_tuple_argument_can_be_derived():
    model = af.Collection(light=LightExponential, mass=MassIsothermal)
    model.mass.centre_0 = model.light.centre_0 + 0.5
    model.mass.centre_1 = model.light.centre_1 * 2.0

    assert model.prior_count == 6
    instance = model.instance_from_vector([0.25, -0.5, 1.0, 1.0, 1.5, 0.5])
    assert instance.mass.centre == (0.75, -1.0)


def test_an_unknown_element_raises_attribute_error():
    model = af.Model(MassIsothermal)

    with pytest.raises(AttributeError, match="centre_2"):
        model.centre.centre_2  # noqa: B018


def test_repr_names_the_argument():
    tuple_prior = af.TuplePrior("centre", [1.0, 2.0])

    assert repr(tuple_prior) == "TuplePrior('centre', [1.0, 2.0])"
