"""Tests of editing models: ``take_attributes``, ``with_paths`` and ``without_paths``."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af
from test_autofit.model.profiles import Galaxy, LightDeVaucouleurs, MassIsothermal

LENS_VECTOR = [0.1, 0.2, 1.0, 2.0, 0.3, 0.4, 1.5, 0.8]


def lens():
    return af.Model(Galaxy, redshift=0.5, bulge=LightDeVaucouleurs, mass=MassIsothermal)


@pytest.fixture
def model():
    """A Gaussian (3), an Exponential (3) and a lens galaxy (8): 14 free parameters."""
    return af.Collection(g=af.ex.Gaussian, e=af.ex.Exponential, lens=lens())


class TestTakeAttributes:
    def test_from_an_instance_fixes_every_shared_parameter(self):
        previous = lens().instance_from_vector(LENS_VECTOR)
        model = lens()

        model.take_attributes(previous)

        assert model.prior_count == 0
        assert model.bulge.centre_0 == 0.1
        assert model.mass.axis_ratio == 0.8
        instance = model.instance_from_vector([])
        assert instance.bulge.centre == (0.1, 0.2)
        assert (instance.bulge.intensity, instance.bulge.effective_radius) == (1.0, 2.0)
        assert instance.mass.centre == (0.3, 0.4)
        assert (instance.mass.einstein_radius, instance.mass.axis_ratio) == (1.5, 0.8)

    def test_from_a_collection_instance_leaves_other_components_free(self):
        previous = af.Collection(g=af.ex.Gaussian, e=af.ex.Exponential).instance_from_vector(
            [10.0, 2.0, 3.0, 40.0, 5.0, 0.6]
        )
        model = af.Collection(g=af.ex.Gaussian, e=af.ex.Exponential, extra=af.ex.Gaussian)

        model.take_attributes(previous)

        assert model.prior_count == 3
        assert model.paths == [("extra", "centre"), ("extra", "normalization"), ("extra", "sigma")]
        instance = model.instance_from_vector([50.0, 1.0, 1.0])
        assert (instance.g.centre, instance.e.rate, instance.extra.centre) == (10.0, 0.6, 50.0)

    def test_from_a_model_shares_its_priors(self):
        source = lens()
        source.mass.einstein_radius = af.GaussianPrior(mean=1.2, sigma=0.1)
        source.bulge.intensity = 2.0
        target = lens()

        target.take_attributes(source)

        assert target.mass.einstein_radius is source.mass.einstein_radius
        assert target.bulge.centre_0 is source.bulge.centre_0
        assert target.bulge.intensity == 2.0
        assert target.prior_count == 7
        assert af.Collection(source=source, target=target).prior_count == 7

    def test_from_a_model_with_fewer_free_parameters(self):
        source = af.Model(af.ex.Gaussian, sigma=1.0)
        target = af.Model(af.ex.Gaussian)

        target.take_attributes(source)

        assert target.centre is source.centre
        assert target.sigma == 1.0
        assert target.prior_count == 2

    def test_an_array_inside_a_collection_takes_the_values_of_an_instance(self):
        def make():
            return af.Collection(
                weights=af.Array(shape=(2,), prior=af.UniformPrior()), g=af.ex.Gaussian
            )

        previous = make().instance_from_vector([0.1, 0.2, 30.0, 1.0, 2.0])
        model = make()

        model.take_attributes(previous)

        assert model.prior_count == 0
        instance = model.instance_from_vector([])
        np.testing.assert_array_equal(instance.weights, [0.1, 0.2])
        assert instance.g.centre == 30.0

    def test_into_an_array_from_a_numpy_array(self):
        array = af.Array(shape=(2, 2), prior=af.UniformPrior())

        array.take_attributes(np.array([[1.0, 2.0], [3.0, 4.0]]))

        assert array.prior_count == 0
        np.testing.assert_array_equal(array.instance_from_vector([]), [[1.0, 2.0], [3.0, 4.0]])

    def test_an_array_of_another_shape_is_ignored(self):
        array = af.Array(shape=(2,), prior=af.UniformPrior())

        array.take_attributes(np.array([1.0, 2.0, 3.0]))

        assert array.prior_count == 2


class TestWithAndWithoutPaths:
    def test_with_paths_keeps_the_given_components(self, model):
        kept = model.with_paths([("g",)])

        assert kept.prior_count == 3
        assert kept.keys() == ["g"]
        assert kept.paths == [("g", "centre"), ("g", "normalization"), ("g", "sigma")]
        assert model.prior_count == 14

    def test_with_paths_keeps_single_parameters(self, model):
        kept = model.with_paths([("g", "centre"), "lens.mass.centre"])

        assert kept.paths == [
            ("g", "centre"),
            ("lens", "mass", "centre", "centre_0"),
            ("lens", "mass", "centre", "centre_1"),
        ]

    def test_with_paths_leaves_out_free_parameters_of_a_kept_component(self, model):
        kept = model.with_paths([("g", "centre")])

        instance = kept.instance_from_vector([20.0])
        assert instance.g.centre == 20.0
        assert instance.g.sigma == 5.0  # the constructor's default

    def test_with_paths_keeps_fixed_values_of_the_components_it_keeps(self, model):
        kept = model.with_paths([("lens", "mass")])

        assert kept.prior_count == 4
        assert kept.lens.redshift == 0.5
        instance = kept.instance_from_vector([0.1, 0.2, 1.5, 0.8])
        assert instance.lens.redshift == 0.5
        assert instance.lens.mass.einstein_radius == 1.5

    def test_without_paths_removes_the_given_components(self, model):
        removed = model.without_paths([("g",), "lens.bulge.centre"])

        assert removed.prior_count == 3 + 6
        assert removed.keys() == ["e", "lens"]
        assert ("lens", "bulge", "intensity") in removed.paths
        assert not any(path[:3] == ("lens", "bulge", "centre") for path in removed.paths)
        assert model.prior_count == 14

    def test_the_result_is_a_copy(self, model):
        kept = model.with_paths([("e",)])
        kept.e.rate = 1.0

        assert model.e.rate is not kept.e.rate
        assert isinstance(model.e.rate, af.UniformPrior)
        assert kept.prior_count == 2
        assert (model.e.rate.lower_limit, model.e.rate.upper_limit) == (0.0, 10.0)

    def test_a_frozen_model_gives_an_editable_result(self, model):
        model.freeze()

        removed = model.without_paths([("lens",)])
        removed.g.sigma = 1.0

        assert removed.prior_count == 5

    @pytest.mark.parametrize("edit", ["with_paths", "without_paths"])
    def test_assertions_on_removed_parameters_add_no_dimensions(self, edit):
        model = af.Collection(g0=af.ex.Gaussian, g1=af.ex.Gaussian)
        model.add_assertion(model.g0.centre < model.g1.centre)
        paths = [("g0",)] if edit == "with_paths" else [("g1",)]

        edited = getattr(model, edit)(paths)

        assert edited.prior_count == 3
        assert edited.paths == [("g0", "centre"), ("g0", "normalization"), ("g0", "sigma")]
        assert edited.instance_from_vector([50.0, 1.0, 1.0]).g0.centre == 50.0
