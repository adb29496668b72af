"""Helpers shared by the benchmark scripts in this folder.

Importing this module puts the checkout it lives in first on ``sys.path``, so a script that
imports it before ``autofit`` benchmarks that checkout, whether or not it is installed. The
scripts run as ``python benchmarks/<name>.py`` from the repository root, which puts this folder
on ``sys.path`` and makes ``import common`` work.

It holds the description of the machine and software that each script reports in its JSON
(``environment``) and timing helpers: ``timed`` and ``repeated`` (wall times of single calls),
``timed_runs`` (whole fits run in turn, wall and CPU time) and ``wait_for_background_work``
(waiting, outside the timings, for the search plots a fit leaves to the plot server). It imports
neither ``autofit`` nor numpy at the top, so a script that only runs other processes
(``plot_overhead.py``) does not load them.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: The root of the checkout these scripts live in.
ROOT = Path(__file__).resolve().parent.parent

# Benchmark the checkout this script lives in, whether or not it is installed.
sys.path.insert(0, str(ROOT))


# -- the environment ------------------------------------------------------------------------------


def cpu_model() -> str | None:
    """The processor's model name from ``/proc/cpuinfo``, or ``None`` where that is not
    available."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def load_average() -> list[float] | None:
    """The load averages over 1, 5 and 15 minutes, or ``None`` where they are not available."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def environment(versions: dict[str, str] | None = None) -> dict[str, Any]:
    """The Python version, the ``versions`` of the packages given (name -> version, reported in
    that order after Python's), the platform, the processor, the CPU count and the load average
    now (call it at the start of a run: the key is ``load_average_at_start``)."""
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        **(versions or {}),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "load_average_at_start": load_average(),
    }


# -- timing ---------------------------------------------------------------------------------------


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """The wall time of one call of ``function``, in seconds, and the value it returned."""
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def repeated(function: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    """The wall times of ``repeat`` calls of ``function``, in seconds, and the value the last
    call returned."""
    seconds, value = [], None
    for _ in range(repeat):
        elapsed, value = timed(function)
        seconds.append(elapsed)
    return seconds, value


def wait_for_background_work() -> float:
    """Wait for work a fit left running after it returned (the search plots, drawn in a child
    process), and return the seconds waited. Done outside the timings, so one fit's plots do
    not compete for the processor with the next fit."""
    from autofit.plot.background import wait_for_plots

    started = time.perf_counter()
    wait_for_plots()
    return time.perf_counter() - started


def timed_runs(
    fits: dict[str, Callable[[], Any]], repeat: int
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU (process) times of each fit, in seconds, for every run, and the seconds
    waited afterwards for its background work. The fits run in turn, ``repeat`` times, so a
    burst of load on the machine slows them alike."""
    wall: dict[str, list[float]] = {name: [] for name in fits}
    cpu: dict[str, list[float]] = {name: [] for name in fits}
    waited: dict[str, list[float]] = {name: [] for name in fits}
    for _ in range(repeat):
        for name, fit in fits.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            fit()
            cpu[name].append(time.process_time() - started_cpu)
            wall[name].append(time.perf_counter() - started)
            waited[name].append(wait_for_background_work())
    return wall, cpu, waited
