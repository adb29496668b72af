"""The message shown when a parameter has no default prior."""

from __future__ import annotations

import autofit as af
from autofit.config import PACKAGE_CONFIG_PATH


class Bulb:
    def __init__(self, sigma: float) -> None:
        self.sigma = sigma


class LedBulb(Bulb):
    pass


MODULE = Bulb.__module__


def test_message_names_class_parameter_directories_and_files(tmp_path, config):
    config.push(tmp_path)
    message = config.missing_prior_message(LedBulb, "sigma")
    assert message.startswith(
        f"No prior configured for parameter 'sigma' of class {MODULE}.LedBulb."
    )
    assert (
        f"Searched (first hit wins): {tmp_path / 'priors'}, {PACKAGE_CONFIG_PATH / 'priors'}"
        in message
    )
    assert "LedBulb.yaml" in message
    assert "parent classes Bulb" in message


def test_message_shows_an_example_entry_in_the_module_file(config):
    message = config.missing_prior_message(Bulb, "sigma")
    module_file = MODULE.rsplit(".", 1)[-1]
    assert f"for example in priors/{module_file}.yaml:" in message
    assert (
        "\n\nBulb:\n  sigma: {type: Uniform, lower_limit: 0.0, upper_limit: 1.0, "
        "width_modifier: {type: Relative, value: 0.5}, limits: {lower: -inf, upper: inf}}\n"
    ) in message
    assert "af.Model(Bulb, sigma=af.UniformPrior(lower_limit=0.0, upper_limit=1.0))" in message
    assert "tuple" not in message


def test_message_for_a_class_of_a_script_suggests_a_file_keyed_by_its_name(config):
    script_class = type("Lens", (), {"__module__": "__main__"})
    message = config.missing_prior_message(script_class, "mass")
    assert "with the top-level key 'Lens' was read too." in message
    assert "for example in priors/lens.yaml (in ./config):" in message
    assert "\n\nLens:\n  mass: {type: Uniform" in message


def test_message_for_a_tuple_element_mentions_the_tuple_entry(config):
    message = config.missing_prior_message(Bulb, "centre_1")
    assert "element of the tuple parameter 'centre'" in message
    # The prior is given in code for the whole tuple.
    assert "af.Model(Bulb, centre=(af.UniformPrior(lower_limit=0.0, upper_limit=1.0), ...))" in (
        message
    )


def test_the_code_the_message_suggests_builds_the_model(config):
    # The hint's call, with the prior it names, makes a model of the class.
    message = config.missing_prior_message(Bulb, "sigma")
    call = message.rsplit("or give the prior in code: ", 1)[1]
    model = eval(call, {"af": af, "Bulb": Bulb})  # noqa: S307 - the message's own code
    assert "sigma" in model.parameter_names
