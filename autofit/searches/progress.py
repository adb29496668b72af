"""FitProgress: one progress display for a whole fit, however many blocks the sampler runs in.

The samplers run in blocks of ``iterations_per_update`` iterations (a checkpoint and an update
after each), and their own progress bars start again at every block. A fit instead shows one
display from its start (or its checkpoint, when resumed) to its end, in one of three modes:

- ``"bar"``: a tqdm progress bar on standard error, when that is a terminal or a Jupyter
  notebook and tqdm is installed;
- ``"log"``: one INFO line on the ``autofit.search`` logger per update block (iterations done,
  of how many, and the best value so far), for batch jobs whose output goes to a file;
- ``"quiet"``: nothing (``silence=True``).
"""

from __future__ import annotations

import logging
import math
import sys
from typing import Any, Literal, TextIO

__all__ = ["FitProgress", "ProgressMode", "progress_mode", "is_interactive"]

logger = logging.getLogger("autofit.search")

ProgressMode = Literal["bar", "log", "quiet"]
MODES = ("bar", "log", "quiet")
_PLURALS = {"it": "iterations"}


def is_interactive(stream: TextIO | None = None) -> bool:
    """Whether ``stream`` (standard error by default) is shown to a person as it is written: a
    terminal, or the output of a Jupyter notebook cell.

    Parameters
    ----------
    stream
        The stream to check; ``sys.stderr`` when None.

    Returns
    -------
    bool
        True for a terminal or a notebook's output stream, False for files and pipes.
    """
    stream = sys.stderr if stream is None else stream
    if type(stream).__module__.startswith("ipykernel"):
        return True
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _tqdm_available() -> bool:
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return True


def progress_mode(silence: bool = False, stream: TextIO | None = None) -> ProgressMode:
    """How a fit shows its progress.

    Parameters
    ----------
    silence
        The search's ``silence``: no progress output at all.
    stream
        Where a bar would be drawn; ``sys.stderr`` when None.

    Returns
    -------
    str
        ``"quiet"`` when silenced, ``"bar"`` for a terminal or notebook with tqdm installed,
        ``"log"`` otherwise (batch jobs, output redirected to a file, no tqdm).
    """
    if silence:
        return "quiet"
    if is_interactive(stream) and _tqdm_available():
        return "bar"
    return "log"


class FitProgress:
    """The progress of one fit: a single bar, log lines at updates, or nothing.

    A sampler adapter calls :meth:`start` once with the run's length and the iterations already
    done (a resumed run), :meth:`advance` or :meth:`move_to` as it goes, :meth:`block_done` at
    each update and :meth:`close` at the end.

    Parameters
    ----------
    label
        Shown before the bar and at the start of log lines (the search's class name).
    mode
        ``"bar"``, ``"log"`` or ``"quiet"`` (see :func:`progress_mode`).
    stream
        Where the bar is drawn; ``sys.stderr`` when None.

    Raises
    ------
    ValueError
        If ``mode`` is not one of the three modes.
    """

    def __init__(self, label: str, mode: ProgressMode = "log", stream: TextIO | None = None):
        if mode not in MODES:
            raise ValueError(f"progress mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.label = label
        self.mode = mode
        self.stream = stream
        self.total: int | None = None
        self.done = 0
        self.unit = "it"
        self.best_name = "max log likelihood"
        self.best: float | None = None
        self.started = False
        self._bar: Any = None

    def start(
        self,
        total: int | None = None,
        done: int = 0,
        unit: str = "it",
        best_name: str = "max log likelihood",
    ) -> None:
        """Begin the display (once per fit; later calls are ignored).

        Parameters
        ----------
        total
            Iterations of the whole run, None when unknown in advance (nested sampling).
        done
            Iterations already done: where a resumed run starts.
        unit
            What one iteration is called on the bar (``"step"``, ``"it"``).
        best_name
            What :attr:`best` is, for the log lines (``"max log posterior"`` for MCMC).
        """
        if self.started:
            return
        self.started = True
        self.total = None if total is None else int(total)
        self.done = int(done)
        self.unit = unit
        self.best_name = best_name
        if self.mode == "bar":
            import tqdm

            self._bar = tqdm.tqdm(
                total=self.total,
                initial=self.done,
                desc=self.label,
                unit=unit,
                file=self.stream if self.stream is not None else sys.stderr,
                dynamic_ncols=True,
                leave=True,
            )

    @property
    def live(self) -> bool:
        """Whether every iteration is shown as it happens (a bar); otherwise only what
        :meth:`block_done` writes is seen, so a search may report a block at once."""
        return self._bar is not None

    def _record(self, best: float | None) -> None:
        if best is not None and math.isfinite(best) and (self.best is None or best > self.best):
            self.best = float(best)

    def advance(self, steps: int = 1, best: float | None = None, **postfix: Any) -> None:
        """Move ``steps`` iterations on.

        Parameters
        ----------
        steps
            Iterations just done.
        best
            The best value of these iterations (kept if it beats the best so far).
        **postfix
            Values shown after the bar (``logz=...``); formatted to 4 significant figures.
        """
        self.move_to(self.done + int(steps), best, **postfix)

    def move_to(self, done: int, best: float | None = None, **postfix: Any) -> None:
        """Move to ``done`` iterations in all (the count of samplers that report it).

        Parameters
        ----------
        done
            Iterations done since the fit began.
        best
            The best value so far (kept if it beats the best recorded).
        **postfix
            Values shown after the bar.
        """
        self._record(best)
        done = int(done)
        if self._bar is not None:
            if done > self.done:
                self._bar.update(done - self.done)
            if postfix or best is not None:
                shown = {key: _short(value) for key, value in postfix.items()}
                if self.best is not None:
                    key = "max_logl" if "likelihood" in self.best_name else "max_logpost"
                    shown = {key: _short(self.best), **shown}
                self._bar.set_postfix(shown, refresh=False)
        self.done = max(done, self.done)

    def block_done(self) -> None:
        """An update block ended: write the log line (in ``"log"`` mode, once started)."""
        if self.mode != "log" or not self.started:
            return
        of = "" if self.total is None else f" / {self.total}"
        best = "" if self.best is None else f", {self.best_name} {self.best:.6g}"
        units = _PLURALS.get(self.unit, f"{self.unit}s")
        logger.info("%s: %d%s %s%s", self.label, self.done, of, units, best)

    def close(self) -> None:
        """End the display (the bar stays on screen)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _short(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:.4g}"
    return value
