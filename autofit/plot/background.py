"""Search plots drawn in a child process, so plotting never slows the fit down.

Importing matplotlib and corner costs about as much as a short fit, and drawing a corner plot
a few tenths of a second more. So a fit that will plot starts a :class:`PlotWorker` when it
starts: a forked child process that imports the plotting libraries while the fit runs (on
another core) and then waits. At the end of the fit the samples are sent to it and it draws
them while the script carries on; :func:`wait_for_plots` (called automatically when Python
exits) waits for the drawings. A fit that fails or is interrupted closes its worker, which then
exits without drawing. Where ``fork`` is unavailable the plots are drawn in the calling process.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
from pathlib import Path
from typing import Any

__all__ = ["PlotWorker", "plot_search_in_background", "wait_for_plots"]

logger = logging.getLogger("autofit.plot")

#: Child processes drawing (or waiting to draw) plots, with the pipe a waiting one reads.
_RUNNING: list[tuple[Any, Any]] = []


def _draw(samples: Any, image_path: Path, search_name: str) -> None:
    from autofit.plot.search_plots import plot_search

    plot_search(samples, image_path, search_name)


def _samples_message(samples: Any) -> dict[str, Any]:
    """The samples as plain arrays and a dict (the model stays behind: the worker has it)."""
    return {
        "kind": type(samples).kind,
        "parameters": samples.parameters,
        "log_likelihood": samples.log_likelihood,
        "log_prior": samples.log_prior,
        "weights": samples.weights,
        "samples_info": dict(samples.samples_info),
    }


def _serve(connection: Any, sender: Any, model: Any, image_path: Path, name: str) -> None:
    """The worker: import the plotting code, wait for the samples, draw them."""
    sender.close()  # only the fitting process writes to the pipe
    import matplotlib

    matplotlib.use("Agg")
    import corner  # noqa: F401 - imported now, while the fit runs

    from autofit.plot import search_plots  # noqa: F401
    from autofit.samples.io import SAMPLES_CLASSES
    from autofit.samples.samples import Samples

    try:
        message = connection.recv()
    except (EOFError, OSError):
        return  # the fit ended without samples to plot
    finally:
        connection.close()
    cls = SAMPLES_CLASSES.get(message.pop("kind"), Samples)
    _draw(cls(model, **message), image_path, name)


class PlotWorker:
    """A child process, forked when a fit starts, that draws the fit's search plots at its end.

    Parameters
    ----------
    model
        The fitted model (the worker keeps its own copy, made by the fork).
    image_path
        The fit's ``image/`` folder.
    search_name
        The search's class name, the key of its entry in ``visualize/plots_search.yaml``.
    """

    def __init__(self, model: Any, image_path: str | Path, search_name: str) -> None:
        self.image_path = Path(image_path)
        self.search_name = search_name
        self.model = model
        self._connection: Any = None
        self._process: Any = None
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            receiver, sender = context.Pipe(duplex=False)
            self._process = context.Process(
                target=_serve,
                args=(receiver, sender, model, self.image_path, search_name),
                daemon=False,
            )
            self._process.start()
            receiver.close()
            self._connection = sender
            _RUNNING.append((self._process, sender))

    def draw(self, samples: Any) -> None:
        """Send the final samples to the worker, which draws them (or draw them here when no
        worker could be started)."""
        if self._connection is None:
            _draw(samples, self.image_path, self.search_name)
            return
        try:
            self._connection.send(_samples_message(samples))
        except (OSError, ValueError) as error:  # the worker has gone: draw here instead
            logger.warning("The plot process is gone (%s); drawing in this process", error)
            self.close()
            _draw(samples, self.image_path, self.search_name)
            return
        self.close()

    def close(self) -> None:
        """Close the pipe: a worker still waiting for samples exits without drawing."""
        if self._connection is not None:
            with contextlib.suppress(OSError):
                self._connection.close()
            self._connection = None


def plot_search_in_background(samples: Any, image_path: Path, search_name: str) -> Any:
    """Draw the search's plots (see :func:`~autofit.plot.search_plots.plot_search`) in a child
    process; returns the process, or None when they were drawn in this process."""
    worker = PlotWorker(samples.model, image_path, search_name)
    worker.draw(samples)
    return worker._process


def wait_for_plots(timeout: float | None = None) -> None:
    """Wait until every plot started in the background is written.

    Workers still waiting for samples (a fit that never finished) are told to exit first.
    """
    for _process, connection in _RUNNING:
        with contextlib.suppress(OSError):
            connection.close()
    while _RUNNING:
        process, _connection = _RUNNING.pop(0)
        process.join(timeout)
        if process.exitcode not in (0, None):
            logger.warning("Drawing the search plots failed (exit code %s)", process.exitcode)


atexit.register(wait_for_plots)
