"""Constant: a fixed value written where a prior could stand."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af
from autofit.priors import prior_from_dict


@pytest.mark.parametrize("unit", [0.0, 0.3, 0.5, 1.0])
def test_value_for_is_the_value_whatever_the_unit(unit):
    assert af.Constant(2.5).value_for(unit) == 2.5


def test_the_limits_are_the_value():
    constant = af.Constant(-1.5)
    assert constant.lower_limit == -1.5
    assert constant.upper_limit == -1.5


def test_random_draws_are_the_value():
    constant = af.Constant(4.0)
    assert constant.random() == 4.0
    assert constant.random(np.random.default_rng(1)) == 4.0


def test_dict_and_round_trip():
    constant = af.Constant(3.25)
    assert constant.dict() == {"type": "Constant", "value": 3.25}
    copy = prior_from_dict(constant.dict())
    assert isinstance(copy, af.Constant)
    assert copy == constant
    assert copy.value_for(0.7) == 3.25


def test_equality_and_hash_follow_the_value():
    assert af.Constant(1.0) == af.Constant(1.0)
    assert hash(af.Constant(1.0)) == hash(af.Constant(1.0))
    assert af.Constant(1.0) != af.Constant(2.0)
    assert af.Constant(1.0) != 1.0
    assert len({af.Constant(1.0), af.Constant(1.0), af.Constant(2.0)}) == 2


def test_repr():
    assert repr(af.Constant(2.0)) == "Constant(2.0)"


def test_constant_is_not_a_free_parameter():
    model = af.Model(af.ex.Gaussian)
    model.sigma = af.Constant(2.0)
    assert model.prior_count == 2
    instance = model.instance_from_vector([10.0, 3.0])
    assert instance.sigma == 2.0
    assert (instance.centre, instance.normalization) == (10.0, 3.0)
