"""Corner plots of the posterior with the corner package (autofit/plot/corner_plot.py)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import autofit as af
import autofit.plot as aplt
from autofit.plot import corner_plot
from autofit.plot.corner_plot import pdf_for_corner

from .conftest import (
    BURN_IN,
    MEAN,
    PDF_MAGIC,
    WALKERS,
    is_png,
    mcmc_samples,
    nest_samples,
    optimizer_samples,
)

LABELS = [r"$x^{\rm g}$", r"$N^{\rm g}$", r"$\sigma^{\rm g}$"]


def small_mcmc() -> af.SamplesMCMC:
    """10 walkers x 200 steps: 1000 samples after burn-in."""
    return mcmc_samples(walkers=10, steps=200)


def png_size(path) -> tuple[int, int]:
    """Width and height from the IHDR chunk of a PNG file."""
    header = path.read_bytes()[16:24]
    return int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")


def test_each_kind_of_samples_writes_a_png(any_samples, tmp_path):
    assert aplt.corner_cornerpy(any_samples, path=tmp_path / "out", format="png") is None
    assert is_png(tmp_path / "out" / "corner.png")


def test_png_and_pdf_with_a_filename(tmp_path):
    aplt.corner_cornerpy(small_mcmc(), path=tmp_path, filename="posterior", format=["png", "pdf"])
    assert is_png(tmp_path / "posterior.png")
    assert (tmp_path / "posterior.pdf").read_bytes()[:4] == PDF_MAGIC


def test_show_returns_the_figure_with_labels_and_writes_nothing(tmp_path):
    before = sorted(tmp_path.rglob("*"))
    figure = aplt.corner_cornerpy(small_mcmc())
    assert isinstance(figure, Figure)
    assert len(figure.axes) == 9
    assert [axes.get_xlabel() for axes in figure.axes[6:]] == LABELS
    assert [axes.get_ylabel() for axes in (figure.axes[3], figure.axes[6])] == LABELS[1:]
    assert sorted(tmp_path.rglob("*")) == before


def test_corner_keywords_override_the_defaults():
    figure = aplt.corner_cornerpy(small_mcmc(), labels=["a", "b", "c"], bins=7)
    assert [axes.get_xlabel() for axes in figure.axes[6:]] == ["a", "b", "c"]
    (histogram,) = figure.axes[0].patches  # corner draws a 1D histogram as one step patch
    assert len(histogram.get_path().vertices) == 2 * 7 + 2


def test_an_invalid_format_raises_before_drawing(tmp_path):
    with pytest.raises(ValueError, match="'show', 'png', 'pdf'"):
        aplt.corner_cornerpy(small_mcmc(), path=tmp_path / "out", format="jpeg")
    assert not (tmp_path / "out").exists()


def test_empty_samples_raise():
    empty = af.Samples(af.Model(af.ex.Gaussian), np.empty((0, 3)), [], [])
    with pytest.raises(ValueError, match="empty"):
        aplt.corner_cornerpy(empty)


def test_mcmc_draws_at_most_max_samples_of_the_chain_after_burn_in():
    samples = mcmc_samples()
    after_burn_in = samples.parameters[BURN_IN * WALKERS :]
    parameters, weights = pdf_for_corner(samples, max_samples=5000)
    assert weights is None
    assert parameters.shape == (5000, 3)
    # Drawn without replacement from the PDF rows: distinct rows, all of the chain after burn-in.
    rows = {tuple(row) for row in after_burn_in.tolist()}
    drawn = [tuple(row) for row in parameters.tolist()]
    assert len(set(drawn)) == 5000
    assert set(drawn) <= rows
    again, _ = pdf_for_corner(samples, max_samples=5000)
    np.testing.assert_array_equal(parameters, again)


def test_few_samples_are_drawn_as_they_are_with_their_weights():
    samples = nest_samples()
    parameters, weights = pdf_for_corner(samples, max_samples=5000)
    np.testing.assert_array_equal(parameters, samples.parameters)
    np.testing.assert_allclose(weights, samples.weights, rtol=0, atol=0)
    mcmc = mcmc_samples()
    parameters, weights = pdf_for_corner(mcmc, max_samples=None)
    assert parameters.shape[0] == (500 - BURN_IN) * WALKERS and weights is None


def test_weighted_samples_are_resampled_by_weight():
    samples = nest_samples()
    parameters, weights = pdf_for_corner(samples, max_samples=1000)
    assert weights is None and parameters.shape == (1000, 3)
    weighted_mean = np.average(samples.parameters, axis=0, weights=samples.weights)
    # Standard error of a mean of 1000 draws is below 2 / sqrt(1000) = 0.063 for every parameter.
    np.testing.assert_allclose(parameters.mean(axis=0), weighted_mean, atol=0.25)
    np.testing.assert_allclose(weighted_mean, MEAN, atol=0.25)


def test_weighted_samples_span_the_central_99_9_percent_of_their_weight():
    samples = nest_samples()
    assert samples.parameters[:, 0].min() < 42.0  # the proposal is three times wider
    figure = aplt.corner_cornerpy(samples)
    low, high = figure.axes[0].get_xlim()
    # N(50, 1): the 0.05% and 99.95% points are 50 -/+ 3.29.
    assert low == pytest.approx(50.0 - 3.29, abs=0.6)
    assert high == pytest.approx(50.0 + 3.29, abs=0.6)


def test_an_optimiser_marks_its_best_point():
    samples = optimizer_samples()
    best = samples.parameters[np.argmax(samples.log_likelihood)]
    figure = aplt.corner_cornerpy(samples)
    for axes, value in zip((figure.axes[0], figure.axes[4], figure.axes[8]), best, strict=True):
        lines = [line for line in axes.lines if len(set(line.get_xdata())) == 1]
        assert [line.get_xdata()[0] for line in lines] == [value]
        low, high = axes.get_xlim()
        assert low == pytest.approx(value - 1e-3 * abs(value))
        assert high == pytest.approx(value + 1e-3 * abs(value))


def test_fewer_samples_than_parameters_and_a_single_parameter(tmp_path):
    two = af.Samples(
        af.Model(af.ex.Gaussian), [[49.0, 24.0, 9.0], [51.0, 26.0, 11.0]], [0.0, -1.0], [0, 0]
    )
    aplt.corner_cornerpy(two, path=tmp_path, filename="two", format="png")
    assert is_png(tmp_path / "two.png")
    model = af.Model(af.ex.Gaussian, normalization=1.0, sigma=2.0)
    values = np.random.default_rng(0).normal(50.0, 1.0, (100, 1))
    one = af.Samples(model, values, np.zeros(100), np.zeros(100))
    figure = aplt.corner_cornerpy(one)
    assert len(figure.axes) == 1 and figure.axes[0].get_xlabel() == r"$x^{\rm g}$"


def test_the_saved_image_is_at_most_max_pixels_wide(tmp_path, monkeypatch):
    aplt.corner_cornerpy(small_mcmc(), path=tmp_path, filename="full", format="png")
    side = 1.4 + 2.0 * 3 + 2.0 * 2 * 0.05
    assert png_size(tmp_path / "full.png") == (round(side * 100), round(side * 100))
    monkeypatch.setattr(corner_plot, "MAX_PIXELS", 300)
    aplt.corner_cornerpy(small_mcmc(), path=tmp_path, filename="small", format="png")
    assert png_size(tmp_path / "small.png") == (300, 300)
