"""Corner plots of the posterior with the ``corner`` package."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from autofit.plot.labels import parameter_labels
from autofit.plot.output import DPI, check_formats, close_figure, finish, new_figure

__all__ = ["corner_cornerpy", "pdf_for_corner"]

#: Samples drawn in a corner plot at most; more are resampled by weight.
MAX_SAMPLES = 5000
#: The largest side of a saved corner plot, in pixels.
MAX_PIXELS = 3000
#: The fraction of the weight inside the range of each axis, for weighted samples.
RANGE_FRACTION = 0.999
#: Seed of the resampling, so that the same samples always give the same plot.
SEED = 0


def pdf_for_corner(
    samples: Any, max_samples: int | None = MAX_SAMPLES
) -> tuple[np.ndarray, np.ndarray | None]:
    """The PDF samples and weights to draw, at most ``max_samples`` of them.

    With more PDF samples than ``max_samples``, ``max_samples`` are drawn (with a fixed seed):
    without replacement if the weights are equal, else with replacement with probability equal
    to their weight, so that the drawn samples have equal weights (returned as None).

    Raises
    ------
    ValueError
        If the samples are empty.
    """
    parameters, weights = samples.pdf()
    if parameters.shape[0] == 0:
        raise ValueError("Cannot draw a corner plot of empty samples")
    count = parameters.shape[0]
    equal = bool(np.all(weights == weights[0]))
    if max_samples is None or count <= max_samples:
        return parameters, None if equal else weights
    rng = np.random.default_rng(SEED)
    if equal:
        index = np.sort(rng.choice(count, size=max_samples, replace=False))
    else:
        index = rng.choice(count, size=max_samples, replace=True, p=weights / weights.sum())
    return parameters[index], None


def _corner_size(count: int) -> float:
    """The side in inches of the figure ``corner`` would make for ``count`` parameters."""
    return 1.4 + 2.0 * count + 2.0 * (count - 1) * 0.05


def corner_cornerpy(
    samples: Any,
    path: str | os.PathLike[str] | None = None,
    filename: str = "corner",
    format: str | Sequence[str] = "show",
    max_samples: int | None = MAX_SAMPLES,
    **corner_kwargs: Any,
) -> Any:
    """A corner plot of the posterior: the 1D and 2D marginals of every parameter.

    Drawn by ``corner.corner`` from the PDF samples and weights of ``samples.pdf()`` (the chain
    after burn-in for MCMC, the weighted dead points for nested sampling, the best point for an
    optimiser), with the LaTeX labels of ``model.parameter_labels_with_superscripts``.

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
    max_samples
        At most this many samples are drawn: more are resampled by weight with a fixed seed
        (see :func:`pdf_for_corner`). None draws every sample.
    **corner_kwargs
        Passed to ``corner.corner`` (``truths``, ``quantiles``, ``show_titles``, ``bins``, ...);
        they override the labels, weights and range set here.

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
    parameters, weights = pdf_for_corner(samples, max_samples)
    import corner

    count = parameters.shape[1]
    options: dict[str, Any] = {"labels": parameter_labels(samples.model), "weights": weights}
    low, high = parameters.min(axis=0), parameters.max(axis=0)
    single = bool(np.all(high <= low))
    if weights is not None:
        # Weighted samples (nested sampling) span the prior: show the range holding 99.9% of
        # the weight, and no scatter of the samples, which would ignore their weights.
        options.update(range=_weighted_ranges(parameters, weights), plot_datapoints=False)
    if np.any(high <= low):
        # corner cannot bin a parameter with a single value: give each a small interval.
        pad = np.maximum(np.abs(low) * 1e-3, 1e-3)
        ranges = options.get("range", [(a, b) for a, b in zip(low, high, strict=True)])
        options["range"] = [
            (float(low[i] - pad[i]), float(high[i] + pad[i])) if high[i] <= low[i] else ranges[i]
            for i in range(count)
        ]
    if single:
        # A single point (an optimiser's best fit) has no density to contour: mark it, in the
        # middle of an odd number of bins.
        options.update(
            plot_density=False, plot_contours=False, bins=21, truths=parameters[0].tolist()
        )
    if parameters.shape[0] <= count:
        # corner needs more samples than parameters: repeat them (the marginals are unchanged).
        repeats = count // parameters.shape[0] + 1
        parameters = np.tile(parameters, (repeats, 1))
        if weights is not None:
            options["weights"] = np.tile(weights, repeats)
    options.update(corner_kwargs)
    created = "fig" not in options
    if created:
        side = _corner_size(count)
        options["fig"] = new_figure(formats, (side, side), dpi=min(DPI, MAX_PIXELS / side))
    try:
        figure = corner.corner(parameters, **options)
    except BaseException:
        if created:
            close_figure(options["fig"])
        raise
    return finish(figure, path, filename, formats)


def _weighted_ranges(parameters: np.ndarray, weights: np.ndarray) -> list[tuple[float, float]]:
    """The central ``RANGE_FRACTION`` of the weight of each parameter, widened when the weight
    sits on (almost) one value so that corner can bin it."""
    from autofit.samples.pdf import quantile

    tail = 0.5 * (1.0 - RANGE_FRACTION)
    ranges = []
    for column in parameters.T:
        low, high = quantile(column, np.array([tail, 1.0 - tail]), weights)
        if not high > low:
            spread = float(np.ptp(column)) or max(abs(float(low)) * 1e-3, 1e-3)
            low, high = low - 0.05 * spread, high + 0.05 * spread
        ranges.append((float(low), float(high)))
    return ranges
