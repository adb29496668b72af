"""The lookup of default priors: directory order, file forms, parent classes and errors."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from autofit.config import CONFIG_PATH_VARIABLE, PACKAGE_CONFIG_PATH, Config
from autofit.exc import ConfigException


class Lamp:
    def __init__(self, brightness: float, height: float) -> None:
        self.brightness = brightness
        self.height = height


class DeskLamp(Lamp):
    def __init__(self, brightness: float, height: float, arm: float) -> None:
        super().__init__(brightness, height)
        self.arm = arm


MODULE = Lamp.__module__
MODULE_FILE = MODULE.rsplit(".", 1)[-1]


def uniform(upper: float) -> str:
    """A prior entry in flow style whose upper limit tells which file it came from."""
    return f"{{type: Uniform, lower_limit: 0.0, upper_limit: {upper}}}"


def upper_limit(config: Config, cls: type = Lamp, name: str = "brightness") -> float | None:
    entry = config.prior_config_for(cls, name)
    return None if entry is None else entry["upper_limit"]


@pytest.mark.parametrize(
    ("locations", "expected"),
    [
        (("pushed", "env", "working", "package"), 1.0),
        (("env", "working", "package"), 2.0),
        (("working", "package"), 3.0),
        (("package",), 4.0),
        ((), None),
    ],
)
def test_first_directory_with_the_entry_wins(
    tmp_path, monkeypatch, write_yaml, locations, expected
):
    directories = {
        "pushed": ("pushed", 1.0),
        "env": ("env", 2.0),
        "working": ("working/config", 3.0),
        "package": ("package", 4.0),
    }
    for location in locations:
        folder, upper = directories[location]
        write_yaml(
            f"{folder}/priors/{MODULE_FILE}.yaml", f"Lamp:\n  brightness: {uniform(upper)}\n"
        )
    (tmp_path / "package").mkdir(exist_ok=True)
    config = Config(package_path=tmp_path / "package")
    if "pushed" in locations:
        config.push(tmp_path / "pushed")
    if "env" in locations:
        monkeypatch.setenv(CONFIG_PATH_VARIABLE, str(tmp_path / "env"))
    assert upper_limit(config) == expected


def test_full_module_file(tmp_path, write_yaml, config):
    write_yaml(f"c/priors/{MODULE}.yaml", f"Lamp:\n  brightness: {uniform(5.0)}\n")
    config.push(tmp_path / "c")
    assert upper_limit(config) == 5.0


def test_module_as_folders(tmp_path, write_yaml, config):
    folders = "/".join(MODULE.split("."))
    write_yaml(f"c/priors/{folders}.yaml", f"Lamp:\n  brightness: {uniform(6.0)}\n")
    config.push(tmp_path / "c")
    assert upper_limit(config) == 6.0


def test_class_file_with_parameters_at_the_top_level(tmp_path, write_yaml, config):
    write_yaml("c/priors/Lamp.yml", f"brightness: {uniform(7.0)}\n")
    config.push(tmp_path / "c")
    assert upper_limit(config) == 7.0


def test_within_a_directory_module_files_beat_class_files(tmp_path, write_yaml, config):
    write_yaml("c/priors/Lamp.yaml", f"brightness: {uniform(1.0)}\nheight: {uniform(1.0)}\n")
    write_yaml(f"c/priors/{MODULE_FILE}.yaml", f"Lamp:\n  brightness: {uniform(2.0)}\n")
    config.push(tmp_path / "c")
    assert upper_limit(config) == 2.0
    # The module file has no entry for height, so the class file gives it.
    assert upper_limit(config, name="height") == 1.0


def test_yaml_extension_beats_yml(tmp_path, write_yaml, config):
    write_yaml("c/priors/Lamp.yml", f"brightness: {uniform(1.0)}\n")
    write_yaml("c/priors/Lamp.yaml", f"brightness: {uniform(2.0)}\n")
    config.push(tmp_path / "c")
    assert upper_limit(config) == 2.0


def test_a_subclass_falls_back_to_its_parent(tmp_path, write_yaml, config):
    write_yaml(f"c/priors/{MODULE_FILE}.yaml", f"Lamp:\n  brightness: {uniform(3.0)}\n")
    config.push(tmp_path / "c")
    assert upper_limit(config, DeskLamp) == 3.0
    assert config.prior_config_for(DeskLamp, "arm") is None


def test_a_subclass_entry_anywhere_beats_a_parent_entry(tmp_path, monkeypatch, write_yaml, config):
    write_yaml(f"pushed/priors/{MODULE_FILE}.yaml", f"Lamp:\n  brightness: {uniform(1.0)}\n")
    write_yaml(f"env/priors/{MODULE_FILE}.yaml", f"DeskLamp:\n  brightness: {uniform(2.0)}\n")
    config.push(tmp_path / "pushed")
    monkeypatch.setenv(CONFIG_PATH_VARIABLE, str(tmp_path / "env"))
    assert upper_limit(config, DeskLamp) == 2.0
    assert upper_limit(config, Lamp) == 1.0


def test_missing_prior_is_none(config):
    assert config.prior_config_for(Lamp, "brightness") is None


def test_returned_entries_are_normalised_copies(tmp_path, write_yaml, config):
    write_yaml(
        "c/priors/Lamp.yaml",
        "brightness: {type: LogUniform, lower_limit: 1e-6, upper_limit: 1e6, "
        "limits: {lower: 0, upper: inf}}\n",
    )
    config.push(tmp_path / "c")
    entry = config.prior_config_for(Lamp, "brightness")
    assert entry == {
        "type": "LogUniform",
        "lower_limit": 1e-6,
        "upper_limit": 1e6,
        "width_modifier": {"type": "Relative", "value": 0.5},
        "limits": {"lower": 0.0, "upper": float("inf")},
    }
    entry["limits"]["upper"] = 1.0
    entry["type"] = "Uniform"
    assert config.prior_config_for(Lamp, "brightness")["limits"]["upper"] == float("inf")
    assert config.prior_config_for(Lamp, "brightness")["type"] == "LogUniform"


def test_invalid_entry_names_file_class_and_parameter(tmp_path, write_yaml, config):
    path = write_yaml(f"c/priors/{MODULE_FILE}.yaml", "Lamp:\n  brightness: {lower_limit: 0.0}\n")
    config.push(tmp_path / "c")
    with pytest.raises(ConfigException) as info:
        config.prior_config_for(Lamp, "brightness")
    message = str(info.value)
    assert str(path) in message
    assert f"{MODULE}.Lamp" in message
    assert "'brightness'" in message


def test_class_key_that_is_not_a_mapping_raises(tmp_path, write_yaml, config):
    path = write_yaml(f"c/priors/{MODULE_FILE}.yaml", "Lamp: 3\n")
    config.push(tmp_path / "c")
    with pytest.raises(ConfigException, match="must map parameter names") as info:
        config.prior_config_for(Lamp, "brightness")
    assert str(path) in str(info.value)


def test_malformed_prior_file_names_the_file(tmp_path, write_yaml, config):
    path = write_yaml("c/priors/Lamp.yaml", "brightness: [unclosed\n")
    config.push(tmp_path / "c")
    with pytest.raises(ConfigException, match="Cannot parse") as info:
        config.prior_config_for(Lamp, "brightness")
    assert str(path) in str(info.value)


def test_an_edited_prior_file_is_read_again(tmp_path, write_yaml, config):
    path = write_yaml("c/priors/Lamp.yaml", f"brightness: {uniform(1.0)}\n")
    old = time.time() - 3600.0
    os.utime(path, (old, old))
    config.push(tmp_path / "c")
    assert upper_limit(config) == 1.0
    assert upper_limit(config) == 1.0
    path.write_text(f"brightness: {uniform(9.0)}\n", encoding="utf-8")
    os.utime(path, (old + 60.0, old + 60.0))
    assert upper_limit(config) == 9.0


def test_the_environment_is_read_at_lookup_time(tmp_path, monkeypatch, write_yaml, config):
    write_yaml("env/priors/Lamp.yaml", f"brightness: {uniform(4.0)}\n")
    assert upper_limit(config) is None
    monkeypatch.setenv(CONFIG_PATH_VARIABLE, str(tmp_path / "env"))
    assert upper_limit(config) == 4.0


def test_the_working_directory_is_read_at_lookup_time(tmp_path, monkeypatch, write_yaml, config):
    write_yaml("elsewhere/config/priors/Lamp.yaml", f"brightness: {uniform(8.0)}\n")
    assert upper_limit(config) is None
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert upper_limit(config) == 8.0


def test_searched_for_lists_every_candidate_in_search_order(tmp_path, config):
    config.push(tmp_path)
    searched = config.searched_for(DeskLamp, "brightness")
    priors = Path(tmp_path) / "priors"
    package_priors = PACKAGE_CONFIG_PATH / "priors"
    assert searched[0] == str(priors / f"{MODULE}.yaml")
    assert str(priors / f"{MODULE_FILE}.yaml") in searched
    assert str(priors / "DeskLamp.yaml") in searched
    assert str(package_priors / "DeskLamp.yml") in searched
    assert searched.index(str(package_priors / "DeskLamp.yaml")) < searched.index(
        str(priors / "Lamp.yaml")
    )
    assert searched[-1] == str(package_priors / "Lamp.yml")


def test_packaged_priors_of_the_example_classes():
    gaussian = type("Gaussian", (), {"__module__": "autofit.example.model"})
    exponential = type("Exponential", (), {"__module__": "autofit.example.model"})
    config = Config()
    centre = config.prior_config_for(gaussian, "centre")
    assert centre["type"] == "Uniform"
    assert (centre["lower_limit"], centre["upper_limit"]) == (0.0, 100.0)
    assert centre["width_modifier"] == {"type": "Absolute", "value": 20.0}
    assert centre["limits"] == {"lower": float("-inf"), "upper": float("inf")}
    normalization = config.prior_config_for(gaussian, "normalization")
    assert normalization["type"] == "LogUniform"
    assert (normalization["lower_limit"], normalization["upper_limit"]) == (1e-6, 1e6)
    assert normalization["limits"]["lower"] == 0.0
    assert config.prior_config_for(gaussian, "sigma")["upper_limit"] == 25.0
    assert config.prior_config_for(exponential, "rate")["upper_limit"] == 10.0
    assert config.prior_config_for(exponential, "centre")["upper_limit"] == 100.0
