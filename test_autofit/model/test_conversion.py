"""Models from instances: AbstractPriorModel.from_instance and ModelInstance.as_model."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af
from test_autofit.model.profiles import LightExponential


class Labelled:
    """A component with a string setting and a nested component."""

    def __init__(self, inner=None, label: str = "default", scale=1.0):
        self.inner = inner
        self.label = label
        self.scale = scale


@pytest.fixture
def instance():
    model = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)
    return model.instance_from_vector([40.0, 2.0, 3.0, 10.0, 4.0, 0.5])


def test_abstract_prior_model_is_the_base_of_every_model():
    assert af.AbstractPriorModel is af.AbstractModel
    for model in (af.Model(af.ex.Gaussian), af.Collection(), af.Array((2,), af.UniformPrior())):
        assert isinstance(model, af.AbstractPriorModel)


def test_as_model_with_no_classes_fixes_everything(instance):
    model = instance.as_model(())

    assert isinstance(model, af.Collection)
    assert model.prior_count == 0
    rebuilt = model.instance_from_vector([])
    assert (rebuilt.gaussian.centre, rebuilt.exponential.rate) == (40.0, 0.5)
    assert type(rebuilt.gaussian) is af.ex.Gaussian


def test_as_model_frees_the_chosen_classes_with_their_configured_priors(instance):
    model = instance.as_model((af.ex.Gaussian,))

    assert model.prior_count == 3
    assert model.paths == [
        ("gaussian", "centre"),
        ("gaussian", "normalization"),
        ("gaussian", "sigma"),
    ]
    assert (model.gaussian.sigma.lower_limit, model.gaussian.sigma.upper_limit) == (0.0, 25.0)
    rebuilt = model.instance_from_vector([1.0, 2.0, 3.0])
    assert rebuilt.exponential.centre == 10.0
    assert rebuilt.gaussian.sigma == 3.0


def test_a_single_class_may_be_given(instance):
    assert instance.as_model(af.ex.Exponential).prior_count == 3


def test_excluded_classes_stay_the_objects_they_are(instance):
    model = instance.as_model((), excluded_classes=(af.ex.Gaussian,))

    assert model.gaussian is instance.gaussian


def test_from_instance_of_one_component():
    gaussian = af.ex.Gaussian(centre=1.0, normalization=2.0, sigma=3.0)

    fixed = af.AbstractPriorModel.from_instance(gaussian)
    free = af.AbstractPriorModel.from_instance(gaussian, model_classes=(af.ex.Gaussian,))

    assert isinstance(fixed, af.Model)
    assert fixed.prior_count == 0
    assert fixed.sigma == 3.0
    assert free.prior_count == 3


def test_nested_components_strings_lists_and_tuples():
    light = LightExponential(centre=(0.5, -0.5), intensity=1.0, effective_radius=2.0)
    outer = Labelled(inner=Labelled(label="inner", scale=2.0), label="outer", scale=3.0)
    instance = af.ModelInstance(
        {"light": light, "outer": outer, "values": [1.0, 2.0], "array": np.arange(3.0)}
    )

    model = instance.as_model((Labelled,))

    # Both Labelled components are free in scale only; labels and nesting come from the instance.
    assert model.paths == [("outer", "inner", "scale"), ("outer", "scale")]
    assert model.outer.label == "outer"
    assert model.outer.inner.label == "inner"
    assert model.light.centre.centre_1 == -0.5
    rebuilt = model.instance_from_vector([0.5, 0.25])
    assert rebuilt.light.centre == (0.5, -0.5)
    assert rebuilt.values == [1.0, 2.0]
    assert (rebuilt.outer.scale, rebuilt.outer.inner.scale) == (0.25, 0.5)
    np.testing.assert_array_equal(rebuilt.array, np.arange(3.0))


def test_a_list_of_components_becomes_a_collection():
    gaussians = [af.ex.Gaussian(centre=float(i)) for i in range(2)]

    model = af.AbstractPriorModel.from_instance(gaussians, model_classes=af.ex.Gaussian)

    assert isinstance(model, af.Collection)
    assert model.prior_count == 6


def test_from_json_reads_a_model(tmp_path):
    model = af.Collection(gaussian=af.ex.Gaussian)
    model.output_to_json(tmp_path / "model.json")

    loaded = af.AbstractPriorModel.from_json(tmp_path / "model.json")

    assert loaded == model
    assert loaded.prior_count == 3
