"""Width modifiers: the smallest width of a prior built from a previous fit's posterior."""

from __future__ import annotations

import math

import pytest

import autofit as af
from autofit.priors import (
    AbsoluteWidthModifier,
    RelativeWidthModifier,
    WidthModifier,
    width_modifier_from_dict,
)


def test_relative_width_is_a_fraction_of_the_absolute_mean():
    modifier = RelativeWidthModifier(0.5)
    assert modifier(mean=10.0) == 5.0
    assert modifier(-10.0) == 5.0
    assert modifier(0.0) == 0.0
    assert RelativeWidthModifier(0.1)(3.0) == pytest.approx(0.3, rel=1e-15)


@pytest.mark.parametrize("mean", [-1e6, -3.0, 0.0, 2.0, 1e9])
def test_absolute_width_ignores_the_mean(mean):
    assert AbsoluteWidthModifier(2.0)(mean) == 2.0


@pytest.mark.parametrize("cls", [RelativeWidthModifier, AbsoluteWidthModifier])
@pytest.mark.parametrize("value", [-1.0, math.nan, math.inf, -math.inf])
def test_invalid_values_raise_naming_the_value(cls, value):
    with pytest.raises(af.exc.PriorException, match=rf"value={value!r}"):
        cls(value)


def test_values_are_stored_as_floats():
    modifier = AbsoluteWidthModifier(2)
    assert modifier.value == 2.0
    assert isinstance(modifier.value, float)


def test_the_base_class_has_no_width():
    with pytest.raises(NotImplementedError):
        WidthModifier(1.0)(3.0)


def test_dict_forms():
    assert RelativeWidthModifier(0.5).dict() == {"type": "Relative", "value": 0.5}
    assert AbsoluteWidthModifier(2.0).dict() == {"type": "Absolute", "value": 2.0}


@pytest.mark.parametrize("modifier", [RelativeWidthModifier(0.5), AbsoluteWidthModifier(20.0)])
def test_round_trip_through_dict(modifier):
    copy = width_modifier_from_dict(modifier.dict())
    assert type(copy) is type(modifier)
    assert copy == modifier
    assert copy(7.0) == modifier(7.0)


def test_from_dict_passes_modifiers_and_none_through():
    modifier = RelativeWidthModifier(0.5)
    assert width_modifier_from_dict(modifier) is modifier
    assert width_modifier_from_dict(None) is None


@pytest.mark.parametrize("kind", ["Gaussian", None, "relative"])
def test_unknown_type_raises_listing_the_valid_types(kind):
    entry = {"value": 1.0} if kind is None else {"type": kind, "value": 1.0}
    with pytest.raises(af.exc.PriorException, match=r"Absolute.*Relative.*" + repr(kind)):
        width_modifier_from_dict(entry)


def test_equality_and_hash():
    assert RelativeWidthModifier(0.5) == RelativeWidthModifier(0.5)
    assert hash(RelativeWidthModifier(0.5)) == hash(RelativeWidthModifier(0.5))
    assert RelativeWidthModifier(0.5) != AbsoluteWidthModifier(0.5)
    assert RelativeWidthModifier(0.5) != RelativeWidthModifier(0.25)
    assert len({AbsoluteWidthModifier(1.0), AbsoluteWidthModifier(1.0)}) == 1


def test_repr():
    assert repr(AbsoluteWidthModifier(2.0)) == "AbsoluteWidthModifier(2.0)"


def test_priors_build_their_width_modifier_from_a_dict():
    prior = af.UniformPrior(0.0, 1.0, width_modifier={"type": "Absolute", "value": 3.0})
    assert prior.width_modifier == AbsoluteWidthModifier(3.0)
    assert prior.width_modifier(100.0) == 3.0
    gaussian = af.GaussianPrior(10.0, 1.0, width_modifier=RelativeWidthModifier(0.5))
    assert gaussian.width_modifier(gaussian.mean) == 5.0
    assert af.LogGaussianPrior(0.0, 1.0).width_modifier is None


def test_a_prior_with_an_invalid_width_modifier_raises():
    with pytest.raises(af.exc.PriorException, match="Absolute"):
        af.UniformPrior(0.0, 1.0, width_modifier={"type": "Wide", "value": 3.0})
    with pytest.raises(af.exc.PriorException, match=r"value=-3\.0"):
        af.UniformPrior(0.0, 1.0, width_modifier={"type": "Absolute", "value": -3.0})
