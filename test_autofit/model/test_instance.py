"""Tests of ``af.ModelInstance``: the instance a Collection makes."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import autofit as af


@pytest.fixture
def instance():
    return af.ModelInstance({"gaussian": af.ex.Gaussian(), "scale": 2.0, "tag": "a"})


def test_attribute_and_name_access(instance):
    assert instance.scale == 2.0
    assert instance["tag"] == "a"
    assert instance.gaussian is instance["gaussian"]


def test_position_access_and_slices(instance):
    assert instance[0] is instance.gaussian
    assert instance[1] == 2.0
    assert instance[-1] == "a"
    assert instance[1:] == [2.0, "a"]
    with pytest.raises(IndexError):
        instance[3]
    with pytest.raises(KeyError):
        instance["missing"]


def test_iteration_len_and_membership(instance):
    assert list(instance) == [instance.gaussian, 2.0, "a"]
    assert len(instance) == 3
    assert "scale" in instance
    assert "sigma" not in instance


def test_keys_values_items_and_dict(instance):
    assert instance.keys() == ["gaussian", "scale", "tag"]
    assert instance.values() == [instance.gaussian, 2.0, "a"]
    assert instance.items()[1] == ("scale", 2.0)
    copied = instance.dict
    copied["scale"] = 3.0
    assert instance.scale == 2.0


def test_a_list_is_named_by_position():
    instance = af.ModelInstance([1.0, 2.0])

    assert instance.keys() == ["0", "1"]
    assert instance[1] == instance["1"] == 2.0
    assert len(af.ModelInstance()) == 0


def test_items_are_set_by_name_and_position(instance):
    instance[1] = 5.0
    instance["tag"] = "b"
    instance.extra = 1.0

    assert instance.scale == 5.0
    assert instance.tag == "b"
    assert instance.keys() == ["gaussian", "scale", "tag", "extra"]


def test_equality_compares_names_and_values_including_arrays():
    first = af.ModelInstance({"a": 1.0, "b": np.array([1.0, 2.0])})

    assert first == af.ModelInstance({"a": 1.0, "b": np.array([1.0, 2.0])})
    assert first != af.ModelInstance({"a": 1.0, "b": np.array([1.0, 3.0])})
    assert first != af.ModelInstance({"b": np.array([1.0, 2.0]), "a": 1.0})
    assert first != af.ModelInstance({"a": 1.0})
    assert first != {"a": 1.0, "b": np.array([1.0, 2.0])}


def test_instances_from_the_same_vector_are_equal():
    model = af.Collection(first=0.5, second=af.UniformPrior(lower_limit=0.0, upper_limit=1.0))

    assert model.instance_from_vector([0.25]) == model.instance_from_vector([0.25])
    assert model.instance_from_vector([0.25]) != model.instance_from_vector([0.5])


def test_an_instance_pickles_and_keeps_its_items(instance):
    restored = pickle.loads(pickle.dumps(instance))

    assert restored.keys() == instance.keys()
    assert restored.scale == 2.0
    assert restored.gaussian.sigma == instance.gaussian.sigma


def test_repr():
    assert repr(af.ModelInstance({"a": 1.0, "b": "x"})) == "ModelInstance(a=1.0, b='x')"
