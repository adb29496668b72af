"""Tests of ``af.text.Samples``: the LaTeX row and the summary text of a fit's samples."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autofit as af

NUMBER = r"(-?\d+\.\d\d)"


@pytest.fixture(scope="module")
def samples() -> af.Samples:
    rng = np.random.default_rng(3)
    parameters = np.column_stack(
        [rng.normal(50.0, 2.0, 4000), rng.normal(20.0, 1.0, 4000), rng.normal(8.0, 0.5, 4000)]
    )
    log_likelihood = -0.5 * np.sum(((parameters - [50.5, 20.5, 8.5]) / [2.0, 1.0, 0.5]) ** 2, 1)
    model = af.Collection(gaussian=af.Model(af.ex.Gaussian))
    return af.Samples(model, parameters, log_likelihood, np.zeros(4000))


def cells(row: str) -> list[str]:
    return row.split(" & ")


def test_af_text_is_an_attribute_of_af():
    import autofit.text.samples_text

    assert af.text.Samples is autofit.text.samples_text


def test_latex_row_has_the_median_and_errors_of_every_parameter(samples):
    row = af.text.Samples.latex(samples=samples, sigma=1.0)
    median = samples.median_pdf(as_instance=False)
    errors = samples.errors_at_sigma(1.0, as_instance=False)
    labels = ["x", "N", "\\sigma"]
    assert len(cells(row)) == 3
    for cell, label, value, (lower, upper) in zip(cells(row), labels, median, errors, strict=True):
        assert cell == (f"{label}^{{\\rm{{g}}}} = {value:.2f}^{{+{upper:.2f}}}_{{-{lower:.2f}}}")
    # One sigma of the Gaussian samples: errors close to their standard deviations.
    found = [re.fullmatch(rf".* = {NUMBER}\^{{\+{NUMBER}}}_{{-{NUMBER}}}", c) for c in cells(row)]
    assert [float(m[2]) for m in found] == pytest.approx([2.0, 1.0, 0.5], rel=0.1)


def test_latex_options(samples):
    row = af.text.Samples.latex(
        samples=samples,
        median_pdf_model=False,
        sigma=3.0,
        name_to_label=False,
        include_quickmath=True,
        prefix="fit & ",
        suffix=" \\\\",
    )
    assert row.startswith("fit & $centre^{\\rm{g}} = ")
    assert row.endswith("$ \\\\")
    best = samples.max_log_likelihood(as_instance=False)
    errors = samples.errors_at_sigma(3.0, as_instance=False)
    first = cells(row)[1]
    assert (
        first
        == f"${'centre'}^{{\\rm{{g}}}} = {best[0]:.2f}^{{+{errors[0][1]:.2f}}}_{{-{errors[0][0]:.2f}}}$"
    )


def test_latex_without_names_and_with_a_format(samples):
    row = af.text.Samples.latex(samples=samples, include_name=False, format_string="{:.1f}")
    assert all(re.fullmatch(r"-?\d+\.\d\^\{\+\d+\.\d\}_\{-\d+\.\d\}", cell) for cell in cells(row))


def test_latex_of_a_summary_is_that_of_its_samples(samples):
    summary = af.SamplesSummary(samples.model, samples.summary().dict())
    assert af.text.Samples.latex(samples=summary, sigma=3.0) == af.text.Samples.latex(
        samples=samples, sigma=3.0
    )


def test_latex_of_a_bad_sigma_is_an_error(samples):
    with pytest.raises(ValueError, match="sigma must be positive"):
        af.text.Samples.latex(samples=samples, sigma=0.0)


def test_summary_lists_each_parameter_under_its_component(samples):
    text = af.text.Samples.summary(samples, sigma=1.0)
    lines = text.splitlines()
    assert lines[0] == "Summary (1.0 sigma limits):"
    assert lines[2] == "gaussian"
    median = samples.median_pdf(as_instance=False)
    lower = samples.values_at_lower_sigma(1.0, as_instance=False)
    upper = samples.values_at_upper_sigma(1.0, as_instance=False)
    for line, name, m, lo, hi in zip(
        lines[3:], ["centre", "normalization", "sigma"], median, lower, upper, strict=True
    ):
        assert line.split() == [name, f"{m:.4g}", f"({lo:.4g},", f"{hi:.4g})"]
        assert line.startswith(" " + name)
