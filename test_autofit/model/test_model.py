"""Tests of ``af.Model``: building the parameter space of a class from its constructor."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import autofit as af
from test_autofit.model.profiles import (
    Child,
    Galaxy,
    LightDeVaucouleurs,
    LightExponential,
    MassIsothermal,
    Parent,
    Point,
    Unconfigured,
    WithDefaults,
    WithList,
)

PACKAGE_PRIORS = af.conf.PACKAGE_CONFIG_PATH / "priors"
TEST_PRIORS = Path(__file__).parent / "config" / "priors"


def assert_uniform(prior, lower, upper):
    assert type(prior) is af.UniformPrior
    assert (prior.lower_limit, prior.upper_limit) == (lower, upper)


def assert_gaussian(prior, mean, sigma):
    assert type(prior) is af.GaussianPrior
    assert (prior.mean, prior.sigma) == (mean, sigma)
    assert (prior.lower_limit, prior.upper_limit) == (-math.inf, math.inf)


class TestPriorsFromConfiguration:
    def test_float_arguments_get_the_configured_prior_type_and_arguments(self):
        model = af.Model(LightDeVaucouleurs)

        intensity = model.intensity
        assert type(intensity) is af.LogUniformPrior
        assert (intensity.lower_limit, intensity.upper_limit) == (1.0e-3, 10.0)
        assert intensity.width_modifier == af.RelativeWidthModifier(0.5)
        assert intensity.limits == (0.0, math.inf)

        assert_uniform(model.effective_radius, 0.0, 4.0)
        assert_gaussian(model.centre_0, 0.0, 0.1)
        assert model.centre_0.width_modifier == af.AbsoluteWidthModifier(0.05)
        assert model.centre_0.limits == (-math.inf, math.inf)
        assert_gaussian(model.centre_1, 0.5, 0.2)

    def test_entries_without_width_modifier_or_limits_get_the_defaults(self):
        model = af.Model(LightExponential)

        assert model.effective_radius.width_modifier == af.RelativeWidthModifier(0.5)
        assert model.effective_radius.limits == (-math.inf, math.inf)

    def test_the_package_defaults_serve_the_example_classes(self):
        model = af.Model(af.ex.Gaussian)

        assert_uniform(model.centre, 0.0, 100.0)
        assert model.centre.width_modifier == af.AbsoluteWidthModifier(20.0)
        assert type(model.normalization) is af.LogUniformPrior
        assert (model.normalization.lower_limit, model.normalization.upper_limit) == (1e-6, 1e6)
        assert_uniform(model.sigma, 0.0, 25.0)

    def test_every_model_gets_its_own_prior_objects(self):
        first = af.Model(af.ex.Gaussian)
        second = af.Model(af.ex.Gaussian)

        assert first.centre is not second.centre
        assert af.Collection(first=first, second=second).prior_count == 6

    def test_a_subclass_reuses_the_priors_of_its_parent(self):
        model = af.Model(Child)

        assert model.prior_count == 3
        assert_uniform(model.a, 10.0, 20.0)
        assert_gaussian(model.b, 5.0, 2.0)
        assert type(model.c) is af.LogUniformPrior
        assert (model.c.lower_limit, model.c.upper_limit) == (1.0, 100.0)

        instance = model.instance_from_vector([12.0, 4.0, 50.0])

        assert type(instance) is Child
        assert isinstance(instance, Parent)
        assert (instance.a, instance.b, instance.c) == (12.0, 4.0, 50.0)

    def test_a_parameter_without_a_configured_prior_names_class_parameter_and_directories(self):
        with pytest.warns(af.exc.MissingPriorWarning):
            model = af.Model(Unconfigured)
        with pytest.raises(af.exc.ConfigException) as error:
            model.instance_from_prior_medians()

        message = str(error.value)
        assert "test_autofit.model.profiles.Unconfigured" in message
        assert "'quantity_without_prior'" in message
        assert str(TEST_PRIORS) in message
        assert str(PACKAGE_PRIORS) in message
        assert "profiles.yaml" in message

    def test_a_parameter_given_a_value_needs_no_configured_prior(self):
        model = af.Model(Unconfigured, quantity_without_prior=af.UniformPrior(2.0, 4.0))

        assert model.prior_count == 1
        assert model.instance_from_vector([3.0]).quantity_without_prior == 3.0


class TestTupleArguments:
    @pytest.mark.parametrize(
        "cls, first, second",
        [
            (LightExponential, (-1.0, 1.0), (-2.0, 2.0)),  # tuple default only
            (LightDeVaucouleurs, (0.0, 0.1), (0.5, 0.2)),  # tuple[float, float] annotation
            (MassIsothermal, (0.1, 0.3), (-0.1, 0.4)),  # typing.Tuple annotation
        ],
    )
    def test_a_tuple_argument_becomes_one_prior_per_element(self, cls, first, second):
        model = af.Model(cls)

        assert isinstance(model.centre, af.TuplePrior)
        assert model.paths[:2] == [("centre", "centre_0"), ("centre", "centre_1")]
        assert model.parameter_names[:2] == ["centre_0", "centre_1"]
        assert model.centre_0 is model.centre.centre_0
        assert model.centre_1 is model.centre.centre_1
        assert model.centre_0.arguments[:2] == first
        assert model.centre_1.arguments[:2] == second
        assert model.prior_count == 4

    def test_an_annotated_tuple_without_default_uses_one_entry_for_every_element(self):
        model = af.Model(Point)

        assert model.prior_count == 3
        assert_uniform(model.position_0, -4.0, 4.0)
        assert_uniform(model.position_1, -4.0, 4.0)
        assert model.position_0 is not model.position_1
        assert model.instance_from_vector([1.0, -2.0, 0.5]).position == (1.0, -2.0)

    def test_the_instance_attribute_is_a_tuple_of_the_vector_values(self):
        model = af.Model(MassIsothermal)

        instance = model.instance_from_vector([0.25, -0.5, 1.5, 0.7])

        assert type(instance.centre) is tuple
        assert instance.centre == (0.25, -0.5)
        assert (instance.einstein_radius, instance.axis_ratio) == (1.5, 0.7)

    def test_an_element_is_settable_by_its_name(self):
        model = af.Model(MassIsothermal)
        model.centre_0 = 1.0
        model.centre_1 = af.UniformPrior(lower_limit=3.0, upper_limit=5.0)

        assert model.prior_count == 3
        assert model.centre.centre_0 == 1.0
        assert_uniform(model.centre.centre_1, 3.0, 5.0)
        assert model.paths[0] == ("centre", "centre_1")
        assert model.instance_from_vector([4.0, 1.5, 0.7]).centre == (1.0, 4.0)

    def test_the_whole_tuple_is_fixable(self):
        model = af.Model(MassIsothermal)
        model.centre = (0.0, 0.0)

        assert model.prior_count == 2
        assert model.paths == [("einstein_radius",), ("axis_ratio",)]
        instance = model.instance_from_vector([1.5, 0.7])
        assert type(instance.centre) is tuple
        assert instance.centre == (0.0, 0.0)

    def test_a_tuple_keyword_mixes_priors_and_numbers(self):
        model = af.Model(MassIsothermal, centre=(af.UniformPrior(-1.0, 1.0), 0.5))

        assert model.prior_count == 3
        assert model.paths[0] == ("centre", "centre_0")
        assert model.instance_from_vector([-0.25, 1.5, 0.7]).centre == (-0.25, 0.5)


class TestKeywordArguments:
    def test_numbers_fix_arguments(self):
        model = af.Model(MassIsothermal, einstein_radius=1.2, axis_ratio=1)

        assert model.prior_count == 2
        assert model.paths == [("centre", "centre_0"), ("centre", "centre_1")]
        instance = model.instance_from_vector([0.1, 0.2])
        assert (instance.einstein_radius, instance.axis_ratio) == (1.2, 1)

    def test_a_prior_keyword_replaces_the_configured_prior(self):
        prior = af.GaussianPrior(mean=1.0, sigma=0.5)
        model = af.Model(MassIsothermal, einstein_radius=prior)

        assert model.einstein_radius is prior
        assert model.paths[2] == ("einstein_radius",)

    def test_string_boolean_and_none_defaults_stay_fixed(self):
        model = af.Model(WithDefaults)

        assert model.prior_count == 1
        assert model.paths == [("value",)]
        assert_uniform(model.value, -3.0, 3.0)
        instance = model.instance_from_vector([2.5])
        assert (instance.value, instance.name, instance.flag, instance.option, instance.count) == (
            2.5,
            "x",
            True,
            None,
            3,
        )

    def test_fixed_defaults_can_be_given_values_priors_or_components(self):
        model = af.Model(
            WithDefaults,
            name="y",
            flag=False,
            option=af.ex.Gaussian,
            count=af.UniformPrior(0.0, 10.0),
        )

        assert model.prior_count == 5
        assert model.paths == [
            ("value",),
            ("option", "centre"),
            ("option", "normalization"),
            ("option", "sigma"),
            ("count",),
        ]
        instance = model.instance_from_vector([1.0, 50.0, 2.0, 3.0, 7.0])
        assert (instance.name, instance.flag, instance.count) == ("y", False, 7.0)
        assert isinstance(instance.option, af.ex.Gaussian)
        assert (instance.option.centre, instance.option.sigma) == (50.0, 3.0)

    def test_a_class_keyword_becomes_a_nested_model(self):
        model = af.Model(WithList, gaussian_list=af.ex.Gaussian)

        assert isinstance(model.gaussian_list, af.Model)
        assert model.gaussian_list.cls is af.ex.Gaussian
        instance = model.instance_from_vector([10.0, 2.0, 3.0])
        assert isinstance(instance.gaussian_list, af.ex.Gaussian)
        assert (instance.gaussian_list.centre, instance.gaussian_list.sigma) == (10.0, 3.0)

    def test_a_model_keyword_is_kept_as_given(self):
        component = af.Model(af.ex.Gaussian, sigma=1.0)
        model = af.Model(WithList, gaussian_list=component)

        assert model.gaussian_list is component
        assert model.prior_count == 2

    def test_a_list_of_classes_becomes_a_collection(self):
        model = af.Model(WithList, gaussian_list=3 * [af.ex.Gaussian])

        assert isinstance(model.gaussian_list, af.Collection)
        assert model.prior_count == 9
        assert len({id(component) for component in model.gaussian_list}) == 3
        vector = [10.0 * (i + 1) if i % 3 == 0 else float(i + 1) for i in range(9)]
        instance = model.instance_from_vector(vector)
        assert instance.gaussian_list[1].centre == 40.0
        assert instance.gaussian_list[2].sigma == 9.0
        assert len(instance.gaussian_list) == 3
        assert all(isinstance(item, af.ex.Gaussian) for item in instance.gaussian_list)

    def test_a_dict_of_classes_becomes_a_collection(self):
        model = af.Model(
            WithList, gaussian_list={"narrow": af.ex.Gaussian, "wide": af.ex.Exponential}
        )

        assert isinstance(model.gaussian_list, af.Collection)
        assert model.joined_paths == [
            "gaussian_list.narrow.centre",
            "gaussian_list.narrow.normalization",
            "gaussian_list.narrow.sigma",
            "gaussian_list.wide.centre",
            "gaussian_list.wide.normalization",
            "gaussian_list.wide.rate",
        ]
        instance = model.instance_from_vector([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
        assert isinstance(instance.gaussian_list.wide, af.ex.Exponential)
        assert instance.gaussian_list.wide.rate == 6.0
        assert instance.gaussian_list["narrow"].sigma == 3.0

    def test_an_unknown_keyword_raises_type_error_naming_the_closest_argument(self):
        with pytest.raises(TypeError, match="'einstein_radiu'.*did you mean 'einstein_radius'"):
            af.Model(MassIsothermal, einstein_radiu=1.0)

    def test_only_classes_can_be_modelled(self):
        with pytest.raises(TypeError, match="expects a class"):
            af.Model(af.ex.Gaussian())


class TestKeywordComponents:
    def test_a_class_taking_kwargs_builds_a_two_level_model(self):
        model = af.Model(Galaxy, redshift=0.5, bulge=LightDeVaucouleurs, mass=MassIsothermal)

        assert model.prior_count == 8
        assert isinstance(model.bulge, af.Model) and model.bulge.cls is LightDeVaucouleurs
        assert isinstance(model.mass, af.Model) and model.mass.cls is MassIsothermal
        assert model.joined_paths == [
            "bulge.centre.centre_0",
            "bulge.centre.centre_1",
            "bulge.intensity",
            "bulge.effective_radius",
            "mass.centre.centre_0",
            "mass.centre.centre_1",
            "mass.einstein_radius",
            "mass.axis_ratio",
        ]

        instance = model.instance_from_vector([0.1, 0.2, 1.0, 2.0, 0.3, 0.4, 1.5, 0.8])

        assert type(instance) is Galaxy
        assert instance.redshift == 0.5
        assert type(instance.bulge) is LightDeVaucouleurs
        assert type(instance.mass) is MassIsothermal
        assert instance.bulge.centre == (0.1, 0.2)
        assert (instance.bulge.intensity, instance.bulge.effective_radius) == (1.0, 2.0)
        assert instance.mass.centre == (0.3, 0.4)
        assert (instance.mass.einstein_radius, instance.mass.axis_ratio) == (1.5, 0.8)
        # The constructor received the components; autofit set the attributes itself.
        assert instance.profiles == {"bulge": instance.bulge, "mass": instance.mass}

    def test_constructor_arguments_come_before_keyword_components(self):
        model = af.Model(Galaxy, mass=MassIsothermal)

        assert model.prior_count == 5
        assert model.paths[0] == ("redshift",)
        assert_uniform(model.redshift, 0.0, 2.0)
        instance = model.instance_from_vector([1.25, 0.0, 0.0, 1.0, 0.5])
        assert instance.redshift == 1.25
        assert instance.mass.einstein_radius == 1.0

    def test_a_component_added_after_creation_reaches_the_constructor(self):
        model = af.Model(Galaxy, redshift=0.5, bulge=LightDeVaucouleurs)
        model.disk = LightExponential

        assert model.prior_count == 8
        assert model.paths[4:6] == [("disk", "centre", "centre_0"), ("disk", "centre", "centre_1")]
        instance = model.instance_from_vector([0.0, 0.5, 1.0, 1.0, 0.1, 0.2, 1.0, 1.5])
        assert type(instance.disk) is LightExponential
        assert instance.disk.centre == (0.1, 0.2)
        assert list(instance.profiles) == ["bulge", "disk"]

    def test_a_fixed_keyword_value_reaches_the_constructor(self):
        model = af.Model(Galaxy, redshift=1.0, tag="lens")

        assert model.prior_count == 0
        instance = model.instance_from_vector([])
        assert instance.tag == "lens"
        assert instance.profiles == {"tag": "lens"}


def test_repr_and_constructor_names():
    model = af.Model(MassIsothermal, axis_ratio=1.0)

    assert repr(model) == "<Model MassIsothermal (N=3)>"
    assert model.constructor_names == ("centre", "einstein_radius", "axis_ratio")


class TestNewAttributes:
    """Assigning to a name that is not a constructor argument: the constructor refuses such a
    keyword, and so does assignment of a prior or component (before, ``model.centr = prior``
    silently added a fifth free parameter)."""

    def test_a_new_prior_is_refused_with_the_closest_argument(self):
        model = af.Model(af.ex.Gaussian)

        with pytest.raises(
            af.exc.UnknownAttributeException,
            match=r"Gaussian has no constructor argument 'centr'; did you mean 'centre'\?",
        ):
            model.centr = af.UniformPrior(lower_limit=0.0, upper_limit=1.0)

        assert model.prior_count == 3
        assert "centr" not in model.paths

    @pytest.mark.parametrize(
        "value",
        [
            af.ex.Exponential,
            af.Model(af.ex.Exponential),
            [af.ex.Exponential],
            (af.UniformPrior(0.0, 1.0), 1.0),
        ],
    )
    def test_a_new_component_is_refused(self, value):
        model = af.Model(af.ex.Gaussian)

        with pytest.raises(AttributeError, match="would be a free parameter"):
            model.extra = value

    def test_a_derived_value_is_refused(self):
        model = af.Model(af.ex.Gaussian)

        with pytest.raises(af.exc.UnknownAttributeException, match="'sigma_2'"):
            model.sigma_2 = model.sigma * 2.0

    def test_a_new_fixed_value_warns_and_is_set_on_the_instance(self):
        model = af.Model(af.ex.Gaussian)

        with pytest.warns(af.exc.UnknownAttributeWarning, match=r"did you mean 'sigma'\?"):
            model.sigmaa = 1.0

        assert model.prior_count == 3
        assert model.instance_from_unit_vector([0.5, 0.5, 0.5]).sigmaa == 1.0

    def test_existing_arguments_and_tuple_elements_are_assigned_as_before(self):
        gaussian = af.Model(af.ex.Gaussian)
        light = af.Model(LightDeVaucouleurs)

        gaussian.centre = af.GaussianPrior(mean=50.0, sigma=1.0)
        gaussian.sigma = 2.0
        gaussian.normalization = gaussian.centre * 0.5
        light.centre_0 = 0.1

        assert gaussian.prior_count == 1
        assert light.centre.centre_0 == 0.1

    def test_classes_taking_keyword_components_accept_new_ones(self):
        model = af.Model(Galaxy, redshift=0.5)

        model.bulge = af.ex.Gaussian
        model.mass = af.UniformPrior(lower_limit=0.0, upper_limit=1.0)

        assert model.prior_count == 4

    def test_collections_accept_new_components(self):
        model = af.Collection()

        model.gaussian = af.ex.Gaussian
        model.offset = af.UniformPrior(lower_limit=0.0, upper_limit=1.0)

        assert model.prior_count == 4
