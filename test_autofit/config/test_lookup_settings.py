"""General settings and the output directory."""

from __future__ import annotations

from pathlib import Path

from autofit.config import OUTPUT_PATH_VARIABLE, Config


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
    assert config.general("output", "samples_to_csv") is True
    assert config.general("output", "absent") is None
    assert config.general("absent", "absent", default=3) == 3


def test_general_settings_are_copies(tmp_path, write_yaml, config):
    write_yaml("a/general.yaml", "plots:\n  formats: [png]\n")
    config.push(tmp_path / "a")
    config.general("plots", "formats").append("pdf")
    assert config.general("plots", "formats") == ["png"]
