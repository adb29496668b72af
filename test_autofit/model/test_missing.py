"""The "missing prior" placeholder: a parameter without a configured prior."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import autofit as af
from autofit.model.missing import MissingPrior
from test_autofit.model.profiles import LightExponential, Unconfigured


class Partly:
    """``known`` has a prior in test_autofit/model/config (Partly.yaml), the others do not."""

    def __init__(self, known=1.0, first=2.0, second=3.0):
        self.known = known
        self.first = first
        self.second = second


class Tupled:
    def __init__(self, centre=(0.0, 0.0), width=1.0):
        self.centre = centre
        self.width = width


class Constant(af.Analysis):
    """A flat likelihood that counts its calls."""

    def __init__(self):
        self.calls = 0

    def log_likelihood_function(self, instance):
        self.calls += 1
        return 0.0


def model_of(cls, **kwargs):
    with pytest.warns(af.exc.MissingPriorWarning):
        return af.Model(cls, **kwargs)


@pytest.fixture
def partly():
    return model_of(Partly)


class TestComposition:
    def test_one_warning_names_the_class_and_every_parameter_without_a_prior(self):
        with pytest.warns(af.exc.MissingPriorWarning) as record:
            af.Model(Partly)

        assert len(record) == 1
        message = str(record[0].message)
        assert f"{__name__}.Partly" in message
        assert "parameters 'first', 'second'" in message
        assert "'known'" not in message
        # Attributed to the line that built the model, not to autofit's own code.
        assert record[0].filename == __file__

    def test_a_warning_is_a_user_warning(self):
        assert issubclass(af.exc.MissingPriorWarning, UserWarning)

    def test_placeholders_are_not_free_parameters(self, partly):
        assert isinstance(partly.first, MissingPrior)
        assert partly.prior_count == 1
        assert partly.paths == [("known",)]
        assert partly.parameter_names == ["known"]
        assert len(partly.priors) == 1

    def test_info_shows_prior_missing(self, partly):
        info = partly.info

        assert info.splitlines()[0] == "Total Free Parameters = 1"
        assert re.search(r"^    first\s+Prior Missing$", info, re.MULTILINE)
        assert re.search(r"^    second\s+Prior Missing$", info, re.MULTILINE)
        assert re.search(r"^    known\s+UniformPrior", info, re.MULTILINE)

    def test_setting_the_attribute_replaces_the_placeholder(self, partly):
        partly.first = af.UniformPrior(lower_limit=0.0, upper_limit=10.0)
        partly.second = 4.0

        assert partly.prior_count == 2
        assert partly.paths == [("known",), ("first",)]
        instance = partly.instance_from_vector([1.5, 7.0])
        assert (instance.known, instance.first, instance.second) == (1.5, 7.0, 4.0)
        assert "Prior Missing" not in partly.info

    def test_reading_a_prior_attribute_of_a_placeholder_says_to_set_a_prior(self, partly):
        with pytest.raises(AttributeError, match="Partly.first has no prior yet.*'lower_limit'"):
            partly.first.lower_limit  # noqa: B018

    def test_a_prior_given_as_keyword_needs_no_placeholder(self):
        with pytest.warns(af.exc.MissingPriorWarning, match="parameter 'second' of") as record:
            model = af.Model(Partly, first=af.GaussianPrior(mean=0.0, sigma=1.0))

        assert len(record) == 1
        assert model.prior_count == 2

    def test_tuple_elements_without_priors_are_placeholders(self):
        model = model_of(Tupled)

        assert isinstance(model.centre_0, MissingPrior)
        assert isinstance(model.centre.centre_1, MissingPrior)
        assert model.prior_count == 0
        model.centre = (af.UniformPrior(0.0, 1.0), af.UniformPrior(0.0, 2.0))
        model.width = 2.0
        assert model.instance_from_vector([0.5, 1.5]).centre == (0.5, 1.5)

    def test_a_nested_component_warns_and_holds_placeholders(self):
        with pytest.warns(af.exc.MissingPriorWarning, match="Unconfigured"):
            collection = af.Collection(light=LightExponential, other=Unconfigured)

        assert collection.prior_count == 4
        assert "Prior Missing" in collection.info

    def test_a_configured_class_does_not_warn(self):
        # The suite turns MissingPriorWarning into an error, so no warning is proven here.
        assert af.Model(LightExponential).prior_count == 4


class TestUse:
    @pytest.mark.parametrize(
        "use",
        [
            lambda model: model.instance_from_vector([1.0]),
            lambda model: model.instance_from_unit_vector([0.5]),
            lambda model: model.instance_from_prior_medians(),
            lambda model: model.random_instance(),
            lambda model: model.vector_from_unit_vector([0.5]),
            lambda model: model.vector_from_unit_vector(np.full((2, 1), 0.5)),
            lambda model: model.unit_vector_from_vector([1.0]),
            lambda model: model.log_prior_list_from_vector([1.0]),
            lambda model: model.compiled.evaluate([1.0]),
        ],
        ids=[
            "instance_from_vector",
            "instance_from_unit_vector",
            "instance_from_prior_medians",
            "random_instance",
            "vector_from_unit_vector",
            "vector_from_unit_vector_2d",
            "unit_vector_from_vector",
            "log_prior_list_from_vector",
            "evaluate",
        ],
    )
    def test_using_the_model_raises_the_configuration_message(self, partly, use):
        with pytest.raises(af.exc.ConfigException) as error:
            use(partly)

        message = str(error.value)
        assert f"No prior configured for parameter 'first' of class {__name__}.Partly." in message
        assert "Searched (first hit wins):" in message
        assert "Partly.yaml" in message
        assert "type: Uniform, lower_limit: 0.0, upper_limit: 1.0" in message
        assert message.endswith("parameters without one: first, second")

    def test_the_message_gives_paths_inside_a_collection(self):
        collection = af.Collection(thing=model_of(Partly))

        with pytest.raises(af.exc.ConfigException, match="without one: thing.first, thing.second"):
            collection.instance_from_prior_medians()

    def test_search_fit_raises_before_writing_anything(self, partly, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv(af.conf.OUTPUT_PATH_VARIABLE, raising=False)
        analysis = Constant()
        search = af.Drawer(name="missing", total_draws=2)

        with pytest.raises(af.exc.ConfigException, match="'first' of class"):
            search.fit(model=partly, analysis=analysis)

        assert not (tmp_path / "output").exists()
        assert analysis.calls == 0
        # Once the priors are set the same search runs and writes its output.
        partly.first = af.UniformPrior(lower_limit=0.0, upper_limit=1.0)
        partly.second = 1.0
        search.fit(model=partly, analysis=analysis)
        assert analysis.calls > 0
        assert list((tmp_path / "output").rglob("model.json"))


class TestSerialisation:
    def test_the_dict_records_placeholders_and_reads_them_back(self, partly):
        entry = partly.dict()

        assert entry["arguments"]["first"] == {
            "type": "missing_prior",
            "class_path": f"{__name__}.Partly",
            "parameter": "first",
        }
        loaded = af.Model.from_dict(json.loads(json.dumps(entry)))
        assert isinstance(loaded.first, MissingPrior)
        assert loaded.prior_count == 1
        assert loaded == partly
        with pytest.raises(af.exc.ConfigException, match="'first' of class"):
            loaded.instance_from_prior_medians()

    def test_the_identifier_changes_when_the_prior_is_set(self, partly):
        before = partly.identifier
        assert before == model_of(Partly).identifier

        partly.first = af.UniformPrior(0.0, 1.0)

        assert partly.identifier != before

    def test_copies_keep_placeholders(self, partly):
        copied = partly.copy()

        assert isinstance(copied.second, MissingPrior)
        assert copied.second.message == partly.second.message

    def test_with_paths_drops_placeholders_outside_the_paths(self, partly):
        kept = partly.with_paths([("known",)])

        assert "first" not in kept._attributes
        assert kept.instance_from_vector([1.0]).first == 2.0
