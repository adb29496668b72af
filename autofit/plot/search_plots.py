"""The plots a search writes into ``image/search/`` at the end of a fit.

Which plots are made is set in ``visualize/plots_search.yaml`` of the configuration directories.
An entry is either a search family, as in PyAutoFit's own file, or a search's class name, with a
``default`` entry for what neither sets::

    mcmc:                 # Emcee, Zeus, BlackJAXNUTS
      corner_cornerpy: true
    nest:                 # DynestyStatic, DynestyDynamic, Nautilus, UltraNest
      corner_anesthetic: true
    mle:                  # LBFGS, BFGS, MultiStartAdam
      subplot_parameters: true
      log_likelihood_vs_iteration: true
    Emcee:
      subplot_parameters: false
    default:
      corner_cornerpy: true

Each setting is looked up on its own, first hit wins: the search's own entry in every
configuration directory (in the order of ``af.conf.instance.config_paths``), then its family's
entry in every directory, then the ``default`` entry; a plot set nowhere is not made. So a
``plots_search.yaml`` of your own only needs the settings it changes.

Plot names: the keys of :data:`PLOTS` are drawn. The other plots of PyAutoFit's file
(:data:`NOT_DRAWN`) are accepted and ignored, with one informational log line. A plot needing an
optional package that is missing (``corner_anesthetic`` without anesthetic) is skipped with one
:class:`PlotPackageWarning` naming the extra to install. An unknown name close to a known one is
taken for a typo: a ConfigException names the file and the closest name.
"""

from __future__ import annotations

import difflib
import logging
import os
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from autofit.config.visualization import skip_visualization
from autofit.config.yaml_files import YamlDocument, YamlFiles
from autofit.exc import ConfigException
from autofit.plot.anesthetic_plot import ANESTHETIC_EXTRA, anesthetic_available, corner_anesthetic
from autofit.plot.corner_plot import corner_cornerpy
from autofit.plot.traces import log_likelihood_vs_iteration, subplot_parameters

__all__ = [
    "PLOTS",
    "NOT_DRAWN",
    "OPTIONAL_PACKAGES",
    "SEARCH_SECTIONS",
    "CONFIG_FILE",
    "DEFAULT_ENTRY",
    "PlotPackageWarning",
    "plots_for_search",
    "plots_to_draw",
    "section_for",
    "plot_search",
    "draw_plots",
]

logger = logging.getLogger("autofit.plot")

#: Each plot that is drawn: its function and the name of its file.
PLOTS: dict[str, tuple[Callable[..., Any], str]] = {
    "corner_cornerpy": (corner_cornerpy, "corner"),
    "corner_anesthetic": (corner_anesthetic, "corner_anesthetic"),
    "subplot_parameters": (subplot_parameters, "subplot_parameters"),
    "log_likelihood_vs_iteration": (log_likelihood_vs_iteration, "log_likelihood_vs_iteration"),
}
#: Plots of PyAutoFit's ``plots_search.yaml`` that are accepted but not drawn.
NOT_DRAWN = (
    "corner_anesthetic_components",
    "corner_anesthetic_latent",
    "corner_anesthetic_latent_components",
    "figure_of_merit_vs_iteration",
)
#: Plots needing an optional package: whether it is installed, and how to install it.
OPTIONAL_PACKAGES: dict[str, tuple[Callable[[], bool], str]] = {
    "corner_anesthetic": (anesthetic_available, ANESTHETIC_EXTRA),
}
#: The family (entry of ``plots_search.yaml``) of each search of autofit; other searches take
#: it from the kind of their samples (:func:`section_for`).
SEARCH_SECTIONS = {
    "Emcee": "mcmc",
    "Zeus": "mcmc",
    "BlackJAXNUTS": "mcmc",
    "DynestyStatic": "nest",
    "DynestyDynamic": "nest",
    "Nautilus": "nest",
    "UltraNest": "nest",
    "LBFGS": "mle",
    "BFGS": "mle",
    "MultiStartAdam": "mle",
}
#: The configuration file, relative to a configuration directory.
CONFIG_FILE = os.path.join("visualize", "plots_search.yaml")
#: The entry used for what neither a search's entry nor its family's sets.
DEFAULT_ENTRY = "default"
#: The folder below a fit's ``image/`` folder the plots are written to.
SEARCH_FOLDER = "search"
#: How close (difflib ratio) an unknown plot name must be to a known one to be a typo.
TYPO_CUTOFF = 0.8

_files = YamlFiles()
#: Names already reported once in this process (ignored plots, missing packages).
_reported: set[str] = set()


