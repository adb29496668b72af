"""Time ``import autofit`` in fresh Python processes, and show where the time goes.

Every measurement is a new interpreter started in the repository root (so this checkout is
imported), timing ``import autofit`` with ``time.perf_counter`` around the statement. The runs
alternate with fresh processes that import only numpy, the one dependency the model layer
needs at import, which puts a floor under the figure. Reported:

- ``import_autofit_seconds``: median (and min, max, every run) over ``--runs`` processes;
  the target is ``<= 0.15`` s;
- ``import_numpy_seconds``: the same for ``import numpy``, and ``autofit_own_seconds``, the
  difference of the medians; ``cpu_seconds_median``: the medians of the processes' CPU times
  for both, steadier than wall times when other programs share the processor;
- ``heavy_packages_loaded``: heavy or optional packages found in ``sys.modules`` after the import
  (none expected: SciPy, matplotlib, SQLAlchemy, the samplers and the extras load where they
  are first used);
- ``top_modules``: autofit's modules and its dependencies' top-level packages with the largest
  cumulative import times, from ``python -X importtime`` (median over ``--importtime-runs`` processes; that report's own bookkeeping makes
  its figures somewhat larger than the plain timings);
- ``first_use_seconds``: median times, in fresh processes, of ``import autofit`` followed by the
  first use of heavier parts (``af.Emcee``, a Gaussian prior's batch transform, which loads
  ``scipy.special``, ``af.db``), which is where their imports are now paid.

Run from the repository root::

    python benchmarks/import_time.py                 # about 15 s
    python benchmarks/import_time.py --runs 21 --top 25

The result is printed as JSON on standard output.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from typing import Any

import common

TARGET_SECONDS = 0.15

HEAVY_PACKAGES = (
    "scipy",
    "matplotlib",
    "sqlalchemy",
    "dynesty",
    "emcee",
    "jax",
    "corner",
    "dill",
    "zeus",
    "nautilus",
    "ultranest",
    "anesthetic",
    "h5py",
    "psycopg",
    "dask",
    "distributed",
    "mpi4py",
    "blackjax",
    "optax",
    "yaml",
)

TIMED_IMPORT = """
import sys, time
started, started_cpu = time.perf_counter(), time.process_time()
{statement}
elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
print(elapsed, elapsed_cpu)
print(",".join(sorted({{name.split(".")[0] for name in sys.modules}})))
"""

FIRST_USES = {
    "af.Model(af.ex.Gaussian).prior_count": (
        "import autofit as af\naf.Model(af.ex.Gaussian).prior_count"
    ),
    "af.Emcee": "import autofit as af\naf.Emcee",
    "GaussianPrior batch transform (scipy.special)": (
        "import numpy as np\nimport autofit as af\n"
        "af.GaussianPrior(0.0, 1.0, lower_limit=0.0).batch_value_for("
        "np.array([0.5]), 0.0, 1.0, 0.0, np.inf)"
    ),
    "af.db": "import autofit as af\naf.db",
}

IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)")


def run(code: str, *options: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter in the repository root."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONWARNINGS"}
    return subprocess.run(
        [sys.executable, *options, "-c", code],
        cwd=common.ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )


def timed_import(statement: str) -> tuple[float, float, set[str]]:
    """Wall and CPU seconds taken by ``statement`` in a fresh process, and the top-level
    packages loaded."""
    lines = run(TIMED_IMPORT.format(statement=statement)).stdout.splitlines()
    wall, cpu = map(float, lines[0].split())
    return wall, cpu, set(lines[1].split(","))


def summary(seconds: list[float]) -> dict[str, Any]:
    """Median, minimum and maximum of a list of times, and the times, rounded to 0.1 ms."""
    return {
        "median": round(statistics.median(seconds), 4),
        "min": round(min(seconds), 4),
        "max": round(max(seconds), 4),
        "runs": [round(value, 4) for value in seconds],
    }


def importtime_report() -> dict[str, tuple[int, int]]:
    """Self and cumulative microseconds per module of one ``-X importtime`` run of
    ``import autofit`` (the first time each module appears)."""
    report = run("import autofit", "-X", "importtime").stderr
    modules: dict[str, tuple[int, int]] = {}
    for line in report.splitlines():
        match = IMPORT_LINE.match(line)
        if match and match[4] not in modules:
            modules[match[4]] = (int(match[1]), int(match[2]))
    return modules


def top_modules(runs: int, top: int) -> list[dict[str, Any]]:
    """The ``top`` modules by median cumulative import time over ``runs`` processes: modules
    of autofit and top-level packages of its dependencies (not their submodules)."""
    reports = [importtime_report() for _ in range(runs)]
    names = {
        name
        for name in set.intersection(*(set(report) for report in reports))
        if name.startswith("autofit") or "." not in name
    }
    rows = []
    for name in names:
        rows.append(
            {
                "module": name,
                "cumulative_ms": round(
                    statistics.median(report[name][1] for report in reports) / 1000, 2
                ),
                "self_ms": round(
                    statistics.median(report[name][0] for report in reports) / 1000, 2
                ),
            }
        )
    rows.sort(key=lambda row: -row["cumulative_ms"])
    return rows[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="fresh processes per figure (>= 5)")
    parser.add_argument("--importtime-runs", type=int, default=3, help="-X importtime runs")
    parser.add_argument("--top", type=int, default=15, help="modules listed in top_modules")
    arguments = parser.parse_args()
    if arguments.runs < 5:
        parser.error("--runs must be at least 5")

    report: dict[str, Any] = {"benchmark": "import_time", "environment": common.environment()}
    located = run("import autofit; print(autofit.__file__)").stdout.strip()
    report["autofit_file"] = located

    autofit_seconds, numpy_seconds, autofit_cpu, numpy_cpu = [], [], [], []
    loaded: set[str] = set()
    for _ in range(arguments.runs):
        wall, cpu, modules = timed_import("import autofit")
        autofit_seconds.append(wall)
        autofit_cpu.append(cpu)
        loaded |= modules
        wall, cpu, _ = timed_import("import numpy")
        numpy_seconds.append(wall)
        numpy_cpu.append(cpu)

    median = statistics.median(autofit_seconds)
    report["import_autofit_seconds"] = summary(autofit_seconds)
    report["import_numpy_seconds"] = summary(numpy_seconds)
    report["autofit_own_seconds"] = round(median - statistics.median(numpy_seconds), 4)
    report["cpu_seconds_median"] = {
        "import_autofit": round(statistics.median(autofit_cpu), 4),
        "import_numpy": round(statistics.median(numpy_cpu), 4),
    }
    report["target_seconds"] = TARGET_SECONDS
    report["meets_target"] = median <= TARGET_SECONDS
    report["heavy_packages_loaded"] = sorted(loaded & set(HEAVY_PACKAGES))
    report["top_modules"] = top_modules(arguments.importtime_runs, arguments.top)
    report["first_use_seconds"] = {
        name: round(
            statistics.median(timed_import(code)[0] for _ in range(max(5, arguments.runs // 2))),
            4,
        )
        for name, code in FIRST_USES.items()
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
