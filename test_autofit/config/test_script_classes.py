"""Prior files for classes defined in a script or notebook (module ``__main__``)."""

from __future__ import annotations

import pytest

from autofit.config import Config
from autofit.exc import ConfigException


def script_class(name: str, *bases: type) -> type:
    """A class as a script defines it: its module is ``__main__``."""
    return type(name, bases, {"__module__": "__main__"})


Gaussian = script_class("Gaussian")
MyGaussian = script_class("MyGaussian")
WideGaussian = script_class("WideGaussian", Gaussian)


def uniform(upper: float) -> str:
    return f"{{type: Uniform, lower_limit: 0.0, upper_limit: {upper}}}"


def upper_limit(config: Config, cls: type = Gaussian, name: str = "centre") -> float | None:
    entry = config.prior_config_for(cls, name)
    return None if entry is None else entry["upper_limit"]


def test_a_module_named_file_keyed_by_the_class_name_serves_the_script_class(
    tmp_path, write_yaml, config
):
    write_yaml("working/config/priors/gaussian.yaml", f"Gaussian:\n  centre: {uniform(100.0)}\n")

    assert upper_limit(config) == 100.0


def test_any_file_name_and_subfolder_serves(tmp_path, write_yaml, config):
    write_yaml(
        "c/priors/shapes/profiles.yml", f"Other: {{}}\nGaussian:\n  centre: {uniform(3.0)}\n"
    )
    config.push(tmp_path / "c")

    assert upper_limit(config) == 3.0


def test_only_whole_class_names_match(tmp_path, write_yaml, config):
    write_yaml("c/priors/gaussian.yaml", f"Gaussian:\n  centre: {uniform(100.0)}\n")
    config.push(tmp_path / "c")

    assert upper_limit(config, MyGaussian) is None
    assert upper_limit(config, script_class("Gauss")) is None


def test_two_files_holding_the_class_key_is_an_error_naming_both(tmp_path, write_yaml, config):
    first = write_yaml("c/priors/gaussian.yaml", f"Gaussian:\n  centre: {uniform(1.0)}\n")
    second = write_yaml("c/priors/more/profiles.yaml", f"Gaussian:\n  sigma: {uniform(2.0)}\n")
    config.push(tmp_path / "c")

    with pytest.raises(ConfigException) as error:
        config.prior_config_for(Gaussian, "centre")

    message = str(error.value)
    assert str(first) in message
    assert str(second) in message
    assert "'Gaussian'" in message


def test_the_same_key_in_two_directories_follows_directory_order(tmp_path, write_yaml, config):
    write_yaml("pushed/priors/gaussian.yaml", f"Gaussian:\n  centre: {uniform(1.0)}\n")
    write_yaml("working/config/priors/models.yaml", f"Gaussian:\n  centre: {uniform(2.0)}\n")
    config.push(tmp_path / "pushed")

    assert upper_limit(config) == 1.0


def test_the_keyed_file_beats_the_class_file_and_falls_back_per_parameter(
    tmp_path, write_yaml, config
):
    write_yaml("c/priors/Gaussian.yaml", f"centre: {uniform(1.0)}\nsigma: {uniform(1.0)}\n")
    write_yaml("c/priors/gaussian_priors.yaml", f"Gaussian:\n  centre: {uniform(2.0)}\n")
    config.push(tmp_path / "c")

    assert upper_limit(config) == 2.0
    assert upper_limit(config, name="sigma") == 1.0


def test_a_script_subclass_falls_back_to_its_parent_key(tmp_path, write_yaml, config):
    write_yaml("c/priors/gaussian.yaml", f"Gaussian:\n  centre: {uniform(4.0)}\n")
    config.push(tmp_path / "c")

    assert upper_limit(config, WideGaussian) == 4.0


def test_the_shipped_defaults_never_serve_a_script_class(tmp_path, write_yaml):
    write_yaml("package/priors/example.yaml", f"Gaussian:\n  centre: {uniform(9.0)}\n")
    config = Config(package_path=tmp_path / "package")

    assert upper_limit(config) is None


def test_a_class_of_a_module_is_not_found_by_key_in_other_files(tmp_path, write_yaml, config):
    module_class = type("Gaussian", (), {"__module__": "mypackage.profiles"})
    write_yaml("c/priors/gaussian.yaml", f"Gaussian:\n  centre: {uniform(5.0)}\n")
    config.push(tmp_path / "c")

    assert upper_limit(config, module_class) is None
