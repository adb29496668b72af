"""The figure of merit of a grid search: a line over one grid prior, a map over two."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from autofit.plot.output import check_formats, finish, new_figure

__all__ = ["grid_search"]


def grid_search(
    result: Any,
    use_log_evidences: bool | None = None,
    relative_to_value: float = 0.0,
    path: str | os.PathLike[str] | None = None,
    filename: str = "grid_search",
    format: str | Sequence[str] = "show",
) -> Any:
    """Draw a grid search's figure of merit against its grid priors.

    One grid prior gives a line through the cells' centres (each cell's range shaded); two
    give an image whose pixels are the cells, with a colour bar.

    Parameters
    ----------
    result
        A :class:`~autofit.GridSearchResult`.
    use_log_evidences
        Plot log evidences (True) or maximum log likelihoods (False); by default evidences
        when every cell has one.
    relative_to_value
        Subtracted from every value (e.g. the evidence of a model without the feature).
    path
        The folder of the files (a grid search writes its plot into its ``image/`` folder).
    filename
        The file name without its extension.
    format
        ``"show"`` (return the figure), ``"png"``, ``"pdf"`` or a list of them.

    Returns
    -------
    The figure if ``"show"`` is among the formats; otherwise None.

    Raises
    ------
    ValueError
        For a grid of more than two grid priors, or an invalid format.
    """
    formats = check_formats(format, path)
    if len(result.shape) > 2:
        raise ValueError(
            f"aplt.grid_search draws grids of one or two grid priors; this grid has "
            f"{len(result.shape)}: plot result.figure_of_merits(...).native slices instead"
        )
    if use_log_evidences is None:
        use_log_evidences = all(s.log_evidence is not None for s in result.samples)
    values = np.asarray(
        result.figure_of_merits(
            use_log_evidences=use_log_evidences, relative_to_value=relative_to_value
        ).native,
        dtype=float,
    )
    label = "log evidence" if use_log_evidences else "max log likelihood"
    if relative_to_value:
        label += f" - {relative_to_value:g}"
    names = result.names or [f"grid prior {i}" for i in range(len(result.shape))]
    lower = np.asarray(result.physical_lower_limits_lists.native, dtype=float)
    upper = np.asarray(result.physical_upper_limits_lists.native, dtype=float)
    figure = new_figure(formats, (6.0, 4.5) if len(result.shape) == 2 else (6.0, 3.5))
    axes = figure.add_subplot(1, 1, 1)
    if len(result.shape) == 1:
        centres = np.asarray(result.physical_centres_lists.native, dtype=float)[:, 0]
        for low, high in zip(lower[:, 0], upper[:, 0], strict=True):
            axes.axvspan(low, high, color="0.92", zorder=0)
        axes.plot(centres, values, marker="o")
        axes.set_xlabel(names[0])
        axes.set_ylabel(label)
    else:
        # Rows are steps of the first grid prior (y, increasing upwards), columns the second.
        extent = (lower[0, 0, 1], upper[-1, -1, 1], lower[0, 0, 0], upper[-1, -1, 0])
        image = axes.imshow(values, extent=extent, aspect="auto", origin="lower")
        axes.set_xlabel(names[1])
        axes.set_ylabel(names[0])
        figure.colorbar(image, ax=axes, label=label)
    axes.set_title("Grid search")
    figure.tight_layout()
    return finish(figure, path, filename, formats)
