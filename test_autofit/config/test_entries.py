"""Prior entries: numbers written as strings, defaults, and validation naming the source."""

from __future__ import annotations

import math

import pytest

from autofit.config import normalise_entry
from autofit.exc import ConfigException


def test_uniform_entry_is_completed_with_default_width_modifier_and_limits():
    entry = normalise_entry({"type": "Uniform", "lower_limit": 0, "upper_limit": "1e2"})
    assert entry == {
        "type": "Uniform",
        "lower_limit": 0.0,
        "upper_limit": 100.0,
        "width_modifier": {"type": "Relative", "value": 0.5},
        "limits": {"lower": -math.inf, "upper": math.inf},
    }
    assert isinstance(entry["lower_limit"], float)


def test_strings_are_converted_throughout_the_entry():
    entry = normalise_entry(
        {
            "type": "LogUniform",
            "lower_limit": "1e-6",
            "upper_limit": "1e6",
            "width_modifier": {"type": "Absolute", "value": "2e0"},
            "limits": {"lower": "0", "upper": "Infinity"},
        }
    )
    assert entry["lower_limit"] == 1e-6
    assert entry["upper_limit"] == 1e6
    assert entry["width_modifier"] == {"type": "Absolute", "value": 2.0}
    assert entry["limits"] == {"lower": 0.0, "upper": math.inf}


def test_type_names_are_made_canonical():
    assert normalise_entry({"type": "gaussianprior", "mean": 0, "sigma": 1})["type"] == "Gaussian"
    entry = normalise_entry(
        {"type": "Constant", "value": 3, "width_modifier": {"type": "absolute", "value": 1}}
    )
    assert entry["type"] == "Constant"
    assert entry["value"] == 3.0
    assert entry["width_modifier"]["type"] == "Absolute"


def test_gaussian_takes_optional_limits_and_pyautofit_gaussian_limits():
    entry = normalise_entry(
        {
            "type": "Gaussian",
            "mean": 1.0,
            "sigma": 2.0,
            "lower_limit": 0.0,
            "gaussian_limits": {"lower": 0.0, "upper": "inf"},
        }
    )
    assert entry["lower_limit"] == 0.0
    assert "upper_limit" not in entry
    assert entry["limits"] == {"lower": 0.0, "upper": math.inf}


def test_missing_limit_bounds_default_to_infinity():
    entry = normalise_entry(
        {"type": "Uniform", "lower_limit": 0, "upper_limit": 1, "limits": {"lower": 0}}
    )
    assert entry["limits"] == {"lower": 0.0, "upper": math.inf}


def test_errors_name_the_file_class_and_parameter():
    with pytest.raises(ConfigException) as info:
        normalise_entry(
            {"lower_limit": 0.0},
            source="/somewhere/priors/profiles.yaml",
            class_name="mypackage.profiles.Gaussian",
            parameter="sigma",
        )
    message = str(info.value)
    assert "/somewhere/priors/profiles.yaml" in message
    assert "mypackage.profiles.Gaussian" in message
    assert "'sigma'" in message
    assert "missing 'type'" in message
    for name in (
        "Uniform",
        "LogUniform",
        "Gaussian",
        "LogGaussian",
        "TruncatedGaussian",
        "Constant",
    ):
        assert name in message


def test_unknown_type_lists_valid_types_and_suggests_the_closest():
    with pytest.raises(ConfigException, match="unknown type 'Unifrom'.*did you mean 'Uniform'"):
        normalise_entry({"type": "Unifrom", "lower_limit": 0, "upper_limit": 1})


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"type": "Uniform", "lower_limit": 0.0}, "missing upper_limit"),
        ({"type": "TruncatedGaussian", "mean": 0, "sigma": 1}, "missing lower_limit, upper_limit"),
        ({"type": "Constant"}, "missing value"),
        ({"type": "Uniform", "lower_limit": 0, "upper_limt": 1}, "did you mean 'upper_limit'"),
        (
            {"type": "Uniform", "lower_limit": "zero", "upper_limit": 1},
            "lower_limit must be a number",
        ),
        (
            {"type": "Uniform", "lower_limit": True, "upper_limit": 1},
            "lower_limit must be a number",
        ),
        ({"type": "Uniform", "lower_limit": 2, "upper_limit": 1}, "must be below upper_limit"),
        ({"type": "LogUniform", "lower_limit": 0, "upper_limit": 1}, "must be positive"),
        ({"type": "Gaussian", "mean": 0, "sigma": 0}, "sigma must be positive"),
        (
            {
                "type": "Gaussian",
                "mean": 0,
                "sigma": 1,
                "width_modifier": {"type": "Wide", "value": 1},
            },
            "Relative, Absolute",
        ),
        (
            {"type": "Gaussian", "mean": 0, "sigma": 1, "width_modifier": {"type": "Relative"}},
            "missing its value",
        ),
        (
            {
                "type": "Gaussian",
                "mean": 0,
                "sigma": 1,
                "width_modifier": {"type": "Relative", "value": -1},
            },
            ">= 0",
        ),
        (
            {"type": "Gaussian", "mean": 0, "sigma": 1, "limits": {"lower": 1, "upper": 0}},
            "lower must be below upper",
        ),
        ({"type": "Gaussian", "mean": 0, "sigma": 1, "limits": {"low": 0}}, "did you mean 'lower'"),
        ({"type": "Gaussian", "mean": 0, "sigma": 1, "limits": 3}, "limits must be a mapping"),
        (
            {"type": "Gaussian", "mean": 0, "sigma": 1, "limits": {}, "gaussian_limits": {}},
            "not both",
        ),
    ],
)
def test_invalid_entries_raise_with_the_problem(entry, problem):
    with pytest.raises(ConfigException) as info:
        normalise_entry(entry, source="priors/x.yaml", class_name="m.C", parameter="p")
    assert problem in str(info.value)
    assert "priors/x.yaml" in str(info.value)


def test_an_entry_that_is_not_a_mapping_raises():
    with pytest.raises(ConfigException, match="expected a mapping"):
        normalise_entry(1.0, parameter="sigma")  # type: ignore[arg-type]


def test_the_input_entry_is_not_modified():
    raw = {"type": "Gaussian", "mean": "0", "sigma": 1, "gaussian_limits": {"lower": "-inf"}}
    normalise_entry(raw)
    assert raw == {
        "type": "Gaussian",
        "mean": "0",
        "sigma": 1,
        "gaussian_limits": {"lower": "-inf"},
    }
