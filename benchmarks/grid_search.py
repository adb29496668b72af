"""Time a 16-cell grid search on 2 cores against 1 core, and the parent's memory per cell.

The problem: a 1D Gaussian (``af.ex.Gaussian``, 400 points) fitted with ``af.Drawer`` (a fixed
number of likelihood calls, so every cell costs the same), gridded over its centre in 16 steps.
The analysis repeats its chi-squared ``--work`` times per call, so a cell costs about a second
of CPU on a current machine: the per-cell overheads of the grid (forking workers, sending the
shared context, writing each cell's folder, the grid's summary files) are then small beside
the fits, as in real grids.

- ``speedup``: the same grid (fresh output folders) with ``number_of_cores=1`` (cells one after
  the other in this process) and ``number_of_cores=2`` (two worker processes); the best wall
  time of ``--repeat`` runs of each, and their ratio. Target >= 1.8x on an idle machine with
  2 free cores. Each run also reports the CPU time of this process and of the workers and
  ``cores_busy``, their sum over the wall time: other work on the machine (see the load average
  at the start) takes cores from the workers, which shows as ``cores_busy`` below 2. Before the
  grids, two processes that only burn CPU measure the cores the machine gives two workers now
  (``free_cores_for_two_processes``, the ceiling of the speedup); ``speedup_over_ceiling`` is
  the speedup divided by it (1.0: the grid used every core it could get).
- ``speedup_waiting_likelihood``: the same with a likelihood that waits 1 ms (as one reading a
  file or asking a server would) instead of computing: it needs no free core, so it measures
  the grid's own parallelism and overheads even on a busy machine.
- ``memory``: grids of 4, 16 and 64 cells of a cheap fit on 2 cores, each in a fresh process
  of its own that reports the peak of Python memory allocated in the parent during the grid
  (``tracemalloc``) and its resident memory grown over the grid. Flat in the number of cells:
  the parent holds a small summary per cell (vectors of a few numbers), takes cells lazily from
  the grid and keeps at most ``number_of_cores`` in flight.

Run from the repository root::

    python benchmarks/grid_search.py             # about a minute on an idle 2-core machine
    python benchmarks/grid_search.py --repeat 3 --work 300

The result is printed as JSON on standard output.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import common

PIXELS = 400


def _problem(work: int, wait: float = 0.0) -> tuple[Any, Any]:
    import numpy as np

    import autofit as af

    class RepeatedAnalysis(af.ex.Analysis):
        """The example analysis, its likelihood evaluated ``work`` times per call."""

        def __init__(self, data: Any, noise_map: Any, work: int) -> None:
            super().__init__(data, noise_map)
            self.work = work

        def log_likelihood_function(self, instance: Any) -> float:
            if wait:
                time.sleep(wait)
            value = 0.0
            for _ in range(self.work):
                value = super().log_likelihood_function(instance)
            return value

    truth = af.ex.Gaussian(centre=60.0, normalization=40.0, sigma=8.0)
    data, noise_map = af.ex.simulate_data([truth], pixels=PIXELS, noise=0.1, seed=1)
    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=float(PIXELS))
    model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.sigma = af.UniformPrior(lower_limit=1.0, upper_limit=30.0)
    del np
    return model, RepeatedAnalysis(data, noise_map, work)


def run_grid(
    cores: int, steps: int, draws: int, work: int, output: Path, wait: float = 0.0
) -> dict[str, Any]:
    """One grid in a fresh output folder: wall and CPU time, cells and their best cell."""
    import autofit as af

    af.conf.instance.push(new_path=tempfile.mkdtemp(), output_path=output)
    model, analysis = _problem(work, wait)
    search = af.Drawer(name="grid", total_draws=draws, seed=1)
    grid = af.SearchGridSearch(search=search, number_of_steps=steps, number_of_cores=cores)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu = time.perf_counter(), time.process_time()
    result = grid.fit(model=model, analysis=analysis, grid_priors=[model.centre])
    wall = time.perf_counter() - started
    parent_cpu = time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    return {
        "wall_seconds": wall,
        "parent_cpu_seconds": parent_cpu,
        "workers_cpu_seconds": workers_cpu,
        # Cores kept busy on average: 2 when both workers had a core to themselves throughout.
        "cores_busy": (parent_cpu + workers_cpu) / wall,
        "cells": len(result.samples),
        "best_index": result.best_index,
    }


def _burn(seconds: float) -> float:
    """Spin for ``seconds`` of CPU time."""
    started = time.process_time()
    while time.process_time() - started < seconds:
        pass
    return seconds


def free_cores(seconds: float = 1.0) -> float:
    """Cores two busy worker processes get on this machine now: their CPU time over the wall
    time (2.0 on an idle 2-core machine). The speedup of the grid cannot exceed it."""
    from autofit.parallel.executor import process_executor

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with process_executor(2) as executor:
        list(executor.map(_burn, [seconds, seconds]))
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)) / wall


def speedup(repeat: int, draws: int, work: int, wait: float = 0.0) -> dict[str, Any]:
    """Best wall times of the 16-cell grid on 1 and 2 cores."""
    runs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    available = free_cores()
    for _ in range(repeat):
        for cores in (1, 2):
            with tempfile.TemporaryDirectory() as folder:
                runs[cores].append(run_grid(cores, 16, draws, work, Path(folder), wait))
    best = {cores: min(run["wall_seconds"] for run in values) for cores, values in runs.items()}
    assert runs[1][0]["best_index"] == runs[2][0]["best_index"]
    return {
        "cells": 16,
        "draws_per_cell": draws,
        "likelihood_repeats": work,
        "likelihood_wait_seconds": wait,
        "wall_seconds_best": {f"{cores}_cores": seconds for cores, seconds in best.items()},
        "runs": {f"{cores}_cores": values for cores, values in runs.items()},
        "speedup": best[1] / best[2],
        "target_speedup": 1.8,
        # Two processes that only burn CPU, measured before the grids: the speedup's ceiling.
        "free_cores_for_two_processes": available,
        "speedup_over_ceiling": best[1] / best[2] / min(2.0, max(available, 1e-9)),
    }


_MEMORY_SCRIPT = """
import json, sys, tempfile, tracemalloc
from pathlib import Path
sys.path.insert(0, {benchmarks!r})
import common, grid_search
import autofit as af

