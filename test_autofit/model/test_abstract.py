"""Tests of what every model shares: assignment, links, arithmetic, assertions and vectors."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import autofit as af
from test_autofit.model.profiles import (
    AllPriorTypes,
    Child,
    Galaxy,
    LightDeVaucouleurs,
    MassIsothermal,
    WithDefaults,
)

REPOSITORY = Path(__file__).resolve().parents[2]
CONFIG_PATH = Path(__file__).parent / "config"


@pytest.fixture
def gaussian():
    """Gaussian with the packaged priors Uniform(0, 100), LogUniform(1e-6, 1e6), Uniform(0, 25)."""
    return af.Model(af.ex.Gaussian)


@pytest.fixture
def pair():
    """Two Gaussians (6 free parameters)."""
    return af.Collection(g0=af.ex.Gaussian, g1=af.ex.Gaussian)


class TestAssignment:
    def test_a_prior_sets_the_parameter(self, gaussian):
        prior = af.GaussianPrior(mean=50.0, sigma=10.0)
        gaussian.centre = prior

        assert gaussian.centre is prior
        assert gaussian.priors[0] is prior
        instance = gaussian.instance_from_unit_vector([stats.norm.cdf(1.0), 0.5, 0.5])
        assert instance.centre == pytest.approx(60.0, rel=1e-12)

    @pytest.mark.parametrize("value", [2.0, 2, np.float64(2.0), af.Constant(2.0)])
    def test_a_number_fixes_the_parameter(self, gaussian, value):
        gaussian.sigma = value

        assert gaussian.prior_count == 2
        assert gaussian.paths == [("centre",), ("normalization",)]
        assert gaussian.instance_from_vector([10.0, 1.0]).sigma == 2.0

    def test_an_attribute_of_another_model_links_the_two(self, pair):
        pair.g1.centre = pair.g0.centre

        assert pair.g1.centre is pair.g0.centre
        assert pair.prior_count == 5
        assert pair.paths[0] == ("g0", "centre")
        assert ("g1", "centre") not in pair.paths
        instance = pair.instance_from_vector([42.0, 1.0, 2.0, 3.0, 4.0])
        assert instance.g0.centre == instance.g1.centre == 42.0
        assert (instance.g1.normalization, instance.g1.sigma) == (3.0, 4.0)

    def test_a_linked_tuple_is_one_set_of_dimensions(self):
        model = af.Collection(light=LightDeVaucouleurs, mass=MassIsothermal)
        model.mass.centre = model.light.centre

        assert model.prior_count == 6
        instance = model.instance_from_vector([0.1, 0.2, 1.0, 2.0, 1.5, 0.7])
        assert instance.light.centre == instance.mass.centre == (0.1, 0.2)

    def test_a_linked_tuple_element(self):
        model = af.Collection(light=LightDeVaucouleurs, mass=MassIsothermal)
        model.mass.centre_1 = model.light.centre_0

        assert model.prior_count == 7
        instance = model.instance_from_vector([0.1, 0.2, 1.0, 2.0, 0.3, 1.5, 0.7])
        assert instance.mass.centre == (0.3, 0.1)

    def test_an_unknown_attribute_suggests_the_closest_name(self, gaussian):
        with pytest.raises(AttributeError, match="did you mean 'sigma'"):
            gaussian.sigmaa  # noqa: B018


A, B, C = 12.0, -4.0, 50.0


class TestArithmetic:
    """``target.value`` derived from the free parameters a, b of ``af.Model(Child)``."""

    @pytest.mark.parametrize(
        "expression, expected",
        [
            (lambda a, b: a + 10.0, A + 10.0),
            (lambda a, b: 10.0 + a, A + 10.0),
            (lambda a, b: a - b, A - B),
            (lambda a, b: 1.0 - a, 1.0 - A),
            (lambda a, b: a * b, A * B),
            (lambda a, b: 3.0 * b, 3.0 * B),
            (lambda a, b: a / b, A / B),
            (lambda a, b: 6.0 / a, 6.0 / A),
            (lambda a, b: a**2.0, A**2.0),
            (lambda a, b: 2.0**b, 2.0**B),
            (lambda a, b: a**0.5 * b, math.sqrt(A) * B),
            (lambda a, b: abs(b), abs(B)),
            (lambda a, b: -b, -B),
            (lambda a, b: af.Log(a), math.log(A)),
            (lambda a, b: af.Log10(a), math.log10(A)),
            (lambda a, b: af.Log10(a * abs(b)) + 1.0, math.log10(A * abs(B)) + 1.0),
            (lambda a, b: (a + b) / (a - b), (A + B) / (A - B)),
        ],
    )
    def test_a_derived_parameter_is_computed_in_the_instance(self, expression, expected):
        model = af.Collection(source=Child, target=WithDefaults)
        model.target.value = expression(model.source.a, model.source.b)

        assert isinstance(model.target.value, af.DerivedParameter)
        assert model.prior_count == 3
        assert model.paths == [("source", "a"), ("source", "b"), ("source", "c")]
        instance = model.instance_from_vector([A, B, C])
        assert instance.target.value == pytest.approx(expected, rel=1e-14)
        assert instance.source.a == A

    def test_a_derived_value_recomputes_for_every_vector(self, pair):
        pair.g1.centre = pair.g0.centre + 10.0

        for centre in (0.0, 17.5, 90.0):
            instance = pair.instance_from_vector([centre, 1.0, 2.0, 3.0, 4.0])
            assert instance.g1.centre == centre + 10.0

    def test_a_prior_used_only_inside_a_derived_value_is_still_a_dimension(self):
        model = af.Model(WithDefaults)
        model.value = af.UniformPrior(lower_limit=0.0, upper_limit=1.0) * 2.0

        assert model.prior_count == 1
        assert model.paths[0][0] == "value"
        assert model.instance_from_vector([0.25]).value == 0.5


class TestAssertions:
    """Assertions on ``af.Model(Child)``: a ~ Uniform(10, 20), b ~ Gaussian(5, 2), c."""

    @pytest.mark.parametrize(
        "assertion, satisfied, violated",
        [
            (lambda m: m.a > m.b, (12.0, 11.9), (12.0, 12.0)),
            (lambda m: m.a < m.b, (12.0, 12.1), (12.0, 12.0)),
            (lambda m: m.a >= m.b, (12.0, 12.0), (12.0, 12.1)),
            (lambda m: m.a <= m.b, (12.0, 12.0), (12.0, 11.9)),
            (lambda m: m.a > 15.0, (15.5, 0.0), (15.0, 0.0)),
            (lambda m: 15.0 < m.a, (15.5, 0.0), (15.0, 0.0)),
            (lambda m: m.b < 3.0, (15.0, 2.9), (15.0, 3.0)),
            (lambda m: m.b >= 3.0, (15.0, 3.0), (15.0, 2.9)),
            (lambda m: m.b <= -1.0, (15.0, -1.0), (15.0, -0.9)),
            (lambda m: m.a + m.b > 20.0, (15.0, 5.5), (15.0, 5.0)),
            (lambda m: m.a * 2.0 <= m.b, (10.0, 20.0), (10.0, 19.0)),
        ],
    )
    def test_a_violated_assertion_raises_fit_exception(self, assertion, satisfied, violated):
        model = af.Model(Child)
        model.add_assertion(assertion(model))

        instance = model.instance_from_vector([*satisfied, 50.0])
        assert (instance.a, instance.b) == satisfied

        with pytest.raises(af.exc.FitException, match="Assertion violated"):
            model.instance_from_vector([*violated, 50.0])

        instance = model.instance_from_vector([*violated, 50.0], ignore_assertions=True)
        assert (instance.a, instance.b) == violated

    def test_the_message_names_the_paths_and_the_assertion_name(self, pair):
        pair.add_assertion(pair.g0.centre < pair.g1.centre, name="ordered")

        with pytest.raises(af.exc.FitException) as error:
            pair.instance_from_vector([60.0, 1.0, 1.0, 40.0, 1.0, 1.0])

        assert "'ordered'" in str(error.value)
        assert "g0.centre < g1.centre" in str(error.value)

    def test_assertions_of_components_apply_to_the_whole_model(self, pair):
        pair.g1.add_assertion(pair.g1.sigma > pair.g0.sigma)

        assert len(pair.assertions) == 1
        with pytest.raises(af.exc.FitException):
            pair.instance_from_vector([1.0, 1.0, 5.0, 1.0, 1.0, 4.0])
        with pytest.raises(af.exc.FitException):
            pair.instance_from_unit_vector([0.5, 0.5, 0.5, 0.5, 0.5, 0.1])
        assert pair.instance_from_unit_vector([0.5, 0.5, 0.1, 0.5, 0.5, 0.5]).g1.sigma == 12.5

    def test_several_assertions_must_all_hold(self):
        model = af.Model(Child)
        model.add_assertion(model.a > 12.0)
        model.add_assertion(model.b > 0.0)

        assert model.instance_from_vector([13.0, 1.0, 5.0]).a == 13.0
        for vector in ([11.0, 1.0, 5.0], [13.0, -1.0, 5.0]):
            with pytest.raises(af.exc.FitException):
                model.instance_from_vector(vector)

    def test_only_comparisons_of_priors_are_assertions(self, gaussian):
        with pytest.raises(af.exc.ModelException, match="comparison of priors"):
            gaussian.add_assertion(1.0 > 0.0)
        with pytest.raises(TypeError, match="add_assertion"):
            bool(gaussian.centre > gaussian.sigma)


class TestPriorLimits:
    @pytest.mark.parametrize(
        "vector, path",
        [
            ([100.5, 1.0, 1.0], "centre"),
            ([-0.5, 1.0, 1.0], "centre"),
            ([50.0, 0.0, 1.0], "normalization"),
            ([50.0, 1.0, 25.1], "sigma"),
        ],
    )
    def test_a_value_outside_its_prior_raises_unless_ignored(self, gaussian, vector, path):
        with pytest.raises(af.exc.PriorLimitException, match=rf"^{path} = "):
            gaussian.instance_from_vector(vector)

        instance = gaussian.instance_from_vector(vector, ignore_prior_limits=True)
        assert [instance.centre, instance.normalization, instance.sigma] == vector

    def test_limits_are_inclusive_and_the_exception_is_a_fit_exception(self, gaussian):
        instance = gaussian.instance_from_vector([100.0, 1e6, 0.0])
        assert (instance.centre, instance.normalization, instance.sigma) == (100.0, 1e6, 0.0)
        assert issubclass(af.exc.PriorLimitException, af.exc.FitException)

    def test_a_gaussian_prior_without_limits_accepts_any_value(self):
        model = af.Model(Child)

        assert model.instance_from_vector([15.0, -1e9, 5.0]).b == -1e9


class TestPathsNamesAndLabels:
    def test_one_entry_per_free_parameter_in_vector_order(self):
        model = af.Collection(mass=MassIsothermal, gaussian=af.ex.Gaussian, child=Child)
        model.gaussian.sigma = 2.0
        model.child.b = model.child.a

        assert model.prior_count == 8
        assert model.paths == [
            ("mass", "centre", "centre_0"),
            ("mass", "centre", "centre_1"),
            ("mass", "einstein_radius"),
            ("mass", "axis_ratio"),
            ("gaussian", "centre"),
            ("gaussian", "normalization"),
            ("child", "a"),
            ("child", "c"),
        ]
        assert model.parameter_names == [
            "centre_0",
            "centre_1",
            "einstein_radius",
            "axis_ratio",
            "centre",
            "normalization",
            "a",
            "c",
        ]

    def test_labels_come_from_notation_files_and_default_to_names(self):
        model = af.Collection(mass=MassIsothermal, gaussian=af.ex.Gaussian, child=Child)

        assert model.parameter_labels == [
            "y_{\\rm c}",
            "x_{\\rm c}",
            "\\theta_{\\rm Ein}",
            "q_{\\rm m}",
            "x",
            "N",
            "\\sigma",
            "a",
            "b",
            "c",
        ]

    def test_labels_with_superscripts_of_the_component_classes(self):
        model = af.Collection(gaussian=af.ex.Gaussian, mass=MassIsothermal, child=Child)
        model.mass.centre = (0.0, 0.0)

        assert model.parameter_labels_with_superscripts == [
            "x^{\\rm g}",
            "N^{\\rm g}",
            "\\sigma^{\\rm g}",
            "\\theta_{\\rm Ein}^{\\rm mass}",
            "q_{\\rm m}^{\\rm mass}",
            "a",
            "b",
            "c",
        ]

    def test_vector_order_is_declaration_order_not_prior_creation_order(self):
        sigma = af.UniformPrior(lower_limit=0.0, upper_limit=3.0)
        normalization = af.UniformPrior(lower_limit=0.0, upper_limit=2.0)
        centre = af.UniformPrior(lower_limit=0.0, upper_limit=1.0)
        in_order = af.Model(af.ex.Gaussian)
        in_order.centre = centre
        in_order.normalization = normalization
        in_order.sigma = sigma
        reversed_assignment = af.Model(af.ex.Gaussian)
        reversed_assignment.sigma = sigma.new()
        reversed_assignment.normalization = normalization.new()
        reversed_assignment.centre = centre.new()

        assert in_order.priors == [centre, normalization, sigma]
        for model in (in_order, reversed_assignment):
            assert model.paths == [("centre",), ("normalization",), ("sigma",)]
            instance = model.instance_from_unit_vector([0.5, 0.5, 0.5])
            assert (instance.centre, instance.normalization, instance.sigma) == (0.5, 1.0, 1.5)

    def test_components_keep_the_order_they_were_given_in(self):
        model = af.Collection(zebra=af.ex.Gaussian, alpha=af.ex.Exponential)

        assert model.parameter_names[2:4] == ["sigma", "centre"]
        assert model.paths[3] == ("alpha", "centre")


BUILD = textwrap.dedent(
    """
    import autofit as af
    from test_autofit.model.profiles import Galaxy, LightDeVaucouleurs, MassIsothermal

    # Priors created in the reverse of their declaration order.
    late = af.UniformPrior(lower_limit=0.0, upper_limit=30.0)
    early = af.GaussianPrior(mean=1.0, sigma=0.5)
    model = af.Collection(
        lens=af.Model(Galaxy, redshift=0.5, bulge=LightDeVaucouleurs, mass=MassIsothermal),
        gaussians=3 * [af.ex.Gaussian],
    )
    model.gaussians[2].sigma = late
    model.lens.mass.einstein_radius = early
    model.gaussians[1].centre = model.gaussians[0].centre + 5.0
    vector = [0.05 * (index + 1) for index in range(model.prior_count)]
    instance = model.instance_from_vector(vector, ignore_prior_limits=True)
    result = {
        "paths": [list(path) for path in model.paths],
        "values": [
            instance.lens.mass.einstein_radius,
            instance.gaussians[1].centre,
            instance.gaussians[2].sigma,
            *instance.lens.bulge.centre,
        ],
    }
    """
)


def test_vector_layout_is_identical_in_a_fresh_process():
    namespace: dict = {}
    exec(BUILD, namespace)  # noqa: S102 - the same script is run in a subprocess below
    expected = namespace["result"]
    assert len(expected["paths"]) == 16
    assert expected["paths"][6] == ["lens", "mass", "einstein_radius"]
    assert expected["paths"][11] == ["gaussians", "1", "normalization"]
    assert expected["paths"][15] == ["gaussians", "2", "sigma"]
    assert expected["values"] == pytest.approx([0.35, 0.45 + 5.0, 0.8, 0.05, 0.1], rel=1e-12)

    script = (
        "import json, autofit as af\n"
        f"af.conf.instance.push(new_path={str(CONFIG_PATH)!r})\n"
        + BUILD
        + "print(json.dumps(result))\n"
    )
    for seed in ("0", "12345"):
        environment = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "PYTHONPATH": str(REPOSITORY),
        }
        environment.pop(af.conf.CONFIG_PATH_VARIABLE, None)
        completed = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env=environment,
            cwd=REPOSITORY,
            timeout=60,
        )
        assert completed.returncode == 0, completed.stderr
        assert json.loads(completed.stdout) == expected


class TestVectors:
    def test_prior_count_and_total_free_parameters(self, pair):
        pair.g1.sigma = 1.0

        assert pair.prior_count == pair.total_free_parameters == 5
        assert len(pair.priors) == 5

    def test_instance_from_vector_accepts_lists_and_arrays(self, gaussian):
        from_list = gaussian.instance_from_vector([10.0, 2.0, 3.0])
        from_array = gaussian.instance_from_vector(np.array([10.0, 2.0, 3.0]))

        for instance in (from_list, from_array):
            assert type(instance) is af.ex.Gaussian
            assert (instance.centre, instance.normalization, instance.sigma) == (10.0, 2.0, 3.0)
            assert type(instance.centre) is float

    @pytest.mark.parametrize("length", [2, 4])
    @pytest.mark.parametrize(
        "method",
        [
            "instance_from_vector",
            "instance_from_unit_vector",
            "vector_from_unit_vector",
            "unit_vector_from_vector",
            "log_prior_list_from_vector",
        ],
    )
    def test_a_vector_of_the_wrong_length_names_the_expected_length_and_paths(
        self, gaussian, method, length
    ):
        with pytest.raises(ValueError) as error:
            getattr(gaussian, method)([0.5] * length)

        message = str(error.value)
        assert "length 3" in message
        assert "centre, normalization, sigma" in message

    def test_a_two_dimensional_array_is_not_a_vector(self, gaussian):
        with pytest.raises(ValueError):
            gaussian.instance_from_vector(np.full((1, 3), 0.5))

    def test_instance_from_unit_vector_maps_through_each_prior(self, gaussian):
        instance = gaussian.instance_from_unit_vector([0.25, 0.75, 0.5])

        assert instance.centre == pytest.approx(25.0, rel=1e-14)
        assert instance.normalization == pytest.approx(10.0**3, rel=1e-12)
        assert instance.sigma == pytest.approx(12.5, rel=1e-14)

    def test_instance_from_prior_medians_is_each_priors_value_for_one_half(self):
        model = af.Model(AllPriorTypes)

        instance = model.instance_from_prior_medians()

        names = model.parameter_names
        for name, prior in zip(names, model.priors, strict=True):
            assert getattr(instance, name) == pytest.approx(prior.value_for(0.5), rel=1e-12)
        expected = {
            "uniform": 1.0,
            "log_uniform": 1.0,
            "gaussian": 1.0,
            "log_gaussian": math.exp(0.5),
            "truncated_gaussian": stats.truncnorm.ppf(0.5, -0.5, 1.5, loc=0.5, scale=1.0),
            "bounded_gaussian": stats.truncnorm.ppf(0.5, -0.5, np.inf),
        }
        for name, value in expected.items():
            assert getattr(instance, name) == pytest.approx(value, rel=1e-9, abs=1e-12)

    def test_prior_medians_respect_assertions_unless_ignored(self, pair):
        pair.add_assertion(pair.g0.centre < pair.g1.centre)

        with pytest.raises(af.exc.FitException):
            pair.instance_from_prior_medians()
        instance = pair.instance_from_prior_medians(ignore_assertions=True)
        assert instance.g0.centre == instance.g1.centre == 50.0

    def test_random_instances_lie_within_the_limits_and_satisfy_assertions(self, pair):
        pair.add_assertion(pair.g0.centre < pair.g1.centre)
        rng = np.random.default_rng(7)

        centres = []
        for _ in range(200):
            instance = pair.random_instance(rng=rng)
            for component in (instance.g0, instance.g1):
                assert 0.0 <= component.centre <= 100.0
                assert 1e-6 <= component.normalization <= 1e6
                assert 0.0 <= component.sigma <= 25.0
            assert instance.g0.centre < instance.g1.centre
            centres.append(instance.g0.centre)
        # Draws are spread over the prior: the ordered pair's lower centre has mean 100 / 3.
        assert np.mean(centres) == pytest.approx(100.0 / 3.0, abs=5.0)

    def test_random_instance_gives_up_on_an_impossible_assertion(self, gaussian):
        gaussian.add_assertion(gaussian.centre > 200.0)

        with pytest.raises(af.exc.FitException, match="10 attempts"):
            gaussian.random_instance(max_attempts=10)
        assert gaussian.random_instance(ignore_assertions=True).centre <= 100.0

    def test_random_instance_is_reproducible_with_a_generator(self, gaussian):
        first = gaussian.random_instance(rng=np.random.default_rng(3))
        second = gaussian.random_instance(rng=np.random.default_rng(3))
        units = np.random.default_rng(3).random(3)

        assert (first.centre, first.sigma) == (second.centre, second.sigma)
        assert first.centre == pytest.approx(100.0 * units[0], rel=1e-14)

    def test_vector_from_unit_vector_for_one_vector_and_a_batch(self, gaussian):
        vector = gaussian.vector_from_unit_vector([0.1, 0.5, 0.9])

        assert isinstance(vector, list)
        assert vector == pytest.approx([10.0, 1.0, 22.5], rel=1e-12)

        units = np.random.default_rng(0).random((5, 3))
        batch = gaussian.vector_from_unit_vector(units)
        assert batch.shape == (5, 3)
        for row, unit in zip(batch, units, strict=True):
            np.testing.assert_allclose(row, gaussian.vector_from_unit_vector(list(unit)), 1e-12)

    def test_unit_vector_from_vector_inverts_the_transform(self, gaussian):
        unit = gaussian.unit_vector_from_vector([10.0, 1.0, 22.5])

        assert isinstance(unit, list)
        assert unit == pytest.approx([0.1, 0.5, 0.9], rel=1e-12)
        batch = gaussian.unit_vector_from_vector(np.array([[10.0, 1.0, 22.5], [50.0, 1e3, 5.0]]))
        np.testing.assert_allclose(batch, [[0.1, 0.5, 0.9], [0.5, 0.75, 0.2]], rtol=1e-12)

    def test_log_prior_list_matches_each_prior_and_scipy(self, gaussian):
        vector = [30.0, 5.0, 2.0]

        log_priors = gaussian.log_prior_list_from_vector(vector)

        assert len(log_priors) == 3
        for value, prior, log_prior in zip(vector, gaussian.priors, log_priors, strict=True):
            assert log_prior == pytest.approx(prior.log_prior_from_value(value), rel=1e-12)
        expected = [
            stats.uniform.logpdf(30.0, 0.0, 100.0),
            stats.loguniform.logpdf(5.0, 1e-6, 1e6),
            stats.uniform.logpdf(2.0, 0.0, 25.0),
        ]
        assert log_priors == pytest.approx(expected, rel=1e-12)

    def test_log_prior_outside_the_limits_is_minus_infinity(self, gaussian):
        assert gaussian.log_prior_list_from_vector([101.0, 5.0, 2.0])[0] == -math.inf


class TestPriorLookups:
    def test_prior_tuples_pair_names_and_priors_in_vector_order(self, gaussian):
        assert gaussian.prior_tuples == [
            ("centre", gaussian.centre),
            ("normalization", gaussian.normalization),
            ("sigma", gaussian.sigma),
        ]

    def test_path_for_prior_gives_the_first_path_of_a_linked_prior(self, pair):
        pair.g1.centre = pair.g0.centre

        assert pair.path_for_prior(pair.g1.centre) == ("g0", "centre")
        assert pair.path_for_prior(pair.g1.sigma) == ("g1", "sigma")
        assert pair.index_for_prior(pair.g1.sigma) == 4
        assert pair.path_for_prior(af.UniformPrior()) is None

    def test_object_for_path(self):
        model = af.Model(Galaxy, redshift=0.5, mass=MassIsothermal)

        assert model.object_for_path(("mass", "centre", "centre_1")) is model.mass.centre_1
        assert model.object_for_path("mass.einstein_radius") is model.mass.einstein_radius


class TestCopyAndFreeze:
    def test_a_copy_is_independent(self, pair):
        copied = pair.copy()
        copied.g0.centre = 1.0
        copied.g1.sigma.upper_limit = 50.0

        assert pair.prior_count == 6
        assert copied.prior_count == 5
        assert pair.g1.sigma.upper_limit == 25.0
        assert copied.g0 is not pair.g0

    def test_links_are_preserved_inside_a_copy(self, pair):
        pair.g1.centre = pair.g0.centre
        pair.g1.sigma = pair.g0.sigma * 2.0

        copied = pair.copy()

        assert copied.g1.centre is copied.g0.centre
        assert copied.g0.centre is not pair.g0.centre
        assert copied.prior_count == 4
        instance = copied.instance_from_vector([40.0, 1.0, 3.0, 2.0])
        assert (instance.g1.centre, instance.g1.sigma) == (40.0, 6.0)

    def test_a_frozen_model_cannot_be_modified_until_unfrozen(self, pair):
        assert pair.freeze() is pair

        with pytest.raises(af.exc.ModelException, match="frozen"):
            pair.g0 = af.ex.Exponential
        with pytest.raises(af.exc.ModelException, match="frozen"):
            pair.g0.centre = 1.0
        with pytest.raises(af.exc.ModelException, match="frozen"):
            pair.add_assertion(pair.g0.centre > pair.g1.centre)
        with pytest.raises(af.exc.ModelException, match="frozen"):
            del pair.g1
        assert pair.instance_from_vector([1.0, 1.0, 1.0, 2.0, 2.0, 2.0]).g1.centre == 2.0

        pair.unfreeze()
        pair.g0.centre = 1.0
        assert pair.prior_count == 5