class PlotPackageWarning(UserWarning):
    """A configured plot needs an optional package that is not installed; it is skipped."""


def _report_once(key: str, report: Callable[[], None]) -> None:
    if key not in _reported:
        _reported.add(key)
        report()


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
    known = [*PLOTS, *NOT_DRAWN]
    for search, entry in document.data.items():
        if entry is None:
            continue
        if not isinstance(entry, Mapping):
            raise ConfigException(
                f"{document.path}: the entry of {search} must map plot names to true or false, "
                f"got {entry!r}"
            )
        for plot, value in entry.items():
            if plot not in known:
                close = difflib.get_close_matches(str(plot), known, n=1, cutoff=TYPO_CUTOFF)
                if close:
                    raise ConfigException(
                        f"{document.path}: {search} names an unknown plot {plot!r}; did you "
                        f"mean {close[0]!r}? The plots are {', '.join(known)}"
                    )
                _report_once(
                    f"unknown:{plot}",
                    lambda plot=plot: logger.info(
                        "%s: %r is not a plot autofit knows; it is ignored", document.path, plot
                    ),
                )
            elif not isinstance(value, bool):
                raise ConfigException(
                    f"{document.path}: {search}.{plot} must be true or false, got {value!r}"
                )
            elif plot in NOT_DRAWN and value:
                _report_once(
                    f"not drawn:{plot}",
                    lambda plot=plot: logger.info(
                        "%s: autofit does not draw %s; the setting is ignored", document.path, plot
                    ),
                )


def section_for(search_name: str, samples: Any = None) -> str | None:
    """The family entry of ``plots_search.yaml`` a search reads: ``"mcmc"``, ``"nest"`` or
    ``"mle"``.

    Parameters
    ----------
    search_name
        The search's class name.
    samples
        The samples of its fit, whose kind gives the family of a search autofit does not know.

    Returns
    -------
    str or None
        The family, or None when neither the name nor the samples tell.
    """
    if search_name in SEARCH_SECTIONS:
        return SEARCH_SECTIONS[search_name]
    from autofit.samples.mcmc import SamplesMCMC
    from autofit.samples.nest import SamplesNest
    from autofit.samples.optimizer import SamplesOptimizer

    for kind, section in ((SamplesMCMC, "mcmc"), (SamplesNest, "nest"), (SamplesOptimizer, "mle")):
        if isinstance(samples, kind):
            return section
    return None


def plots_for_search(search_name: str, section: str | None = None) -> list[str]:
    """The names of the plots ``visualize/plots_search.yaml`` enables for a search.

    Parameters
    ----------
    search_name
        The search's class name, for example ``"Emcee"``.
    section
        The search's family entry (``"mcmc"``, ``"nest"``, ``"mle"``); by default the one of
        :data:`SEARCH_SECTIONS`.

    Returns
    -------
    list of str
        Keys of :data:`PLOTS`, in the order of :data:`PLOTS` (plots of :data:`NOT_DRAWN` are
        never returned).

    Raises
    ------
    ConfigException
        If a ``plots_search.yaml`` is malformed, names an unknown plot close to a known one (a
        typo) or sets a plot to something other than true or false; the message names the file.
    """
    documents = _documents()
    section = section if section is not None else SEARCH_SECTIONS.get(search_name)
    entries = [name for name in (search_name, section, DEFAULT_ENTRY) if name is not None]
    enabled = []
    for plot in PLOTS:
        value = None
        for entry_name in entries:
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


def plots_to_draw(search_name: str, section: str | None = None) -> list[str]:
    """The plots enabled for a search (:func:`plots_for_search`) whose packages are installed.

    A plot whose optional package is missing is left out, with one :class:`PlotPackageWarning`
    per process naming the extra to install.

    Parameters
    ----------
    search_name
        The search's class name.
    section
        The search's family entry (see :func:`plots_for_search`).

    Returns
    -------
    list of str
        Keys of :data:`PLOTS`.
    """
    plots = []
    for plot in plots_for_search(search_name, section):
        if plot in OPTIONAL_PACKAGES:
            available, install = OPTIONAL_PACKAGES[plot]
            if not available():
                _report_once(
                    f"package:{plot}",
                    lambda plot=plot, install=install: warnings.warn(
                        f"The {plot} plot is switched on in visualize/plots_search.yaml but its "
                        f"package is not installed, so it is not drawn: {install}",
                        PlotPackageWarning,
                        stacklevel=2,
                    ),
                )
                continue
        plots.append(plot)
    return plots


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
    plots = plots_to_draw(search_name, section_for(search_name, samples))
    return draw_plots(samples, Path(image_path), plots, search_name)


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
