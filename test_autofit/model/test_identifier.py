"""Tests of autofit.model.identifier: the md5 identifier of a model's canonical form."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import autofit as af
from autofit.model.identifier import canonical_form, identifier_of, model_identifier

REPOSITORY = Path(af.__file__).resolve().parent.parent

#: Builds models from af.ex classes only, so the same source runs in this process and others.
MODEL_SOURCE = """
import autofit as af


def build_model():
    model = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)
    model.gaussian.centre = af.GaussianPrior(mean=50.0, sigma=10.0)
    model.gaussian.sigma = af.TruncatedGaussianPrior(
        mean=5.0, sigma=2.0, lower_limit=0.0, upper_limit=20.0
    )
    model.exponential.centre = model.gaussian.centre
    model.exponential.rate = model.gaussian.sigma * 0.1 + 0.5
    model.add_assertion(model.gaussian.normalization > model.exponential.normalization)
    model.gaussian.add_assertion(model.gaussian.sigma < 15.0, name="narrow")
    model.labels = af.Model(af.ex.Gaussian, centre=1.0, normalization="alpha", sigma=None)
    model.weights = af.Array(
        shape=(2, 2), prior=af.LogUniformPrior(lower_limit=1.0, upper_limit=10.0)
    )
    model.weights[0, 1] = model.weights[0, 0]
    return model


def build_model_with_a_set():
    model = af.Model(af.ex.Gaussian)
    model.sigma = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"}
    return model
