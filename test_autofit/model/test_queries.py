"""Prior lookups by id, name and path, and instances and models from prior arguments."""

from __future__ import annotations

import pytest

import autofit as af
from test_autofit.model.profiles import LightExponential


@pytest.fixture
def model():
    """A Gaussian and an Exponential whose centres are linked (5 free parameters)."""
    model = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)
    model.exponential.centre = model.gaussian.centre
    return model


VALUES = {
    "gaussian_centre": 40.0,
    "gaussian_normalization": 2.0,
    "gaussian_sigma": 3.0,
    "exponential_normalization": 4.0,
    "exponential_rate": 0.5,
}


def check(instance):
    assert (instance.gaussian.centre, instance.exponential.centre) == (40.0, 40.0)
    assert (instance.gaussian.normalization, instance.gaussian.sigma) == (2.0, 3.0)
    assert (instance.exponential.normalization, instance.exponential.rate) == (4.0, 0.5)


class TestPriorLists:
    def test_ordered_by_id_is_the_vector_order_whatever_the_ids(self):
        model = af.Model(af.ex.Gaussian)
        # Created after the other priors, so with the largest id, but declared first.
        model.centre = af.UniformPrior(0.0, 1.0)

        ordered = model.prior_tuples_ordered_by_id

        assert [name for name, _ in ordered] == ["centre", "normalization", "sigma"]
        assert [t.prior for t in ordered] == model.priors
        assert model.priors_ordered_by_id == model.priors
        assert model.centre.id > model.sigma.id

    def test_unique_prior_tuples_list_a_linked_prior_once(self, model):
        unique = model.unique_prior_tuples

        assert len(unique) == 5
        assert unique[0].name == "centre"
        assert unique[0].prior is model.gaussian.centre

    def test_direct_prior_tuples_leave_out_components_and_tuple_elements(self, model):
        assert model.direct_prior_tuples == []
        assert [name for name, _ in model.gaussian.direct_prior_tuples] == [
            "centre",
            "normalization",
            "sigma",
        ]
        light = af.Model(LightExponential)
        assert [name for name, _ in light.direct_prior_tuples] == [
            "intensity",
            "effective_radius",
        ]

    def test_prior_with_id(self, model):
        prior = model.exponential.rate

        assert model.prior_with_id(prior.id) is prior
        with pytest.raises(KeyError, match="has id -1"):
            model.prior_with_id(-1)

    def test_name_for_prior(self, model):
        assert model.name_for_prior(model.exponential.rate) == "exponential_rate"
        assert model.name_for_prior(model.exponential.centre) == "gaussian_centre"
        assert model.name_for_prior(af.UniformPrior(0.0, 1.0)) is None
        light = af.Collection(light=LightExponential)
        assert light.name_for_prior(light.light.centre.centre_1) == "light_centre_1"

    def test_path_instance_tuples_for_class(self, model):
        assert model.path_instance_tuples_for_class(af.Model) == [
            (("gaussian",), model.gaussian),
            (("exponential",), model.exponential),
        ]
        priors = model.path_instance_tuples_for_class(af.Prior)
        assert [path for path, _ in priors] == [
            ("gaussian", "centre"),
            ("gaussian", "normalization"),
            ("gaussian", "sigma"),
            ("exponential", "centre"),
            ("exponential", "normalization"),
            ("exponential", "rate"),
        ]
        assert priors[3][1] is priors[0][1]
        assert model.path_instance_tuples_for_class(af.Prior, ignore_class=af.ex.Exponential) == (
            priors
        )
        with_root = model.path_instance_tuples_for_class(af.Collection, ignore_children=False)
        assert with_root == [((), model)]

    def test_latex_labels_with_superscripts(self):
        model = af.Model(af.ex.Gaussian)

        assert model.parameter_labels_with_superscripts_latex == [
            f"${label}$" for label in model.parameter_labels_with_superscripts
        ]
        assert model.parameter_labels_with_superscripts_latex[2] == "$\\sigma^{\\rm g}$"