def rss_kib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None

# Warm up imports and the first fit, outside the measurement.
grid_search.run_grid(1, 1, 10, 1, Path(tempfile.mkdtemp()))
before = rss_kib()
tracemalloc.start()
run = grid_search.run_grid(2, {steps}, 10, 1, Path(tempfile.mkdtemp()))
current, peak = tracemalloc.get_traced_memory()
after = rss_kib()
print(json.dumps({{"cells": run["cells"], "python_peak_kib": peak / 1024,
                  "python_kept_kib": current / 1024,
                  "rss_growth_kib": None if before is None else after - before}}))
"""


def memory() -> dict[str, Any]:
    """Parent memory of grids of 4, 16 and 64 cells (2 cores), each in a fresh process."""
    rows = []
    for steps in (4, 16, 64):
        script = _MEMORY_SCRIPT.format(benchmarks=str(Path(__file__).parent), steps=steps)
        environment = {**os.environ, "AUTOFIT_SKIP_VISUALIZATION": "1"}
        completed = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env=environment,
            check=True,
        )
        rows.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    first, last = rows[0], rows[-1]
    extra_cells = last["cells"] - first["cells"]
    return {
        "grids": rows,
        "python_peak_kib_per_extra_cell": (last["python_peak_kib"] - first["python_peak_kib"])
        / extra_cells,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each grid (best kept)")
    parser.add_argument("--draws", type=int, default=300, help="likelihood calls per cell")
    parser.add_argument(
        "--work", type=int, default=150, help="chi-squared evaluations per likelihood call"
    )
    arguments = parser.parse_args()
    os.environ["AUTOFIT_SKIP_VISUALIZATION"] = "1"
    import numpy

    import autofit  # noqa: F401 - imported before the environment is described

    report = {
        "environment": common.environment({"numpy": numpy.__version__}),
        "speedup": speedup(arguments.repeat, arguments.draws, arguments.work),
        "speedup_waiting_likelihood": speedup(arguments.repeat, arguments.draws, 1, 0.001),
        "memory": memory(),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
