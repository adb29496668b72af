"""A plot of a 1D profile, as the examples draw their data and fits."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

__all__ = ["plot_profile_1d"]


def plot_profile_1d(
    xvalues: np.ndarray,
    profile_1d: np.ndarray,
    title: str | None = None,
    ylabel: str | None = None,
    errors: np.ndarray | None = None,
    color: str | None = "k",
    output_path: str | os.PathLike[str] | None = None,
    output_filename: str | None = None,
) -> Path | None:
    """Plot a 1D profile (with error bars if given): shown on screen, or written as a PNG.

    Parameters
    ----------
    xvalues
        The x coordinates of the profile.
    profile_1d
        The profile's values at ``xvalues``.
    title, ylabel
        The title and y-axis label (the x axis is "x value of profile").
    errors
        Error bars (e.g. the noise map), or None.
    color
        The colour of the line.
    output_path
        The folder to write ``<output_filename>.png`` to (created if needed). Without it, the
        figure is shown with ``plt.show()`` (matplotlib's backend decides where) and closed.
    output_filename
        The file name without ``.png`` (default ``profile_1d``); used with ``output_path``.

    Returns
    -------
    Path or None
        The written file, or None when the figure was shown.

    Raises
    ------
    ValueError
        If ``xvalues``, ``profile_1d`` and ``errors`` do not have the same length, or
        ``output_filename`` is given without ``output_path``.
    """
    import matplotlib.pyplot as plt

    xvalues = np.asarray(xvalues, dtype=float)
    profile_1d = np.asarray(profile_1d, dtype=float)
    if profile_1d.shape != xvalues.shape or (
        errors is not None and np.shape(errors) != xvalues.shape
    ):
        raise ValueError(
            f"plot_profile_1d: xvalues {xvalues.shape}, profile_1d {profile_1d.shape} and "
            f"errors {None if errors is None else np.shape(errors)} must have the same shape"
        )
    if output_filename is not None and output_path is None:
        raise ValueError(
            f"plot_profile_1d: output_filename={output_filename!r} needs an output_path "
            "(the folder to write it to)"
        )
    figure, axes = plt.subplots()
    try:
        axes.errorbar(
            x=xvalues,
            y=profile_1d,
            yerr=errors,
            color=color,
            ecolor="k",
            elinewidth=1,
            capsize=2,
        )
        axes.set_title(title)
        axes.set_xlabel("x value of profile")
        axes.set_ylabel(ylabel)
        if output_path is None:
            plt.show()
            return None
        folder = Path(output_path)
        folder.mkdir(parents=True, exist_ok=True)
        file = folder / f"{output_filename or 'profile_1d'}.png"
        figure.savefig(file)
        return file
    finally:
        plt.close(figure)
