"""The plots a search writes into ``image/search/`` at the end of a fit.

Which plots each search makes is set in ``visualize/plots_search.yaml`` of the configuration
directories, keyed by the search's class name, with a ``default`` entry for searches not
listed::

    Emcee:
      corner_cornerpy: true
      subplot_parameters: true
      log_likelihood_vs_iteration: true
    default:
      corner_cornerpy: true

Each setting is looked up on its own, first hit wins: the search's entry in every configuration
directory (in the order of ``af.conf.instance.config_paths``), then the ``default`` entry in
every directory; a plot set nowhere is not made. So a ``plots_search.yaml`` of your own only
needs the settings it changes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from autofit.config.visualization import skip_visualization
from autofit.config.yaml_files import YamlDocument, YamlFiles
from autofit.exc import ConfigException
from autofit.plot.corner_plot import corner_cornerpy
from autofit.plot.traces import log_likelihood_vs_iteration, subplot_parameters

__all__ = ["PLOTS", "CONFIG_FILE", "DEFAULT_ENTRY", "plots_for_search", "plot_search", "draw_plots"]

logger = logging.getLogger("autofit.plot")

#: Each configurable plot: its function and the name of its file.
PLOTS: dict[str, tuple[Callable[..., Any], str]] = {
    "corner_cornerpy": (corner_cornerpy, "corner"),
    "subplot_parameters": (subplot_parameters, "subplot_parameters"),
    "log_likelihood_vs_iteration": (log_likelihood_vs_iteration, "log_likelihood_vs_iteration"),
}
#: The configuration file, relative to a configuration directory.
CONFIG_FILE = os.path.join("visualize", "plots_search.yaml")
#: The entry used for searches without one of their own.
DEFAULT_ENTRY = "default"
#: The folder below a fit's ``image/`` folder the plots are written to.
SEARCH_FOLDER = "search"

_files = YamlFiles()


def _documents() -> list[YamlDocument]:
    from autofit.config import instance

    documents = []
    for directory in instance.config_paths:
        document = _files.load(os.path.join(directory, CONFIG_FILE))
        if document is not None:
            _check(document)
            documents.append(document)
    return documents


def _check(document: YamlDocument) -> None:
    for search, entry in document.data.items():
        if entry is None:
            continue
        if not isinstance(entry, Mapping):
            raise ConfigException(
                f"{document.path}: the entry of {search} must map plot names to true or false, "
                f"got {entry!r}"
            )
        for plot, value in entry.items():
            if plot not in PLOTS:
                raise ConfigException(
                    f"{document.path}: {search} names an unknown plot {plot!r}; the plots are "
                    f"{', '.join(PLOTS)}"
                )
            if not isinstance(value, bool):
                raise ConfigException(
                    f"{document.path}: {search}.{plot} must be true or false, got {value!r}"
                )


def plots_for_search(search_name: str) -> list[str]:
    """The names of the plots ``visualize/plots_search.yaml`` enables for a search.

    Parameters
    ----------
    search_name
        The search's class name, for example ``"Emcee"``.

    Returns
    -------
    list of str
        Keys of :data:`PLOTS`, in the order of :data:`PLOTS`.

    Raises
    ------
    ConfigException
        If a ``plots_search.yaml`` is malformed, names an unknown plot or sets a plot to
        something other than true or false; the message names the file.
    """
    documents = _documents()
    enabled = []
    for plot in PLOTS:
        value = None
        for entry_name in (search_name, DEFAULT_ENTRY):
            for document in documents:
                entry = document.data.get(entry_name) or {}
                if plot in entry:
                    value = entry[plot]
                    break
            if value is not None:
                break
        if value:
            enabled.append(plot)
    return enabled


def plot_search(
    samples: Any, image_path: str | os.PathLike[str] | None, search_name: str
) -> list[Path]:
    """Write the plots configured for a search as png files into ``<image_path>/search/``.

    Nothing is drawn when ``AUTOFIT_SKIP_VISUALIZATION`` is set, when ``image_path`` is None
    (a fit without output) or when there are no samples. A plot that fails to draw is logged
    as a warning on the ``autofit.plot`` logger and skipped, so plotting never fails a fit.

    Parameters
    ----------
    samples
        The samples of the fit.
    image_path
        The fit's ``image/`` folder (``paths.image_path``).
    search_name
        The search's class name (``type(search).__name__``), the key of its entry in
        ``visualize/plots_search.yaml``.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    ConfigException
        If a ``plots_search.yaml`` is invalid (see :func:`plots_for_search`).
    """
    if skip_visualization() or image_path is None or samples.total_samples == 0:
        return []
    return draw_plots(samples, Path(image_path), plots_for_search(search_name), search_name)


def draw_plots(
    samples: Any, image_path: Path, plots: list[str], search_name: str = ""
) -> list[Path]:
    """Write the named plots of :data:`PLOTS` as png files into ``<image_path>/search/``; a plot
    that fails is logged on the ``autofit.plot`` logger and skipped.

    Parameters
    ----------
    samples
        The samples of the fit.
    image_path
        The fit's ``image/`` folder.
    plots
        Keys of :data:`PLOTS` (see :func:`plots_for_search`).
    search_name
        The search's class name, for the log messages.

    Returns
    -------
    list of Path
        The files written.
    """
    folder = Path(image_path) / SEARCH_FOLDER
    written = []
    for plot in plots:
        function, filename = PLOTS[plot]
        try:
            function(samples, path=folder, filename=filename, format="png")
        except Exception as error:  # noqa: BLE001 - a plot must never fail the fit
            logger.warning("%s: could not draw %s: %s", search_name, plot, error, exc_info=True)
            continue
        written.append(folder / f"{filename}.png")
    return written
