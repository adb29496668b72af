"""Plots of the samples of a fit: ``import autofit.plot as aplt``.

- :func:`corner_cornerpy`: a corner plot of the posterior (the ``corner`` package);
- :func:`corner_anesthetic`: a corner plot of the posterior drawn with kernel density estimates
  by the ``anesthetic`` package (``pip install "autofit[anesthetic]"``);
- :func:`subplot_parameters`: each parameter against sample index (walker traces for MCMC);
- :func:`log_likelihood_vs_iteration`: the log likelihood against sample index;
- :func:`output_figure`: write a figure to png / pdf files, or keep it to show;
- :func:`plot_search`: the plots a search writes into ``image/search/`` at the end of a fit
  (drawn in a child process; :func:`wait_for_plots` waits for them);
- :func:`grid_search`: a grid search's figure of merit (a line over one grid prior, an image
  over two).

Each plot function takes ``format="show"`` (return the figure), ``"png"``, ``"pdf"`` or a list
of them, and writes ``<path>/<filename>.<format>``. matplotlib and corner are imported when a
plot is drawn, not when this package is imported.
"""

from autofit.plot.anesthetic_plot import corner_anesthetic
from autofit.plot.background import plot_search_in_background, wait_for_plots
from autofit.plot.corner_plot import corner_cornerpy
from autofit.plot.grid_search import grid_search
from autofit.plot.output import FORMATS, output_figure
from autofit.plot.search_plots import (
    NOT_DRAWN,
    PLOTS,
    PlotPackageWarning,
    plot_search,
    plots_for_search,
)
from autofit.plot.traces import log_likelihood_vs_iteration, subplot_parameters

__all__ = [
    "FORMATS",
    "PLOTS",
    "NOT_DRAWN",
    "PlotPackageWarning",
    "corner_cornerpy",
    "corner_anesthetic",
    "subplot_parameters",
    "log_likelihood_vs_iteration",
    "output_figure",
    "plot_search",
    "grid_search",
    "plots_for_search",
    "plot_search_in_background",
    "wait_for_plots",
]
