"""Search plots drawn in a child process, so plotting never slows the fit down.

Importing matplotlib and drawing a corner plot costs about a second, as much as a short fit
itself. At the end of a fit the search forks a child process that draws the plots while the
script carries on; :func:`wait_for_plots` (called automatically when Python exits) waits for
them. Where ``fork`` is unavailable the plots are drawn in the calling process.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
from pathlib import Path
from typing import Any

__all__ = ["plot_search_in_background", "wait_for_plots"]

logger = logging.getLogger("autofit.plot")

_RUNNING: list[Any] = []


def _draw(samples: Any, image_path: Path, search_name: str) -> None:
    from autofit.plot.search_plots import plot_search

    plot_search(samples, image_path, search_name)


def plot_search_in_background(samples: Any, image_path: Path, search_name: str) -> Any:
    """Draw the search's plots (see :func:`~autofit.plot.search_plots.plot_search`) in a child
    process; returns the process, or None when they were drawn in this process."""
    if "fork" not in multiprocessing.get_all_start_methods():
        _draw(samples, image_path, search_name)
        return None
    process = multiprocessing.get_context("fork").Process(
        target=_draw, args=(samples, Path(image_path), search_name), daemon=False
    )
    process.start()
    _RUNNING.append(process)
    return process


def wait_for_plots(timeout: float | None = None) -> None:
    """Wait until every plot started in the background is written."""
    while _RUNNING:
        process = _RUNNING.pop(0)
        process.join(timeout)
        if process.exitcode not in (0, None):
            logger.warning("Drawing the search plots failed (exit code %s)", process.exitcode)


atexit.register(wait_for_plots)
