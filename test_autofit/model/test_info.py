"""Tests of ``model.info``: the aligned text describing a model."""

from __future__ import annotations

import pytest

import autofit as af
from autofit.model.info import format_value
from test_autofit.model.profiles import Galaxy, LightDeVaucouleurs, MassIsothermal, WithDefaults


def tree_lines(info):
    """The lines of the component tree (after the count and the blank line)."""
    lines = info.split("\n")
    end = lines.index("Assertions") - 1 if "Assertions" in lines else len(lines)
    return lines[2:end]


def value_column(lines):
    """The column where the values start, checked to be the same on every line."""
    columns = set()
    for line in lines:
        stripped = line.lstrip(" ")
        name_end = len(line) - len(stripped) + len(stripped.split(" ")[0])
        rest = line[name_end:]
        columns.add(name_end + len(rest) - len(rest.lstrip(" ")))
    assert len(columns) == 1, lines
    return columns.pop()


def test_the_text_of_a_single_component():
    model = af.Model(af.ex.Gaussian, sigma=2.0)

    assert model.info == "\n".join(
        [
            "Total Free Parameters = 2",
            "",
            "model                Gaussian (N=2)",
            "    centre           UniformPrior, lower_limit = 0.0, upper_limit = 100.0",
            "    normalization    LogUniformPrior, lower_limit = 1e-06, upper_limit = 1000000.0",
            "    sigma            2.0",
        ]
    )


def test_a_two_level_model_is_indented_by_component_and_aligned():
    model = af.Model(Galaxy, redshift=0.5, bulge=LightDeVaucouleurs, mass=MassIsothermal)
    model.mass.axis_ratio = 0.9

    info = model.info
    lines = tree_lines(info)

    assert info.startswith("Total Free Parameters = 7\n\n")
    assert [line.split()[0] for line in lines] == [
        "model",
        "redshift",
        "bulge",
        "centre",
        "centre_0",
        "centre_1",
        "intensity",
        "effective_radius",
        "mass",
        "centre",
        "centre_0",
        "centre_1",
        "einstein_radius",
        "axis_ratio",
    ]
    indents = [len(line) - len(line.lstrip(" ")) for line in lines]
    assert indents == [0, 4, 4, 8, 12, 12, 8, 8, 4, 8, 12, 12, 8, 8]
    column = value_column(lines)
    values = [line[column:] for line in lines]
    assert values[0] == "Galaxy (N=7)"
    assert values[1] == "0.5"
    assert values[2] == "LightDeVaucouleurs (N=4)"
    assert values[3] == "Tuple (N=2)"
    assert values[4] == "GaussianPrior, mean = 0.0, sigma = 0.1"
    assert values[6] == "LogUniformPrior, lower_limit = 0.001, upper_limit = 10.0"
    assert values[8] == "MassIsothermal (N=3)"
    assert values[12] == "UniformPrior, lower_limit = 0.5, upper_limit = 2.5"
    assert values[13] == "0.9"


def test_fixed_values_of_every_kind_are_shown():
    model = af.Model(WithDefaults, name="a" * 100)

    lines = tree_lines(model.info)
    column = value_column(lines)

    assert [line[column:] for line in lines[2:]] == [
        "'" + "a" * 56 + "...",
        "True",
        "None",
        "3",
    ]
    assert format_value("abc") == "'abc'"
    assert len(format_value(list(range(100)))) == 60


def test_links_derived_parameters_arrays_and_assertions():
    model = af.Collection(
        g0=af.ex.Gaussian,
        g1=af.ex.Gaussian,
        weights=af.Array(shape=(2,), prior=af.UniformPrior(lower_limit=0.0, upper_limit=1.0)),
    )
    model.g1.centre = model.g0.centre
    model.g1.sigma = model.g0.sigma * 2.0 + 1.0
    model.add_assertion(model.g0.centre > 10.0)

    info = model.info
    lines = tree_lines(info)
    column = value_column(lines)
    values = [line[column:] for line in lines]

    assert info.startswith("Total Free Parameters = 6\n")
    assert values[0] == "Collection (N=6)"
    assert lines[6].split()[0] == "centre"
    assert values[6] == "UniformPrior, lower_limit = 0.0, upper_limit = 100.0 (linked to g0.centre)"
    assert lines[8].split()[0] == "sigma"
    assert values[8] == "DerivedParameter = ((g0.sigma * 2.0) + 1.0)"
    assert lines[9].split()[0] == "weights"
    assert values[9] == "Array (N=2)"
    assert lines[10].split()[0] == "prior_0"
    assert info.endswith("\n\nAssertions\n    g0.centre > 10.0")


@pytest.mark.parametrize("count", [0, 1, 12])
def test_the_count_is_the_number_of_free_parameters(count):
    model = af.Collection()
    for _ in range(count):
        model.append(af.Model(af.ex.Gaussian, centre=1.0, sigma=1.0))

    assert model.info.split("\n")[0] == f"Total Free Parameters = {count}"
    assert model.info.split("\n")[2].endswith(f"Collection (N={count})")
