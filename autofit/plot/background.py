"""Search plots drawn by a child process, so plotting never slows the fits down.

Importing matplotlib and corner costs about as much as a short fit, and drawing a corner plot a
few tenths of a second more. So the first fit that will plot starts a plot server: a process
forked from the script, which imports the plotting libraries while the fit runs (on another
core) and then draws the plots of every fit the script makes, one after the other, as each fit
sends its samples. The script never imports matplotlib for them and never waits for a drawing;
:func:`wait_for_plots` (called automatically when Python exits) waits until every plot sent is
written. A script killed with its fits leaves the server without work: it notices within a
second and exits. Where ``fork`` is unavailable the plots are drawn in the calling process.

Each job carries what the plots depend on: the samples (with their model, serialised with dill
so classes defined in a script or notebook travel too), the plots to draw, and the configuration
directories in force when the fit ended.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import multiprocessing.util  # its exit handler must run after ours (atexit runs last-in first)
import os
import queue
from pathlib import Path
from typing import Any

__all__ = ["PlotServer", "plot_server", "plot_search_in_background", "wait_for_plots"]

logger = logging.getLogger("autofit.plot")

_SERVER: PlotServer | None = None


def _apply_configuration(directories: list[str]) -> None:
    """Search exactly these configuration directories (those of the fitting process)."""
    from autofit.config import instance

    if [str(path) for path in instance.config_paths] == directories:
        return
    instance.reset()
    for directory in reversed(directories):
        if os.path.isdir(directory):
            instance.push(directory)


def _serve(jobs: Any, done: Any, parent: int) -> None:
    """The server: import the plotting code, then draw each job until told to stop or until
    its ``parent`` process has gone."""
    import dill
    import matplotlib

    matplotlib.use("Agg")
    import corner  # noqa: F401 - imported now, while the first fit runs

    from autofit.plot.search_plots import draw_plots

    while True:
        try:
            job = jobs.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent:
                return  # the script was killed: nothing more will come
            continue
        except (EOFError, OSError):
            return
        if job is None:
            return
        written = 0
        try:
            samples, image_path, plots, search_name, directories = dill.loads(job)
            _apply_configuration(directories)
            written = len(draw_plots(samples, Path(image_path), plots, search_name))
        except Exception as error:  # noqa: BLE001 - one bad job must not stop the server
            logger.warning("Drawing the search plots failed: %s", error, exc_info=True)
        done.put(written)


class PlotServer:
    """A forked child process that draws the search plots of the fits this process makes.

    Use :func:`plot_server` for the one shared server rather than making your own.
    """

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._jobs = context.Queue()
        self._done = context.Queue()
        self._pending = 0
        self._owner = os.getpid()
        self._process = context.Process(
            target=_serve,
            args=(self._jobs, self._done, self._owner),
            name="autofit-plots",
            daemon=True,
        )
        self._process.start()

    @property
    def is_alive(self) -> bool:
        """Whether the server process is running."""
        return self._process.is_alive()

    @property
    def is_owned(self) -> bool:
        """Whether this process started the server (forked children of it did not)."""
        return os.getpid() == self._owner

    def submit(self, samples: Any, image_path: str | Path, search_name: str) -> None:
        """Queue the plots ``visualize/plots_search.yaml`` enables for ``search_name``; returns
        at once (a thread of this process feeds the server)."""
        import dill

        from autofit.config import instance
        from autofit.plot.search_plots import plots_to_draw, section_for

        plots = plots_to_draw(search_name, section_for(search_name, samples))
        if not plots:
            return
        directories = [str(path) for path in instance.config_paths]
        job = dill.dumps((samples, str(image_path), plots, search_name, directories))
        self._jobs.put(job)
        self._pending += 1

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every plot submitted so far is written (or ``timeout`` seconds pass);
        returns whether they all were."""
        while self._pending:
            if not self._process.is_alive() and self._done.empty():
                logger.warning(
                    "The plot process ended (exit code %s) with %d fits' plots undrawn",
                    self._process.exitcode,
                    self._pending,
                )
                self._pending = 0
                return False
            try:
                self._done.get(timeout=0.2 if timeout is None else min(timeout, 0.2))
            except queue.Empty:
                if timeout is not None:
                    timeout -= 0.2
                    if timeout <= 0:
                        return False
                continue
            self._pending -= 1
        return True

    def stop(self, timeout: float | None = None) -> None:
        """Draw what is queued, then end the server process."""
        self.wait(timeout)
        if self._process.is_alive():
            self._jobs.put(None)
            self._process.join(timeout if timeout is not None else 60.0)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join(5.0)
        for channel in (self._jobs, self._done):
            channel.close()
            channel.join_thread()


def plot_server() -> PlotServer | None:
    """The plot server of this process, started on first use; None where processes cannot be
    forked (the plots are then drawn in the calling process)."""
    global _SERVER
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    if _SERVER is None or not _SERVER.is_owned or not _SERVER.is_alive:
        _SERVER = PlotServer()
    return _SERVER


def plot_search_in_background(samples: Any, image_path: str | Path, search_name: str) -> None:
    """Draw the plots ``visualize/plots_search.yaml`` enables for a search (see
    :func:`~autofit.plot.search_plots.plot_search`) in the plot server, or here when no server
    can be started."""
    server = plot_server()
    if server is None:
        from autofit.plot.search_plots import plot_search

        plot_search(samples, image_path, search_name)
        return
    server.submit(samples, image_path, search_name)


def wait_for_plots(timeout: float | None = None) -> None:
    """Wait until every search plot sent to the plot server is written."""
    if _SERVER is not None and _SERVER.is_owned:
        _SERVER.wait(timeout)


def _stop_at_exit() -> None:
    global _SERVER
    if _SERVER is not None and _SERVER.is_owned:
        server, _SERVER = _SERVER, None
        server.stop()


atexit.register(_stop_at_exit)
