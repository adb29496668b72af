"""Figures of the plot functions: formats, new figures, and writing them to files.

A figure that is only saved is a plain :class:`matplotlib.figure.Figure`, not registered with
pyplot: saving it renders with Agg whatever the session's backend is, changes no global state
and leaves nothing open. A figure that is shown (``format="show"``) is a pyplot figure, so that
Jupyter and interactive backends display it. matplotlib is imported only when a function here is
called.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "FORMATS",
    "FILE_FORMATS",
    "check_formats",
    "new_figure",
    "output_figure",
    "close_figure",
    "finish",
]

#: Every value of ``format``: "show" returns the figure, the others are file formats.
FORMATS = ("show", "png", "pdf")
#: The file formats.
FILE_FORMATS = ("png", "pdf")
#: Dots per inch of saved figures.
DPI = 100
#: Options of ``savefig`` per format: png files are compressed fast (lossless, a little larger).
SAVE_OPTIONS: dict[str, dict[str, Any]] = {"png": {"pil_kwargs": {"compress_level": 1}}}


def check_formats(format: str | Sequence[str], path: str | os.PathLike[str] | None) -> list[str]:
    """The formats requested, as a list without repeats, checked.

    Parameters
    ----------
    format
        One of ``"show"``, ``"png"``, ``"pdf"``, or a list of them.
    path
        The folder files are written to; required if a file format is requested.

    Returns
    -------
    list of str
        The formats, in the order given.

    Raises
    ------
    ValueError
        If a format is not one of :data:`FORMATS` (the message names the valid ones), if none
        is given, or if a file format is requested without a ``path``.
    """
    formats = [format] if isinstance(format, str) else list(format)
    if not formats:
        raise ValueError(f"No plot format given: use one or more of {', '.join(FORMATS)}")
    invalid = [value for value in formats if value not in FORMATS]
    if invalid:
        raise ValueError(
            f"Invalid plot format {', '.join(map(repr, invalid))}: use one or more of "
            f"{', '.join(map(repr, FORMATS))}"
        )
    formats = list(dict.fromkeys(formats))
    if path is None and any(value in FILE_FORMATS for value in formats):
        raise ValueError(
            f"Plot format {', '.join(v for v in formats if v in FILE_FORMATS)} writes a file: "
            "give the folder as path=..."
        )
    return formats


def new_figure(
    formats: Sequence[str], figsize: tuple[float, float], dpi: float | None = DPI
) -> Any:
    """An empty figure: a pyplot figure if it is to be shown, else a plain ``Figure``.

    Parameters
    ----------
    formats
        The checked formats (see :func:`check_formats`).
    figsize
        Width and height in inches.
    dpi
        Dots per inch of the saved files (a shown figure uses matplotlib's default).
    """
    if "show" in formats:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=figsize)
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, dpi=dpi)


def output_figure(
    figure: Any,
    path: str | os.PathLike[str] | None,
    filename: str,
    format: str | Sequence[str],
) -> list[Path]:
    """Write a figure to ``<path>/<filename>.<format>`` for each file format, then close it.

    The folder is created if needed. Each file is rendered to a temporary name in the folder
    and renamed over the target, so an interrupted write never leaves a truncated image. A
    figure shown (``"show"`` among the formats) stays open; otherwise it is closed.

    Parameters
    ----------
    figure
        The matplotlib figure.
    path
        The folder; may be None if only ``"show"`` is requested.
    filename
        The file name without its extension.
    format
        ``"show"``, ``"png"``, ``"pdf"`` or a list of them.

    Returns
    -------
    list of Path
        The files written, in the order of the formats.

    Raises
    ------
    ValueError
        For an invalid format, or a file format without a ``path``.
    """
    formats = check_formats(format, path)
    written = []
    file_formats = [value for value in formats if value in FILE_FORMATS]
    try:
        if file_formats:
            folder = Path(path)
            folder.mkdir(parents=True, exist_ok=True)
            for value in file_formats:
                target = folder / f"{filename}.{value}"
                temporary = folder / f".{filename}.{os.getpid()}.{value}.tmp"
                try:
                    figure.savefig(temporary, format=value, **SAVE_OPTIONS.get(value, {}))
                    os.replace(temporary, target)
                finally:
                    temporary.unlink(missing_ok=True)
                written.append(target)
    finally:
        if "show" not in formats:
            close_figure(figure)
    return written


def close_figure(figure: Any) -> None:
    """Close a figure; pyplot is only asked to if it manages the figure."""
    if getattr(figure.canvas, "manager", None) is not None:
        import matplotlib.pyplot as plt

        plt.close(figure)


def finish(
    figure: Any, path: str | os.PathLike[str] | None, filename: str, formats: Sequence[str]
) -> Any:
    """Write the files of a plot function's figure; the figure if it is shown, else None."""
    output_figure(figure, path, filename, formats)
    return figure if "show" in formats else None
