"""The configuration: its directories, pushing, resetting, general settings and output path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from autofit.config import (
    CONFIG_PATH_VARIABLE,
    OUTPUT_PATH_VARIABLE,
    PACKAGE_CONFIG_PATH,
    Config,
    instance,
)
from autofit.exc import ConfigException


def test_the_instance_is_a_config():
    assert isinstance(instance, Config)


def test_config_paths_in_order_pushed_environment_working_directory_package(
    tmp_path, monkeypatch, config
):
    for name in ("first", "second", "env_a", "env_b", "working/config"):
        (tmp_path / name).mkdir(parents=True)
    monkeypatch.setenv(
        CONFIG_PATH_VARIABLE,
        os.pathsep.join(
            [str(tmp_path / "env_a"), str(tmp_path / "absent"), "", str(tmp_path / "env_b")]
        ),
    )
    config.push(tmp_path / "first")
    config.push(str(tmp_path / "second"))
    assert config.config_paths == [
        tmp_path / "second",
        tmp_path / "first",
        tmp_path / "env_a",
        tmp_path / "env_b",
        tmp_path / "working" / "config",
        PACKAGE_CONFIG_PATH,
    ]


def test_config_paths_have_no_duplicates(tmp_path, monkeypatch, config):
    (tmp_path / "shared").mkdir()
    monkeypatch.setenv(CONFIG_PATH_VARIABLE, str(tmp_path / "shared"))
    config.push(tmp_path / "shared")
    config.push(tmp_path / "shared")
    assert config.config_paths == [tmp_path / "shared", PACKAGE_CONFIG_PATH]


def test_without_anything_configured_only_the_package_is_searched(config):
    assert config.config_paths == [PACKAGE_CONFIG_PATH]


def test_push_of_a_missing_directory_names_it(tmp_path, config):
    with pytest.raises(ConfigException, match="does not exist") as info:
        config.push(tmp_path / "absent")
    assert str(tmp_path / "absent") in str(info.value)


def test_push_of_a_file_names_it(tmp_path, config):
    (tmp_path / "file").touch()
    with pytest.raises(ConfigException, match="not a directory"):
        config.push(tmp_path / "file")


def test_reset_forgets_pushed_directories(tmp_path, config):
    config.push(tmp_path)
    config.reset()
    assert config.config_paths == [PACKAGE_CONFIG_PATH]


def test_pushed_output_path_wins(tmp_path, monkeypatch, config):
    monkeypatch.setenv(OUTPUT_PATH_VARIABLE, str(tmp_path / "from_env"))
    config.push(tmp_path, output_path=tmp_path / "first")
    config.push(tmp_path, output_path=tmp_path / "second")
    config.push(tmp_path)
    assert config.output_path == tmp_path / "second"


def test_pushed_relative_output_path_is_relative_to_the_working_directory(tmp_path, config):
    config.push(tmp_path, output_path="results")
    assert config.output_path == Path.cwd() / "results"


def test_environment_output_path(tmp_path, monkeypatch, config):
    monkeypatch.setenv(OUTPUT_PATH_VARIABLE, str(tmp_path / "from_env"))
    assert config.output_path == tmp_path / "from_env"


def test_general_yaml_output_path_of_the_first_directory_that_sets_it(tmp_path, write_yaml, config):
    write_yaml("a/general.yaml", "output:\n  samples_to_csv: false\n")
    write_yaml("b/general.yaml", "output:\n  path: /somewhere/fits\n")
    config.push(tmp_path / "b")
    config.push(tmp_path / "a")
    assert config.output_path == Path("/somewhere/fits")


def test_packaged_output_path_is_output_in_the_working_directory(config):
    assert config.output_path == Path.cwd() / "output"


def test_without_any_general_yaml_the_output_path_is_output_in_the_working_directory(tmp_path):
    (tmp_path / "package").mkdir()
    config = Config(package_path=tmp_path / "package")
    assert config.output_path == Path.cwd() / "output"


def test_general_setting_from_the_first_directory_that_sets_it(tmp_path, write_yaml, config):
    write_yaml("a/general.yaml", "output:\n  samples_to_csv: false\n")
    config.push(tmp_path / "a")
    assert config.general("output", "samples_to_csv") is False
    assert config.general("output", "path") == "output"


def test_general_setting_defaults(config):
    assert config.general("output", "path") == "output"
    assert config.general("output", "samples_weight_threshold") is None
    assert config.general("output", "absent") is None
    assert config.general("absent", "absent", default=3) == 3


def test_general_settings_are_copies(tmp_path, write_yaml, config):
    write_yaml("a/general.yaml", "plots:\n  formats: [png]\n")
    config.push(tmp_path / "a")
    config.general("plots", "formats").append("pdf")
    assert config.general("plots", "formats") == ["png"]
