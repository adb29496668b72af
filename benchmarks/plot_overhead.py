"""Time what the end-of-fit search plots add to a fit, and to a script of fits.

The problem of ``fit_overhead.py`` and ``nested_overhead.py``: one simulated 1D Gaussian (100
points, noise 0.1) fitted by ``af.Emcee(nwalkers=30, nsteps=500)`` and by
``af.DynestyStatic(nlive=50)``, each writing its output folder. Every measurement runs a fresh
Python process (a script), twice: with the search plots (the default) and with
``AUTOFIT_SKIP_VISUALIZATION=1``. Reported, best of ``--repeat`` runs:

- ``fit_seconds``: the wall time of ``search.fit`` (the plots are drawn by the plot server, a
  forked process, so the fit returns before they are finished);
- ``script_seconds``: the whole script, from the start of the process to its exit, which waits
  for the plots to be written (what a user of a one-fit script waits for);
- ``loop``: a script of ``--fits`` fits one after another (many datasets), whole-script time.

``plots_add`` is (with plots - without) / without for each; the target is under 0.2 for the
fit's wall time. Run from the repository root::

    python benchmarks/plot_overhead.py              # about a minute on an idle machine
    python benchmarks/plot_overhead.py --repeat 5 --fits 8

The result is printed as JSON on standard output.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import common

TARGET = 0.2

SCRIPT = """
import sys, time
started = time.perf_counter()
import autofit as af

search_name, fits = sys.argv[1], int(sys.argv[2])
searches = {
    "Emcee": lambda name: af.Emcee(
        name=name, nwalkers=30, nsteps=500, seed=1, silence=True,
        auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
    ),
    "DynestyStatic": lambda name: af.DynestyStatic(name=name, nlive=50, seed=1, silence=True),
}
fit_seconds = []
for index in range(fits):
    data, noise = af.ex.simulate_data(noise=0.1, seed=index)
    search = searches[search_name](f"fit_{index}")
    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=30.0)
    start = time.perf_counter()
    search.fit(model=model, analysis=af.ex.Analysis(data, noise))
    fit_seconds.append(time.perf_counter() - start)
print(sum(fit_seconds), time.perf_counter() - started, flush=True)
"""


def run_script(search: str, fits: int, plots: bool) -> dict[str, float]:
    """Run the script in a fresh process; its fit time, and the process's whole wall time."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONWARNINGS"}
    environment.pop("AUTOFIT_SKIP_VISUALIZATION", None)
    if not plots:
        environment["AUTOFIT_SKIP_VISUALIZATION"] = "1"
    with tempfile.TemporaryDirectory(prefix="autofit_plot_overhead_") as output:
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-c", SCRIPT, search, str(fits)],
            cwd=common.ROOT,
            env={**environment, "AUTOFIT_OUTPUT_PATH": output},
            capture_output=True,
            text=True,
            check=True,
        )
        process_seconds = time.perf_counter() - started
        pngs = len(list(Path(output).rglob("*.png")))
    fit_seconds, _ = map(float, completed.stdout.split())
    return {"fit": fit_seconds, "script": process_seconds, "pngs": pngs}


def measure(search: str, fits: int, repeat: int) -> dict[str, Any]:
    """Best of ``repeat`` runs of each kind, alternating with and without plots."""
    runs: dict[bool, list[dict[str, float]]] = {True: [], False: []}
    for _ in range(repeat):
        for plots in (True, False):
            runs[plots].append(run_script(search, fits, plots))

    def best(plots: bool, key: str) -> float:
        return min(run[key] for run in runs[plots])

    result: dict[str, Any] = {"fits": fits}
    for key in ("fit", "script"):
        with_plots, without = best(True, key), best(False, key)
        result[f"{key}_seconds"] = {
            "with_plots": round(with_plots, 3),
            "without_plots": round(without, 3),
            "plots_add": round((with_plots - without) / without, 3),
        }
    result["pngs_written"] = runs[True][0]["pngs"]
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind (default 3)")
    parser.add_argument("--fits", type=int, default=5, help="fits in the loop script (default 5)")
    arguments = parser.parse_args(argv)
    started = time.perf_counter()
    report: dict[str, Any] = {
        "benchmark": "plot_overhead",
        "environment": common.environment(),
        "settings": {
            "repeat": arguments.repeat,
            "statistic": "best wall time over the repeats, in seconds",
            "searches": {
                "Emcee": "nwalkers=30, nsteps=500, no early stopping",
                "DynestyStatic": "nlive=50",
            },
        },
        "target": {"fit_seconds_plots_add_below": TARGET},
        "results": {},
    }
    for search in ("Emcee", "DynestyStatic"):
        one = measure(search, 1, arguments.repeat)
        loop = measure(search, arguments.fits, arguments.repeat)
        report["results"][search] = {
            "one_fit": one,
            "loop": loop,
            "meets_target": one["fit_seconds"]["plots_add"] < TARGET,
        }
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
