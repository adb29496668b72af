"""Traces of a fit: each parameter and the log likelihood against sample index.

For MCMC samples every walker is drawn as a line against the step (one line collection per
panel) and the burn-in is marked; for nested samples and optimisers the samples are drawn in
the order the search stored them. Long runs are thinned to about ``max_points`` points per
panel, keeping every walker.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from autofit.plot.labels import parameter_labels
from autofit.plot.output import check_formats, close_figure, finish, new_figure
from autofit.samples.mcmc import SamplesMCMC
from autofit.samples.nest import SamplesNest
from autofit.samples.optimizer import SamplesOptimizer

__all__ = ["subplot_parameters", "log_likelihood_vs_iteration", "thinned_index"]

#: Points drawn per panel at most (about; every walker keeps at least ``MIN_STEPS`` steps).
MAX_POINTS = 2000
#: Steps of each walker drawn at least (if the chain has that many).
MIN_STEPS = 50
#: The lowest values of the log likelihood below this percentile are left out of its y range.
LOG_LIKELIHOOD_PERCENTILE = 5.0


def thinned_index(count: int, max_points: int) -> np.ndarray:
    """Every ``ceil(count / max_points)``-th index of ``count``, starting at 0."""
    return np.arange(0, count, max(1, math.ceil(count / max(max_points, 1))))


def _x_label(samples: Any) -> str:
    if isinstance(samples, SamplesMCMC):
        return "step"
    if isinstance(samples, SamplesNest):
        return "iteration (dead point)"
    if isinstance(samples, SamplesOptimizer):
        return "evaluation"
    return "sample"


def _step_index(samples: SamplesMCMC, max_points: int) -> np.ndarray:
    steps = samples.total_samples // samples.nwalkers
    budget = max(max_points // samples.nwalkers, min(steps, MIN_STEPS))
    return thinned_index(steps, budget)


def _draw_walkers(axes: Any, steps: np.ndarray, values: np.ndarray) -> None:
    """One line per walker: ``values`` is ``(len(steps), n_walkers)``."""
    from matplotlib.collections import LineCollection

    x = np.broadcast_to(steps[:, None], values.shape)
    segments = np.stack([x, values], axis=-1).transpose(1, 0, 2)
    axes.add_collection(LineCollection(segments, linewidths=0.6, alpha=0.5, colors="C0"))
    axes.autoscale_view()


def _mark_burn_in(axes: Any, samples: SamplesMCMC) -> None:
    if samples.burn_in > 0:
        axes.axvline(samples.burn_in, color="k", linestyle="--", linewidth=0.8, label="burn-in")


def _check_samples(samples: Any) -> None:
    if samples.total_samples == 0:
        raise ValueError("Cannot plot empty samples: the search has not stored any sample yet")


def subplot_parameters(
    samples: Any,
    path: str | os.PathLike[str] | None = None,
    filename: str = "subplot_parameters",
    format: str | Sequence[str] = "show",
    max_points: int = MAX_POINTS,
) -> Any:
    """One panel per parameter showing its value against sample index.

    MCMC samples: every walker's trace against the step, with the burn-in marked by a dashed
    line. Other samples (nested sampling, optimisers): each stored sample in the order the
    search produced it (for an optimiser, its sequence of evaluations).

    Parameters
    ----------
    samples
        The samples of a fit.
    path
        The folder files are written to (required for ``"png"`` and ``"pdf"``).
    filename
        The file name without its extension.
    format
        ``"show"`` (return the figure), ``"png"``, ``"pdf"``, or a list of them.
    max_points
        About this many points are drawn per panel: long runs are thinned to every n-th step
        (every walker is kept, with at least 50 steps) or sample.

    Returns
    -------
    matplotlib.figure.Figure or None
        The figure if ``"show"`` is among the formats; otherwise it is closed and None returned.

    Raises
    ------
    ValueError
        For an invalid format, a file format without ``path``, or empty samples.
    """
    formats = check_formats(format, path)
    _check_samples(samples)
    labels = parameter_labels(samples.model)
    count = len(labels)
    columns = 1 if count <= 3 else 2 if count <= 8 else 3
    rows = math.ceil(count / columns)
    width, height = 4.5 * columns, 1.4 * rows + 0.6
    figure = new_figure(formats, (width, height))
    try:
        panels = figure.subplots(rows, columns, sharex=True, squeeze=False)
        figure.subplots_adjust(
            left=0.8 / width,
            right=1.0 - 0.15 / width,
            bottom=0.5 / height,
            top=1.0 - 0.15 / height,
            wspace=0.35,
            hspace=0.12,
        )
        mcmc = isinstance(samples, SamplesMCMC)
        if mcmc:
            steps = _step_index(samples, max_points)
            chain = samples.chain[steps]
        else:
            index = thinned_index(samples.total_samples, max_points)
        for parameter, axes in enumerate(panels.flat):
            if parameter >= count:
                axes.set_visible(False)
                continue
            if mcmc:
                _draw_walkers(axes, steps, chain[:, :, parameter])
                _mark_burn_in(axes, samples)
            else:
                axes.plot(index, samples.parameters[index, parameter], ".", markersize=2)
            axes.set_ylabel(labels[parameter])
        for axes in panels[-1]:
            axes.set_xlabel(_x_label(samples))
        if count % columns:
            for axes in panels[-2, count % columns :]:
                axes.tick_params(labelbottom=True)
                axes.set_xlabel(_x_label(samples))
    except BaseException:
        close_figure(figure)
        raise
    return finish(figure, path, filename, formats)


def log_likelihood_vs_iteration(
    samples: Any,
    path: str | os.PathLike[str] | None = None,
    filename: str = "log_likelihood_vs_iteration",
    format: str | Sequence[str] = "show",
    max_points: int = MAX_POINTS,
) -> Any:
    """The log likelihood of the samples against sample index.

    MCMC samples: each walker's log likelihood against the step, with the burn-in marked.
    Other samples: each stored sample in the order the search produced it, and the highest log
    likelihood reached so far as a line. The y axis spans the values above their 5th
    percentile, so that a few very poor early samples do not flatten the rest.

    Parameters
    ----------
    samples
        The samples of a fit.
    path
        The folder files are written to (required for ``"png"`` and ``"pdf"``).
    filename
        The file name without its extension.
    format
        ``"show"`` (return the figure), ``"png"``, ``"pdf"``, or a list of them.
    max_points
        About this many points are drawn (see :func:`subplot_parameters`).

    Returns
    -------
    matplotlib.figure.Figure or None
        The figure if ``"show"`` is among the formats; otherwise it is closed and None returned.

    Raises
    ------
    ValueError
        For an invalid format, a file format without ``path``, or empty samples.
    """
    formats = check_formats(format, path)
    _check_samples(samples)
    figure = new_figure(formats, (6.0, 3.5))
    try:
        axes = figure.subplots()
        figure.subplots_adjust(left=0.16, right=0.97, bottom=0.15, top=0.95)
        if isinstance(samples, SamplesMCMC):
            steps = _step_index(samples, max_points)
            walkers = samples.nwalkers
            chain = samples.log_likelihood[: (samples.total_samples // walkers) * walkers]
            values = chain.reshape(-1, walkers)[steps]
            _draw_walkers(axes, steps, np.where(np.isfinite(values), values, np.nan))
            _mark_burn_in(axes, samples)
        else:
            index = thinned_index(samples.total_samples, max_points)
            values = samples.log_likelihood[index]
            axes.plot(index, values, ".", markersize=2, label="sample")
            best = np.fmax.accumulate(
                np.where(np.isnan(samples.log_likelihood), -np.inf, samples.log_likelihood)
            )
            axes.plot(index, best[index], color="C1", linewidth=1.0, label="best so far")
        _set_log_likelihood_range(axes, values)
        axes.set_xlabel(_x_label(samples))
        axes.set_ylabel("log likelihood")
    except BaseException:
        close_figure(figure)
        raise
    return finish(figure, path, filename, formats)


def _set_log_likelihood_range(axes: Any, values: np.ndarray) -> None:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return
    low = float(np.percentile(finite, LOG_LIKELIHOOD_PERCENTILE))
    high = float(finite.max())
    margin = 0.05 * (high - low) if high > low else max(abs(high) * 1e-3, 1.0)
    axes.set_ylim(low - margin, high + margin)
