"""The shipped defaults and the example configuration at the repository root are valid."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from autofit.config import PACKAGE_CONFIG_PATH, normalise_entry

REPOSITORY_CONFIG = Path(__file__).resolve().parents[2] / "config"

PRIOR_FILES = {
    f"{origin}/{path.name}": path
    for origin, directory in (("package", PACKAGE_CONFIG_PATH), ("repository", REPOSITORY_CONFIG))
    for path in sorted(directory.glob("priors/**/*.y*ml"))
}


@pytest.mark.parametrize("path", PRIOR_FILES.values(), ids=PRIOR_FILES.keys())
def test_every_shipped_prior_entry_is_valid(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data
    for class_name, parameters in data.items():
        for parameter, entry in parameters.items():
            normalise_entry(entry, source=path, class_name=class_name, parameter=parameter)


EXAMPLE_PARAMETERS = {
    "LightDeVaucouleurs": ("centre_0", "centre_1", "intensity", "effective_radius"),
    "LightExponential": ("centre_0", "centre_1", "intensity", "effective_radius"),
    "MassIsothermal": ("centre_0", "centre_1", "einstein_radius", "axis_ratio"),
    "Galaxy": ("redshift",),
}


@pytest.mark.parametrize("module", ["profiles", "examples.profiles"])
def test_example_classes_have_priors_and_labels(config, module):
    config.push(REPOSITORY_CONFIG)
    for class_name, parameters in EXAMPLE_PARAMETERS.items():
        cls = type(class_name, (), {"__module__": module})
        for parameter in parameters:
            assert config.prior_config_for(cls, parameter) is not None, (class_name, parameter)
            assert config.label_for(parameter) != parameter
        assert config.superscript_for(cls)


def test_example_priors_have_the_documented_ranges(config):
    config.push(REPOSITORY_CONFIG)
    light = type("LightDeVaucouleurs", (), {"__module__": "profiles"})
    mass = type("MassIsothermal", (), {"__module__": "profiles"})
    galaxy = type("Galaxy", (), {"__module__": "profiles"})
    centre = config.prior_config_for(light, "centre_0")
    assert (centre["type"], centre["mean"], centre["sigma"]) == ("Gaussian", 0.0, 0.3)
    intensity = config.prior_config_for(light, "intensity")
    assert (intensity["type"], intensity["lower_limit"], intensity["upper_limit"]) == (
        "LogUniform",
        1e-4,
        1e2,
    )
    assert config.prior_config_for(light, "effective_radius")["upper_limit"] == 10.0
    assert config.prior_config_for(mass, "einstein_radius")["upper_limit"] == 5.0
    axis_ratio = config.prior_config_for(mass, "axis_ratio")
    assert (axis_ratio["lower_limit"], axis_ratio["upper_limit"]) == (0.2, 1.0)
    assert config.prior_config_for(galaxy, "redshift")["upper_limit"] == 3.0
