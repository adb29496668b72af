"""Tests of autofit.model.serialise: the JSON form of models and reading it back."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autofit as af

INF = math.inf


class Light:
    """A light profile with a tuple centre."""

    def __init__(
        self,
        centre: tuple[float, float] = (0.0, 0.0),
        intensity: float = 1.0,
        effective_radius: float = 1.0,
    ):
        self.centre = centre
        self.intensity = intensity
        self.effective_radius = effective_radius


class Mass:
    """A mass profile with a tuple centre."""

    def __init__(
        self,
        centre: tuple[float, float] = (0.0, 0.0),
        einstein_radius: float = 1.0,
        axis_ratio: float = 1.0,
    ):
        self.centre = centre
        self.einstein_radius = einstein_radius
        self.axis_ratio = axis_ratio


class Galaxy:
    """A galaxy taking any components as keywords."""

    def __init__(self, redshift: float, **kwargs):
        self.redshift = redshift
        for name, component in kwargs.items():
            setattr(self, name, component)


class Settings:
    """A component with fixed-by-default string, boolean and None arguments."""

    def __init__(self, value: float = 1.0, label: str = "x", flag=True, option=None):
        self.value = value
        self.label = label
        self.flag = flag
        self.option = option


def light_model() -> af.Model:
    return af.Model(
        Light,
        centre=(af.GaussianPrior(mean=0.0, sigma=0.1), af.GaussianPrior(mean=0.0, sigma=0.1)),
        intensity=af.LogUniformPrior(lower_limit=1e-3, upper_limit=1e3),
        effective_radius=af.UniformPrior(lower_limit=0.0, upper_limit=5.0),
    )


def mass_model() -> af.Model:
    return af.Model(
        Mass,
        centre=(af.GaussianPrior(mean=0.0, sigma=0.1), af.GaussianPrior(mean=0.0, sigma=0.1)),
        einstein_radius=af.UniformPrior(lower_limit=0.0, upper_limit=3.0),
        axis_ratio=af.UniformPrior(lower_limit=0.2, upper_limit=1.0),
    )


def lens_model() -> af.Collection:
    """Two galaxies: the lens with a bulge and a mass, the source with a bulge (12 parameters)."""
    lens = af.Model(Galaxy, redshift=0.5, bulge=light_model(), mass=mass_model())
    source = af.Model(Galaxy, redshift=1.0, bulge=light_model())
    return af.Collection(lens=lens, source=source)


def gaussian_model() -> af.Model:
    """af.ex.Gaussian with its priors, width modifiers and limits given in code."""
    return af.Model(
        af.ex.Gaussian,
        centre=af.UniformPrior(
            lower_limit=0.0,
            upper_limit=100.0,
            width_modifier=af.AbsoluteWidthModifier(20.0),
            limits=(-INF, INF),
        ),
        normalization=af.LogUniformPrior(
            lower_limit=1e-6,
            upper_limit=1e6,
            width_modifier=af.RelativeWidthModifier(0.5),
            limits=(0.0, INF),
        ),
        sigma=af.UniformPrior(
            lower_limit=0.0,
            upper_limit=25.0,
            width_modifier=af.RelativeWidthModifier(0.5),
            limits=(0.0, INF),
        ),
    )


def through_json(model: af.AbstractModel) -> af.AbstractModel:
    """``model`` written to JSON text and read back."""
    return af.AbstractModel.from_dict(json.loads(json.dumps(model.dict())))


def state(value):
    """A comparable description of an instance: classes, attribute names and values."""
    if isinstance(value, af.ModelInstance):
        return ("ModelInstance", [(key, state(item)) for key, item in value.items()])
    if isinstance(value, np.ndarray):
        return ("ndarray", str(value.dtype), value.shape, value.tolist())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [state(item) for item in value])
    if isinstance(value, dict):
        return ("dict", [(key, state(item)) for key, item in value.items()])
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return (type(value).__qualname__, [(k, state(v)) for k, v in vars(value).items()])
    return (type(value).__name__, value)


def outcome(method, vector, **options):
    """The state of the instance ``method`` builds, or the rejection it raises."""
    try:
        return ("instance", state(method(vector, **options)))
    except af.exc.FitException as error:
        return ("rejected", type(error).__name__, str(error))


def assert_same_model(original: af.AbstractModel, loaded: af.AbstractModel) -> None:
    """Same kind, free parameters, paths, identifier, JSON and instances at several vectors."""
    assert type(loaded) is type(original)
    assert loaded.prior_count == original.prior_count
    assert loaded.paths == original.paths
    assert loaded.identifier == original.identifier
    assert json.dumps(loaded.dict()) == json.dumps(original.dict())
    for shift in (0.1, 0.45, 0.8):
        units = [0.05 + 0.9 * ((shift + 0.618 * k) % 1.0) for k in range(original.prior_count)]
        vector = original.vector_from_unit_vector(units)
        assert loaded.vector_from_unit_vector(units) == vector
        for options in ({}, {"ignore_assertions": True}):
            assert outcome(loaded.instance_from_vector, vector, **options) == outcome(
                original.instance_from_vector, vector, **options
            )
            assert outcome(loaded.instance_from_unit_vector, units, **options) == outcome(
                original.instance_from_unit_vector, units, **options
            )


# -- the JSON form ---------------------------------------------------------------------------------


def test_dict_holds_class_path_prior_types_arguments_width_modifiers_and_limits():
    assert gaussian_model().dict() == {
        "type": "model",
        "class_path": "autofit.example.model.Gaussian",
        "arguments": {
            "centre": {
                "type": "Uniform",
                "lower_limit": 0.0,
                "upper_limit": 100.0,
                "width_modifier": {"type": "Absolute", "value": 20.0},
                "limits": {"lower": "-inf", "upper": "inf"},
                "id": 0,
            },
            "normalization": {
                "type": "LogUniform",
                "lower_limit": 1e-6,
                "upper_limit": 1e6,
                "width_modifier": {"type": "Relative", "value": 0.5},
                "limits": {"lower": 0.0, "upper": "inf"},
                "id": 1,
            },
            "sigma": {
                "type": "Uniform",
                "lower_limit": 0.0,
                "upper_limit": 25.0,
                "width_modifier": {"type": "Relative", "value": 0.5},
                "limits": {"lower": 0.0, "upper": "inf"},
                "id": 2,
            },
        },
    }


def test_dict_is_plain_json():
    model = lens_model()
    model.add_assertion(model.lens.mass.einstein_radius > model.source.bulge.effective_radius)
    text = json.dumps(model.dict(), allow_nan=False)
    assert json.loads(text) == model.dict()


def test_dict_writes_a_shared_prior_with_one_id_in_both_places():
    model = af.Collection(g0=gaussian_model(), g1=gaussian_model())
    model.g1.centre = model.g0.centre
    arguments = model.dict()["arguments"]
    assert arguments["g0"]["arguments"]["centre"]["id"] == 0
    assert arguments["g1"]["arguments"]["centre"]["id"] == 0
    assert [arguments[g]["arguments"]["sigma"]["id"] for g in ("g0", "g1")] == [2, 4]


def test_round_trip_of_a_gaussian_gives_the_same_model():
    model = gaussian_model()
    loaded = through_json(model)
    assert_same_model(model, loaded)
    instance = loaded.instance_from_vector([50.0, 2.0, 10.0])
    assert isinstance(instance, af.ex.Gaussian)
    assert (instance.centre, instance.normalization, instance.sigma) == (50.0, 2.0, 10.0)


# -- priors ----------------------------------------------------------------------------------------

PRIORS = {
    "uniform": lambda: af.UniformPrior(
        lower_limit=-2.0,
        upper_limit=3.5,
        width_modifier=af.AbsoluteWidthModifier(0.25),
        limits=(-10.0, 10.0),
    ),
    "log_uniform": lambda: af.LogUniformPrior(
        lower_limit=0.01, upper_limit=40.0, width_modifier=af.RelativeWidthModifier(0.3)
    ),
    "gaussian": lambda: af.GaussianPrior(
        mean=1.5, sigma=0.25, width_modifier=af.RelativeWidthModifier(0.1), limits=(0.0, INF)
    ),
    "gaussian_with_limits": lambda: af.GaussianPrior(
        mean=1.5, sigma=0.25, lower_limit=1.0, upper_limit=4.0
    ),
    "truncated_gaussian": lambda: af.TruncatedGaussianPrior(
        mean=-1.0, sigma=2.0, lower_limit=-3.0, upper_limit=0.5, limits=(-5.0, 5.0)
    ),
    "log_gaussian": lambda: af.LogGaussianPrior(
        mean=0.5, sigma=0.75, width_modifier=af.AbsoluteWidthModifier(1.0)
    ),
}


@pytest.mark.parametrize("name", sorted(PRIORS))
def test_round_trip_keeps_prior_type_arguments_width_modifier_and_limits(name):
    prior = PRIORS[name]()
    model = gaussian_model()
    model.sigma = prior
    loaded = through_json(model)
    read = loaded.sigma
    assert type(read) is type(prior)
    assert read.arguments == prior.arguments
    assert (read.lower_limit, read.upper_limit) == (prior.lower_limit, prior.upper_limit)
    assert read.limits == prior.limits
    if prior.width_modifier is None:
        assert read.width_modifier is None
    else:
        assert type(read.width_modifier) is type(prior.width_modifier)
        assert read.width_modifier.value == prior.width_modifier.value
    for unit in (0.1, 0.5, 0.9):
        assert read.value_for(unit) == prior.value_for(unit)
    assert_same_model(model, loaded)


def test_round_trip_keeps_the_limits_of_a_log_gaussian_prior():
    model = gaussian_model()
    model.sigma = af.LogGaussianPrior(mean=0.0, sigma=1.0, lower_limit=0.5, upper_limit=4.0)
    loaded = through_json(model)
    assert (loaded.sigma.lower_limit, loaded.sigma.upper_limit) == (0.5, 4.0)
    with pytest.raises(af.exc.PriorLimitException):
        loaded.instance_from_vector([50.0, 1.0, 0.25])


def test_priors_that_are_equal_but_distinct_stay_distinct():
    model = af.Collection(g0=gaussian_model(), g1=gaussian_model())
    loaded = through_json(model)
    assert loaded.prior_count == 6
    assert loaded.g0.centre is not loaded.g1.centre


# -- fixed values ----------------------------------------------------------------------------------

FIXED_VALUES = {
    "float": 2.5,
    "negative_zero": -0.0,
    "int": 3,
    "string": "a label",
    "none": None,
    "true": True,
    "false": False,
    "infinity": INF,
    "tuple": (1.0, "two", None, (3, 4)),
    "list": [1.0, 2.0, [3.0]],
    "dict": {"a": 1.0, "b": "text"},
    "float_array": np.array([[1.0, 2.5, -3.0], [4.0, 5.0, 6.0]]),
    "float32_array": np.arange(6, dtype=np.float32).reshape(3, 2),
    "int_array": np.array([1, 2, 3], dtype=np.int64),
    "bool_array": np.array([True, False]),
}


@pytest.mark.parametrize("name", sorted(FIXED_VALUES))
def test_round_trip_keeps_fixed_values(name):
    value = FIXED_VALUES[name]
    model = gaussian_model()
    model.sigma = value
    loaded = through_json(model)
    assert loaded.prior_count == 2
    instance = loaded.instance_from_vector([50.0, 2.0])
    assert state(instance.sigma) == state(value)
    assert state(loaded.sigma) == state(value)
    if name == "negative_zero":
        assert math.copysign(1.0, instance.sigma) == -1.0
    assert_same_model(model, loaded)


def test_round_trip_keeps_a_nan_fixed_value():
    model = gaussian_model()
    model.sigma = math.nan
    instance = through_json(model).instance_from_vector([50.0, 2.0])
    assert math.isnan(instance.sigma)


def test_round_trip_keeps_a_fixed_object_and_its_attributes():
    fixed = af.ex.Exponential(centre=1.0, normalization=2.0, rate=0.5)
    model = af.Model(Galaxy, redshift=0.5, bulge=light_model(), fixed_profile=fixed)
    loaded = through_json(model)
    instance = loaded.instance_from_vector([0.0, 0.0, 1.0, 1.0])
    assert type(instance.fixed_profile) is af.ex.Exponential
    assert vars(instance.fixed_profile) == {"centre": 1.0, "normalization": 2.0, "rate": 0.5}
    assert_same_model(model, loaded)


def test_round_trip_keeps_string_bool_and_none_defaults_fixed():
    model = af.Model(Settings, value=af.UniformPrior(lower_limit=0.0, upper_limit=2.0))
    loaded = through_json(model)
    assert loaded.prior_count == 1
    instance = loaded.instance_from_vector([1.5])
    assert (instance.value, instance.label, instance.flag, instance.option) == (
        1.5,
        "x",
        True,
        None,
    )
    changed = af.Model(Settings, value=1.0, label="y", flag=False, option="o")
    instance = through_json(changed).instance_from_vector([])
    assert (instance.value, instance.label, instance.flag, instance.option) == (
        1.0,
        "y",
        False,
        "o",
    )


def test_constant_prior_is_written_as_its_fixed_value():
    model = gaussian_model()
    model.sigma = af.Constant(2.0)
    assert model.dict()["arguments"]["sigma"] == 2.0
    loaded = through_json(model)
    assert loaded.prior_count == 2
    assert loaded.instance_from_vector([1.0, 1.0]).sigma == 2.0


# -- links, arithmetic and assertions --------------------------------------------------------------


def test_linked_priors_stay_one_shared_free_parameter():
    model = af.Collection(g0=gaussian_model(), g1=gaussian_model())
    model.g1.centre = model.g0.centre
    model.g1.sigma = model.g0.sigma
    loaded = through_json(model)
    assert loaded.prior_count == 4
    assert loaded.g0.centre is loaded.g1.centre
    assert loaded.g0.sigma is loaded.g1.sigma
    assert loaded.g0.normalization is not loaded.g1.normalization
    instance = loaded.instance_from_vector([40.0, 2.0, 3.0, 4.0])
    assert (instance.g0.centre, instance.g1.centre) == (40.0, 40.0)
    assert (instance.g0.sigma, instance.g1.sigma) == (3.0, 3.0)
    assert (instance.g0.normalization, instance.g1.normalization) == (2.0, 4.0)
    assert_same_model(model, loaded)


def test_a_link_into_a_tuple_and_an_array_stays_shared():
    galaxies = lens_model()
    galaxies.source.bulge.centre_0 = galaxies.lens.bulge.centre_0
    array = af.Array(shape=(2,), prior=af.UniformPrior(lower_limit=0.0, upper_limit=1.0))
    array[1] = galaxies.lens.mass.axis_ratio
    model = af.Collection(lens=galaxies, array=array)
    loaded = through_json(model)
    assert loaded.prior_count == 12
    assert loaded.lens.source.bulge.centre_0 is loaded.lens.lens.bulge.centre_0
    assert loaded.array[1] is loaded.lens.lens.mass.axis_ratio
    assert_same_model(model, loaded)


def test_changing_a_loaded_linked_prior_changes_it_in_both_places():
    model = af.Collection(g0=gaussian_model(), g1=gaussian_model())
    model.g1.centre = model.g0.centre
    loaded = through_json(model)
    loaded.g0.centre.upper_limit = 10.0
    assert loaded.g1.centre.upper_limit == 10.0
    instance = loaded.instance_from_unit_vector([0.5] * loaded.prior_count)
    assert instance.g1.centre == pytest.approx(5.0, abs=1e-12)


def test_derived_parameters_are_recomputed_after_reading():
    model = af.Collection(g0=gaussian_model(), g1=gaussian_model(), g2=gaussian_model())
    g0, g1, g2 = model.g0, model.g1, model.g2
    g1.centre = g0.centre + 10.0
    g1.normalization = 2.0 * g0.normalization - g0.sigma / 4.0
    g1.sigma = g0.sigma**2.0
    g2.centre = af.Log(g0.centre) + af.Log10(g0.normalization)
    g2.normalization = abs(-g0.sigma) + 1.0 - g0.centre
    g2.sigma = 100.0 / g0.sigma
    loaded = through_json(model)
    assert loaded.prior_count == 3
    instance = loaded.instance_from_vector([20.0, 1000.0, 5.0])
    assert instance.g1.centre == pytest.approx(30.0, rel=1e-12)
    assert instance.g1.normalization == pytest.approx(2000.0 - 1.25, rel=1e-12)
    assert instance.g1.sigma == pytest.approx(25.0, rel=1e-12)
    assert instance.g2.centre == pytest.approx(math.log(20.0) + 3.0, rel=1e-12)
    assert instance.g2.normalization == pytest.approx(5.0 + 1.0 - 20.0, rel=1e-12)
    assert instance.g2.sigma == pytest.approx(20.0, rel=1e-12)
    assert_same_model(model, loaded)


def test_a_prior_used_only_by_a_derived_parameter_keeps_its_place():
    model = af.Collection(g0=gaussian_model(), g1=gaussian_model())
    model.g0.centre = model.g1.centre * 0.5
    loaded = through_json(model)
    assert loaded.paths == model.paths
    assert loaded.paths[0] == ("g1", "centre")
    instance = loaded.instance_from_vector([10.0, 1.0, 2.0, 3.0, 4.0])
    assert (instance.g0.centre, instance.g1.centre) == (5.0, 10.0)


def test_assertions_are_enforced_after_reading():
    model = af.Collection(g0=gaussian_model(), g1=gaussian_model())
    model.add_assertion(model.g0.centre > model.g1.centre, name="ordered")
    model.g1.add_assertion(5.0 >= model.g1.sigma)
    model.add_assertion(model.g0.sigma + model.g1.sigma < 8.0)
    loaded = through_json(model)
    assert len(loaded.assertions) == 3
    good = [60.0, 1.0, 2.0, 40.0, 1.0, 5.0]
    assert loaded.instance_from_vector(good).g1.sigma == 5.0
    with pytest.raises(af.exc.FitException, match="'ordered'"):
        loaded.instance_from_vector([40.0, 1.0, 2.0, 60.0, 1.0, 3.0])
    with pytest.raises(af.exc.FitException):
        loaded.instance_from_vector([60.0, 1.0, 2.0, 40.0, 1.0, 5.5])
    with pytest.raises(af.exc.FitException):
        loaded.instance_from_vector([60.0, 1.0, 4.0, 40.0, 1.0, 4.5])
    ignored = loaded.instance_from_vector([40.0, 1.0, 2.0, 60.0, 1.0, 3.0], ignore_assertions=True)
    assert ignored.g0.centre == 40.0
    assert_same_model(model, loaded)


def test_an_assertion_on_a_linked_prior_constrains_both_places():
    model = af.Collection(g0=gaussian_model(), g1=gaussian_model())
    model.g1.sigma = model.g0.sigma
    model.add_assertion(model.g1.sigma < 10.0)
    loaded = through_json(model)
    with pytest.raises(af.exc.FitException):
        loaded.instance_from_vector([1.0, 1.0, 12.0, 1.0, 1.0])
    assert loaded.instance_from_vector([1.0, 1.0, 9.0, 1.0, 1.0]).g1.sigma == 9.0


# -- tuples, collections and arrays ----------------------------------------------------------------


def test_round_trip_of_a_lens_model_with_tuple_priors():
    model = lens_model()
    loaded = through_json(model)
    assert loaded.prior_count == 12
    assert loaded.paths[:2] == [
        ("lens", "bulge", "centre", "centre_0"),
        ("lens", "bulge", "centre", "centre_1"),
    ]
    vector = [0.1, -0.2, 2.0, 1.5, 0.3, 0.4, 1.2, 0.8, -0.05, 0.05, 3.0, 0.7]
    instance = loaded.instance_from_vector(vector)
    assert isinstance(instance.lens, Galaxy)
    assert instance.lens.redshift == 0.5
    assert instance.lens.bulge.centre == (0.1, -0.2)
    assert instance.lens.mass.centre == (0.3, 0.4)
    assert (instance.lens.mass.einstein_radius, instance.lens.mass.axis_ratio) == (1.2, 0.8)
    assert instance.source.redshift == 1.0
    assert instance.source.bulge.centre == (-0.05, 0.05)
    assert_same_model(model, loaded)


def test_round_trip_of_fixed_and_partly_fixed_tuples():
    model = lens_model()
    model.lens.bulge.centre = (0.0, 0.0)
    model.lens.mass.centre_1 = 0.25
    loaded = through_json(model)
    assert loaded.prior_count == 9
    instance = loaded.instance_from_unit_vector([0.5] * 9)
    assert instance.lens.bulge.centre == (0.0, 0.0)
    assert instance.lens.mass.centre == (0.0, 0.25)
    assert_same_model(model, loaded)


def test_round_trip_of_nested_collections_lists_and_dicts():
    model = af.Collection(
        single=gaussian_model(),
        group=af.Collection([gaussian_model(), af.Collection(inner=gaussian_model())]),
        named=af.Collection({"left": gaussian_model(), "right": gaussian_model()}),
    )
    model.extra = gaussian_model()
    model.extra.sigma = 1.0
    loaded = through_json(model)
    assert isinstance(loaded.group[1], af.Collection)
    assert loaded.prior_count == 17
    instance = loaded.instance_from_vector(list(np.arange(1.0, 18.0)))
    assert instance.group[1].inner.centre == 7.0
    assert instance.named.right.sigma == 15.0
    assert (instance.extra.centre, instance.extra.sigma) == (16.0, 1.0)
    assert_same_model(model, loaded)


def test_round_trip_of_a_model_holding_a_list_of_components():
    model = af.Model(Galaxy, redshift=0.5, profiles=[gaussian_model(), gaussian_model()])
    loaded = through_json(model)
    assert isinstance(loaded.profiles, af.Collection)
    assert loaded.prior_count == 6
    assert_same_model(model, loaded)


def test_round_trip_of_arrays_with_fixed_set_and_linked_elements():
    array = af.Array(shape=(2, 3), prior=af.GaussianPrior(mean=0.0, sigma=1.0))
    array[0, 0] = 1.5
    array[0, 1] = af.UniformPrior(lower_limit=-1.0, upper_limit=1.0)
    array[1, 2] = array[1, 0]
    loaded = through_json(array)
    assert isinstance(loaded, af.Array)
    assert loaded.shape == (2, 3)
    assert loaded.prior_count == 4
    assert type(loaded[0, 1]) is af.UniformPrior
    assert loaded[1, 2] is loaded[1, 0]
    instance = loaded.instance_from_vector([0.5, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(instance, [[1.5, 0.5, 2.0], [3.0, 4.0, 3.0]])
    assert_same_model(array, loaded)


def test_round_trip_of_an_array_inside_a_collection():
    model = af.Collection(
        gaussian=gaussian_model(),
        weights=af.Array(shape=3, prior=af.UniformPrior(lower_limit=0.0, upper_limit=1.0)),
    )
    model.weights[2] = model.gaussian.sigma * 0.01
    loaded = through_json(model)
    instance = loaded.instance_from_vector([50.0, 2.0, 10.0, 0.25, 0.75])
    np.testing.assert_array_equal(instance.weights, [0.25, 0.75, 0.1])
    assert_same_model(model, loaded)


# -- files and class methods -----------------------------------------------------------------------


def test_output_to_json_and_collection_from_json(tmp_path):
    model = lens_model()
    model.source.bulge.intensity = model.lens.bulge.intensity
    model.add_assertion(model.lens.bulge.effective_radius > model.source.bulge.effective_radius)
    file = tmp_path / "model.json"
    model.output_to_json(file)
    assert json.loads(file.read_text())["arguments"]["lens"]["class_path"].endswith(".Galaxy")
    loaded = af.Collection.from_json(file=file)
    assert loaded.source.bulge.intensity is loaded.lens.bulge.intensity
    assert_same_model(model, loaded)


def test_model_and_array_from_json(tmp_path):
    model = gaussian_model()
    model.output_to_json(tmp_path / "gaussian.json")
    assert_same_model(model, af.Model.from_json(file=tmp_path / "gaussian.json"))
    array = af.Array(shape=(2, 2), prior=af.LogUniformPrior(lower_limit=1.0, upper_limit=10.0))
    array.output_to_json(str(tmp_path / "array.json"))
    assert_same_model(array, af.Array.from_json(file=str(tmp_path / "array.json")))


def test_from_dict_builds_the_kind_of_model_the_dict_describes():
    assert type(af.Model.from_dict(af.Collection(g=gaussian_model()).dict())) is af.Collection
    assert type(af.Collection.from_dict(gaussian_model().dict())) is af.Model


def test_reading_twice_gives_independent_models():
    entry = gaussian_model().dict()
    first, second = af.Model.from_dict(entry), af.Model.from_dict(entry)
    assert first.centre is not second.centre
    first.centre = 1.0
    assert second.prior_count == 3


# -- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["nowhere_at_all.profiles.Missing", "autofit.example.model.NoSuchProfile"]
)
def test_unknown_class_path_raises_naming_it(path):
    entry = af.Collection(g=gaussian_model()).dict()
    entry["arguments"]["g"]["class_path"] = path
    with pytest.raises(af.exc.SerialisationException, match=path.replace(".", r"\.")):
        af.Collection.from_dict(entry)


def test_unknown_prior_type_raises_serialisation_exception():
    entry = gaussian_model().dict()
    entry["arguments"]["centre"]["type"] = "Cauchy"
    with pytest.raises(af.exc.SerialisationException, match="Cauchy"):
        af.Model.from_dict(entry)


def test_a_dict_that_is_not_a_model_raises_serialisation_exception():
    with pytest.raises(af.exc.SerialisationException):
        af.Model.from_dict({"centre": 1.0})
    with pytest.raises(af.exc.SerialisationException, match="'widget'"):
        af.Model.from_dict({"type": "widget", "arguments": {}})


def test_a_fixed_value_without_a_json_form_raises_naming_its_type():
    model = gaussian_model()
    model.sigma = slice(1, 2)
    with pytest.raises(af.exc.SerialisationException, match="type slice"):
        model.dict()


def test_a_set_valued_fixed_value_round_trips():
    model = gaussian_model()
    model.sigma = {1.0, 2.0}
    restored = af.Model.from_dict(json.loads(json.dumps(model.dict())))
    assert restored.sigma == {1.0, 2.0}


# -- property: random models survive a JSON round trip ---------------------------------------------

finite = {"allow_nan": False, "allow_infinity": False, "allow_subnormal": False}


@st.composite
def random_priors(draw):
    kind = draw(
        st.sampled_from(
            ["Uniform", "LogUniform", "Gaussian", "GaussianLimits", "Truncated", "LogGaussian"]
        )
    )
    extras = {}
    if draw(st.booleans()):
        modifier = draw(st.sampled_from([af.RelativeWidthModifier, af.AbsoluteWidthModifier]))
        extras["width_modifier"] = modifier(draw(st.floats(0.01, 5.0, **finite)))
    if draw(st.booleans()):
        extras["limits"] = (
            draw(st.floats(-1e3, -1.0, **finite)),
            draw(st.floats(1.0, 1e3, **finite)),
        )
    if kind == "Uniform":
        lower = draw(st.floats(-100.0, 100.0, **finite))
        width = draw(st.floats(0.01, 100.0, **finite))
        return af.UniformPrior(lower_limit=lower, upper_limit=lower + width, **extras)
    if kind == "LogUniform":
        lower = draw(st.floats(1e-3, 10.0, **finite))
        ratio = draw(st.floats(1.5, 1e4, **finite))
        return af.LogUniformPrior(lower_limit=lower, upper_limit=lower * ratio, **extras)
    if kind == "LogGaussian":
        mean = draw(st.floats(-2.0, 2.0, **finite))
        return af.LogGaussianPrior(mean=mean, sigma=draw(st.floats(0.05, 2.0, **finite)), **extras)
    mean = draw(st.floats(-100.0, 100.0, **finite))
    sigma = draw(st.floats(0.01, 50.0, **finite))
    if kind == "Gaussian":
        return af.GaussianPrior(mean=mean, sigma=sigma, **extras)
    lower = mean - sigma * draw(st.floats(0.1, 3.0, **finite))
    upper = mean + sigma * draw(st.floats(0.1, 3.0, **finite))
    cls = af.GaussianPrior if kind == "GaussianLimits" else af.TruncatedGaussianPrior
    return cls(mean=mean, sigma=sigma, lower_limit=lower, upper_limit=upper, **extras)


@st.composite
def random_components(draw):
    model = af.Model(draw(st.sampled_from([af.ex.Gaussian, af.ex.Exponential])))
    for name in model.constructor_names:
        choice = draw(st.sampled_from(["default", "prior", "fixed"]))
        if choice == "prior":
            setattr(model, name, draw(random_priors()))
        elif choice == "fixed":
            setattr(model, name, draw(st.floats(-50.0, 50.0, **finite)))
    return model


@st.composite
def random_collections(draw, depth=1):
    items = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            items.append(draw(random_collections(depth=depth + 1)))
        else:
            items.append(draw(random_components()))
    if draw(st.booleans()):
        return af.Collection(items)
    return af.Collection(**{f"component_{i}": item for i, item in enumerate(items)})


def prior_slots(node):
    """``(model, attribute)`` of every constructor argument that holds a prior."""
    if isinstance(node, af.Collection):
        return [slot for _, child in node.items() for slot in prior_slots(child)]
    return [
        (node, name) for name in node.constructor_names if isinstance(getattr(node, name), af.Prior)
    ]


@st.composite
def random_models(draw):
    model = draw(random_collections())
    for _ in range(draw(st.integers(0, 3))):
        slots = prior_slots(model)
        if len(slots) < 2:
            break
        (target, name), (source, source_name) = (
            slots[i] for i in draw(st.lists(st.integers(0, len(slots) - 1), min_size=2, max_size=2))
        )
        if (target, name) != (source, source_name):
            setattr(target, name, getattr(source, source_name))
    slots = prior_slots(model)
    if len(slots) >= 2 and draw(st.booleans()):
        target, name = slots[draw(st.integers(0, len(slots) - 1))]
        source, source_name = slots[draw(st.integers(0, len(slots) - 1))]
        scale = draw(st.floats(-3.0, 3.0, **finite))
        shift = draw(st.floats(-10.0, 10.0, **finite))
        setattr(target, name, getattr(source, source_name) * scale + shift)
    slots = prior_slots(model)
    if slots and draw(st.booleans()):
        left = getattr(*slots[draw(st.integers(0, len(slots) - 1))])
        right = getattr(*slots[draw(st.integers(0, len(slots) - 1))])
        if left is right or draw(st.booleans()):
            right = draw(st.floats(-10.0, 10.0, **finite))
        model.add_assertion(left > right)
    return model


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_json_round_trip_of_random_models_keeps_instances_paths_and_identifier(data):
    model = data.draw(random_models(), label="model")
    text = json.dumps(model.dict())
    loaded = af.Collection.from_dict(json.loads(text))
    assert loaded.prior_count == model.prior_count
    assert loaded.paths == model.paths
    assert loaded.identifier == model.identifier
    assert json.dumps(loaded.dict()) == text
    count = model.prior_count
    unit_vectors = data.draw(
        st.lists(
            st.lists(st.floats(0.01, 0.99, **finite), min_size=count, max_size=count),
            min_size=1,
            max_size=3,
        ),
        label="unit vectors",
    )
    for units in unit_vectors:
        vector = model.vector_from_unit_vector(units)
        assert loaded.vector_from_unit_vector(units) == vector
        for options in ({}, {"ignore_assertions": True}):
            assert outcome(loaded.instance_from_vector, vector, **options) == outcome(
                model.instance_from_vector, vector, **options
            )
            assert outcome(loaded.instance_from_unit_vector, units, **options) == outcome(
                model.instance_from_unit_vector, units, **options
            )
