"""Tests of reading a class's constructor into free, tuple and fixed arguments."""

from __future__ import annotations

import inspect
from typing import Tuple  # noqa: UP035 - the typing spelling is part of what is tested

import numpy as np
import pytest

import autofit as af
from autofit.model.signature import constructor_signature
from test_autofit.model.profiles import (
    Child,
    Galaxy,
    LightDeVaucouleurs,
    LightExponential,
    MassIsothermal,
    Point,
    WithDefaults,
)


def kinds(cls):
    return [(argument.name, argument.kind) for argument in constructor_signature(cls).arguments]


def test_float_defaults_and_arguments_without_defaults_are_free():
    assert kinds(Child) == [("a", "prior"), ("b", "prior"), ("c", "prior")]
    assert kinds(LightDeVaucouleurs)[1:] == [("intensity", "prior"), ("effective_radius", "prior")]


def test_string_boolean_none_and_int_annotated_defaults_are_fixed():
    signature = constructor_signature(WithDefaults)

    assert kinds(WithDefaults) == [
        ("value", "prior"),
        ("name", "fixed"),
        ("flag", "fixed"),
        ("option", "fixed"),
        ("count", "fixed"),
    ]
    assert [argument.default for argument in signature.arguments[1:]] == ["x", True, None, 3]


@pytest.mark.parametrize(
    "cls, name, default",
    [
        (LightExponential, "centre", (0.0, 0.0)),
        (LightDeVaucouleurs, "centre", (0.0, 0.0)),
        (MassIsothermal, "centre", (0.0, 0.0)),
        (Point, "position", inspect.Parameter.empty),
    ],
)
def test_tuple_defaults_and_annotations_give_tuple_arguments_of_their_length(cls, name, default):
    argument = constructor_signature(cls).arguments[0]

    assert (argument.name, argument.kind, argument.length) == (name, "tuple", 2)
    assert argument.default == default


def test_a_class_taking_kwargs_accepts_keyword_components():
    signature = constructor_signature(Galaxy)

    assert signature.accepts_kwargs
    assert signature.names == ("redshift",)
    assert not constructor_signature(MassIsothermal).accepts_kwargs


class Unresolvable:
    """Annotations (strings, as this module postpones their evaluation) naming a type that does
    not exist, so that only their text can be read."""

    def __init__(
        self,
        centre: Tuple[float, float, float],  # noqa: UP006
        label: NotDefinedAnywhere = 1.0,  # noqa: F821
        shape: Tuple[float, float] = None,  # noqa: UP006
        count: int = 2,
    ):
        pass


def test_annotations_that_cannot_be_resolved_are_read_as_text():
    signature = constructor_signature(Unresolvable)

    centre, label, shape, count = signature.arguments
    assert (centre.kind, centre.length) == ("tuple", 3)
    assert label.kind == "prior"
    assert (shape.kind, shape.length) == ("tuple", 2)
    assert count.kind == "fixed"


class VariadicTuple:
    def __init__(self, values: Tuple[float, ...]):  # noqa: UP006
        self.values = values


def test_a_tuple_of_unknown_length_must_be_given():
    assert constructor_signature(VariadicTuple).arguments[0].length == 0

    with pytest.raises(TypeError, match="unknown length"):
        af.Model(VariadicTuple)
    model = af.Model(VariadicTuple, values=(1.0, af.UniformPrior(), 3.0))
    assert model.prior_count == 1
    assert model.instance_from_vector([0.5]).values == (1.0, 0.5, 3.0)


class OtherDefaults:
    def __init__(
        self,
        vector=np.array([1.0, 2.0]),  # noqa: B008
        numpy_number=np.float64(1.5),  # noqa: B008
        items=[1, 2],  # noqa: B006
        *args,
    ):
        pass


def test_non_number_defaults_are_fixed_and_numpy_scalars_are_free():
    assert kinds(OtherDefaults) == [
        ("vector", "fixed"),
        ("numpy_number", "prior"),
        ("items", "fixed"),
    ]
    assert not constructor_signature(OtherDefaults).accepts_kwargs


def test_the_signature_of_a_class_is_read_once():
    assert constructor_signature(Child) is constructor_signature(Child)
