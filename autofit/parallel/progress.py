"""JobProgress: how many of a run's jobs have finished, as a tqdm bar or as log lines.

A terminal or notebook with tqdm installed gets a bar on standard error; elsewhere (batch jobs
whose output goes to a file, or without tqdm) an INFO line on the ``autofit.parallel`` logger
after the first job, at most every ``log_interval`` seconds after that, and after the last.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

__all__ = ["JobProgress"]

logger = logging.getLogger("autofit.parallel")


def _mode(show: bool) -> str:
    """``"bar"`` for a terminal or notebook with tqdm, ``"log"`` elsewhere, ``"quiet"``."""
    if not show:
        return "quiet"
    stream = sys.stderr
    interactive = type(stream).__module__.startswith("ipykernel")
    try:
        interactive = interactive or bool(stream.isatty())
    except (AttributeError, ValueError):
        pass
    if interactive:
        try:
            import tqdm  # noqa: F401
        except ImportError:
            return "log"
        return "bar"
    return "log"


class JobProgress:
    """Progress of a run of jobs.

    Parameters
    ----------
    label
        What the jobs are, in the display (``"grid cells"``, ``"fits"``).
    total
        How many jobs there are, when known.
    show
        False shows nothing (the log lines included).
    log_interval
        Seconds between log lines when there is no bar.
    """

    def __init__(
        self, label: str, total: int | None, show: bool = True, log_interval: float = 10.0
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.failed = 0
        self.mode = _mode(show)
        self.log_interval = log_interval
        self._logged = time.monotonic()
        self._bar: Any = None
        if self.mode == "bar":
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, desc=label, unit="job", leave=False)

    def update(self, failed: bool = False) -> None:
        """Count one more finished job (``failed``: one that raised or whose worker died)."""
        self.done += 1
        self.failed += int(failed)
        if self._bar is not None:
            self._bar.update(1)
            if self.failed:
                self._bar.set_postfix(failed=self.failed, refresh=False)
            return
        if self.mode != "log":
            return
        now = time.monotonic()
        if self.done == 1 or self.done == self.total or now - self._logged >= self.log_interval:
            self._logged = now
            logger.info("%s", self.text())

    def text(self) -> str:
        """``"fits: 3 of 6 done (1 failed)"``."""
        of = "" if self.total is None else f" of {self.total}"
        failed = f" ({self.failed} failed)" if self.failed else ""
        return f"{self.label}: {self.done}{of} done{failed}"

    def close(self) -> None:
        """Remove the bar (a last log line is written when the run stopped early)."""
        if self._bar is not None:
            self._bar.close()
        elif self.mode == "log" and self.done != self.total:
            logger.info("%s", self.text())
