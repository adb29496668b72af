"""Parameter and log likelihood traces (autofit/plot/traces.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

import autofit as af
import autofit.plot as aplt
from autofit.plot.traces import thinned_index

from .conftest import BURN_IN, is_png, mcmc_samples, nest_samples, optimizer_samples

LABELS = [r"$x^{\rm g}$", r"$N^{\rm g}$", r"$\sigma^{\rm g}$"]


def visible(figure: Figure) -> list:
    return [axes for axes in figure.axes if axes.get_visible()]


def walker_lines(axes) -> np.ndarray:
    """The vertices of the one line collection of a panel: (walkers, points, 2)."""
    (collection,) = [child for child in axes.collections if isinstance(child, LineCollection)]
    return np.array(collection.get_segments())


def burn_in_lines(axes) -> list[float]:
    return [line.get_xdata()[0] for line in axes.lines if line.get_label() == "burn-in"]


def test_thinned_index_keeps_every_nth_sample_from_the_first():
    np.testing.assert_array_equal(thinned_index(10, 20), np.arange(10))
    np.testing.assert_array_equal(thinned_index(10, 5), [0, 2, 4, 6, 8])
    np.testing.assert_array_equal(thinned_index(10, 3), [0, 4, 8])
    assert thinned_index(15000, 2000).size == 1875


@pytest.mark.parametrize("plot", [aplt.subplot_parameters, aplt.log_likelihood_vs_iteration])
def test_each_kind_of_samples_writes_a_png(plot, any_samples, tmp_path):
    assert plot(any_samples, path=tmp_path / "out", format="png") is None
    (written,) = (tmp_path / "out").iterdir()
    assert written.name == f"{plot.__name__}.png"
    assert is_png(written)


@pytest.mark.parametrize("plot", [aplt.subplot_parameters, aplt.log_likelihood_vs_iteration])
def test_show_returns_a_figure_and_an_invalid_format_raises(plot, tmp_path):
    samples = optimizer_samples()
    assert isinstance(plot(samples), Figure)
    with pytest.raises(ValueError, match="'show', 'png', 'pdf'"):
        plot(samples, path=tmp_path / "out", format="gif")
    empty = af.Samples(af.Model(af.ex.Gaussian), np.empty((0, 3)), [], [])
    with pytest.raises(ValueError, match="empty"):
        plot(empty)
    assert not (tmp_path / "out").exists()


def test_mcmc_parameters_are_every_walkers_trace_thinned_by_step():
    samples = mcmc_samples()  # 30 walkers x 500 steps
    figure = aplt.subplot_parameters(samples, max_points=2000)
    panels = visible(figure)
    assert [axes.get_ylabel() for axes in panels] == LABELS
    assert panels[-1].get_xlabel() == "step"
    # 2000 points / 30 walkers = 66 steps per walker -> every ceil(500 / 66) = 8th step.
    steps = np.arange(0, 500, 8)
    for parameter, axes in enumerate(panels):
        lines = walker_lines(axes)
        assert lines.shape == (30, steps.size, 2)
        np.testing.assert_array_equal(lines[:, :, 0], np.tile(steps, (30, 1)))
        np.testing.assert_array_equal(lines[:, :, 1], samples.chain[steps, :, parameter].T)
        assert burn_in_lines(axes) == [BURN_IN]


def test_few_walkers_of_a_long_chain_keep_at_least_50_steps():
    samples = mcmc_samples(walkers=200, steps=120)
    figure = aplt.subplot_parameters(samples, max_points=2000)
    lines = walker_lines(visible(figure)[0])
    # 2000 / 200 = 10 steps would be too coarse: 50 steps -> every ceil(120 / 50) = 3rd step.
    assert lines.shape == (200, 40, 2)


def test_other_samples_are_drawn_in_the_order_they_were_stored():
    samples = optimizer_samples(count=200)
    figure = aplt.subplot_parameters(samples, max_points=80)
    index = np.arange(0, 200, 3)  # ceil(200 / 80) = 3
    for parameter, axes in enumerate(visible(figure)):
        (points,) = axes.lines
        np.testing.assert_array_equal(points.get_xdata(), index)
        np.testing.assert_array_equal(points.get_ydata(), samples.parameters[index, parameter])
    assert visible(figure)[-1].get_xlabel() == "evaluation"
    nested = aplt.subplot_parameters(nest_samples())
    assert visible(nested)[-1].get_xlabel() == "iteration (dead point)"


@pytest.mark.parametrize(("components", "columns", "rows"), [(1, 1, 3), (2, 2, 3), (3, 3, 3)])
def test_panels_are_laid_out_in_up_to_three_columns(components, columns, rows):
    model = af.Collection([af.ex.Gaussian] * components)
    count = 3 * components
    parameters = np.random.default_rng(0).normal(size=(40, count)) + 10.0
    samples = af.SamplesOptimizer(model, parameters, np.zeros(40), np.zeros(40))
    figure = aplt.subplot_parameters(samples)
    assert len(figure.axes) == columns * rows
    assert len(visible(figure)) == count
    shape = figure.axes[0].get_subplotspec().get_gridspec().get_geometry()
    assert shape == (rows, columns)


def test_mcmc_log_likelihood_is_every_walkers_trace_with_the_burn_in():
    samples = mcmc_samples()
    figure = aplt.log_likelihood_vs_iteration(samples, max_points=2000)
    (axes,) = figure.axes
    steps = np.arange(0, 500, 8)
    lines = walker_lines(axes)
    by_step = samples.log_likelihood.reshape(500, 30)
    np.testing.assert_array_equal(lines[:, :, 1], by_step[steps].T)
    assert burn_in_lines(axes) == [BURN_IN]
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("step", "log likelihood")


def test_other_log_likelihoods_show_the_best_so_far_and_clip_the_worst_5_percent():
    values = np.array([-1000.0, -3.0, -5.0, -1.0, -2.0, -0.5, -4.0, -0.7, -0.2, -6.0])
    parameters = np.arange(30.0).reshape(10, 3)
    samples = af.SamplesOptimizer(af.Model(af.ex.Gaussian), parameters, values, np.zeros(10))
    figure = aplt.log_likelihood_vs_iteration(samples)
    (axes,) = figure.axes
    points, best = axes.lines
    np.testing.assert_array_equal(points.get_ydata(), values)
    np.testing.assert_array_equal(
        best.get_ydata(), [-1000.0, -3.0, -3.0, -1.0, -1.0, -0.5, -0.5, -0.5, -0.2, -0.2]
    )
    low = np.percentile(values, 5.0)  # -1000 + 0.45 * 994 = -552.7
    assert low == pytest.approx(-552.7)
    margin = 0.05 * (-0.2 - low)
    assert axes.get_ylim() == pytest.approx((low - margin, -0.2 + margin))


def test_non_finite_log_likelihoods_do_not_break_the_plot(tmp_path):
    values = np.array([-np.inf, np.nan, -2.0, -1.0])
    parameters = np.arange(12.0).reshape(4, 3)
    samples = af.SamplesOptimizer(af.Model(af.ex.Gaussian), parameters, values, np.zeros(4))
    figure = aplt.log_likelihood_vs_iteration(samples)
    _, best = figure.axes[0].lines
    np.testing.assert_array_equal(best.get_ydata(), [-np.inf, -np.inf, -2.0, -1.0])
    aplt.log_likelihood_vs_iteration(samples, path=tmp_path, format="png")
    assert is_png(tmp_path / "log_likelihood_vs_iteration.png")
    assert math.isfinite(figure.axes[0].get_ylim()[0])