class TestInstances:
    def test_instance_for_arguments(self, model):
        arguments = {prior: VALUES[model.name_for_prior(prior)] for prior in model.priors}

        check(model.instance_for_arguments(arguments))

    def test_instance_for_arguments_names_a_prior_without_a_value(self, model):
        arguments = {prior: 1.0 for prior in model.priors[:-1]}

        with pytest.raises(af.exc.ModelException, match="exponential.rate"):
            model.instance_for_arguments(arguments)

    def test_instance_from_path_arguments_needs_one_path_of_a_linked_prior(self, model):
        paths = {tuple(name.split("_")): value for name, value in VALUES.items()}

        check(model.instance_from_path_arguments(paths))

    def test_instance_from_prior_name_arguments(self, model):
        check(model.instance_from_prior_name_arguments(VALUES))

    def test_a_tuple_element_is_named_either_way(self):
        light = af.Collection(light=LightExponential)
        values = {"light_intensity": 1.0, "light_effective_radius": 1.0}

        short = light.instance_from_prior_name_arguments(
            {"light_centre_0": 0.5, "light_centre_1": -0.5, **values}
        )
        full = light.instance_from_prior_name_arguments(
            {"light_centre_centre_0": 0.5, "light_centre_centre_1": -0.5, **values}
        )

        assert short.light.centre == full.light.centre == (0.5, -0.5)

    def test_an_unknown_name_suggests_the_closest(self, model):
        with pytest.raises(af.exc.ModelException, match="did you mean 'gaussian_sigma'"):
            model.instance_from_prior_name_arguments({**VALUES, "gaussian_sigm": 1.0})

    def test_values_are_checked_against_prior_limits_unless_ignored(self, model):
        outside = {**VALUES, "gaussian_sigma": -1.0}

        with pytest.raises(af.exc.PriorLimitException):
            model.instance_from_prior_name_arguments(outside)
        instance = model.instance_from_prior_name_arguments(outside, ignore_prior_limits=True)
        assert instance.gaussian.sigma == -1.0


class TestMappers:
    def test_mapper_from_prior_arguments_replaces_every_prior(self, model):
        arguments = {prior: af.GaussianPrior(mean=1.0, sigma=2.0) for prior in model.priors}
        arguments[model.gaussian.sigma] = 5.0

        new = model.mapper_from_prior_arguments(arguments)

        assert new.prior_count == 4
        assert new.gaussian.sigma == 5.0
        assert new.gaussian.centre is arguments[model.gaussian.centre]
        # The link follows the replacement.
        assert new.exponential.centre is new.gaussian.centre
        assert model.prior_count == 5
        assert type(model.gaussian.centre) is af.UniformPrior

    def test_mapper_from_prior_arguments_needs_every_prior(self, model):
        with pytest.raises(
            af.exc.ModelException, match="gaussian.normalization; use mapper_from_partial"
        ):
            model.mapper_from_prior_arguments({model.gaussian.centre: 1.0})

    def test_mapper_from_partial_prior_arguments_keeps_the_other_priors(self, model):
        centre = af.GaussianPrior(mean=50.0, sigma=5.0)

        new = model.mapper_from_partial_prior_arguments({model.gaussian.centre: centre})

        assert new.gaussian.centre is centre
        assert new.exponential.centre is centre
        assert new.gaussian.sigma is model.gaussian.sigma
        assert new.paths == model.paths
        assert model.gaussian.centre is not centre

    def test_replacements_reach_derived_parameters_and_assertions(self):
        model = af.Collection(a=af.ex.Gaussian, b=af.ex.Gaussian)
        model.b.sigma = model.a.sigma * 2.0
        model.add_assertion(model.a.centre < model.b.centre)

        new = model.mapper_from_partial_prior_arguments({model.a.sigma: 3.0})

        instance = new.instance_from_prior_medians(ignore_assertions=True)
        assert instance.b.sigma == 6.0
        with pytest.raises(af.exc.FitException):
            new.instance_from_vector([60.0, 1.0, 50.0, 1.0])

    def test_the_new_model_of_a_frozen_model_can_be_edited(self, model):
        model.freeze()

        new = model.mapper_from_partial_prior_arguments({})
        new.gaussian.sigma = 1.0

        assert new.prior_count == 4


class TestFrozen:
    def test_changing_a_frozen_model_is_a_model_exception_and_an_assertion_error(self, model):
        model.freeze()

        with pytest.raises(af.exc.FrozenModelException, match="frozen") as error:
            model.gaussian.sigma = 1.0
        assert isinstance(error.value, af.exc.ModelException)
        assert isinstance(error.value, AssertionError)
