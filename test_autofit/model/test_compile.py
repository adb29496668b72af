"""Tests of the compiled plan: recompiled after changes; scalar and batch paths agree; large
models compile to the vectorised form and agree with the per-parameter form."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from scipy import stats

import autofit as af
from autofit.model import compile as compile_module
from test_autofit.model.profiles import AllPriorTypes, WithDefaults

# The scipy distribution of each prior of the ``mixed`` model, in vector order.
REFERENCE = [
    stats.uniform(loc=-1.0, scale=4.0),
    stats.loguniform(0.01, 100.0),
    stats.norm(loc=1.0, scale=2.0),
    stats.lognorm(s=0.25, scale=np.exp(0.5)),
    stats.truncnorm(-0.5, 1.5, loc=0.5, scale=1.0),
    stats.truncnorm(-0.5, np.inf, loc=0.0, scale=1.0),
    stats.truncnorm(5.0, 6.0, loc=0.0, scale=1.0),
    stats.uniform(loc=0.0, scale=100.0),
    stats.loguniform(1e-6, 1e6),
    stats.uniform(loc=0.0, scale=25.0),
]


@pytest.fixture
def mixed():
    """Every prior type: a Uniform, LogUniform, Gaussian, LogGaussian, TruncatedGaussian, a
    Gaussian with one limit, a TruncatedGaussian far in the tail, and a Gaussian component."""
    return af.Collection(
        all=AllPriorTypes,
        tail=af.Model(
            WithDefaults,
            value=af.TruncatedGaussianPrior(mean=0.0, sigma=1.0, lower_limit=5.0, upper_limit=6.0),
        ),
        gaussian=af.ex.Gaussian,
    )


@pytest.fixture
def units():
    return np.random.default_rng(2024).uniform(1e-6, 1.0 - 1e-6, size=(300, 10))


ALL_NAMES = (
    "uniform",
    "log_uniform",
    "gaussian",
    "log_gaussian",
    "truncated_gaussian",
    "bounded_gaussian",
)


def flatten(instance):
    """The values of an instance of ``mixed`` in vector order."""
    return [
        *(getattr(instance.all, name) for name in ALL_NAMES),
        instance.tail.value,
        instance.gaussian.centre,
        instance.gaussian.normalization,
        instance.gaussian.sigma,
    ]


@pytest.fixture(params=["per_parameter", "vectorised"])
def compiled_form(request, monkeypatch):
    """Run a test with models compiled per parameter and again with every model compiled to
    the vectorised form used for large models."""
    if request.param == "vectorised":
        monkeypatch.setattr(compile_module, "VECTORISED_ABOVE", -1)
    return request.param


@pytest.mark.usefixtures("compiled_form")
class TestScalarAndBatchPaths:
    def test_the_model_mixes_every_prior_type(self, mixed):
        types = [type(prior) for prior in mixed.priors]

        assert types == [
            af.UniformPrior,
            af.LogUniformPrior,
            af.GaussianPrior,
            af.LogGaussianPrior,
            af.TruncatedGaussianPrior,
            af.GaussianPrior,
            af.TruncatedGaussianPrior,
            af.UniformPrior,
            af.LogUniformPrior,
            af.UniformPrior,
        ]

    def test_unit_vectors_map_the_same_way_on_both_paths_and_as_scipy(self, mixed, units):
        batch = mixed.vector_from_unit_vector(units)
        expected = np.column_stack(
            [distribution.ppf(units[:, i]) for i, distribution in enumerate(REFERENCE)]
        )

        np.testing.assert_allclose(batch, expected, rtol=1e-9, atol=1e-12)
        for unit, row in zip(units, batch, strict=True):
            scalar = mixed.vector_from_unit_vector(unit.tolist())
            np.testing.assert_allclose(scalar, row, rtol=1e-12, atol=1e-14)
            instance = mixed.instance_from_unit_vector(unit)
            np.testing.assert_allclose(flatten(instance), row, rtol=1e-12, atol=1e-14)

    def test_the_unit_transform_inverts_on_both_paths(self, mixed, units):
        vectors = mixed.vector_from_unit_vector(units)

        np.testing.assert_allclose(mixed.unit_vector_from_vector(vectors), units, rtol=1e-7)
        for vector, unit in zip(vectors[:20], units[:20], strict=True):
            np.testing.assert_allclose(mixed.unit_vector_from_vector(vector), unit, rtol=1e-7)

    def test_log_priors_agree_on_both_paths_and_with_scipy(self, mixed, units):
        vectors = mixed.vector_from_unit_vector(units)

        batch = mixed.log_prior_list_from_vector(vectors)
        expected = np.column_stack(
            [distribution.logpdf(vectors[:, i]) for i, distribution in enumerate(REFERENCE)]
        )

        np.testing.assert_allclose(batch, expected, rtol=1e-9, atol=1e-9)
        for vector, row in zip(vectors[:50], batch[:50], strict=True):
            scalar = mixed.log_prior_list_from_vector(vector.tolist())
            np.testing.assert_allclose(scalar, row, rtol=1e-12)
            each = [p.log_prior_from_value(v) for p, v in zip(mixed.priors, vector, strict=True)]
            np.testing.assert_allclose(each, row, rtol=1e-12)

    def test_a_batch_of_the_wrong_width_raises(self, mixed):
        with pytest.raises(ValueError, match=r"\(n, 10\)"):
            mixed.vector_from_unit_vector(np.full((2, 9), 0.5))

    def test_instance_from_vector_agrees_with_the_unit_path(self, mixed, units):
        for unit in units[:20]:
            vector = mixed.vector_from_unit_vector(unit.tolist())
            assert flatten(mixed.instance_from_vector(vector)) == flatten(
                mixed.instance_from_unit_vector(unit)
            )


@pytest.mark.usefixtures("compiled_form")
class TestRecompilation:
    def test_the_plan_is_reused_until_the_model_changes(self):
        model = af.Model(af.ex.Gaussian)

        plan = model.compiled
        assert model.compiled is plan
        model.sigma = 1.0
        assert model.compiled is not plan

    def test_a_new_prior_after_use_changes_the_instances(self):
        model = af.Model(af.ex.Gaussian)
        assert model.instance_from_unit_vector([0.5, 0.5, 0.5]).centre == 50.0

        model.centre = af.UniformPrior(lower_limit=10.0, upper_limit=20.0)

        assert model.instance_from_unit_vector([0.5, 0.5, 0.5]).centre == 15.0
        with pytest.raises(af.exc.PriorLimitException):
            model.instance_from_vector([50.0, 1.0, 1.0])

    def test_changing_a_prior_in_place_changes_the_instances(self):
        model = af.Model(af.ex.Gaussian)
        with pytest.raises(af.exc.PriorLimitException):
            model.instance_from_vector([50.0, 1.0, 40.0])

        model.sigma.upper_limit = 50.0

        assert model.instance_from_vector([50.0, 1.0, 40.0]).sigma == 40.0
        assert model.instance_from_unit_vector([0.5, 0.5, 0.5]).sigma == 25.0
        np.testing.assert_allclose(
            model.vector_from_unit_vector(np.full((2, 3), 0.5))[:, 2], [25.0, 25.0]
        )

    def test_fixing_a_parameter_after_use_changes_the_vector_length(self):
        model = af.Model(af.ex.Gaussian)
        model.instance_from_vector([50.0, 1.0, 1.0])

        model.normalization = 2.0

        with pytest.raises(ValueError, match="length 2"):
            model.instance_from_vector([50.0, 1.0, 1.0])
        assert model.instance_from_vector([50.0, 3.0]).normalization == 2.0

    def test_a_change_inside_a_component_recompiles_the_whole_model(self):
        model = af.Collection(g0=af.ex.Gaussian, g1=af.ex.Gaussian)
        model.instance_from_vector([1.0] * 6)

        model.g1.centre = model.g0.centre + 1.0
        model.append(af.ex.Exponential)

        assert model.prior_count == 8
        instance = model.instance_from_vector([5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
        assert instance.g1.centre == 6.0
        assert instance[2].rate == 1.0

    def test_an_assertion_added_after_use_is_enforced(self):
        model = af.Model(af.ex.Gaussian)
        model.instance_from_vector([50.0, 1.0, 1.0])

        model.add_assertion(model.centre < 40.0)

        with pytest.raises(af.exc.FitException):
            model.instance_from_vector([50.0, 1.0, 1.0])


@pytest.mark.usefixtures("compiled_form")
class TestInstances:
    def test_every_call_builds_new_objects(self):
        model = af.Collection(g=af.ex.Gaussian)

        first = model.instance_from_vector([1.0, 1.0, 1.0])
        second = model.instance_from_vector([1.0, 1.0, 1.0])

        assert first is not second
        assert first.g is not second.g
        second.g.centre = 2.0
        assert first.g.centre == 1.0

    def test_values_are_python_floats_for_array_input(self, mixed, units):
        vector = np.asarray(mixed.vector_from_unit_vector(units[0]))
        instance = mixed.instance_from_vector(vector)

        assert type(instance.all.gaussian) is float
        assert type(instance.gaussian.sigma) is float

    def test_a_pickled_model_compiles_again(self):
        model = af.Collection(g0=af.ex.Gaussian, g1=af.ex.Gaussian)
        model.g1.centre = model.g0.centre
        model.instance_from_vector([1.0] * 5)

        restored = pickle.loads(pickle.dumps(model))

        assert restored.prior_count == 5
        assert restored.g1.centre is restored.g0.centre
        assert restored.instance_from_vector([7.0, 1.0, 1.0, 1.0, 1.0]).g1.centre == 7.0


class TestLargeModels:
    """Models of 10,000 parameters (the form is the same up to 100,000, timed in
    benchmarks/large_model.py)."""

    @pytest.fixture
    def array(self):
        return af.Array(
            shape=(100, 100), prior=af.GaussianPrior(mean=0.0, sigma=1.0, lower_limit=0.0)
        )

    def test_a_large_array_of_bounded_priors_compiles_to_the_vectorised_form(self, array):
        assert array.prior_count == 10_000
        assert array.compiled.vectorised
        assert len(array.compiled.source) < 2_000

    def test_vectors_map_to_instances_and_back(self, array):
        units = np.random.default_rng(1).uniform(0.01, 0.99, 10_000)

        vector = array.vector_from_unit_vector(units)
        instance = array.instance_from_vector(vector)
        from_units = array.instance_from_unit_vector(units)

        assert isinstance(vector, list) and len(vector) == 10_000
        assert instance.shape == (100, 100)
        np.testing.assert_allclose(instance.ravel(), vector)
        np.testing.assert_allclose(from_units, instance)
        # The half-normal on [0, inf): unit u maps to the normal quantile of (1 + u) / 2.
        np.testing.assert_allclose(vector, stats.norm.ppf((1.0 + units) / 2.0), rtol=1e-9)
        np.testing.assert_allclose(array.unit_vector_from_vector(vector), units, rtol=1e-7)

    def test_an_instance_is_a_copy_of_the_vector(self, array):
        vector = np.full(10_000, 0.5)

        instance = array.instance_from_vector(vector)
        instance[0, 0] = 7.0

        assert vector[0] == 0.5

    def test_log_priors_agree_with_the_fitness_evaluation(self, array):
        vector = np.abs(np.random.default_rng(2).normal(size=10_000))

        each = array.log_prior_list_from_vector(vector)
        log_prior, instance = array.compiled.evaluate(vector)

        np.testing.assert_allclose(each, stats.halfnorm.logpdf(vector), rtol=1e-9)
        assert log_prior == pytest.approx(sum(each), rel=1e-12)
        np.testing.assert_array_equal(instance.ravel(), vector)

    def test_a_value_outside_its_limits_is_rejected_with_its_path(self, array):
        vector = np.full(10_000, 0.5)
        vector[101] = -1.0

        with pytest.raises(af.exc.PriorLimitException, match=r"prior_1_1 = -1\.0"):
            array.instance_from_vector(vector)
        assert array.compiled.evaluate(vector)[0] == -np.inf
        assert array.instance_from_vector(vector, ignore_prior_limits=True)[1, 1] == -1.0

    def test_a_vector_of_the_wrong_length_names_the_expected_length(self, array):
        with pytest.raises(ValueError, match="length 10000"):
            array.instance_from_vector([0.5] * 9_999)

    def test_the_model_survives_a_json_round_trip(self, array, tmp_path):
        array[0, 0] = 2.0
        array.output_to_json(tmp_path / "model.json")

        restored = af.Array.from_json(tmp_path / "model.json")

        assert restored.prior_count == 9_999
        assert restored.identifier == array.identifier
        instance = restored.instance_from_vector(np.full(9_999, 0.25))
        assert instance[0, 0] == 2.0 and instance[99, 99] == 0.25
        assert json.loads((tmp_path / "model.json").read_text())["shape"] == [100, 100]

    def test_a_large_collection_of_components_with_an_assertion(self):
        model = af.Collection([af.Model(af.ex.Gaussian) for _ in range(1_100)])
        model.add_assertion(model[0].sigma < model[1].sigma)
        units = np.full(3_300, 0.5)
        units[2] = 0.1

        instance = model.instance_from_unit_vector(units)
        units[2] = 0.9

        assert model.compiled.vectorised
        assert instance[1_099].centre == 50.0
        assert instance[0].sigma == pytest.approx(2.5)
        with pytest.raises(af.exc.FitException, match="Assertion violated"):
            model.instance_from_unit_vector(units)
        assert model.compiled.evaluate(model.vector_from_unit_vector(units)) == (-np.inf, 1)

    def test_a_model_holding_a_large_array_is_vectorised_whatever_its_size(self):
        def model(side):
            pixels = af.Array(shape=(side, side), prior=af.UniformPrior(0.0, 1.0))
            return af.Collection(gaussian=af.ex.Gaussian, pixels=pixels)

        small, large = model(10), model(20)
        instance = large.instance_from_unit_vector(np.full(403, 0.5))

        assert not small.compiled.vectorised
        assert large.compiled.vectorised
        assert instance.gaussian.centre == 50.0
        np.testing.assert_array_equal(instance.pixels, np.full((20, 20), 0.5))
