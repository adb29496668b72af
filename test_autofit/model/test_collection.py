"""Tests of ``af.Collection``: groups of model components and the instances they make."""

from __future__ import annotations

import pytest

import autofit as af
from test_autofit.model.profiles import Galaxy, LightExponential, MassIsothermal

GAUSSIAN = [30.0, 2.0, 4.0]
EXPONENTIAL = [60.0, 3.0, 0.5]


def check_pair(instance, first_name, second_name):
    first, second = instance[first_name], instance[second_name]
    assert type(first) is af.ex.Gaussian
    assert type(second) is af.ex.Exponential
    assert (first.centre, first.normalization, first.sigma) == tuple(GAUSSIAN)
    assert (second.centre, second.normalization, second.rate) == tuple(EXPONENTIAL)


class TestConstruction:
    def test_keyword_components(self):
        model = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)

        assert model.keys() == ["gaussian", "exponential"]
        assert model.prior_count == 6
        instance = model.instance_from_vector(GAUSSIAN + EXPONENTIAL)
        assert isinstance(instance, af.ModelInstance)
        check_pair(instance, "gaussian", "exponential")
        assert instance.gaussian is instance["gaussian"]

    def test_a_dict(self):
        model = af.Collection({"gaussian": af.ex.Gaussian, "exponential": af.ex.Exponential})

        assert model.joined_paths[3:] == [
            "exponential.centre",
            "exponential.normalization",
            "exponential.rate",
        ]
        check_pair(model.instance_from_vector(GAUSSIAN + EXPONENTIAL), "gaussian", "exponential")

    def test_a_list(self):
        model = af.Collection([af.ex.Gaussian, af.ex.Exponential])

        assert model.keys() == ["0", "1"]
        assert model.paths[0] == ("0", "centre")
        instance = model.instance_from_vector(GAUSSIAN + EXPONENTIAL)
        check_pair(instance, "0", "1")
        assert instance[1] is instance["1"]

    def test_several_positional_components(self):
        model = af.Collection(af.ex.Gaussian, af.ex.Exponential)

        assert model.keys() == ["0", "1"]
        check_pair(model.instance_from_vector(GAUSSIAN + EXPONENTIAL), "0", "1")

    def test_bare_classes_are_wrapped_and_models_kept(self):
        exponential = af.Model(af.ex.Exponential)
        model = af.Collection(gaussian=af.ex.Gaussian, exponential=exponential)

        assert isinstance(model.gaussian, af.Model)
        assert model.gaussian.cls is af.ex.Gaussian
        assert model.exponential is exponential
        assert model[0] is model.gaussian

    def test_priors_and_numbers_are_items_too(self):
        prior = af.UniformPrior(lower_limit=0.0, upper_limit=4.0)
        model = af.Collection(free=prior, fixed=2.5)

        assert model.prior_count == 1
        assert model.paths == [("free",)]
        instance = model.instance_from_vector([3.0])
        assert (instance.free, instance.fixed) == (3.0, 2.5)

    def test_nested_collections_and_lists(self):
        model = af.Collection(
            lens=af.Model(Galaxy, redshift=0.5, mass=MassIsothermal),
            sources=[LightExponential, LightExponential],
        )

        assert isinstance(model.sources, af.Collection)
        assert model.prior_count == 12
        assert model.paths[4] == ("sources", "0", "centre", "centre_0")
        vector = [0.1, 0.2, 1.0, 0.9, 0.3, 0.4, 1.5, 1.0, 0.5, 0.6, 2.0, 1.5]
        instance = model.instance_from_vector(vector)
        assert instance.lens.mass.centre == (0.1, 0.2)
        assert isinstance(instance.sources, af.ModelInstance)
        assert instance.sources[1].centre == (0.5, 0.6)
        assert instance.sources[1].effective_radius == 1.5

    def test_an_empty_collection(self):
        model = af.Collection()

        assert model.prior_count == 0
        assert len(model.instance_from_vector([])) == 0


class TestAddingComponents:
    def test_an_attribute_added_after_creation(self):
        model = af.Collection(gaussian=af.ex.Gaussian)
        model.extra = af.Model(af.ex.Exponential, rate=0.25)

        assert model.keys() == ["gaussian", "extra"]
        assert model.prior_count == 5
        instance = model.instance_from_vector(GAUSSIAN + [70.0, 1.5])
        assert (instance.extra.centre, instance.extra.normalization) == (70.0, 1.5)
        assert instance.extra.rate == 0.25

    def test_a_bare_class_added_by_attribute_is_wrapped(self):
        model = af.Collection()
        model.gaussian = af.ex.Gaussian

        assert isinstance(model.gaussian, af.Model)
        assert model.prior_count == 3

    def test_append_uses_the_next_integer_name(self):
        model = af.Collection([af.ex.Gaussian])
        model.append(af.ex.Exponential)
        model.append(af.Model(af.ex.Gaussian, sigma=1.0))

        assert model.keys() == ["0", "1", "2"]
        assert model.prior_count == 8
        instance = model.instance_from_vector(GAUSSIAN + EXPONENTIAL + [10.0, 1.0])
        assert type(instance[2]) is af.ex.Gaussian
        assert instance[2].sigma == 1.0
        assert instance[1].rate == 0.5

    def test_items_are_set_by_name_and_position(self):
        model = af.Collection([af.ex.Gaussian, af.ex.Gaussian])
        model[1] = af.ex.Exponential
        model["named"] = af.ex.Gaussian

        assert model.keys() == ["0", "1", "named"]
        assert model[1].cls is af.ex.Exponential
        assert model["named"].cls is af.ex.Gaussian

    def test_deleting_a_component(self):
        model = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)
        model.prior_count  # noqa: B018 - compile before the change
        del model["gaussian"]

        assert model.keys() == ["exponential"]
        assert model.prior_count == 3
        assert model.instance_from_vector(EXPONENTIAL).exponential.rate == 0.5

    def test_append_to_a_frozen_collection_raises(self):
        model = af.Collection([af.ex.Gaussian]).freeze()

        with pytest.raises(af.exc.ModelException, match="frozen"):
            model.append(af.ex.Gaussian)


class TestAccess:
    def test_length_iteration_membership_and_negative_index(self):
        model = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)

        assert len(model) == 2
        assert [component.cls for component in model] == [af.ex.Gaussian, af.ex.Exponential]
        assert "gaussian" in model
        assert "sigma" not in model
        assert model[-1] is model.exponential
        assert model.values() == [model.gaussian, model.exponential]
        assert model.items() == [("gaussian", model.gaussian), ("exponential", model.exponential)]

    def test_the_instance_supports_attribute_index_iteration_and_len(self):
        model = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)

        instance = model.instance_from_vector(GAUSSIAN + EXPONENTIAL)

        assert len(instance) == 2
        assert instance[0] is instance.gaussian is instance["gaussian"]
        assert instance[1] is instance.exponential
        assert [type(item) for item in instance] == [af.ex.Gaussian, af.ex.Exponential]

    def test_a_missing_key_raises_key_error(self):
        model = af.Collection(gaussian=af.ex.Gaussian)

        with pytest.raises(KeyError):
            model["exponential"]
        with pytest.raises(IndexError):
            model[3]

    def test_repr(self):
        model = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)

        assert repr(model) == "<Collection ['gaussian', 'exponential'] (N=6)>"