"""


def load_builders() -> dict:
    namespace: dict = {}
    exec(MODEL_SOURCE, namespace)  # noqa: S102 - the same source the subprocesses run
    return namespace


@pytest.fixture(scope="module")
def identifiers_by_hash_seed() -> dict[str, list[str]]:
    """The identifiers printed by fresh interpreters run with PYTHONHASHSEED 1 and 2."""
    code = (
        MODEL_SOURCE
        + "\nprint(build_model().identifier)\nprint(build_model_with_a_set().identifier)\n"
    )
    results = {}
    for seed in ("1", "2"):
        path = os.pathsep.join(filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH")]))
        environment = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": path}
        environment.pop("AUTOFIT_CONFIG_PATH", None)
        completed = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=environment,
            cwd=REPOSITORY,
            check=True,
            timeout=60,
        )
        results[seed] = completed.stdout.split()
    return results


def gaussian(cls: type = af.ex.Gaussian) -> af.Model:
    """A Gaussian-like component with priors given in code."""
    return af.Model(
        cls,
        centre=af.UniformPrior(lower_limit=1.0, upper_limit=100.0),
        normalization=af.LogUniformPrior(lower_limit=1e-3, upper_limit=1e3),
        sigma=af.GaussianPrior(mean=5.0, sigma=2.0),
    )


class RenamedGaussian(af.ex.Gaussian):
    """The same constructor as af.ex.Gaussian under another class."""


def base_model() -> af.Collection:
    """Two components with a link, a derived parameter, a fixed value and an assertion."""
    model = af.Collection(g0=gaussian(), g1=gaussian())
    model.g1.centre = model.g0.centre
    model.g1.normalization = model.g0.normalization * 2.0
    model.g1.sigma = 5.0
    model.add_assertion(model.g0.sigma > 1.0)
    return model


# -- form ------------------------------------------------------------------------------------------


def test_identifier_is_the_md5_hex_digest_of_the_canonical_form():
    model = base_model()
    expected = hashlib.md5(canonical_form(model).encode("utf-8")).hexdigest()
    assert model.identifier == expected
    assert model_identifier(model) == expected
    assert re.fullmatch(r"[0-9a-f]{32}", model.identifier)


def test_canonical_form_names_classes_prior_types_arguments_and_links():
    model = af.Collection(g0=gaussian(), g1=gaussian())
    model.g1.centre = model.g0.centre
    form = json.loads(canonical_form(model))
    g0, g1 = form["arguments"]["g0"], form["arguments"]["g1"]
    assert g0["class_path"] == "autofit.example.model.Gaussian"
    assert g0["arguments"]["centre"] == {
        "type": "Uniform",
        "lower_limit": 1.0,
        "upper_limit": 100.0,
        "id": 0,
    }
    assert g1["arguments"]["centre"]["id"] == 0
    assert g1["arguments"]["sigma"] == {"type": "Gaussian", "mean": 5.0, "sigma": 2.0, "id": 4}


def test_identifier_of_a_value_is_the_md5_of_its_compact_json():
    value = {"b": [1, 2.5, "x"], "a": None}
    expected = hashlib.md5(b'{"b":[1,2.5,"x"],"a":null}').hexdigest()
    assert identifier_of(value) == expected


# -- stability -------------------------------------------------------------------------------------


def test_identical_models_built_separately_have_the_same_identifier():
    assert base_model().identifier == base_model().identifier
    builders = load_builders()
    assert builders["build_model"]().identifier == builders["build_model"]().identifier


def test_identifier_is_the_same_after_copy_and_json_round_trip():
    model = base_model()
    assert model.copy().identifier == model.identifier
    loaded = af.Collection.from_dict(json.loads(json.dumps(model.dict())))
    assert loaded.identifier == model.identifier


def test_identifier_is_the_same_in_processes_with_different_hash_seeds(identifiers_by_hash_seed):
    in_process = load_builders()["build_model"]().identifier
    assert identifiers_by_hash_seed["1"][0] == in_process
    assert identifiers_by_hash_seed["2"][0] == in_process


def test_identifier_of_a_set_valued_fixed_value_is_the_same_for_every_hash_seed(
    identifiers_by_hash_seed,
):
    assert identifiers_by_hash_seed["1"][1] == identifiers_by_hash_seed["2"][1]


def test_identifier_is_independent_of_prior_creation_order():
    first_centre = af.UniformPrior(lower_limit=1.0, upper_limit=100.0)
    first_sigma = af.GaussianPrior(mean=5.0, sigma=2.0)
    later_sigma = af.GaussianPrior(mean=5.0, sigma=2.0)
    later_centre = af.UniformPrior(lower_limit=1.0, upper_limit=100.0)
    one, two = gaussian(), gaussian()
    one.centre, one.sigma = first_centre, first_sigma
    two.sigma, two.centre = later_sigma, later_centre
    assert one.identifier == two.identifier


def test_identifier_is_independent_of_how_a_link_was_made():
    forward = af.Collection(g0=gaussian(), g1=gaussian())
    forward.g1.centre = forward.g0.centre
    backward = af.Collection(g0=gaussian(), g1=gaussian())
    backward.g0.centre = backward.g1.centre
    assert forward.identifier == backward.identifier


def test_identifier_is_independent_of_the_key_order_of_a_fixed_dict_value():
    one, two = gaussian(), gaussian()
    one.sigma = {"a": 1.0, "b": 2.0}
    two.sigma = {"b": 2.0, "a": 1.0}
    assert one.sigma == two.sigma
    assert one.identifier == two.identifier


# -- what changes it -------------------------------------------------------------------------------


def _set(path: str, value_factory: Callable[[af.Collection], object]):
    def change(model: af.Collection) -> None:
        *parents, name = path.split(".")
        node = model
        for parent in parents:
            node = getattr(node, parent)
        setattr(node, name, value_factory(model))

    return change


def _assert(factory: Callable[[af.Collection], object]):
    def change(model: af.Collection) -> None:
        model.add_assertion(factory(model))

    return change


CHANGES = {
    "uniform_lower_limit": _set("g0.centre", lambda m: af.UniformPrior(2.0, 100.0)),
    "uniform_upper_limit": _set("g0.centre", lambda m: af.UniformPrior(1.0, 99.0)),
    "uniform_to_log_uniform": _set("g0.centre", lambda m: af.LogUniformPrior(1.0, 100.0)),
    "log_uniform_lower_limit": _set("g0.normalization", lambda m: af.LogUniformPrior(1e-4, 1e3)),
    "log_uniform_upper_limit": _set("g0.normalization", lambda m: af.LogUniformPrior(1e-3, 1e4)),
    "gaussian_mean": _set("g0.sigma", lambda m: af.GaussianPrior(mean=5.5, sigma=2.0)),
    "gaussian_sigma": _set("g0.sigma", lambda m: af.GaussianPrior(mean=5.0, sigma=2.5)),
    "gaussian_truncated": _set(
        "g0.sigma", lambda m: af.GaussianPrior(mean=5.0, sigma=2.0, lower_limit=0.0)
    ),
    "gaussian_to_log_gaussian": _set("g0.sigma", lambda m: af.LogGaussianPrior(5.0, 2.0)),
    "truncated_gaussian": _set(
        "g0.sigma", lambda m: af.TruncatedGaussianPrior(5.0, 2.0, lower_limit=0.0, upper_limit=9.0)
    ),
    "class": lambda m: setattr(m, "g0", gaussian(RenamedGaussian)),
    "fixed_value": _set("g1.sigma", lambda m: 6.0),
    "fixed_value_to_string": _set("g1.sigma", lambda m: "5.0"),
    "fixed_value_to_none": _set("g1.sigma", lambda m: None),
    "fixed_value_to_prior": _set("g1.sigma", lambda m: af.GaussianPrior(mean=5.0, sigma=2.0)),
    "prior_to_fixed_value": _set("g0.centre", lambda m: 50.0),
    "link_added": _set("g1.sigma", lambda m: m.g0.sigma),
    "link_removed": _set("g1.centre", lambda m: af.UniformPrior(1.0, 100.0)),
    "derived_factor": _set("g1.normalization", lambda m: m.g0.normalization * 3.0),
    "derived_operator": _set("g1.normalization", lambda m: m.g0.normalization + 2.0),
    "assertion_added": _assert(lambda m: m.g0.centre < m.g0.sigma),
    "assertion_on_number_added": _assert(lambda m: m.g0.centre < 90.0),
    "component_added": lambda m: setattr(m, "g2", gaussian()),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_identifier_changes_when_the_model_changes(name):
    model = base_model()
    CHANGES[name](model)
    assert model.identifier != base_model().identifier


def test_every_change_gives_a_different_identifier():
    identifiers = {base_model().identifier}
    for change in CHANGES.values():
        model = base_model()
        change(model)
        identifiers.add(model.identifier)
    assert len(identifiers) == len(CHANGES) + 1


def test_identifier_changes_with_the_limits_of_a_log_gaussian_prior():
    one, two = gaussian(), gaussian()
    one.sigma = af.LogGaussianPrior(mean=0.0, sigma=1.0)
    two.sigma = af.LogGaussianPrior(mean=0.0, sigma=1.0, lower_limit=0.5, upper_limit=4.0)
    assert one.identifier != two.identifier


def test_identifier_changes_with_an_assertion_operator_or_operand():
    def with_assertion(make):
        model = af.Collection(g0=gaussian(), g1=gaussian())
        model.add_assertion(make(model))
        return model.identifier

    identifiers = {
        with_assertion(lambda m: m.g0.centre > m.g1.centre),
        with_assertion(lambda m: m.g0.centre >= m.g1.centre),
        with_assertion(lambda m: m.g0.centre < m.g1.centre),
        with_assertion(lambda m: m.g1.centre > m.g0.centre),
        with_assertion(lambda m: m.g0.centre > 1.0),
        with_assertion(lambda m: m.g0.centre > 2.0),
    }
    assert len(identifiers) == 6


def test_identifier_changes_with_array_elements_and_shape():
    def array(shape, fix=False):
        model = af.Array(shape=shape, prior=af.UniformPrior(lower_limit=0.0, upper_limit=1.0))
        if fix:
            model[0] = 0.5
        return model.identifier

    assert len({array((4,)), array((4,), fix=True), array((2, 2)), array((3,))}) == 4


def test_identifier_changes_with_a_fixed_array_value():
    one, two = gaussian(), gaussian()
    one.sigma = np.array([1.0, 2.0])
    two.sigma = np.array([1.0, 2.5])
    assert one.identifier != two.identifier


# -- what does not change it -----------------------------------------------------------------------


def test_identifier_ignores_width_modifiers_and_physical_limits():
    plain = gaussian()
    modified = gaussian()
    modified.centre = af.UniformPrior(
        lower_limit=1.0,
        upper_limit=100.0,
        width_modifier=af.AbsoluteWidthModifier(20.0),
        limits=(-10.0, 200.0),
    )
    modified.sigma = af.GaussianPrior(
        mean=5.0, sigma=2.0, width_modifier=af.RelativeWidthModifier(0.5), limits=(0.0, np.inf)
    )
    assert modified.identifier == plain.identifier
    modified.centre.width_modifier = af.RelativeWidthModifier(0.1)
    modified.centre.limits = (0.0, 150.0)
    assert modified.identifier == plain.identifier
