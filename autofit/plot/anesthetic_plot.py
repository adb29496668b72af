"""Corner plots of the posterior with the ``anesthetic`` package (the ``anesthetic`` extra).

anesthetic draws weighted samples (nested sampling's dead points) as kernel density estimates,
smooth where ``corner``'s histograms are noisy. It is imported when a plot is drawn; without it
:func:`corner_anesthetic` raises an ImportError naming the extra.
"""

from __future__ import annotations

import importlib.util
import os
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from autofit.plot.corner_plot import pdf_for_corner
from autofit.plot.labels import parameter_labels
from autofit.plot.output import check_formats, close_figure, finish, new_figure

__all__ = ["corner_anesthetic", "anesthetic_available", "ANESTHETIC_EXTRA"]

#: How to install the package.
ANESTHETIC_EXTRA = "pip install 'autofit[anesthetic]'"
#: The side of the figure per parameter, in inches.
INCHES_PER_PARAMETER = 2.5


def anesthetic_available() -> bool:
    """Whether the anesthetic package can be imported (checked without importing it)."""
    return importlib.util.find_spec("anesthetic") is not None


def _import_anesthetic() -> Any:
    try:
        import anesthetic
    except ImportError as error:
        raise ImportError(
            f"corner_anesthetic needs the 'anesthetic' package: {ANESTHETIC_EXTRA}"
        ) from error
    return anesthetic


def corner_anesthetic(
    samples: Any,
    path: str | os.PathLike[str] | None = None,
    filename: str = "corner_anesthetic",
    format: str | Sequence[str] = "show",
    parameter_indices: Sequence[int] | None = None,
    max_samples: int | None = None,
    **kwargs: Any,
) -> Any:
    """A corner plot of the posterior drawn by anesthetic: kernel density estimates of the 1D
    and 2D marginals of every parameter (or of ``parameter_indices``).

    The PDF samples and weights are those of ``samples.pdf()`` (the chain after burn-in for
    MCMC, the weighted dead points for nested sampling); the axes carry the LaTeX labels of
    ``model.parameter_labels_with_superscripts``.

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
    parameter_indices
        Indices (in model order) of the parameters to plot; all by default.
    max_samples
        At most this many samples are drawn, resampled by weight with a fixed seed (see
        :func:`~autofit.plot.corner_plot.pdf_for_corner`); None (the default) uses every
        sample with its weight.
    **kwargs
        Passed to anesthetic's ``plot_2d`` (``kinds``, ``alpha``, ``color``, ...).

    Returns
    -------
    matplotlib.figure.Figure or None
        The figure if ``"show"`` is among the formats; otherwise it is closed and None returned.

    Raises
    ------
    ImportError
        If anesthetic is not installed (the message names the ``anesthetic`` extra).
    ValueError
        For an invalid format, a file format without ``path``, empty samples, or a parameter
        index out of range.
    """
    formats = check_formats(format, path)
    _import_anesthetic()
    from anesthetic import make_2d_axes
    from anesthetic.samples import Samples

    parameters, weights = pdf_for_corner(samples, max_samples)
    labels = parameter_labels(samples.model)
    count = parameters.shape[1]
    indices = list(range(count)) if parameter_indices is None else list(parameter_indices)
    outside = [index for index in indices if not -count <= index < count]
    if outside or not indices:
        raise ValueError(
            f"parameter_indices must be indices of the {count} parameters of the model, "
            f"got {list(parameter_indices or [])}"
        )
    parameters = parameters[:, indices]
    # anesthetic keys its columns by name; labels can repeat (two components of one class), so
    # the columns are named by position and the labels are only shown.
    columns = [f"p{index}" for index in range(len(indices))]
    shown = {column: labels[index] for column, index in zip(columns, indices, strict=True)}
    if weights is None:
        weights = np.ones(parameters.shape[0])
    side = max(INCHES_PER_PARAMETER * len(indices), 3.0)
    figure = new_figure(formats, (side, side))
    try:
        with warnings.catch_warnings():
            # anesthetic and pandas warn about their own internals (copies, deprecations).
            warnings.simplefilter("ignore")
            posterior = Samples(parameters, weights=weights, columns=columns, labels=shown)
            _, axes = make_2d_axes(columns, labels=shown, fig=figure)
            options = {"alpha": 0.9, "label": "posterior", **kwargs}
            posterior.plot_2d(axes, **options)
    except BaseException:
        close_figure(figure)
        raise
    return finish(figure, path, filename, formats)
